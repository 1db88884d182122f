/* Từng Nhà service worker (served at /sw.js by households.views.service_worker, which prepends
   self.TUNGNHA = {version, precache, outbox}). The shell is cached on install; households pages
   are network-first and fall back to their last copy, then to the offline shell. Trainings
   pages do the same with their own shell (/trainings/offline/), which is cached on install when
   the user may open it (never fatal: the households shell must install whatever happens).

   Nothing marked no-store is kept: the pages that show a household's contact or an attendee's
   name are sent so (core.devices.keep_off_device), and offline the shell draws them from the
   compact list instead. The pages kept belong to the person signed in: outbox.js removes them
   when someone else signs in or the person signs out. */
"use strict";
var CFG = self.TUNGNHA;
// pages-v2: the pages v1 kept may hold contacts (it kept every household page); activate
// removes any other "pages-" cache.
var SHELL = "shell-" + CFG.version, PAGES = "pages-v2", SHELL_URL = "/households/offline/";
var MAX_PAGES = 300;
var TRAININGS_SHELL = "/trainings/offline/", ASSETS = "assets-v1";
// Pages vary on Cookie and Accept-Language; offline, any copy of this user's page will do.
var ANY = { ignoreVary: true };
importScripts(CFG.outbox);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(CFG.precache).then(function () { return keepTrainingsShell(cache); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return (k.indexOf("shell-") === 0 && k !== SHELL) || (k.indexOf("pages-") === 0 && k !== PAGES);
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

/* May this answer be kept on the phone? Only a plain page of ours that does not say no-store. */
function keepable(response) {
  return response.ok && !response.redirected && response.type === "basic" &&
    (response.headers.get("Cache-Control") || "").indexOf("no-store") < 0;
}

function remember(request, response) {
  if (!keepable(response)) return response;
  var copy = response.clone();
  caches.open(PAGES).then(function (cache) {
    cache.put(request, copy);
    cache.keys().then(function (keys) {
      if (keys.length > MAX_PAGES) cache.delete(keys[0]);
    });
  });
  return response;
}

function keepTrainingsShell(cache) {
  return fetch(TRAININGS_SHELL, { credentials: "same-origin" }).then(function (response) {
    if (keepable(response)) return cache.put(TRAININGS_SHELL, response);
  }).catch(function () {});
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

function networkFirst(request, cacheName) {
  return fetch(request).then(function (response) {
    if (keepable(response)) {
      var copy = response.clone();
      caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.match(request, ANY).then(function (hit) { return hit || Response.error(); });
  });
}

function fromCache(request) {
  return caches.match(request, ANY).then(function (hit) {
    return hit || caches.match(request, { ignoreSearch: true, ignoreVary: true });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (CFG.precache.indexOf(url.pathname) >= 0 && url.pathname !== SHELL_URL) {
    event.respondWith(caches.match(url.pathname, ANY).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (url.pathname === "/households/mine.json") {
    event.respondWith(fetch(request).then(function (r) { return remember(request, r); })
      .catch(function () { return fromCache(request).then(function (hit) { return hit || Response.json({ households: [], unavailable: true }); }); }));
    return;
  }
  if (request.mode === "navigate" && url.pathname.indexOf("/households/") === 0) {
    // Only plain addresses are kept: a page with a query (a search, "?saved=") is a moment,
    // and offline its plain page answers for it.
    // Offline, a search or a filter is the shell's to answer (it searches the kept list): a
    // cached page would show every household and an empty box.
    event.respondWith(fetch(request).then(function (r) { return url.search ? r : remember(request, r); }).catch(function () {
      var offlineOnly = /^\/households\/(new|outbox|local)\//.test(url.pathname) || !!url.search;
      var cached = offlineOnly ? Promise.resolve(null) : fromCache(request);
      return cached.then(function (hit) { return hit || caches.match(SHELL_URL, ANY); });
    }));
    return;
  }
  // Trainings: the shell and the scripts stay fresh online and open offline.
  if (url.pathname === TRAININGS_SHELL) {
    event.respondWith(networkFirst(new Request(TRAININGS_SHELL, { credentials: "same-origin" }), SHELL));
    return;
  }
  if (url.pathname.indexOf("/static/js/trainings") === 0) {
    event.respondWith(networkFirst(request, ASSETS));
    return;
  }
  if (request.mode === "navigate" && url.pathname.indexOf("/trainings/") === 0) {
    event.respondWith(fetch(request).then(function (r) {
      // Pages only (never a document download or an export).
      return isHtml(r) && !url.search ? remember(request, r) : r;
    }).catch(function () {
      var offlineOnly = /^\/trainings\/(local|outbox|offline)\//.test(url.pathname);
      var cached = offlineOnly ? Promise.resolve(null) : fromCache(request);
      return cached.then(function (hit) {
        return hit || caches.match(TRAININGS_SHELL, ANY);
      }).then(function (hit) { return hit || caches.match(SHELL_URL, ANY); })
        .then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  // Every other page (the logo and "Trang chủ", the menu's entries): never the browser's
  // offline error. Home is kept when seen; offline, its copy, else the households shell, which
  // says what needs a connection and links to what works without one.
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (r) {
      return url.pathname === "/" && !url.search && isHtml(r) ? remember(request, r) : r;
    }).catch(function () {
      var cached = url.pathname === "/" ? fromCache(request) : Promise.resolve(null);
      return cached.then(function (hit) { return hit || caches.match(SHELL_URL, ANY); })
        .then(function (hit) { return hit || Response.error(); });
    }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "outbox") {
    event.waitUntil(self.Outbox.flush().then(function () {
      return self.clients.matchAll().then(function (clients) {
        clients.forEach(function (c) { c.postMessage({ outbox: "synced" }); });
      });
    }));
  }
});
