/* Từng Nhà trainings offline: the plan and report forms of a training session go through the
   same outbox as visits (static/js/outbox.js, sent to /trainings/sync/, removed only once the
   server answered "created" or "duplicate"). Online, a form is posted as usual (by fetch); offline
   or when that post fails at the network level, it waits in the outbox under its client UUID.
   A report of a session planned offline names the plan by its client UUID. Photos stay online:
   they never wait in the outbox. The offline shell (/trainings/offline/) draws the plan form, a
   report form, a session waiting to be sent and what waits, from what the phone keeps. */
(function () {
  "use strict";
  var node = document.getElementById("tr-i18n");
  if (!node || !window.Outbox) return;
  var T = JSON.parse(node.textContent);
  var KINDS = ["training_plan", "training_report"];
  var MULTI = ["topics", "trainers"];
  var FLASH = "tungnha-trainings-flash";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var fmt = function (text, values) { return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; }); };
  var esc = function (s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; };
  var swReady = null;

  function training(item) { return KINDS.indexOf(item.type) >= 0; }

  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  /* --- The bar: what of the trainings waits, when we last synced ---------------------- */
  function updateBar() {
    return Promise.all([Outbox.all(), Outbox.lastSync()]).then(function (got) {
      var mine = got[0].filter(training);
      var waiting = mine.filter(function (i) { return i.status === "waiting"; }).length;
      // The shell always says where things stand; other pages only once there is something.
      Outbox.drawBar($$("[data-outbox-bar]"), { waiting: waiting, invalid: mine.length - waiting, lastSync: got[1] }, T, !!$("[data-training-shell]"));
      if ($("[data-view=outbox]:not([hidden])")) drawOutbox(got[0]);
      if ($("[data-view=local]:not([hidden])")) drawLocal(got[0]);
    });
  }

  function flush() {
    return Outbox.flush().then(function (results) { updateBar(); return results; },
      function (error) { updateBar(); throw error; });
  }

  function backgroundSync() {
    if (swReady && "SyncManager" in window) {
      swReady.then(function (reg) { return reg.sync.register("outbox"); }).catch(function () {});
    }
  }

  /* --- Forms -------------------------------------------------------------------------- */
  function collect(form) {
    var data = {};
    $$("input, select, textarea", form).forEach(function (el) {
      var name = el.name;
      if (!name || name === "csrfmiddlewaretoken" || name === "client_uuid" || el.type === "file") return;
      if (MULTI.indexOf(name) >= 0) {
        data[name] = data[name] || [];
        if (el.checked) data[name].push(el.value);
      } else if (el.type === "checkbox") {
        data[name] = el.checked;
      } else if (el.type === "radio") {
        if (el.checked) data[name] = el.value;
      } else {
        data[name] = el.value;
      }
    });
    return data;
  }

  function fill(form, data) {
    $$("input, select, textarea", form).forEach(function (el) {
      if (!(el.name in data) || el.type === "file" || el.name === "client_uuid") return;
      var v = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(v) ? v.indexOf(el.value) >= 0 : (v === true || v === el.value);
      } else { el.value = v; }
    });
  }

  // The one way forms show errors (static/js/forms.js): tied to their fields, summed up, focused.
  function showErrors(form, errors) { FormErrors.show(form, errors); }

  function message(form, text) { var el = $("[data-form-message]", form); if (el) el.textContent = text; }

  function selectedText(form, name) {
    var el = form.elements[name];
    return el && el.selectedIndex >= 0 && el.options ? el.options[el.selectedIndex].text.replace(/^[·\s]+/, "") : "";
  }

  function checkedTexts(form, name) {
    return $$('input[name="' + name + '"]:checked', form).map(function (el) {
      var label = el.closest("label");
      return label ? label.textContent.trim() : el.value;
    });
  }

  function itemFor(form) {
    var kind = form.dataset.trainingForm === "plan" ? "training_plan" : "training_report";
    var data = collect(form), item;
    if (kind === "training_plan") {
      var topics = checkedTexts(form, "topics").join(", ");
      item = {
        id: form.elements.client_uuid.value, type: kind, data: data,
        label: [data.title || topics, data.day, data.start_time].filter(Boolean).join(" · "),
        plan: { title: data.title || topics, area: selectedText(form, "area"), address: data.address || "" },
        fixUrl: "/trainings/new/",
      };
    } else {
      data.device_time = new Date().toISOString();
      if (form.dataset.sessionUuid) data.session_uuid = form.dataset.sessionUuid;
      if (form.dataset.session) data.session = form.dataset.session;
      item = {
        id: form.dataset.clientId, type: kind, data: data,
        label: [form.dataset.label, fmt(T.attendees, { n: data.attendee_count || 0 })].filter(Boolean).join(" · "),
        fixUrl: form.dataset.sessionUuid ? "/trainings/local/" + form.dataset.sessionUuid + "/report/" : "/trainings/" + form.dataset.session + "/report/",
      };
    }
    item.kindLabel = T[kind];
    item.status = "waiting";
    item.errors = null;
    return item;
  }

  function go(url, flash) {
    if (flash) { try { sessionStorage.setItem(FLASH, flash); } catch (e) { /* private mode */ } }
    window.location.href = url;
  }

  function whereWaiting(item) {
    if (item.type === "training_plan") return "/trainings/local/" + item.id + "/";
    if (item.data.session_uuid) return "/trainings/local/" + item.data.session_uuid + "/";
    return "/trainings/outbox/";
  }

  function answered(form, r) {
    if (r.status === "created" || r.status === "duplicate") { message(form, T.saved); go(r.url); return; }
    showErrors(form, r.errors);
    message(form, T.fix);
  }

  /* A plan saved again (fixed) lets the reports that name it try again too. */
  function retryReportsOf(item) {
    if (item.type !== "training_plan") return Promise.resolve();
    return Outbox.all().then(function (items) {
      return Promise.all(items.filter(function (i) {
        return i.type === "training_report" && i.data.session_uuid === item.id && i.status !== "waiting";
      }).map(function (i) { i.status = "waiting"; i.errors = null; return Outbox.put(i); }));
    });
  }

  /* Into the outbox, then try to send at once: the server's answer, or "waiting". */
  function queue(form, item, note) {
    return Outbox.put(item).then(function () { return retryReportsOf(item); }).then(function () {
      updateBar();
      return flush().then(function (results) {
        var r = results[item.id];
        if (r) return answered(form, r);
        // No answer here: another sender (the worker, another tab) may have taken it first.
        return Outbox.answerFor(item.id).then(function (stored) {
          if (stored && stored.status === "created") return go("/trainings/", T.saved);
          if (stored) return answered(form, stored);
          go(whereWaiting(item), T.queued + (note ? " " + note : ""));
        });
      }, function (error) {
        var r = error.results && error.results[item.id];
        if (r) return answered(form, r);
        backgroundSync();  // the worker sends it when the signal returns, even if the page is gone
        var text = (error.auth ? T.login : T.queued) + (note ? " " + note : "");
        message(form, text);
        go(whereWaiting(item), text);
      });
    });
  }

  /* Online: the form goes to its page as usual; the page answers JSON when it saved. */
  function post(form, item, note) {
    var headers = { "X-Requested-With": "fetch" };
    // Photos go smaller first (static/js/trainings_photos.js), where that script is loaded.
    var body = window.TrainingPhotos ? window.TrainingPhotos.formData(form) : Promise.resolve(new FormData(form));
    return body.then(function (data) {
      return fetch(form.getAttribute("action") || window.location.pathname, {
        method: "POST", credentials: "same-origin", headers: headers, body: data,
      });
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("json") >= 0) {
        return response.json().then(function (answer) {
          return Outbox.remove(item.id).then(function () { go(answer.url); });
        });
      }
      if (/\/accounts\/login\//.test(response.url) || response.status >= 500 || type.indexOf("html") < 0) {
        return queue(form, item, response.status >= 500 ? T.server_error : note);
      }
      return response.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("form[data-training-form]");
        if (!fresh) return queue(form, item, note);
        form.replaceWith(fresh);
        prepare(fresh, true);
        message(fresh, T.fix);
        // The page's own errors came back (server-rendered): focus the first wrong field.
        if ($("[data-error-summary]:not([hidden])", fresh)) FormErrors.focusFirst(fresh);
      });
    }, function () { return queue(form, item, note); });
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    event.preventDefault();
    var button = $("button[type=submit]", form);
    if (button.disabled) return;
    button.disabled = true;
    showErrors(form, {});
    var item = itemFor(form);
    var photos = $("input[type=file]", form);
    var note = photos && photos.files && photos.files.length ? T.photos_dropped : "";
    var sending = form.dataset.outboxOnly || !navigator.onLine ? queue(form, item, note) : post(form, item, note);
    sending.then(function () { button.disabled = false; }, function () { button.disabled = false; });
  }

  function offlineNote(form) {
    $$("[data-offline-note]", form).forEach(function (note) { note.hidden = navigator.onLine; });
    $$("input[type=file]", form).forEach(function (input) { input.disabled = !navigator.onLine; });
  }

  function prepare(form, keepId) {
    // Each opening of a form is a new record: cached pages must never reuse an id.
    if (form.dataset.trainingForm === "plan") {
      if (!keepId) form.elements.client_uuid.value = Outbox.uuid();
    } else if (!keepId || !form.dataset.clientId) {
      form.dataset.clientId = Outbox.uuid();
    }
    form.addEventListener("submit", onSubmit);
    offlineNote(form);
  }

  function fixFromOutbox() {
    var id = new URLSearchParams(window.location.search).get("outbox");
    if (!id) return;
    Outbox.get(id).then(function (item) {
      if (!item) return;
      var kind = item.type === "training_plan" ? "plan" : "report";
      var form = $$("form[data-training-form=" + kind + "]").filter(function (f) { return !f.closest("[hidden]"); })[0];
      if (!form) return;
      fill(form, item.data);
      if (kind === "plan") form.elements.client_uuid.value = item.id; else form.dataset.clientId = item.id;
      showErrors(form, item.errors);
    });
  }

  /* --- The offline shell -------------------------------------------------------------- */
  function show(view) {
    $$("[data-training-shell] [data-view]").forEach(function (s) { s.hidden = s.dataset.view !== view; });
    // One shell serves every offline trainings page: the tab's title names the view shown.
    var heading = $('[data-training-shell] [data-view="' + view + '"] h1');
    var site = document.title.split(" · ").pop();
    if (heading && heading.textContent.trim()) document.title = heading.textContent.trim() + " · " + site;
  }

  function errorsText(item) {
    return Object.keys(item.errors || {}).map(function (k) { return item.errors[k].join(" "); }).join(" ");
  }

  function drawOutbox(items) {
    var list = $("[data-training-outbox]");
    var mine = items.filter(training);
    list.innerHTML = mine.length ? mine.map(function (i) {
      var errors = errorsText(i);
      return '<li class="card" data-item="' + esc(i.id) + '" data-status="' + esc(i.status) + '"><b>' + esc(T[i.type]) + ": " + esc(i.label) + "</b><br>" +
        '<span class="muted">' + esc(new Date(i.savedAt).toLocaleString("vi-VN")) + "</span>" +
        (errors ? '<p class="errorlist">' + esc(errors) + "</p>" : "") +
        '<p class="actions"><a class="button secondary" href="' + esc(i.fixUrl) + "?outbox=" + esc(i.id) + '">' + esc(T.edit) + "</a>" +
        (i.type === "training_plan" ? ' <a class="button secondary" href="/trainings/local/' + esc(i.id) + '/">' + esc(T.training_report) + "</a>" : "") +
        ' <button type="button" class="secondary" data-discard="' + esc(i.id) + '">' + esc(T.discard) + "</button></p></li>";
    }).join("") : '<li class="card muted">' + esc(T.empty) + "</li>";
  }

  function localUuid() {
    var m = window.location.pathname.match(/^\/trainings\/local\/([0-9a-f-]{36})\//);
    return m ? m[1] : null;
  }

  function drawLocal(items) {
    var uuid = localUuid(), plan = items.filter(function (i) { return i.id === uuid; })[0];
    var reports = items.filter(function (i) { return i.type === "training_report" && i.data.session_uuid === uuid; });
    $("[data-local-report]").href = "/trainings/local/" + uuid + "/report/";
    if (!plan) {
      $("[data-local-title]").textContent = T.not_found;
      $("[data-local-state]").hidden = true;
      $("[data-local-meta]").innerHTML = "";
      return;
    }
    $("[data-local-title]").textContent = plan.plan.title;
    var state = $("[data-local-state]");
    state.hidden = false;
    state.textContent = plan.status === "waiting" ? T.plan_waiting : fmt(T.invalid, { n: 1 });
    var meta = [
      [plan.data.day, plan.data.start_time + "–" + plan.data.end_time].join(" "),
      [plan.plan.area, plan.plan.address].filter(Boolean).join(" · "),
    ];
    reports.forEach(function (r) { meta.push(fmt(T.report_waiting, { n: r.data.attendee_count })); });
    $("[data-local-meta]").innerHTML = meta.map(function (line) { return '<li data-local-line>' + esc(line) + "</li>"; }).join("");
    $("[data-local-errors]").textContent = [plan].concat(reports).map(errorsText).filter(Boolean).join(" ");
  }

  function route() {
    var path = window.location.pathname, m;
    var report = $("[data-view=report] form");
    if (path === "/trainings/new/") return show("plan");
    if ((m = path.match(/^\/trainings\/(\d+)\/$/))) {
      // A session's own page is never kept (it names its attendees): its report still works.
      $("[data-session-title]").textContent = fmt(T.session, { n: m[1] });
      $("[data-session-report]").href = "/trainings/" + m[1] + "/report/";
      return show("session");
    }
    if ((m = path.match(/^\/trainings\/(\d+)\/report\/$/))) {
      report.dataset.session = m[1];
      report.dataset.label = fmt(T.session, { n: m[1] });
      $("[data-report-title]").textContent = report.dataset.label;
      $("[data-report-back]").href = "/trainings/" + m[1] + "/";
      return show("report");
    }
    if ((m = path.match(/^\/trainings\/local\/([0-9a-f-]{36})\/report\/$/))) {
      report.dataset.sessionUuid = m[1];
      report.dataset.outboxOnly = "1";  // the plan may not be on the server yet: only sync knows it
      $("[data-report-back]").href = "/trainings/local/" + m[1] + "/";
      Outbox.get(m[1]).then(function (plan) {
        report.dataset.label = plan ? plan.plan.title : "";
        $("[data-report-title]").textContent = report.dataset.label;
      });
      return show("report");
    }
    if (localUuid()) { show("local"); return Outbox.all().then(drawLocal); }
    show("outbox");
    return Outbox.all().then(drawOutbox);
  }

  document.addEventListener("click", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("data-discard");
    if (id && window.confirm(T.confirm)) Outbox.remove(id).then(updateBar);
  });

  /* --- Start -------------------------------------------------------------------------- */
  if (T.worker && "serviceWorker" in navigator) {
    swReady = navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () { return navigator.serviceWorker.ready; });
    swReady.catch(function () {});
    navigator.serviceWorker.addEventListener("message", function () { updateBar(); });
    // Keep the shell fresh in the worker's cache (once per visit), so that any trainings page
    // opens offline even if it was never opened online.
    swReady.then(function () {
      if (!navigator.onLine || sessionStorage.getItem("tungnha-trainings-shell")) return;
      return fetch("/trainings/offline/", { credentials: "same-origin" }).then(function (r) {
        if (r.ok) sessionStorage.setItem("tungnha-trainings-shell", "1");
      });
    }).catch(function () {});
  }
  if (cookie("csrftoken")) Outbox.meta("csrf", cookie("csrftoken"));
  var flash = null;
  try { flash = sessionStorage.getItem(FLASH); sessionStorage.removeItem(FLASH); } catch (e) { /* private mode */ }
  if (flash && $("[data-flash]")) $("[data-flash]").textContent = flash;
  $$("form[data-training-form]").forEach(function (form) { prepare(form, false); });
  if ($("[data-training-shell]")) route();
  fixFromOutbox();
  window.addEventListener("online", function () {
    $$("form[data-training-form]").forEach(offlineNote);
    flush().catch(function () {});
  });
  window.addEventListener("offline", function () { $$("form[data-training-form]").forEach(offlineNote); });
  updateBar();
  flush().catch(function () {});
})();
