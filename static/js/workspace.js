/* Workspace pages. The export form sends the filters the list shows now: htmx swaps the
   list and writes its filters into the address bar (hx-push-url), not into the export form's
   hidden fields, which the server filled from the page's first address. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.export")) return;
    Array.prototype.slice.call(form.querySelectorAll("input[data-filter]")).forEach(function (input) {
      input.remove();
    });
    new URLSearchParams(window.location.search).forEach(function (value, key) {
      if (key === "page" || key === "sort") return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "f_" + key;
      input.value = value;
      input.setAttribute("data-filter", "");
      form.appendChild(input);
    });
  });
})();
