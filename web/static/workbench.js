/* The workbench's keyboard: "/" search, j/k move along the list, x tick the row, Enter or o
   open it, n/p next and previous page. Every page works without this file. */
(function () {
  "use strict";

  function typing(el) {
    var tag = el && el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (el && el.isContentEditable);
  }

  function rows() {
    var table = document.querySelector("table[data-keyboard-list]");
    return table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  }

  var cursor = -1;

  function moveTo(index) {
    var all = rows();
    if (!all.length) { return; }
    index = Math.max(0, Math.min(all.length - 1, index));
    if (all[cursor]) { all[cursor].classList.remove("kb-current"); }
    cursor = index;
    all[cursor].classList.add("kb-current");
    var link = all[cursor].querySelector("a.row-link") || all[cursor].querySelector("a");
    if (link) { link.focus({ preventScroll: true }); }
    all[cursor].scrollIntoView({ block: "nearest" });
  }

  function current() {
    var all = rows();
    return all[cursor] || null;
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) { window.location.assign(link.href); }
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) { return; }
    var row;
    switch (e.key) {
      case "/":
        var box = document.querySelector("[data-search-key]");
        if (box) { e.preventDefault(); box.focus(); box.select(); }
        break;
      case "j":
        moveTo(cursor + 1); break;
      case "k":
        moveTo(cursor < 0 ? 0 : cursor - 1); break;
      case "x":
        row = current();
        var box2 = row && row.querySelector("input[type=checkbox]");
        if (box2) {
          box2.checked = !box2.checked;
          box2.dispatchEvent(new Event("change", { bubbles: true }));
        }
        break;
      case "o":
      case "Enter":
        row = current();
        var link = row && (row.querySelector("a.row-link") || row.querySelector("a"));
        if (link && e.key === "o") { window.location.assign(link.href); }
        break;
      case "n":
        follow("nav.page-numbers a[data-key=n]"); break;
      case "p":
        follow("nav.page-numbers a[data-key=p]"); break;
      default:
        return;
    }
  });
}());
