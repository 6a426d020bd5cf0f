// The page side of the demos: turns every `[data-demo]` element into a live demo.
//
// Nothing is loaded until a demo comes near the viewport or its Run button is pressed.
// `?autorun` in the page's URL runs every demo once on load. Runs on one page take turns, so
// two demos never compete for the same cores.

import { DemoWidget } from "./widget.js";

const DEMOS = new Set(["primes"]);

/** Runs wait here for the previous run on the page to finish. */
let turn = Promise.resolve();

function takeTurn(run) {
  const done = turn.then(run);
  turn = done.catch(() => {});
  return done;
}

function start() {
  const widgets = [];
  for (const root of document.querySelectorAll("[data-demo]")) {
    const widget = mount(root);
    if (widget) widgets.push(widget);
  }
  if (widgets.length === 0) return;

  if ("IntersectionObserver" in globalThis) {
    const nearby = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        nearby.unobserve(entry.target);
        widgets.find((widget) => widget.element === entry.target)?.prepare();
      }
    }, { rootMargin: "400px 0px" });
    for (const widget of widgets) nearby.observe(widget.element);
  }

  if (new URLSearchParams(location.search).has("autorun")) {
    for (const widget of widgets) takeTurn(() => widget.run());
  }
}

/** Builds one demo, or shows why it cannot be built. */
function mount(root) {
  const name = root.dataset.demo;
  try {
    if (!DEMOS.has(name)) throw new Error(`there is no demo called ${JSON.stringify(name)}`);
    if (typeof Worker !== "function" || typeof WebAssembly !== "object") {
      throw new Error("this browser cannot run the demo: it needs Web Workers and WebAssembly");
    }
    return new DemoWidget(root, { schedule: takeTurn });
  } catch (error) {
    root.dataset.status = "error";
    const message = document.createElement("p");
    message.className = "demo-error";
    message.setAttribute("role", "alert");
    message.textContent = `Error — ${error instanceof Error ? error.message : String(error)}`;
    root.append(message);
    return null;
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
