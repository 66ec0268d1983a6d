/* Hover and focus niceties on a letter page; without JavaScript the notes are plain links to
 * the numbered list below the text, and abbreviations show their expansion as a title. */
(function () {
  "use strict";
  var open = null;
  function close() {
    if (open) { open.remove(); open = null; }
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[data-note]");
    if (!a) { if (open && !open.contains(ev.target)) close(); return; }
    var note = document.getElementById(a.getAttribute("data-note"));
    if (!note) return;
    ev.preventDefault();
    var wasThis = open && open.getAttribute("data-for") === note.id;
    close();
    if (wasThis) return;
    open = document.createElement("span");
    open.className = "note-popup";
    open.setAttribute("role", "note");
    open.setAttribute("data-for", note.id);
    var body = note.cloneNode(true);
    body.removeAttribute("id");
    var back = body.querySelector("a.back");
    if (back) back.remove();
    open.appendChild(document.createTextNode(a.textContent + " "));
    Array.prototype.slice.call(body.childNodes).forEach(function (n) { open.appendChild(n); });
    a.parentNode.insertAdjacentElement("afterend", open);
    history.replaceState(null, "", "#" + note.id);
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") close(); });
})();
