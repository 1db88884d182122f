/* Từng Nhà field app: forms go through the outbox, the bar shows what waits, and the offline
   shell draws the list, a visit form or the outbox from what the phone keeps. */
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("hh-i18n").textContent);
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var fmt = function (text, values) { return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; }); };
  var esc = function (s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; };
  var fold = function (s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase(); };
  var swReady = null;

  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  /* --- The bar: how many wait, when we last synced ------------------------------------ */
  function updateBar() {
    return Promise.all([Outbox.all(), Outbox.lastSync()]).then(function (got) {
      var waiting = got[0].filter(function (i) { return i.status === "waiting"; }).length;
      Outbox.drawBar($$("[data-outbox-bar]"), { waiting: waiting, invalid: got[0].length - waiting, lastSync: got[1] }, T);
      if ($("[data-view=outbox]:not([hidden])")) drawOutbox();
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
      if (!name || name === "client_id" || name === "csrfmiddlewaretoken") return;
      if (el.type === "checkbox") {
        if (name === "teammates") { data.teammates = data.teammates || []; if (el.checked) data.teammates.push(parseInt(el.value, 10)); }
        else if (name === "status_to") { data.status_to = data.status_to || []; if (el.checked) data.status_to.push(el.value); }
        else data[name] = el.checked;
      } else if (el.type === "radio") {
        if (el.checked) data[name] = el.value;
      } else if (el.type === "number" || name === "household" || name === "area") {
        if (el.value !== "") data[name] = parseInt(el.value, 10);
      } else if (el.value !== "" || el.tagName === "TEXTAREA") {
        data[name] = el.value;
      }
    });
    return data;
  }

  function fill(form, data) {
    $$("input, select, textarea", form).forEach(function (el) {
      if (!(el.name in data) || el.name === "household" || el.name === "household_uuid") return;
      var v = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(v) ? (v.indexOf(el.value) >= 0 || v.indexOf(parseInt(el.value, 10)) >= 0) : (v === true || v === el.value);
      } else { el.value = v; }
    });
    $$("[name=status_to]:checked", form).forEach(function (step) { step.closest("label").hidden = false; });
    $$("[data-override] input:checked", form).forEach(function (el) { el.closest("[data-override]").hidden = false; });
  }

  // The one way forms show errors (static/js/forms.js): each tied to its field (aria-invalid,
  // aria-describedby), summed up in a role="alert" box, focus on the first wrong field; it
  // opens the "more details" box and the override a message asks for.
  function showErrors(form, errors) { FormErrors.show(form, errors); }

  function message(form, text) { var el = $("[data-form-message]", form); if (el) el.textContent = text; }

  function labelFor(form, data) {
    if (form.dataset.label) return form.dataset.label;
    return [data.apartment, data.house_number, data.alley, data.street].filter(Boolean).join(", ");
  }

  function reset(form) {
    var keep = { household: form.elements.household && form.elements.household.value, household_uuid: form.elements.household_uuid && form.elements.household_uuid.value };
    form.reset();
    if (form.elements.household) form.elements.household.value = keep.household || "";
    if (form.elements.household_uuid) form.elements.household_uuid.value = keep.household_uuid || "";
    form.elements.client_id.value = Outbox.uuid();
    delete form.dataset.deviceTime;
  }

  function onSubmit(event) {
    var form = event.target, kind = form.dataset.outbox;
    event.preventDefault();
    var data = collect(form), id = form.elements.client_id.value, button = $("button[type=submit]", form);
    if (kind === "visit") data.device_time = form.dataset.deviceTime || new Date().toISOString();
    var item = { id: id, type: kind, data: data, label: labelFor(form, data), status: "waiting", errors: null };

    function saved(url) {
      message(form, T.saved);
      var next = kind === "household" ? url : (form.dataset.next || url);
      // The page says on top that it was saved (households.views.household_detail).
      window.location.href = next + (next.indexOf("?") < 0 ? "?" : "&") + "saved=" + kind;
    }
    function answered(r) {
      if (r.status === "created" || r.status === "duplicate") return saved(r.url);
      showErrors(form, r.errors); message(form, T.fix);
    }
    function waiting(error) {
      backgroundSync();  // the worker sends it when the signal returns, even if the page is gone
      message(form, error && error.auth ? T.login : T.queued);
      reset(form);
      if (kind === "visit") { hideStepsMade(form); showNext(form); }
      if (kind === "household") window.location.href = "/households/local/" + id + "/visit/";
    }

    button.disabled = true;
    showErrors(form, {});
    Outbox.put(item).then(function () {
      updateBar();
      return flush().then(function (results) {
        if (results[id]) return answered(results[id]);
        // No answer for it here: another sender (the worker, another tab) took it first.
        return Outbox.answerFor(id).then(function (r) {
          if (!r) return waiting(null);
          if (r.status === "created" && kind === "household") return saved("/households/");
          answered({ status: r.status, errors: r.errors, url: window.location.pathname });
        });
      }, function (error) {
        var r = error.results && error.results[id];
        return r ? answered(r) : waiting(error);
      });
    }).then(function () { button.disabled = false; }, function () { button.disabled = false; });
  }

  /* A household's page (or its copy offline) hides the steps its waiting visits already made. */
  function hideStepsMade(form) {
    if (!form.dataset.householdStatus || !$("#hh-chain")) return;
    var id = parseInt(form.elements.household.value, 10) || null;
    var h = { id: id, uuid: form.elements.household_uuid ? form.elements.household_uuid.value : null, status: form.dataset.householdStatus };
    localRank(h).then(function (rank) {
      $$(".step", form).forEach(function (step) {
        if (!$("input", step).checked) step.hidden = parseInt(step.dataset.rank, 10) <= rank;
      });
    });
  }

  function prepareForms() {
    $$("form[data-outbox]").forEach(function (form) {
      hideStepsMade(form);
      // Each opening of a form is a new record: cached pages must never reuse an id.
      form.elements.client_id.value = Outbox.uuid();
      form.addEventListener("submit", onSubmit);
    });
    var fix = new URLSearchParams(location.search).get("outbox");
    var form = $("form[data-outbox]:not([hidden])");
    if (fix) {
      Outbox.get(fix).then(function (item) {
        form = $$("form[data-outbox]").filter(function (f) { return f.dataset.outbox === (item && item.type) && !f.closest("[hidden]"); })[0];
        if (!item || !form) return;
        fill(form, item.data);
        form.elements.client_id.value = item.id;
        if (item.data.device_time) form.dataset.deviceTime = item.data.device_time;
        showErrors(form, item.errors);
      });
    }
  }

  /* --- The offline shell -------------------------------------------------------------- */
  function households() {
    return Promise.all([
      fetch("/households/mine.json", { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (b) { return b.unavailable ? null : b.households; }, function () { return null; }),
      Outbox.all(),
    ]).then(function (got) {
      var local = got[1].filter(function (i) { return i.type === "household"; }).map(function (i) {
        return { uuid: i.id, local: true, address: i.label, group: "", members: i.data.members || 1, status: "none" };
      });
      var all = local.concat(got[0] || []);
      all.unavailable = got[0] === null;  // no signal, and the list was never kept on this phone
      return all;
    });
  }

  function show(view) {
    $$("[data-view]").forEach(function (s) { s.hidden = s.dataset.view !== view; });
    // One shell serves every offline page: the tab's title follows the view shown.
    var heading = $('[data-view="' + view + '"] h1');
    var site = document.title.split(" · ").pop();
    if (heading && heading.textContent) document.title = heading.textContent + " · " + site;
  }

  /* Households with a visit waiting in this phone's outbox: visited, as far as the walk goes. */
  function visitedHere(items) {
    var seen = {};
    items.forEach(function (i) {
      if (i.type !== "visit" || !i.data) return;
      seen[i.data.household ? "id:" + i.data.household : "uuid:" + i.data.household_uuid] = true;
    });
    return seen;
  }

  function isVisited(h, seen) {
    return !!(h.visited || seen[h.id ? "id:" + h.id : "uuid:" + h.uuid] || (h.uuid && seen["uuid:" + h.uuid]));
  }

  /* Accent-free words of what the list shows (address, group): "tran dien" finds "Trần Điện". */
  function searchable(h) { return fold([h.address, h.group].join(" ")); }

  function cardFor(h, seen) {
    var href = h.local ? "/households/local/" + h.uuid + "/visit/" : "/households/" + h.id + "/";
    var badge = h.local ? '<span class="badge warn">' + esc(fmt(T.waiting, { n: 1 })) + "</span>" :
      (isVisited(h, seen) ? '<span class="badge ok">' + esc(T.visited) + "</span>" : '<span class="badge warn">' + esc(T.unvisited) + "</span>");
    return '<li><a class="card hh" href="' + href + '"><b>' + esc(h.address) + '</b><span class="muted">' + esc(h.group) + "</span> " + badge + "</a></li>";
  }

  function drawList() {
    show("list");
    var input = $("[data-shell-search]"), list = $("[data-shell-list]"), count = $("[data-shell-count]");
    var params = new URLSearchParams(location.search), filter = params.get("filter") || "";
    // What was searched for stays in the box (a search typed on a page kept from before).
    input.value = params.get("q") || "";
    Promise.all([households(), Outbox.all()]).then(function (got) {
      var all = got[0], seen = visitedHere(got[1]);
      all.forEach(function (h) { h.words = searchable(h); });
      function remember() {
        var query = new URLSearchParams();
        if (input.value.trim()) query.set("q", input.value.trim());
        if (filter) query.set("filter", filter);
        var search = query.toString();
        if (window.history.replaceState) window.history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
      }
      function draw() {
        var words = fold(input.value).split(/\s+/).filter(Boolean);
        var hits = all.filter(function (h) {
          if (filter === "unvisited" && isVisited(h, seen)) return false;
          return words.every(function (w) { return h.words.indexOf(w) >= 0; });
        });
        $$("[data-shell-filter]").forEach(function (chip) {
          if (chip.dataset.shellFilter === filter) chip.setAttribute("aria-current", "true"); else chip.removeAttribute("aria-current");
        });
        count.textContent = all.unavailable ? "" : fmt(T.count, { n: hits.length });
        if (hits.length) {
          list.innerHTML = hits.slice(0, 100).map(function (h) { return cardFor(h, seen); }).join("");
        } else if (all.unavailable) {
          list.innerHTML = '<li class="card muted">' + esc(T.notloaded) + "</li>";
        } else if (words.length) {
          // Said, never an empty box: what was looked for, and that the list is only this phone's.
          list.innerHTML = '<li class="card muted" data-no-match>' + esc(fmt(T.nomatch, { q: input.value.trim() })) + "</li>";
        } else {
          list.innerHTML = '<li class="card muted">' + esc(filter ? T.allvisited : T.none) + "</li>";
        }
      }
      input.addEventListener("input", function () { draw(); remember(); });
      $("[data-shell-search-form]").addEventListener("submit", function (event) { event.preventDefault(); draw(); remember(); });
      $$("[data-shell-filter]").forEach(function (chip) {
        chip.addEventListener("click", function (event) {
          event.preventDefault();
          filter = chip.dataset.shellFilter;
          draw(); remember();
        });
      });
      draw();
    });
  }

  /* The next household of the walk not yet visited (the list comes in walk order), after the
     one just visited and wrapping round; null when every one is. */
  function nextHousehold(id, uuid) {
    return Promise.all([households(), Outbox.all()]).then(function (got) {
      var all = got[0].filter(function (h) { return !h.local; }), seen = visitedHere(got[1]);
      var here = -1;
      all.forEach(function (h, n) { if ((id && h.id === id) || (uuid && h.uuid === uuid)) here = n; });
      var order = all.slice(here + 1).concat(all.slice(0, Math.max(here, 0)));
      return order.filter(function (h) { return !isVisited(h, seen); })[0] || null;
    });
  }

  function showNext(form) {
    var box = $("[data-next-link]", form);
    if (!box) return;
    var id = parseInt(form.elements.household.value, 10) || null;
    var uuid = form.elements.household_uuid ? form.elements.household_uuid.value : null;
    nextHousehold(id, uuid).then(function (h) {
      if (!h) { box.hidden = true; return; }
      box.innerHTML = '<a class="next" href="/households/' + h.id + '/" data-next-household><span>' + esc(T.next) + ": <b>" + esc(h.address) + '</b></span><span aria-hidden="true">›</span></a>';
      box.hidden = false;
    });
  }

  function drawVisit(id, uuid) {
    show("visit");
    var form = $("[data-view=visit] form");
    form.elements.household.value = id || "";
    form.elements.household_uuid.value = uuid || "";
    households().then(function (all) {
      var h = all.filter(function (x) { return id ? x.id === id : x.uuid === uuid; })[0];
      if (!h) { $("[data-hh-title]").textContent = T.notfound; return; }
      if (h.id && !id) form.elements.household.value = h.id;
      $("[data-hh-title]").textContent = h.address;
      document.title = h.address + " · " + document.title.split(" · ").pop();
      $("[data-hh-meta]").textContent = [h.group, fmt(T.members, { n: h.members })].filter(Boolean).join(" · ");
      form.dataset.label = h.address;
      // The steps still ahead of the household, counting those its waiting visits made here.
      form.dataset.householdStatus = h.status;
      hideStepsMade(form);
    });
  }

  /* The household's place on the chain as this phone knows it: the list's status, moved on by
     the visits still waiting in the outbox (a second visit offline offers the next steps). */
  function localRank(h) {
    var chain = JSON.parse($("#hh-chain").textContent);
    return Outbox.all().then(function (items) {
      var rank = Math.max(0, chain.indexOf(h.status));
      items.forEach(function (i) {
        var d = i.data || {};
        if (i.type !== "visit" || i.status !== "waiting" || !(h.id ? d.household === h.id : d.household_uuid === h.uuid)) return;
        [].concat(d.status_to || []).forEach(function (step) { rank = Math.max(rank, chain.indexOf(step)); });
      });
      return rank;
    });
  }

  function drawOutbox() {
    show("outbox");
    Outbox.all().then(function (items) {
      var list = $("[data-outbox-list]");
      list.innerHTML = items.length ? items.map(function (i) {
        var errors = Object.keys(i.errors || {}).map(function (k) { return i.errors[k].join(" "); }).join(" ");
        // Items of other apps (trainings) carry their own form address and kind label.
        var fixUrl = i.fixUrl || (i.type === "household" ? "/households/new/" : (i.data.household ? "/households/" + i.data.household + "/" : "/households/local/" + i.data.household_uuid + "/visit/"));
        return '<li class="card" data-item="' + esc(i.id) + '" data-status="' + esc(i.status) + '"><b>' + esc(T[i.type] || i.kindLabel || i.type) + ": " + esc(i.label) + '</b><br><span class="muted">' + esc(new Date(i.savedAt).toLocaleString("vi-VN")) + "</span>" +
          (errors ? '<p class="errorlist">' + esc(errors) + "</p>" : "") +
          '<p><a class="button secondary" href="' + fixUrl + "?outbox=" + esc(i.id) + '">' + esc(T.edit) + '</a> <button type="button" class="secondary" data-discard="' + esc(i.id) + '">' + esc(T.discard) + "</button></p></li>";
      }).join("") : '<li class="card muted">' + esc(T.empty) + "</li>";
    });
  }

  function route() {
    var path = location.pathname, m;
    if ((m = path.match(/^\/households\/(\d+)\/(visit\/)?$/))) return drawVisit(parseInt(m[1], 10), null);
    if ((m = path.match(/^\/households\/local\/([0-9a-f-]{36})\/visit\/$/))) return drawVisit(null, m[1]);
    if (path === "/households/new/") return show("household");
    if (path === "/households/outbox/") return drawOutbox();
    if (path === "/" || path.indexOf("/households/") === 0) return drawList();
    return show("elsewhere");  // a page that needs the connection: say so, link what works
  }

  document.addEventListener("click", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("data-discard");
    if (id && window.confirm(T.confirm)) Outbox.remove(id).then(updateBar);
  });

  /* --- Start -------------------------------------------------------------------------- */
  // "Saved" was said once: a reload or a bookmark must not say it again.
  if (/[?&]saved=/.test(location.search) && window.history.replaceState) {
    window.history.replaceState(null, "", location.pathname);
  }
  if ($("[data-field]")) {
    if ("serviceWorker" in navigator) {
      swReady = navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () { return navigator.serviceWorker.ready; });
      swReady.catch(function () {});
      navigator.serviceWorker.addEventListener("message", updateBar);
    }
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    if (cookie("csrftoken")) Outbox.meta("csrf", cookie("csrftoken"));
    if ($("[data-preload]") && navigator.onLine) fetch("/households/mine.json", { credentials: "same-origin" }).catch(function () {});
  }
  if ($("[data-shell-page]")) route();
  prepareForms();
  updateBar();
  window.addEventListener("online", function () { flush().catch(function () {}); });
  flush().catch(function () {});
})();
