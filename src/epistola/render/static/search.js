/* Epistola static search: works from file:// and offline.
 *
 * The index is a set of classic <script> data files (search/meta.js, search/s-*.js) because
 * browsers refuse fetch() and import() on file:// pages. Shards are loaded on demand by adding
 * <script> tags. Words are folded like the Python side (render/search_data.py: fold) and looked
 * up in the vocabulary of surface forms, which maps each form to its stem; an unknown word falls
 * back to the forms it begins, then to the longest stem it begins with.
 * State lives in the URL (?q=...&year=...&sender=...), so results can be linked and bookmarked.
 */
(function () {
  "use strict";
  var ES = (window.EpistolaSearch = window.EpistolaSearch || {});
  var shards = {};
  var waiting = {};
  var MESSAGES = window.EpistolaMessages || {};
  function M(s) { return MESSAGES[s] || s; }  // the interface's language (search.html)
  var FACETS = [
    ["year", M("Year")], ["sender", M("Sender")], ["addressee", M("Addressee")],
    ["person", M("Person mentioned")], ["place", M("Place")], ["kind", M("Kind")]
  ];
  var PAGE = 50;

  ES.shard = function (key, data) {
    shards[key] = data;
    (waiting[key] || []).forEach(function (f) { f(); });
    delete waiting[key];
  };

  function fold(s) {
    return s.toLowerCase().replace(/ß/g, "ss").replace(/ё/g, "е")
      .normalize("NFD").replace(/[\u0300-\u036f\u0483-\u0489]/g, "");
  }
  ES.fold = fold;

  function shardFile(key) {
    return "s-" + Array.from(key).map(function (c) {
      return ("0000" + c.codePointAt(0).toString(16)).slice(-4);
    }).join("-") + ".js";
  }

  var base = (function () {
    var s = document.querySelector('script[src$="static/search.js"]');
    return s ? s.getAttribute("src").replace(/static\/search\.js$/, "") : "";
  })();

  function loadShard(key) {
    return new Promise(function (resolve) {
      if (shards[key] || ES.meta.shards.indexOf(key) < 0) { resolve(shards[key] || null); return; }
      (waiting[key] = waiting[key] || []).push(function () { resolve(shards[key]); });
      if (waiting[key].length > 1) return;
      var tag = document.createElement("script");
      tag.src = base + "search/" + shardFile(key);
      tag.onerror = function () { shards[key] = null; resolve(null); };
      document.head.appendChild(tag);
    });
  }

  /* The stems a query word stands for. */
  function stemsFor(word, shard) {
    if (!shard) return [];
    if (shard.forms[word]) return [shard.forms[word]];
    var out = {};
    Object.keys(shard.forms).forEach(function (f) {
      if (f.indexOf(word) === 0) out[shard.forms[f]] = 1;
    });
    var found = Object.keys(out);
    if (found.length) return found;
    for (var n = word.length - 1; n >= 3; n--) {
      if (shard.post[word.slice(0, n)]) return [word.slice(0, n)];
    }
    return [];
  }

  function matchWord(word) {
    return loadShard(word.slice(0, 2)).then(function (shard) {
      var hits = {};
      stemsFor(word, shard).forEach(function (stem) {
        var p = shard.post[stem] || [];
        for (var i = 0; i < p.length; i += 2) hits[p[i]] = (hits[p[i]] || 0) + p[i + 1];
      });
      return { word: word, hits: hits, stems: stemsFor(word, shard), shard: shard };
    });
  }

  function facetValues(L, key) {
    var F = ES.meta.fields;
    var get = function (name) { return L[F.indexOf(name)]; };
    switch (key) {
      case "year": return get("year") == null ? [] : [String(get("year"))];
      case "sender": return get("senders");
      case "addressee": return get("addressees");
      case "person": return get("persons");
      case "place": return get("place") ? [get("place")] : [];
      case "kind": return get("kind") ? [get("kind")] : [];
    }
    return [];
  }

  function label(key, value) {
    if (key === "year" || key === "kind") return value;
    return ES.meta.names[value] || value;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  function hrefWith(params, key, value) {
    var p = new URLSearchParams(params.toString());
    if (value == null) p.delete(key); else p.set(key, value);
    return "?" + p.toString();
  }

  function highlight(parent, text, words) {
    /* words: folded forms to mark; text nodes only, never innerHTML */
    var re = /[\p{L}\p{N}]+/gu, last = 0, m;
    while ((m = re.exec(text))) {
      if (words[fold(m[0])]) {
        parent.appendChild(document.createTextNode(text.slice(last, m.index)));
        parent.appendChild(el("mark", {}, m[0]));
        last = m.index + m[0].length;
      }
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function run() {
    var params = new URLSearchParams(location.search);
    var q = params.get("q") || "";
    var input = document.getElementById("q");
    if (input) input.value = q;
    var form = document.getElementById("search-form");
    FACETS.forEach(function (f) {
      var v = params.get(f[0]);
      if (v && form && !form.querySelector('input[name="' + f[0] + '"]')) {
        form.appendChild(el("input", { type: "hidden", name: f[0], value: v }));
      }
    });
    var words = (fold(q).match(/[\p{L}\p{N}]+/gu) || []);
    var active = FACETS.filter(function (f) { return params.get(f[0]); });
    var results = document.getElementById("results");
    if (!words.length && !active.length) { results.textContent = ""; return; }
    Promise.all(words.map(matchWord)).then(function (matches) {
      var letters = ES.meta.letters;
      var scores = null;
      matches.forEach(function (m) {
        var next = {};
        Object.keys(m.hits).forEach(function (i) {
          if (scores === null || scores[i] != null) next[i] = (scores ? scores[i] : 0) + m.hits[i];
        });
        scores = next;
      });
      var ids = scores === null ? letters.map(function (_, i) { return i; })
        : Object.keys(scores).map(Number);
      ids = ids.filter(function (i) {
        return active.every(function (f) {
          return facetValues(letters[i], f[0]).indexOf(params.get(f[0])) >= 0;
        });
      });
      ids.sort(function (a, b) {
        return (scores ? scores[b] - scores[a] : 0) || a - b;
      });
      var marks = {};
      matches.forEach(function (m) {
        if (!m.shard) return;
        Object.keys(m.shard.forms).forEach(function (f) {
          if (m.stems.indexOf(m.shard.forms[f]) >= 0) marks[f] = 1;
        });
      });
      render(params, ids, marks);
    });
  }

  function render(params, ids, marks) {
    var F = ES.meta.fields, letters = ES.meta.letters;
    var results = document.getElementById("results");
    results.textContent = "";
    var total = el("p", { class: "total" });
    total.appendChild(el("span", { id: "total" }, String(ids.length)));
    total.appendChild(document.createTextNode(" " + (ids.length === 1 ? M("letter") : M("letters"))));
    results.appendChild(total);
    var ol = el("ol", { class: "hits" });
    var shown = 0;
    function more() {
      ids.slice(shown, shown + PAGE).forEach(function (i) {
        var L = letters[i];
        var li = el("li", { class: "result" });
        li.appendChild(el("a", { class: "hit", href: base + "letters/" + L[F.indexOf("slug")] + ".html" }, L[F.indexOf("label")]));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", { class: "date" }, L[F.indexOf("date")]));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", { class: "parties" }, L[F.indexOf("sender")] + " → " + L[F.indexOf("addressee")]));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", { class: "kind" }, L[F.indexOf("kind")]));
        var p = el("p", { class: "snippet" });
        highlight(p, L[F.indexOf("incipit")] + "…", marks);
        li.appendChild(p);
        ol.appendChild(li);
      });
      shown += PAGE;
      button.hidden = shown >= ids.length;
    }
    results.appendChild(ol);
    var button = el("button", { type: "button", class: "more" }, M("More results"));
    button.addEventListener("click", more);
    results.appendChild(button);
    more();
    renderFacets(params, ids);
  }

  function renderFacets(params, ids) {
    var box = document.getElementById("facets");
    box.textContent = "";
    FACETS.forEach(function (f) {
      var counts = {};
      ids.forEach(function (i) {
        facetValues(ES.meta.letters[i], f[0]).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      var values = Object.keys(counts).sort(function (a, b) {
        return f[0] === "year" ? a - b : counts[b] - counts[a] || label(f[0], a).localeCompare(label(f[0], b));
      }).slice(0, f[0] === "year" ? 200 : 15);
      if (!values.length) return;
      var sec = el("section", { class: "facet", "data-facet": f[0] });
      sec.appendChild(el("h2", {}, f[1]));
      var ul = el("ul");
      var current = params.get(f[0]);
      values.forEach(function (v) {
        var li = el("li", current === v ? { class: "active" } : {});
        var a = el("a", { href: hrefWith(params, f[0], current === v ? null : v), "data-facet-value": v }, label(f[0], v) + " ");
        a.appendChild(el("span", { class: "n" }, String(counts[v])));
        li.appendChild(a);
        ul.appendChild(li);
      });
      sec.appendChild(ul);
      box.appendChild(sec);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
