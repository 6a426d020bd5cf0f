// Makes a page with demos cross-origin isolated where the server could not (a static host
// without headers): registers the site's isolation service worker and reloads the page once
// so that the worker can add the headers. Never reloads twice in a row, does nothing where
// the page is already isolated, and records why isolation is unavailable otherwise in
// `document.documentElement.dataset.isolation` (read by ./capabilities.js to explain the fallback).
//
// A module in the page's head, before the demos' runner.js: it runs once the page is parsed, as
// every module does, and before the runner (modules run in the order of the page), so the demos
// always find `data-isolation` set. A classic script run while the page is parsed would gain no
// more than the parsing time: the reload waits for the service worker to be fetched, installed
// and activated.

const RELOADED = "concurrency-lab-isolation-reload";
const html = document.documentElement;

function unavailable(reason) {
  html.dataset.isolation = "unavailable";
  html.dataset.isolationReason = reason;
}

/** Whether this tab reloaded itself for the service worker already (true if it cannot tell). */
function reloadedOnce() {
  try {
    return sessionStorage.getItem(RELOADED) === "1";
  } catch {
    return true;
  }
}

function reload() {
  try {
    sessionStorage.setItem(RELOADED, "1");
  } catch {
    return; // It could not be remembered, so it could loop: do not reload.
  }
  location.reload();
}

/** Registers the service worker at the site's `root` (a URL) and reloads once it is active. */
async function register(root, reloaded) {
  html.dataset.isolation = "pending";
  try {
    const registration = await navigator.serviceWorker.register(new URL("isolation-sw.js", root), { scope: root.pathname });
    if (reloaded) {
      return unavailable("the page was reloaded once for the isolation service worker, but it is still not isolated");
    }
    const worker = registration.installing || registration.waiting;
    if (!worker) return reload();
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") reload();
    });
  } catch (error) {
    unavailable(`the isolation service worker could not start: ${error && error.message ? error.message : String(error)}`);
  }
}

function isolate() {
  if (window.crossOriginIsolated) {
    html.dataset.isolation = navigator.serviceWorker && navigator.serviceWorker.controller ? "service-worker" : "headers";
    try {
      sessionStorage.removeItem(RELOADED);
    } catch {
      // Nothing to forget.
    }
    return;
  }
  if (!window.isSecureContext) {
    return unavailable("this page is not served over HTTPS (or from localhost), so the browser allows neither shared memory nor the service worker that would enable it");
  }
  if (!("serviceWorker" in navigator)) {
    return unavailable("the server does not send the isolation headers and this browser has no service workers to add them");
  }
  const reloaded = reloadedOnce();
  if (navigator.serviceWorker.controller && reloaded) {
    return unavailable("the isolation service worker is running but the browser did not isolate the page");
  }
  // This file is static/demos.<hash>/runtime/isolation.js: the site's root is three folders up.
  register(new URL("../../../", import.meta.url), reloaded);
}

isolate();
