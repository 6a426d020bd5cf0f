// The page side of the demos: turns every `[data-demo]` element into a live demo.
//
// Each demo's definition (./definitions/<name>.js: where its modes run and how) is loaded only for
// demos on the page; nothing else is loaded until a demo comes near the viewport or its Run
// button is pressed. `?autorun` in the page's URL runs every demo once on load; `?sweep=workers`
// sweeps the workers of every demo that has them and a parallel mode. Runs (and the
// warming up of a demo's workers) on one page take turns, so two demos never compete for the
// same cores.
//
// A demo's definition is found by its name (`data-demo`): ./definitions/<name>.js. This whole
// folder is named by its content as one (static/demos.<hash>/), so the relative import finds it
// wherever the build puts it. Adding a demo: a catalogue entry (demos-wasm/src/catalogue.rs), a
// kernel and its entry points (demos-wasm/src/kernels/, demos-wasm/src/web/), its definition in
// ./definitions/, and its Python twin (demos-wasm/python/<name>.py, shown by
// ./figure/python-twin.js); the README lists the tests' places too.

import { DemoWidget } from "./figure/widget.js";

/** A demo's name as the catalogue writes them (demos-wasm/src/catalogue.rs): nothing else is imported. */
const DEMO_NAME = /^[a-z][a-z0-9_-]*$/;

/** Runs wait here for the previous run on the page to finish. */
let turn = Promise.resolve();

function takeTurn(run) {
  const done = turn.then(run);
  turn = done.catch(() => {});
  return done;
}

async function start() {
  const claims = watchClaims();
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

  const query = new URLSearchParams(location.search);
  // The claims listen before the first run the address asks for.
  await claims;
  if (query.has("autorun")) {
    for (const widget of widgets) takeTurn(() => widget.run());
  }
  // `?sweep=workers`: every demo that can sweep its workers does (./figure/sweep-section.js).
  if (query.has("sweep")) {
    for (const widget of widgets) takeTurn(() => widget.sweep(query.get("sweep")));
  }
}

/**
 * The text's claims about the demos (./figure/claims-section.js), when the page has any: they
 * listen before the first run. Without them the demos still run.
 */
async function watchClaims() {
  if (!document.querySelector("[data-claim]")) return;
  try {
    (await import("./figure/claims-section.js")).watchClaims();
  } catch {
    // The badges keep what the claims expect.
  }
}

/** Builds one demo, or shows why it cannot be built. */
async function mount(root, id) {
  const name = root.dataset.demo;
  try {
    if (!DEMO_NAME.test(name ?? "")) throw new Error(`there is no demo called ${JSON.stringify(name)}`);
    if (typeof Worker !== "function" || typeof WebAssembly !== "object") {
      throw new Error("this browser cannot run the demo: it needs Web Workers and WebAssembly");
    }
    const widget = new DemoWidget(root, await definitionOf(name), { id, schedule: takeTurn });
    if (root.dataset.predictAsk) await askPrediction(root);
    return widget;
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

/**
 * The questions of a block's `[predict]` table above the demo (./figure/predict-section.js),
 * ready before any run (`?autorun` too) so every run is scored; loaded only where a block asks.
 * A prediction that cannot be shown leaves the demo working, and says so.
 */
async function askPrediction(root) {
  try {
    const { PredictSection } = await import("./figure/predict-section.js");
    new PredictSection(root);
  } catch (error) {
    const note = document.createElement("p");
    note.className = "demo-notice";
    note.textContent = `The question before this demo could not be shown (${error instanceof Error ? error.message : String(error)}); the demo works as usual.`;
    root.querySelector(".demo-controls")?.before(note);
  }
}

/** The definition of the demo `name`, ./definitions/<name>.js. */
async function definitionOf(name) {
  try {
    return (await import(`./definitions/${name}.js`)).default;
  } catch (error) {
    throw new Error(`the ${name} demo could not be loaded (${error instanceof Error ? error.message : String(error)})`);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
