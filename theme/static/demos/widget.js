// One demo on the page: builds its controls, results table, bar chart and agreement line inside
// the `[data-demo]` element, runs the chosen modes one after another, and keeps the element's
// data-* attributes (the public contract tests read) in step with what the reader sees.

import { DemoPool, MODES, MODE_DESCRIPTIONS, STOPPED, unavailableReason } from "./modes.js";

// Bounds of the primes demo's parameters, as in the demo catalogue (the WebAssembly module
// checks them again).
const LIMITS = {
  n: { min: 1_000, max: 100_000_000, default: 5_000_000 },
  chunks: { min: 1, max: 4096, default: 64 },
  workers: { min: 1, max: 64 },
};

const count = new Intl.NumberFormat("en");
const decimal = (digits) => new Intl.NumberFormat("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const formatMs = (ms) => `${decimal(ms < 10 ? 2 : ms < 100 ? 1 : 0).format(ms)} ms`;

export class DemoWidget {
  #root;
  #params;
  #modes;
  #pool = new DemoPool();
  #rows = new Map();
  #bars = new Map();
  #controls;
  #inputs;
  #runButton;
  #stopButton;
  #state;
  #invalid;
  #chart;
  #agreement;
  #error;
  #running = false;
  #queued = false;

  #schedule;

  /**
   * Builds the widget inside `root` (a `[data-demo]` element). Throws if its params are
   * unusable. `schedule(run)` decides when a Run press actually runs (default: at once).
   */
  constructor(root, { schedule = (run) => run() } = {}) {
    this.#root = root;
    this.#schedule = schedule;
    this.#params = parseParams(root);
    this.#modes = this.#params.modes;
    this.#build();
    this.#setStatus("idle");
  }

  /** The demo's element. */
  get element() {
    return this.#root;
  }

  /** Starts the workers in the background so the first run measures only the work. */
  prepare() {
    const inputs = this.#readInputs({ quiet: true });
    if (inputs) this.#pool.prepare(this.#modes, inputs.workers).catch(() => {
      // A worker that fails to start is started again (and its error shown) on Run.
    });
  }

  /** Runs every mode once, one after another. Resolves when done, stopped or failed. */
  async run() {
    if (this.#running) return;
    const inputs = this.#readInputs();
    if (!inputs) return;
    this.#running = true;
    this.#runButton.disabled = true;
    this.#stopButton.disabled = false;
    this.#showError(null);
    this.#setStatus("running");
    this.#root.removeAttribute("data-agree");
    this.#agreement.textContent = "";
    const job = { n: inputs.n, chunks: this.#params.chunks };
    const results = new Map();
    for (const mode of this.#modes) if (!unavailableReason(mode)) this.#markRow(mode, "waiting");
    this.#drawChart(results);

    let stopped = false;
    const failures = [];
    for (const mode of this.#modes) {
      if (unavailableReason(mode)) continue;
      this.#markRow(mode, "running");
      this.#state.textContent = `Running ${mode}…`;
      try {
        const result = await this.#pool.run(mode, job, inputs.workers);
        results.set(mode, result);
        this.#showResult(mode, result, results);
        this.#drawChart(results);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        stopped = message === STOPPED;
        this.#markRow(mode, stopped ? "stopped" : "error");
        if (stopped) break;
        // The other modes still run; the failed mode's workers are replaced next time.
        failures.push(`${mode}: ${message}`);
        this.#showError(failures.join("\n"));
        this.#pool.stop();
      }
    }
    const outcome = stopped ? "stopped" : failures.length > 0 ? "error" : "done";

    for (const [mode, row] of this.#rows) if (row.dataset.status === "waiting") this.#markRow(mode, "idle");
    this.#showAgreement(results);
    this.#running = false;
    this.#runButton.disabled = false;
    this.#stopButton.disabled = true;
    this.#setStatus(outcome === "stopped" ? "idle" : outcome);
    this.#state.textContent = { done: "Done.", stopped: "Stopped.", error: "Finished with an error." }[outcome];
    this.#root.demoRun = { job: { ...job, workers: inputs.workers }, results: Object.fromEntries(results) };
    this.#root.dispatchEvent(new CustomEvent("demo-run", { bubbles: true, detail: this.#root.demoRun }));
  }

  /** Stops a run at once: its workers are ended and started afresh on the next run. */
  stop() {
    if (!this.#running) return;
    this.#pool.stop();
  }

  // --- Building ------------------------------------------------------------------------------

  #build() {
    const body = element("div", { class: "demo-body" });

    this.#controls = element("form", { class: "demo-controls", novalidate: "" });
    this.#inputs = {
      n: numberInput("n", this.#params.n, LIMITS.n),
      workers: numberInput("workers", this.#params.workers, LIMITS.workers),
    };
    this.#runButton = element("button", { type: "submit", class: "demo-run" }, "Run");
    this.#stopButton = element("button", { type: "button", class: "demo-stop", disabled: "" }, "Stop");
    this.#state = element("span", { class: "demo-state", "aria-live": "polite" }, "Not run yet.");
    this.#controls.append(
      labelled("n", "count primes below", this.#inputs.n),
      labelled("workers", "workers", this.#inputs.workers),
      this.#runButton,
      this.#stopButton,
      this.#state,
    );
    this.#controls.addEventListener("submit", (event) => {
      event.preventDefault();
      if (this.#running || this.#queued) return;
      this.#queued = true;
      this.#schedule(() => {
        this.#queued = false;
        return this.run();
      });
    });
    this.#controls.addEventListener("input", () => this.#readInputs({ quiet: true }));
    this.#stopButton.addEventListener("click", () => this.stop());
    this.#invalid = element("p", { class: "demo-invalid", role: "alert", hidden: "" });

    const table = element("table", { class: "demo-results" });
    table.append(element("thead", {}, element("tr", {},
      element("th", { scope: "col" }, "Mode"),
      element("th", { scope: "col", class: "demo-num" }, "Wall time"),
      element("th", { scope: "col", class: "demo-num" }, "Speed-up"),
      element("th", { scope: "col", class: "demo-num" }, "Workers"),
      element("th", { scope: "col", class: "demo-num" }, "Primes found"),
    )));
    const tbody = element("tbody");
    for (const mode of this.#modes) {
      const row = element("tr", { "data-mode": mode, class: `demo-mode-${mode}` });
      const name = element("th", { scope: "row" },
        element("span", { class: "demo-mode-name" }, mode),
        element("span", { class: "demo-mode-about" }, MODE_DESCRIPTIONS[mode]));
      row.append(name);
      const reason = unavailableReason(mode);
      if (reason) {
        row.dataset.status = "unavailable";
        row.append(element("td", { colspan: "4", class: "demo-unavailable" }, reason));
      } else {
        row.dataset.status = "idle";
        for (const cell of ["ms", "speedup", "workers", "result"]) {
          row.append(element("td", { class: "demo-num", "data-cell": cell }, "—"));
        }
      }
      tbody.append(row);
      this.#rows.set(mode, row);
    }
    table.append(tbody);
    const tableWrap = element("div", { class: "demo-table-wrap" }, table);

    this.#chart = element("div", { class: "demo-chart", role: "img", "aria-label": "Wall time per mode: not run yet" });
    for (const mode of this.#modes) {
      if (unavailableReason(mode)) continue;
      const bar = element("span", { class: "demo-bar" });
      const value = element("span", { class: "demo-bar-value" });
      // No data-mode here: that attribute marks the results table's rows only.
      this.#chart.append(element("div", { class: `demo-bar-row demo-mode-${mode}` },
        element("span", { class: "demo-bar-label" }, mode),
        element("span", { class: "demo-bar-track" }, bar),
        value));
      this.#bars.set(mode, { bar, value });
    }

    this.#agreement = element("p", { class: "demo-agreement", "aria-live": "polite" });
    this.#error = element("p", { class: "demo-error", role: "alert", hidden: "" });
    const note = element("p", { class: "demo-note" },
      `${count.format(this.#params.chunks)} chunks. Wall times exclude starting the workers and ` +
      "loading the WebAssembly, which happens once and is kept between runs.");

    body.append(this.#controls, this.#invalid, tableWrap, this.#chart, this.#agreement, this.#error, note);
    const caption = this.#root.querySelector(":scope > figcaption");
    if (caption) caption.after(body);
    else this.#root.prepend(body);
  }

  // --- Reading the controls ------------------------------------------------------------------

  /** The controls' values if they are in range; otherwise shows why not and returns null. */
  #readInputs({ quiet = false } = {}) {
    const values = {};
    const problems = [];
    for (const [name, input] of Object.entries(this.#inputs)) {
      const { min, max } = LIMITS[name];
      const value = Number(input.value);
      const ok = input.value.trim() !== "" && Number.isInteger(value) && value >= min && value <= max;
      input.toggleAttribute("aria-invalid", !ok);
      if (ok) values[name] = value;
      else problems.push(`${name} must be a whole number from ${count.format(min)} to ${count.format(max)}`);
    }
    if (problems.length === 0) {
      this.#invalid.hidden = true;
      this.#invalid.textContent = "";
      return values;
    }
    if (!quiet || !this.#invalid.hidden) {
      this.#invalid.textContent = `Not run: ${problems.join("; ")}.`;
      this.#invalid.hidden = false;
    }
    return null;
  }

  // --- Showing results -----------------------------------------------------------------------

  #setStatus(status) {
    this.#root.dataset.status = status;
  }

  #markRow(mode, status) {
    const row = this.#rows.get(mode);
    if (!row || row.dataset.status === "unavailable") return;
    row.dataset.status = status;
    if (status === "waiting" || status === "running") {
      for (const attribute of ["data-ms", "data-result", "data-workers", "data-lanes"]) row.removeAttribute(attribute);
      for (const cell of row.querySelectorAll("td")) cell.textContent = status === "running" ? "…" : "—";
    }
    if (status === "error" || status === "stopped") {
      const ms = row.querySelector('[data-cell="ms"]');
      if (ms) ms.textContent = status;
    }
  }

  #showResult(mode, result, results) {
    const row = this.#rows.get(mode);
    if (!row) return;
    row.dataset.status = "done";
    row.dataset.ms = result.ms.toFixed(3);
    row.dataset.result = String(result.total);
    row.dataset.workers = String(result.workers);
    row.dataset.lanes = String(new Set(result.events.map((event) => event.lane)).size);
    const cells = Object.fromEntries([...row.querySelectorAll("td")].map((cell) => [cell.dataset.cell, cell]));
    cells.ms.textContent = formatMs(result.ms);
    cells.workers.textContent = String(result.workers);
    cells.result.textContent = count.format(result.total);
    this.#showSpeedups(results);
  }

  #showSpeedups(results) {
    const baseline = results.get("sequential");
    for (const [mode, result] of results) {
      const cell = this.#rows.get(mode)?.querySelector('[data-cell="speedup"]');
      if (!cell) continue;
      cell.textContent = baseline && result.ms > 0 ? `${decimal(1).format(baseline.ms / result.ms)}×` : "—";
    }
  }

  #drawChart(results) {
    const slowest = Math.max(0, ...[...results.values()].map((result) => result.ms));
    for (const [mode, { bar, value }] of this.#bars) {
      const result = results.get(mode);
      bar.style.setProperty("--share", result && slowest > 0 ? String(result.ms / slowest) : "0");
      value.textContent = result ? formatMs(result.ms) : "";
    }
    const summary = [...results].map(([mode, result]) => `${mode} ${formatMs(result.ms)}`).join(", ");
    this.#chart.setAttribute("aria-label", `Wall time per mode: ${summary || "not run yet"}`);
  }

  #showAgreement(results) {
    const totals = new Set([...results.values()].map((result) => result.total));
    if (totals.size === 0) return;
    const agree = totals.size === 1;
    this.#root.dataset.agree = String(agree);
    this.#agreement.classList.toggle("demo-disagree", !agree);
    if (agree) {
      const [total] = totals;
      const modes = results.size === 1 ? "The mode that ran found" : `All ${results.size} modes agree:`;
      this.#agreement.textContent = `${modes} ${count.format(total)} primes`;
    } else {
      const each = [...results].map(([mode, result]) => `${mode} ${count.format(result.total)}`).join(", ");
      this.#agreement.textContent = `Modes disagree: ${each}`;
    }
  }

  #showError(message) {
    this.#error.hidden = message === null;
    this.#error.textContent = message === null ? "" : `Error — ${message}`;
  }
}

/** The demo's params: the element's `data-params` JSON with defaults and checks applied. */
function parseParams(root) {
  let raw;
  try {
    raw = JSON.parse(root.dataset.params || "{}");
  } catch (error) {
    throw new Error(`data-params is not valid JSON (${error.message})`);
  }
  const modes = Array.isArray(raw.modes) ? raw.modes.filter((mode) => MODES.includes(mode)) : MODES;
  if (modes.length === 0) throw new Error("data-params lists no known modes");
  const cores = Math.trunc(navigator.hardwareConcurrency) || 1;
  return {
    n: clamp(raw.n ?? LIMITS.n.default, LIMITS.n),
    chunks: clamp(raw.chunks ?? LIMITS.chunks.default, LIMITS.chunks),
    workers: clamp(raw.workers ?? cores, LIMITS.workers),
    modes,
  };
}

function clamp(value, { min, max }) {
  const number = Math.trunc(Number(value));
  return Number.isFinite(number) ? Math.min(max, Math.max(min, number)) : min;
}

function numberInput(name, value, { min, max }) {
  return element("input", {
    type: "number", name, min: String(min), max: String(max), step: "1",
    value: String(value), inputmode: "numeric", required: "",
  });
}

function labelled(name, text, input) {
  return element("label", { class: `demo-field demo-field-${name}` }, element("span", {}, text), input);
}

/** A new element with attributes and children (strings become text). */
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
