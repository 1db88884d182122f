// The ranking on a phone: one indicator at a time (the select reloads the page on it), the top
// and bottom units first with a "show all" button, and a search box that filters the rows by
// name, accents ignored. Without script every row is shown and the select has a button.
(function () {
  "use strict";
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  document.querySelectorAll("[data-ranking]").forEach(function (section) {
    var list = section.querySelector("[data-ranking-list]");
    var toggle = section.querySelector("[data-ranking-toggle]");
    var search = section.querySelector("[data-ranking-search]");
    var empty = section.querySelector("[data-ranking-empty]");
    var select = section.querySelector("[data-ranking-indicator]");
    if (!list) return;
    var expanded = false;
    function show() {
      var words = search ? fold(search.value).split(" ").filter(Boolean) : [];
      var shown = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var name = item.getAttribute("data-name") || "";
        var match = words.every(function (word) { return name.indexOf(word) !== -1; });
        var visible = words.length ? match : expanded || !item.classList.contains("rank-middle");
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      if (empty) empty.hidden = shown > 0;
      if (toggle) {
        toggle.hidden = words.length > 0;
        toggle.textContent = expanded ? toggle.getAttribute("data-less") : toggle.getAttribute("data-more");
        toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
      }
    }
    if (toggle) toggle.addEventListener("click", function () { expanded = !expanded; show(); });
    if (search) search.addEventListener("input", show);
    if (select) select.addEventListener("change", function () { select.form.submit(); });
    section.classList.add("ranking-ready");
    show();
  });
  // The table of every indicator is fetched the first time its box is opened (most who open
  // the page never do); until it arrives, or if it cannot, the box holds a link to its page.
  document.querySelectorAll("details[data-table-src]").forEach(function (box) {
    var slot = box.querySelector("[data-table-slot]");
    var state = "";
    box.addEventListener("toggle", function () {
      if (!box.open || !slot || state) return;
      state = "loading";
      box.setAttribute("aria-busy", "true");
      fetch(box.getAttribute("data-table-src"), {
        headers: { "HX-Request": "true" }, credentials: "same-origin",
      }).then(function (response) {
        // Signed out meanwhile: the answer is the sign-in page, not the table; the link stays.
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        return response.text();
      }).then(function (html) {
        slot.innerHTML = html;
        state = "loaded";
      }).catch(function () {
        state = "";  // the link stays; opening the box again tries again
      }).then(function () {
        box.removeAttribute("aria-busy");
      });
    });
  });
})();
