// Trainings: live check-in count on the QR screen, delete confirmation (import progress: the
// one job card, templates/_partials/job_progress.html, polled by htmx).
(function () {
  "use strict";

  function poll(url, every, onData) {
    var stopped = false;
    function tick() {
      if (stopped || document.hidden) { return setTimeout(tick, every); }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && onData(data) === false) { stopped = true; } })
        .catch(function () { /* offline: try again at the next tick */ })
        .finally(function () { if (!stopped) { setTimeout(tick, every); } });
    }
    setTimeout(tick, every);
  }

  var checkin = document.getElementById("checkin");
  if (checkin && checkin.dataset.countUrl) {
    var count = document.getElementById("checkin-count");
    poll(checkin.dataset.countUrl, 3000, function (data) {
      count.textContent = data.checkins;
    });
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
