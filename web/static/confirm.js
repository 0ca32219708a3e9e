/* The confirmation dialog before an irreversible action: a form (or its submit button) with
   data-confirm="…" asks first, with the same sentence the server's confirmation page shows
   ({field} filled from the form's inputs, {n} the number of ticked rows). "Xác nhận" posts the
   form with confirmed=1; "Quay lại" closes the dialog and nothing is sent. Without this file the
   server asks on its own page (web/ui/confirm.py). */
(function () {
  "use strict";

  var labels = { ok: "Xác nhận", back: "Quay lại", title: "Xác nhận thao tác" };

  function fill(text, form) {
    return text.replace(/\{([a-z_.]+)\}/g, function (all, name) {
      if (name === "n") {
        return String(Array.prototype.filter.call(form.elements, function (el) {
          return el.name === "ids" && el.checked;
        }).length);
      }
      var el = form.elements.namedItem(name);
      var value = el && typeof el.value === "string" ? el.value.trim() : "";
      return value || "—";
    });
  }

  function dialog() {
    var d = document.getElementById("confirm-dialog");
    if (d) { return d; }
    var tags = document.body.dataset;
    d = document.createElement("dialog");
    d.id = "confirm-dialog";
    d.className = "confirm-dialog";
    d.setAttribute("aria-labelledby", "confirm-dialog-title");
    var h = document.createElement("h2");
    h.id = "confirm-dialog-title";
    h.textContent = tags.confirmTitle || labels.title;
    var p = document.createElement("p");
    p.className = "confirm-what";
    var buttons = document.createElement("div");
    buttons.className = "buttons";
    var ok = document.createElement("button");
    ok.type = "button";
    ok.className = "danger";
    ok.value = "ok";
    ok.textContent = tags.confirmOk || labels.ok;
    var back = document.createElement("button");
    back.type = "button";
    back.value = "back";
    back.textContent = tags.confirmBack || labels.back;
    ok.addEventListener("click", function () { d.close("ok"); });
    back.addEventListener("click", function () { d.close("back"); });
    buttons.appendChild(ok);
    buttons.appendChild(back);
    d.appendChild(h);
    d.appendChild(p);
    d.appendChild(buttons);
    document.body.appendChild(d);
    return d;
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var source = (e.submitter && e.submitter.hasAttribute("data-confirm")) ? e.submitter : form;
    var text = source.getAttribute && source.getAttribute("data-confirm");
    if (!text || form.dataset.confirmed === "1") { return; }
    e.preventDefault();
    var d = dialog();
    d.querySelector(".confirm-what").textContent = fill(text, form);
    var submitter = e.submitter || null;
    d.onclose = function () {
      if (d.returnValue !== "ok") { return; }
      var flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "confirmed";
      flag.value = "1";
      form.appendChild(flag);
      form.dataset.confirmed = "1";
      if (submitter && form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
    };
    d.returnValue = "";
    d.showModal();
  });
}());
