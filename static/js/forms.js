/* Từng Nhà, every page (issue 18): form errors tied to their fields, focus on the first wrong
   field, the ☰ menu that closes by itself, and the flag that says the connection dropped.

   The server draws errors through templates/_partials/ (field.html, form_errors.html); this file
   moves focus there after a failed submit, and FormErrors.show() draws the same markup for the
   forms that the offline scripts (app.js, trainings_offline.js) check from a sync answer. */
(function (global) {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var esc = function (s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; };
  var texts = {};
  try { texts = JSON.parse(($("#forms-i18n") || {}).textContent || "{}"); } catch (e) { texts = {}; }

  function controls(form, name) {
    var el = form.elements[name];
    if (!el) return [];
    return el.length !== undefined && !el.tagName ? Array.prototype.slice.call(el) : [el];
  }

  function labelOf(form, name, first) {
    var group = first && first.closest("fieldset");
    if (group && (first.type === "radio" || first.type === "checkbox") && $("legend", group)) {
      return $("legend", group).textContent.trim();
    }
    var label = first && first.id && $('label[for="' + first.id + '"]', form);
    if (!label && first) label = first.closest("label");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : name;
  }

  /* Where a field's messages go: its own [data-errors-for] box, else a list drawn by us right
     after its label (or its group's legend). */
  function errorBox(form, name, first) {
    var box = $('[data-errors-for="' + name + '"]', form);
    if (box) return box;
    if (!first) return null;
    box = document.createElement("div");
    box.setAttribute("data-js-errors", name);
    var group = (first.type === "radio" || first.type === "checkbox") && first.closest("fieldset");
    var anchor = group ? $("legend", group) : (first.id && $('label[for="' + first.id + '"]', form));
    if (anchor && anchor.parentNode) anchor.parentNode.insertBefore(box, anchor.nextSibling);
    else first.parentNode.insertBefore(box, first);
    return box;
  }

  function describe(el, id, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (on) ids.push(id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
  }

  function clear(form) {
    $$("[data-js-errors]", form).forEach(function (box) { box.parentNode.removeChild(box); });
    $$("[data-errors-for]", form).forEach(function (box) { box.innerHTML = ""; });
    $$('[aria-invalid="true"]', form).forEach(function (el) { el.removeAttribute("aria-invalid"); });
    $$("[aria-describedby]", form).forEach(function (el) {
      el.getAttribute("aria-describedby").split(/\s+/).forEach(function (id) {
        if (/_error$/.test(id)) describe(el, id, false);
      });
    });
    var summary = $("[data-error-summary]", form);
    if (summary) { summary.innerHTML = ""; summary.hidden = true; }
  }

  function summaryOf(form) {
    var summary = $("[data-error-summary]", form);
    if (summary) return summary;
    summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("data-error-summary", "");
    var heading = $("h2", form);
    if (heading) heading.parentNode.insertBefore(summary, heading.nextSibling);
    else form.insertBefore(summary, form.firstChild);
    return summary;
  }

  function errorId(form, name, first) {
    var base = first && first.id ? first.id.replace(/_\d+$/, "") : (form.getAttribute("data-outbox") || form.getAttribute("data-training-form") || "form") + "-" + name;
    return base + "_error";
  }

  /* Draw `errors` ({field: [message, …], "__all__": […]}) on `form`, tie each to its field and
     move focus to the first wrong one. An empty `errors` clears what was drawn. */
  function show(form, errors, options) {
    clear(form);
    var names = Object.keys(errors || {});
    if (!names.length) return;
    var items = [];
    names.forEach(function (name) {
      var messages = [].concat(errors[name]).map(String);
      var els = name === "__all__" ? [] : controls(form, name).filter(function (el) { return el.type !== "hidden"; });
      var first = els[0];
      if (!first) { items.push("<li>" + esc(messages.join(" ")) + "</li>"); return; }
      var box = errorBox(form, name, first), id = errorId(form, name, first);
      box.innerHTML = '<ul class="errorlist" id="' + esc(id) + '">' + messages.map(function (m) { return "<li>" + esc(m) + "</li>"; }).join("") + "</ul>";
      var group = (first.type === "radio" || first.type === "checkbox") && els.length > 1 && first.closest("fieldset");
      els.forEach(function (el) { el.setAttribute("aria-invalid", "true"); describe(el, id, true); });
      if (group) { describe(group, id, true); if (first.type === "radio") group.setAttribute("aria-invalid", "true"); }
      reveal(first);  // the "more details" box it sits in, the confirmation the error asks for
      items.push('<li><a href="#' + esc(first.id || "") + '">' + esc(labelOf(form, name, first)) + "</a>: " + esc(messages[0]) + "</li>");
    });
    var summary = summaryOf(form);
    var count = items.length;
    summary.innerHTML = "<p><b>" + esc((texts.summary || "%(n)s").replace("%(n)s", count)) + "</b></p><ul>" + items.join("") + "</ul>";
    summary.hidden = false;
    // The first wrong field in the page's order, not the answer's.
    if (!(options && options.focus === false)) focusFirst(form);
  }

  function reveal(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
      if (p.hidden && p.hasAttribute("data-override")) p.hidden = false;
    }
  }

  function focusFirst(form, el) {
    // The first wrong control (a radio group's fieldset carries aria-invalid too, but takes no focus).
    el = el || $('input[aria-invalid="true"]:not([type=hidden]), select[aria-invalid="true"], textarea[aria-invalid="true"]', form);
    var target = el || $("[data-error-summary]", form);
    if (!target) return;
    reveal(target);
    if (!el) target.setAttribute("tabindex", "-1");
    target.focus();
    // Focus scrolls the field itself into view; bring its label and message along.
    var holder = (el && (el.closest("fieldset") || (el.id && $('label[for="' + el.id + '"]', form)))) || target;
    if (holder.scrollIntoView) holder.scrollIntoView({ block: "center" });
  }

  // A failed submit drew the page again with errors: focus goes to the first wrong field.
  function afterLoad() {
    var summary = $("[data-error-summary]:not([hidden])");
    var form = summary && summary.closest("form");
    if (form) focusFirst(form);
  }

  // Links in the summary focus their field (a jump to an id alone would leave focus behind).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var el = document.getElementById(link.getAttribute("href").slice(1));
    if (!el) return;
    event.preventDefault();
    reveal(el);
    el.focus();
  });

  /* --- Checks the browser can make (a required field left empty…), shown the same way ----
     The browser's own bubbles are small, brief and do not grow with the text size: forms take
     our messages instead. This listener runs before the forms' own (capture on document), so an
     offline form never queues what the page already knows is incomplete. */
  function browserErrors(form) {
    var errors = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !el.willValidate || el.validity.valid || errors[el.name]) return;
      var choose = el.type === "radio" || el.type === "checkbox" || el.tagName === "SELECT";
      errors[el.name] = [el.validity.valueMissing ? (choose ? texts.choose : texts.required) || el.validationMessage : el.validationMessage];
    });
    return errors;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM" || (event.submitter && event.submitter.formNoValidate) || form.checkValidity()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    show(form, browserErrors(form));
  }, true);
  function takeOverValidation() { $$("form").forEach(function (form) { form.noValidate = true; }); }

  /* --- The ☰ menu: Escape, a tap outside and focus leaving close it --------------------- */
  function closeMenu(menu, refocus) {
    if (!menu.open) return;
    menu.open = false;
    if (refocus) $("summary", menu).focus();
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    $$("details.menu[open]").forEach(function (menu) { closeMenu(menu, menu.contains(document.activeElement)); });
  });
  document.addEventListener("click", function (event) {
    $$("details.menu[open]").forEach(function (menu) { if (!menu.contains(event.target)) closeMenu(menu, false); });
  });
  document.addEventListener("focusin", function (event) {
    $$("details.menu[open]").forEach(function (menu) { if (!menu.contains(event.target)) closeMenu(menu, false); });
  });

  /* --- Offline: said the moment the connection drops, not only at the next save ---------- */
  function network() {
    var online = navigator.onLine !== false;
    document.documentElement.classList.toggle("is-offline", !online);
    // The live region stays in the page (a region shown only now would not be read out).
    $$("[data-net-flag]").forEach(function (flag) { flag.textContent = online ? "" : (texts.offline || ""); });
  }
  global.addEventListener("online", network);
  global.addEventListener("offline", network);

  global.FormErrors = { show: show, clear: clear, focusFirst: focusFirst };
  function start() { takeOverValidation(); network(); afterLoad(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window);
