/* Small progressive touches; every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // "Select all" boxes: <input type="checkbox" data-select-all="ids" hidden> controls the
  // checkboxes named "ids" in the same form. Hidden without JavaScript, where a plain link
  // ("select all on this page") does the same on the server.
  function setUpSelectAll(box) {
    var form = box.form;
    var name = box.getAttribute("data-select-all");
    var items = function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.type === "checkbox" && el.name === name;
      });
    };
    var sync = function () {
      var all = items();
      var checked = all.filter(function (el) { return el.checked; }).length;
      box.checked = all.length > 0 && checked === all.length;
      box.indeterminate = checked > 0 && checked < all.length;
    };
    box.hidden = false;
    box.addEventListener("change", function () {
      items().forEach(function (el) { el.checked = box.checked; });
    });
    form.addEventListener("change", function (e) {
      if (e.target !== box && e.target.name === name) { sync(); }
    });
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-select-all]"), setUpSelectAll);
  });
}());
