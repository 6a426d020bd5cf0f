// The reader's own measurements, quoted in the text: every finished demo run is remembered in
// this browser (localStorage, never sent anywhere), and any element with
// `data-measured="DEMO.MODE.FIGURE"` shows the latest figure — FIGURE is `ms`, `workers` or
// `speedup` (against the same run's baseline mode, as the demo's table shows it: the run's
// `demo-run` event gives it). Elements keep their own text until there is a measurement to show.

const KEY = "concurrency-lab-measured";

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "{}") || {};
  } catch {
    return {};
  }
}

function save(all) {
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Storage may be disabled: not remembered.
  }
}

/** The figure `path` ("primes.threads.speedup") as shown, or null when there is none. */
function figure(all, path) {
  const [demo, name, what] = path.split(".");
  const run = all[demo];
  const mode = run && run.modes && run.modes[name];
  if (!mode) return null;
  if (what === "ms" && typeof mode.ms === "number") return `${mode.ms.toFixed(mode.ms < 10 ? 1 : 0)} ms`;
  if (what === "workers" && typeof mode.workers === "number") return String(mode.workers);
  if (what === "speedup" && typeof mode.speedup === "number") return `${mode.speedup.toFixed(1)}×`;
  return null;
}

function fill() {
  const all = load();
  for (const cell of document.querySelectorAll("[data-measured]")) {
    const value = figure(all, cell.getAttribute("data-measured"));
    if (value !== null) {
      cell.textContent = value;
      cell.classList.add("measured");
    }
  }
}

document.addEventListener("demo-run", (event) => {
  const name = event.target && event.target.dataset ? event.target.dataset.demo : null;
  const results = event.detail && event.detail.results;
  if (!name || !results) return;
  const speedups = event.detail.speedups || {};
  const modes = {};
  for (const [mode, result] of Object.entries(results)) {
    if (result && typeof result.ms === "number") modes[mode] = { ms: result.ms, workers: result.workers, speedup: speedups[mode] ?? null };
  }
  if (!Object.keys(modes).length) return;
  const all = load();
  all[name] = { modes, job: event.detail.job || null, at: Date.now() };
  save(all);
  fill();
});

// A module runs once the page is parsed.
fill();
