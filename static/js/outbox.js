/* Từng Nhà outbox: the one sync client. Every visit, new household, training plan and training
   report goes to IndexedDB first, with its own UUID, its device time (madeAt) and the phone's
   save order (seq), and leaves only when the server has answered "created" or "duplicate" for
   that UUID. Each kind goes to its app's sync endpoint (both speak core.sync's protocol), one
   batch per endpoint; "deferred" (past the server's batch limit) keeps an item waiting and it is
   sent in the next pass. Shared by the pages and the service worker (Background Sync). Items
   never expire.

   Whose: every signed-in page names its person by an opaque tag (core.devices, the
   tungnha-owner meta), claimed here before anything is read. Items carry their owner; only the
   current owner's are listed and sent, and each batch names its owner (the server refuses one
   that is not the session's). When someone else signs in on the phone, the pages the one before
   kept are removed (the offline shells fetched afresh for the new person) and their items set
   aside, unseen and unsent, until they sign in again. Signing out removes the person's own
   (Outbox.forget, from static/js/device.js). */
(function (global) {
  "use strict";
  var DB = "tungnha", ITEMS = "outbox", META = "meta", SYNC_URL = "/households/sync/";
  // Where each kind of item is sent (in this order); unknown kinds go to the households door.
  var ENDPOINTS = [
    { url: SYNC_URL, types: ["household", "visit"] },
    { url: "/trainings/sync/", types: ["training_plan", "training_report"] },
  ];
  var dbPromise = null, flushing = null, again = null, claimed = Promise.resolve();
  var OWNER = "owner", OWNER_HEADER = "X-Tungnha-Device-Owner";
  // The offline shells are drawn for one person (their teammates, groups, trainers).
  var PERSONAL = ["/households/offline/", "/trainings/offline/"];
  var SEND_TIMEOUT_MS = 30000;
  // The server's batch limit (core.sync.BATCH_LIMIT): a longer outbox goes in several passes,
  // oldest first, so a week offline never makes one body too large to send.
  var BATCH = 100, MAX_PASSES = 50;

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB, 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains(ITEMS)) db.createObjectStore(ITEMS, { keyPath: "id" });
          if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode), result;
        var request = work(tx.objectStore(store));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function uuid() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* The person the phone's data is for now (once any claim under way is done). */
  function owner() {
    return claimed.then(function () { return run(META, "readonly", function (s) { return s.get(OWNER); }); });
  }

  function ownedBy(item, who) { return !who || !item.owner || item.owner === who; }

  function everything() { return run(ITEMS, "readonly", function (s) { return s.getAll(); }); }

  var Outbox = {
    uuid: uuid,
    put: function (item) {
      item.status = item.status || "waiting";
      item.savedAt = item.savedAt || new Date().toISOString();
      return owner().then(function (who) {
        item.owner = item.owner || who || undefined;
        return stamp(item);
      });
    },
    get: function (id) {
      return Promise.all([run(ITEMS, "readonly", function (s) { return s.get(id); }), owner()]).then(function (got) {
        return got[0] && ownedBy(got[0], got[1]) ? got[0] : undefined;
      });
    },
    /* The current person's items (another's, set aside, are never listed nor sent). */
    all: function () {
      return Promise.all([everything(), owner()]).then(function (got) {
        return got[0].filter(function (item) { return ownedBy(item, got[1]); });
      });
    },
    lastSync: function () {
      return owner().then(function (who) { return Outbox.meta("lastSync:" + (who || "")); });
    },
    /* `who` (the page's tungnha-owner) is the person signed in. Another person's pages go and
       their items are set aside; items from before owners were kept are adopted. Resolves true
       when the phone changed hands. */
    claim: function (who) {
      if (!who) return claimed;
      var next = function () { return claim(who); };
      // Never left rejected: every read waits on it.
      claimed = claimed.then(next, next).catch(function () { return false; });
      return claimed;
    },
    /* Signed out: the person's pages and items leave the phone (another's set-aside stay). */
    forget: function () {
      return owner().then(function (who) {
        return everything().then(function (items) {
          return run(ITEMS, "readwrite", function (s) {
            items.forEach(function (item) { if (!item.owner || item.owner === who) s.delete(item.id); });
          });
        }).then(function () {
          return run(META, "readwrite", function (s) {
            s.delete(OWNER); s.delete("csrf"); s.delete("lastSync:" + (who || ""));
          });
        });
      }).then(function () { return forgetPages(); });
    },
    remove: function (id) { return run(ITEMS, "readwrite", function (s) { return s.delete(id); }); },
    /* The server's answer for `id` when a flush's results do not hold it (another sender
       took the item first): null while it still waits, its stored answer if one came back
       (invalid, conflict...), "created" if it left the outbox. */
    answerFor: function (id) {
      return Outbox.get(id).then(function (item) {
        if (!item) return { id: id, status: "created" };
        if (item.status === "waiting") return null;
        return { id: id, status: item.status, errors: item.errors || {} };
      });
    },
    meta: function (key, value) {
      if (value === undefined) return run(META, "readonly", function (s) { return s.get(key); });
      return run(META, "readwrite", function (s) { return s.put(value, key); });
    },
    /* Send every waiting item, one batch per endpoint. Resolves with the server's results (by
       id); rejects when the network or the session fails for a batch, leaving its items in
       place (error.results: what the other batches answered). */
    flush: function () {
      if (flushing) {
        // The send under way may have read the outbox before this caller's item was put (a
        // submit right after the page's own flush on open): queue one more pass after it,
        // shared by every caller that arrives meanwhile, so no caller gets results without
        // its own item.
        if (!again) {
          // The follow-up's answer includes the earlier pass's, so no caller loses its own.
          again = flushing.then(function (first) { return startFlush(first); },
            function (error) { return startFlush(error.results); });
        }
        return again;
      }
      return startFlush();
    },
  };

  function claim(who) {
    return run(META, "readonly", function (s) { return s.get(OWNER); }).then(function (before) {
      // The shells are fetched beside, never awaited: reading the outbox does not wait on them.
      if (before === who) { refillShells(false); return false; }
      return everything().then(function (items) {
        // Items saved before owners were kept: the person who had the phone then.
        return run(ITEMS, "readwrite", function (s) {
          items.forEach(function (item) {
            if (!item.owner) { item.owner = before || who; s.put(item); }
          });
        });
      }).then(function () {
        // The one before's pages go first: a page left half-way (the person moved on) finds
        // the phone still theirs at the next page, and removes them then.
        return before ? forgetPages() : null;
      }).then(function () {
        return run(META, "readwrite", function (s) { s.put(who, OWNER); });
      }).then(function () {
        if (before) refillShells(true);
        return !!before;
      });
    });
  }

  function shellCaches() {
    return caches.keys().then(function (keys) {
      return keys.filter(function (key) { return key.indexOf("shell-") === 0; });
    });
  }

  /* The pages the service worker kept (every "pages-" cache) and the personal offline shells. */
  function forgetPages() {
    if (!global.caches) return Promise.resolve();
    try { global.sessionStorage.removeItem("tungnha-trainings-shell"); } catch (e) { /* none */ }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (key) {
        if (key.indexOf("pages-") === 0) return caches.delete(key);
        if (key.indexOf("shell-") !== 0) return null;
        return caches.open(key).then(function (cache) {
          return Promise.all(PERSONAL.map(function (url) {
            return cache.delete(url, { ignoreVary: true, ignoreSearch: true });
          }));
        });
      }));
    }).catch(function () {});
  }

  /* The offline shells drawn for the person now signed in, while there is a signal: after a
     change of hands (`all`), or the households shell alone when it went missing (a page left
     before its refill). Only where the service worker keeps a shell: other roles have none. */
  function refillShells(all) {
    if (!global.caches || !global.document || (global.navigator && global.navigator.onLine === false)) {
      return Promise.resolve();
    }
    return shellCaches().then(function (keys) {
      if (!keys.length) return null;
      return caches.open(keys[keys.length - 1]).then(function (cache) {
        return Promise.all(PERSONAL.slice(0, all ? PERSONAL.length : 1).map(function (url) {
          return cache.match(url, { ignoreVary: true }).then(function (hit) {
            if (hit && !all) return null;
            return fetch(url, { credentials: "same-origin" }).then(function (response) {
              if (response.ok && !response.redirected) return cache.put(url, response);
            });
          });
        }));
      });
    }).catch(function () {});
  }

  /* An item saved again (fixed) keeps the device time and place in the save order it was made
     with; a new one takes the next number of the phone's counter, in the same transaction. */
  function stamp(item) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction([ITEMS, META], "readwrite");
        var items = tx.objectStore(ITEMS), meta = tx.objectStore(META);
        items.get(item.id).onsuccess = function (event) {
          var before = event.target.result || {};
          item.madeAt = item.madeAt || before.madeAt || (item.data && item.data.device_time) || item.savedAt;
          if (item.seq || before.seq) {
            item.seq = item.seq || before.seq;
            items.put(item);
            return;
          }
          meta.get("seq").onsuccess = function (e) {
            item.seq = (e.target.result || 0) + 1;
            meta.put(item.seq, "seq");
            items.put(item);
          };
        };
        tx.oncomplete = function () { resolve(item.id); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  /* Oldest first: the save order, then (items saved before there was one) the save time. */
  function bySaveOrder(a, b) {
    if ((a.seq || 0) !== (b.seq || 0)) return (a.seq || 0) - (b.seq || 0);
    return String(a.savedAt || "") < String(b.savedAt || "") ? -1 : 1;
  }

  function merged(earlier, later) {
    var all = {};
    [earlier || {}, later || {}].forEach(function (part) {
      Object.keys(part).forEach(function (id) { all[id] = part[id]; });
    });
    return all;
  }

  function startFlush(earlier) {
    again = null;
    // One sender at a time across the pages and the worker (Web Locks where available).
    var locked = global.navigator && global.navigator.locks
      ? global.navigator.locks.request("tungnha-outbox", firstPass) : firstPass();
    flushing = locked.then(function (r) { flushing = null; return merged(earlier, r); },
      function (e) { flushing = null; e.results = merged(earlier, e.results); throw e; });
    return flushing;
  }

  function firstPass() { return send(1); }  // Web Locks pass the lock: never a pass number

  function endpointFor(item) {
    for (var i = 0; i < ENDPOINTS.length; i++) {
      if (ENDPOINTS[i].types.indexOf(item.type) >= 0) return ENDPOINTS[i].url;
    }
    return SYNC_URL;
  }

  /* One batch to one endpoint: items answered "created"/"duplicate" leave, "deferred" ones stay
     waiting (and out of the results: they have no answer yet), the others keep their status and
     errors (invalid, conflict...) so that the volunteer sees and fixes them. */
  function sendBatch(url, waiting, csrf, who) {
    var body = JSON.stringify({ items: waiting.map(function (i) {
      return { type: i.type, id: i.id, data: i.data, made_at: i.madeAt || i.savedAt, seq: i.seq };
    }) });
    // A weak signal can stall a request for minutes while it holds the outbox's lock for
    // every tab and the worker: give up after SEND_TIMEOUT_MS and keep the items for later.
    var abort = global.AbortController ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, SEND_TIMEOUT_MS) : null;
    return fetch(url, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: headersFor(csrf, who),
      body: body, signal: abort ? abort.signal : undefined,
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("json") < 0) {
        var error = new Error("sync " + response.status);
        // 409: the session is someone else's than the items' owner: they wait for their owner.
        error.auth = response.type === "opaqueredirect" || response.status === 403 || response.status === 409;
        throw error;
      }
      return response.json();
    }).then(function (answer) {
      clearTimeout(timer);
      var byId = {}, done = [];
      answer.results.forEach(function (r) { byId[r.id] = r; });
      waiting.forEach(function (item) {
        var r = byId[item.id];
        if (!r) return;
        if (r.status === "deferred") {
          delete byId[item.id];
        } else if (r.status === "created" || r.status === "duplicate") {
          done.push(Outbox.remove(item.id));
        } else {
          item.status = r.status; item.errors = r.errors || {};
          done.push(Outbox.put(item));
        }
      });
      return Promise.all(done).then(function () { return byId; });
    });
  }

  /* Every endpoint is tried, one after the other; the results are merged by id. If one batch
     failed (network, session), the promise rejects after the others were sent, with
     error.results holding what did arrive; the failed batch's items stay in place. */
  function headersFor(csrf, who) {
    var headers = { "Content-Type": "application/json", "X-CSRFToken": csrf || "", "X-Requested-With": "fetch" };
    if (who) headers[OWNER_HEADER] = who;
    return headers;
  }

  function send(pass) {
    return Promise.all([Outbox.all(), Outbox.meta("csrf"), owner()]).then(function (got) {
      var waiting = got[0].filter(function (item) { return item.status === "waiting"; });
      if (!waiting.length) return {};
      var groups = {}, order = [], left = false;
      waiting.sort(bySaveOrder).forEach(function (item) {
        var url = endpointFor(item);
        if (!groups[url]) { groups[url] = []; order.push(url); }
        if (groups[url].length < BATCH) groups[url].push(item); else left = true;
      });
      order.sort(function (a, b) {
        var rank = function (u) { for (var i = 0; i < ENDPOINTS.length; i++) if (ENDPOINTS[i].url === u) return i; return ENDPOINTS.length; };
        return rank(a) - rank(b);
      });
      var results = {}, failure = null, arrived = false;
      var chain = Promise.resolve();
      order.forEach(function (url) {
        chain = chain.then(function () {
          return sendBatch(url, groups[url], got[1], got[2]).then(function (byId) {
            arrived = true;
            // An item of the batch with no answer kept (deferred) still waits: another pass.
            if (Object.keys(byId).length < groups[url].length) left = true;
            Object.keys(byId).forEach(function (id) { results[id] = byId[id]; });
          }, function (error) { failure = failure || error; });
        });
      });
      return chain.then(function () {
        var stamp = arrived ? Outbox.meta("lastSync:" + (got[2] || ""), new Date().toISOString()) : null;
        return Promise.resolve(stamp).then(function () {
          if (failure) { failure.results = results; throw failure; }
          return releaseDependents(results).then(function (released) {
            // Once more while the last pass moved something on (so a phone never loops on a
            // batch the server keeps deferring), up to MAX_PASSES.
            var progress = Object.keys(results).length > 0;
            var more = released || (left && progress && pass < MAX_PASSES);
            return more ? send(pass + 1).then(function (next) { return merged(results, next); }) : results;
          });
        });
      });
    });
  }

  /* A visit refused because the household it names (made offline) had not arrived waits
     again once that household is created: the volunteer fixed the household, not the visit.
     Resolves true when some item was put back to wait (the caller sends once more). */
  function releaseDependents(results) {
    var arrived = Object.keys(results).filter(function (id) {
      var r = results[id];
      return r.type === "household" && (r.status === "created" || r.status === "duplicate");
    });
    if (!arrived.length) return Promise.resolve(false);
    return Outbox.all().then(function (items) {
      var puts = items.filter(function (item) {
        return item.status === "invalid" && item.data && arrived.indexOf(item.data.household_uuid) >= 0;
      }).map(function (item) {
        item.status = "waiting"; item.errors = {};
        return Outbox.put(item);
      });
      return Promise.all(puts).then(function () { return puts.length > 0; });
    });
  }

  /* The sync status on a page, for every app's items (issues 14, 18). [data-outbox-bar] holds
     the counts: hidden while nothing waits, pinned to the top (short: counts and a link) while
     something waits or needs fixing. [data-outbox-when], a small line that never sticks, says
     when the phone last synced, and "never synced" only while something waits: a fresh phone
     with nothing to send must not read like an error. `texts`: waiting / invalid / last / never. */
  Outbox.drawBar = function (bars, counts, texts, alwaysShown) {
    var fmt = function (text, values) { return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; }); };
    var pending = counts.waiting + counts.invalid;
    var parts = [];
    if (counts.waiting || (alwaysShown && !pending)) parts.push(fmt(texts.waiting, { n: counts.waiting }));
    if (counts.invalid) parts.push(fmt(texts.invalid, { n: counts.invalid }));
    var when = counts.lastSync ? fmt(texts.last, { t: new Date(counts.lastSync).toLocaleString("vi-VN", { hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit" }) })
      : (pending ? texts.never : "");
    Array.prototype.forEach.call(document.querySelectorAll("[data-outbox-when]"), function (line) {
      line.hidden = !when;
      line.textContent = when;
    });
    bars.forEach(function (bar) {
      bar.hidden = !parts.length;
      bar.dataset.waiting = counts.waiting;
      bar.dataset.invalid = counts.invalid;
      if (pending) bar.setAttribute("data-pinned", ""); else bar.removeAttribute("data-pinned");
      var link = bar.querySelector("a");
      if (link) link.hidden = !pending;
      bar.querySelector("[data-outbox-text]").textContent = parts.join(" · ");
    });
  };

  global.Outbox = Outbox;
  // A page claims the phone for its person before any of its scripts reads the outbox.
  if (global.document) {
    var tag = global.document.querySelector('meta[name="tungnha-owner"]');
    if (tag && tag.content) Outbox.claim(tag.content).catch(function () {});
  }
})(typeof self !== "undefined" ? self : this);
