// The page side of the demos: turns every `[data-demo]` element into a live demo.
//
// Each demo's definition (./definitions/<name>.js: where its modes run and how) is loaded only for
// demos on the page; nothing else is loaded until a demo comes near the viewport or its Run
// button is pressed. `?autorun` in the page's URL runs every demo once on load. Runs (and the
// warming up of a demo's workers) on one page take turns, so two demos never compete for the
// same cores.
//
// Adding a demo: a catalogue entry (demos-wasm/src/catalogue.rs), a kernel and its entry points
// (demos-wasm/src/kernels/, demos-wasm/src/web/), a definition in ./definitions/, its name here, and its
// Python twin (demos-wasm/python/<name>.py, shown by ./figure/python-twin.js).

import { DemoWidget } from "./figure/widget.js";

const DEMOS = {
  primes: () => import("./definitions/primes.js"),
  "io-bound": () => import("./definitions/io-bound.js"),
  gil: () => import("./definitions/gil.js"),
  race: () => import("./definitions/race.js"),
  "ipc-cost": () => import("./definitions/ipc-cost.js"),
  responsiveness: () => import("./definitions/responsiveness.js"),
  "async-scale": () => import("./definitions/async-scale.js"),
  hybrid: () => import("./definitions/hybrid.js"),
};

/** Runs wait here for the previous run on the page to finish. */
let turn = Promise.resolve();

function takeTurn(run) {
  const done = turn.then(run);
  turn = done.catch(() => {});
  return done;
}

async function start() {
  const roots = [...document.querySelectorAll("[data-demo]")];
  // The first primes demo on a page is "primes" in its address, the second "primes-2", …
  const seen = new Map();
  const ids = roots.map((root) => {
    const name = root.dataset.demo;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
  const mounted = await Promise.all(roots.map((root, i) => mount(root, ids[i])));
  const widgets = mounted.filter(Boolean);
  if (widgets.length === 0) return;

  if ("IntersectionObserver" in globalThis) {
    const nearby = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        nearby.unobserve(entry.target);
        const widget = widgets.find((candidate) => candidate.element === entry.target);
        // Warming up takes turns with runs too: it would slow down a run on the same cores.
        if (widget) takeTurn(() => widget.prepare());
      }
    }, { rootMargin: "400px 0px" });
    for (const widget of widgets) nearby.observe(widget.element);
  }

  if (new URLSearchParams(location.search).has("autorun")) {
    for (const widget of widgets) takeTurn(() => widget.run());
  }
}

/** Builds one demo, or shows why it cannot be built. */
async function mount(root, id) {
  const name = root.dataset.demo;
  try {
    if (!Object.hasOwn(DEMOS, name)) throw new Error(`there is no demo called ${JSON.stringify(name)}`);
    if (typeof Worker !== "function" || typeof WebAssembly !== "object") {
      throw new Error("this browser cannot run the demo: it needs Web Workers and WebAssembly");
    }
    const { default: definition } = await DEMOS[name]();
    return new DemoWidget(root, definition, { id, schedule: takeTurn });
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
