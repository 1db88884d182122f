// Report progress: poll the job's status fragment until it is done or failed. No dependencies.
(function () {
  "use strict";
  function poll() {
    var box = document.getElementById("report-status");
    if (!box || !box.dataset.poll) return;
    fetch(box.dataset.poll, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        box.outerHTML = html;
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 4000); });
  }
  setTimeout(poll, 800);
})();
