/* Từng Nhà, every signed-in page: signing out takes the person's data off the phone
   (core.devices). What still waits is tried once more and, if it still cannot go, said before
   it is removed. The sign-out is sent first; only once the server has signed the person out
   are their kept pages and outbox removed (Outbox.forget), so a sign-out that fails without a
   signal loses nothing. Without this script the form posts as usual (the answer still clears
   the browser's HTTP cache: volunteers.devices). */
(function () {
  "use strict";
  var meta = function (name) { var el = document.querySelector('meta[name="' + name + '"]'); return el ? el.content : ""; };
  var url = meta("tungnha-logout"), node = document.getElementById("device-i18n");
  if (!url || !node || !window.Outbox || !window.fetch) return;
  var T = JSON.parse(node.textContent);
  var fmt = function (text, values) { return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; }); };
  var busy = false;

  function isLogout(form) {
    try {
      return new URL(form.getAttribute("action") || window.location.href, window.location.href).pathname === url;
    } catch (e) { return false; }
  }

  function left() {
    var send = navigator.onLine ? Outbox.flush().catch(function () {}) : Promise.resolve();
    return send.then(function () { return Outbox.all(); }).then(function (items) { return items.length; });
  }

  function signOut(form) {
    return left().then(function (count) {
      if (count && !window.confirm(fmt(T.pending, { n: count }))) return null;
      var body = new FormData(form);
      return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { form.submit(); return null; }  // the server's own answer, as without us
        return Outbox.forget().catch(function () {}).then(function () {
          window.location.href = response.url || "/";
        });
      }, function () { window.alert(T.offline); });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM" || !isLogout(form)) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var done = function () { busy = false; };
    signOut(form).then(done, done);
  });
})();
