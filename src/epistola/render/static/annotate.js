// Research annotations beside a letter (epistola serve only): list, select a span, annotate,
// edit with the version read (a concurrent edit is refused with 409 and shown here).
// No inline script or style: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  var box = document.getElementById("annotations");
  if (!box) return;
  var letter = box.getAttribute("data-letter");
  var list = box.querySelector(".annotation-list");
  var form = box.querySelector("form.annotate");
  var status = box.querySelector(".annotations-status");
  var alertBox = box.querySelector(".annotations-error");
  var selectedP = form.querySelector(".selected");
  var me = null;
  var selector = null;

  function api(method, url, body, version) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (me && me.csrf) headers["X-CSRF-Token"] = me.csrf;
    if (version !== undefined) headers["If-Match"] = '"' + version + '"';
    return fetch(url, { method: method, headers: headers, credentials: "same-origin",
                        body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, data: j }; }); });
  }

  function squash(s) { return s.replace(/\s+/g, " "); }

  function describe(a) {
    var b = a.body, parts = [a.kind];
    Object.keys(b).forEach(function (k) { parts.push(k + ": " + b[k]); });
    return parts.join(" · ");
  }

  function show(message) { alertBox.textContent = message || ""; }

  function render(items) {
    list.textContent = "";
    items.forEach(function (a) {
      var li = document.createElement("li");
      li.className = "annotation";
      li.setAttribute("data-id", a.id);
      var what = document.createElement("span");
      what.className = "what";
      what.textContent = describe(a);
      li.appendChild(what);
      if (a.selector) {
        var q = document.createElement("q");
        q.textContent = a.selector.exact;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(q);
      }
      var by = document.createElement("span");
      by.className = "by";
      by.textContent = " (" + a.author + ", version " + a.version + ")";
      li.appendChild(by);
      if (a.review) {
        var rv = document.createElement("span");
        rv.className = "review";
        rv.textContent = " needs review: " + a.review;
        li.appendChild(rv);
      }
      if (me && (me.name === a.author || me.role === "editor" || me.role === "admin")) {
        var edit = document.createElement("button");
        edit.type = "button";
        edit.className = "edit";
        edit.textContent = "Edit note";
        edit.addEventListener("click", function () { editNote(a, li); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(edit);
      }
      list.appendChild(li);
    });
  }

  function editNote(a, li) {
    var f = document.createElement("form");
    f.className = "edit-note";
    var field = a.kind === "comment" ? "text" : "note";
    var input = document.createElement("input");
    input.name = field;
    input.value = a.body[field] || "";
    input.setAttribute("aria-label", field);
    var save = document.createElement("button");
    save.type = "submit";
    save.textContent = "Save";
    f.appendChild(input);
    f.appendChild(save);
    li.appendChild(f);
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = Object.assign({}, a.body);
      body[field] = input.value;
      api("PUT", "/api/annotations/" + encodeURIComponent(a.id), { body: body }, a.version)
        .then(function (r) {
          if (r.status === 409) {
            show("Not saved: someone else changed this annotation meanwhile (" + r.data.error +
                 "). Reload to see their version, then redo your edit.");
          } else if (r.status !== 200) {
            show("Not saved: " + r.data.error);
          } else {
            show("");
            load();
          }
        });
    });
  }

  function load() {
    return api("GET", "/api/letters/" + encodeURIComponent(letter) + "/annotations")
      .then(function (r) { if (r.status === 200) render(r.data.annotations); });
  }

  function onSelect() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
    var range = sel.getRangeAt(0);
    var text = range.commonAncestorContainer;
    var section = (text.nodeType === 1 ? text : text.parentElement).closest("section.text");
    if (!section) return;
    var before = document.createRange();
    before.selectNodeContents(section);
    before.setEnd(range.startContainer, range.startOffset);
    var whole = squash(section.textContent);
    var pre = squash(before.toString());
    var exact = squash(range.toString()).trim();
    if (!exact) return;
    var start = pre.length + (squash(range.toString()).length - squash(range.toString()).trimStart().length);
    selector = { exact: exact, prefix: whole.slice(Math.max(0, start - 32), start),
                 suffix: whole.slice(start + exact.length, start + exact.length + 32),
                 start: start, end: start + exact.length };
    selectedP.textContent = "Selected: \u201c" + exact + "\u201d";
  }

  function kindChanged() {
    var kind = form.elements.kind.value;
    form.querySelectorAll("fieldset").forEach(function (fs) {
      fs.hidden = fs.getAttribute("data-kind") !== kind;
    });
  }

  form.elements.kind.addEventListener("change", kindChanged);
  document.addEventListener("mouseup", onSelect);
  document.addEventListener("keyup", onSelect);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var kind = form.elements.kind.value;
    var fs = form.querySelector('fieldset[data-kind="' + kind + '"]');
    var body = {};
    fs.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.value !== "") body[el.name] = el.value;
    });
    api("POST", "/api/letters/" + encodeURIComponent(letter) + "/annotations",
        { kind: kind, body: body, selector: selector })
      .then(function (r) {
        if (r.status !== 201) { show("Not saved: " + r.data.error); return; }
        show("");
        form.reset();
        kindChanged();
        selector = null;
        selectedP.textContent = "Saved. Select another passage to annotate it.";
        load();
      });
  });

  api("GET", "/api/me").then(function (r) {
    if (r.status === 200) {
      me = r.data;
      status.textContent = "Logged in as " + me.name + " (" + me.role + ").";
      form.hidden = !(me.role === "coder" || me.role === "editor" || me.role === "admin");
    } else {
      var a = document.createElement("a");
      a.href = "/login?next=" + encodeURIComponent(location.pathname);
      a.textContent = "Log in to annotate";
      status.appendChild(a);
    }
    return load();
  });
})();
