// Makes a page with demos cross-origin isolated where the server could not (a static host
// without headers): registers the site's isolation service worker and reloads the page once
// so that the worker can add the headers. Never reloads twice in a row, does nothing where
// the page is already isolated, and records why isolation is unavailable otherwise in
// `document.documentElement.dataset.isolation` (read by the demos to explain the fallback).
(function () {
  "use strict";
  var html = document.documentElement;
  var RELOADED = "concurrency-lab-isolation-reload";
  function unavailable(reason) {
    html.dataset.isolation = "unavailable";
    html.dataset.isolationReason = reason;
  }
  if (window.crossOriginIsolated) {
    html.dataset.isolation = navigator.serviceWorker && navigator.serviceWorker.controller ? "service-worker" : "headers";
    try { sessionStorage.removeItem(RELOADED); } catch (e) { /* nothing to forget */ }
    return;
  }
  if (!window.isSecureContext) {
    return unavailable("this page is not served over HTTPS (or from localhost), so the browser allows neither shared memory nor the service worker that would enable it");
  }
  if (!("serviceWorker" in navigator)) {
    return unavailable("the server does not send the isolation headers and this browser has no service workers to add them");
  }
  var script = document.currentScript;
  var root = new URL((script && script.dataset.root) || "./", location.href);
  var reloadedOnce = false;
  try { reloadedOnce = sessionStorage.getItem(RELOADED) === "1"; } catch (e) { reloadedOnce = true; }
  if (navigator.serviceWorker.controller && reloadedOnce) {
    return unavailable("the isolation service worker is running but the browser did not isolate the page");
  }
  html.dataset.isolation = "pending";
  navigator.serviceWorker
    .register(new URL("isolation-sw.js", root), { scope: root.pathname })
    .then(function (registration) {
      if (reloadedOnce) {
        return unavailable("the page was reloaded once for the isolation service worker, but it is still not isolated");
      }
      function reload() {
        try { sessionStorage.setItem(RELOADED, "1"); } catch (e) { return; /* could loop: do not reload */ }
        location.reload();
      }
      var worker = registration.installing || registration.waiting;
      if (!worker) return reload();
      worker.addEventListener("statechange", function () {
        if (worker.state === "activated") reload();
      });
    })
    .catch(function (error) {
      unavailable("the isolation service worker could not start: " + (error && error.message ? error.message : String(error)));
    });
})();
