// A service worker that makes the book's pages cross-origin isolated on static hosts that
// cannot send headers (GitHub Pages and the like): it adds the isolation headers to every
// response from the site's own origin, which is what lets the threads demos share memory.
// Registered by demos/runtime/isolation.js only on pages that are not isolated already.
//
// A classic worker script: it imports nothing, and a service worker registered as a module
// (`type: "module"`) needs Firefox 147 or later (January 2026; Chromium 91, Safari 15), which
// would leave the readers of older Firefox releases without threads on such hosts. Its headers are site-gen's `ISOLATION_HEADERS` (site-gen/src/render/isolation.rs),
// which a test there holds equal to these.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // Requests the browser may not replay from a worker, and other origins, pass untouched.
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0 || response.type === "opaqueredirect") return response;
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
