// One demo on the page: builds its controls, results table, bar chart, agreement line,
// timelines, export buttons and "your machine" line inside the `[data-demo]` element, runs the
// chosen modes one after another, and keeps the element's data-* attributes (the public
// contract tests read) in step with what the reader sees.
//
// What differs between demos (where each mode runs, how results agree, what a task is called)
// comes from the demo's definition in ../definitions/<name>.js; bounds and defaults come from the
// catalogue (`data-spec`). A definition may also:
//   columns    add columns to the table, each also a `data-<attribute>` on the row (one
//              without a heading is that attribute only, not shown);
//   view       draw a figure of its own under the bar chart, shown every mode's run (refused
//              ones included) and handed to the modes' `run`;
//   laneName   name its own timeline lanes (from `run.result.laneNames`, where a run names them);
//   kindNames  say what each kind of timeline bar means here, for the legend;
//   baseline   say which mode the speed-up is measured against (by default sequential).
// A mode may decline parameters it cannot run (its run resolves with `{ refused: reason }`):
// its row says why, with `data-status="refused"` and `data-refused`, and it has no result.

import { DemoPool, STOPPED, failOn, failsOnPurpose } from "../runtime/lanes.js";
import { capabilities, capabilitiesNow, unavailableReason } from "../runtime/capabilities.js";
import { check, describe, queryFor, readSpec, startingParams } from "./params.js";
import { Timelines, formatMs } from "../charts/timeline.js";
import { describeMachine } from "./machine.js";
import { toJson, toMarkdown } from "./export.js";
import { PythonTwin } from "./python-twin.js";
import { element } from "../dom.js";

const count = new Intl.NumberFormat("en");
const decimal = (digits) => new Intl.NumberFormat("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** The row attributes a run sets (besides the definition's own columns). */
const ROW_ATTRIBUTES = ["data-ms", "data-result", "data-workers", "data-lanes", "data-expected", "data-lost", "data-refused"];
/** How many lanes each kind of lane gives, when the runner does not say. */
const LANES = { single: () => 1, main: () => 1, own: () => 1, threads: (workers) => workers, processes: (workers) => workers };

export class DemoWidget {
  #root;
  #id;
  #spec;
  #definition;
  #params;
  #modes;
  #pool;
  #results = new Map();
  /** What every mode's run gave, refused ones included: for the definition's own figure. */
  #runs = new Map();
  #rows = new Map();
  #bars = new Map();
  #inputs = new Map();
  #runButton;
  #stopButton;
  #state;
  #invalid;
  #chart;
  #agreement;
  #error;
  #timelines;
  #view = null;
  #exportStatus;
  #exportText;
  #machine;
  #running = false;
  #queued = false;
  #schedule;
  #python;
  /** When Run was pressed (performance.now()), until the run it asked for starts. */
  #pressedAt = null;

  /**
   * Builds the widget inside `root` (a `[data-demo]` element) for the demo `definition`; `id`
   * names it in the page's address (`?<id>.n=…`). Throws if its spec or params are unusable.
   * `schedule(run)` decides when a Run press actually runs (default: at once).
   */
  constructor(root, definition, { id = root.dataset.demo, schedule = (run) => run() } = {}) {
    this.#root = root;
    this.#id = id;
    this.#schedule = schedule;
    this.#definition = definition;
    this.#spec = readSpec(root);
    const { params, problems } = startingParams(this.#spec, root, id);
    this.#params = params;
    const known = this.#spec.modes.map((mode) => mode.name).filter((mode) => mode in definition.modes);
    this.#modes = (params.modes ?? known).filter((mode) => known.includes(mode));
    if (this.#modes.length === 0) throw new Error("data-params lists no known modes");
    this.#pool = new DemoPool(definition.warmUp);
    if (!root.id) root.id = `demo-${id}`;
    this.#build(problems);
    this.#python = new PythonTwin(root, this.#spec);
    this.#python.update(this.#params);
    this.#setStatus("idle");
    // Once a worker has said whether it may block, rows and the machine line say what is true.
    capabilities().then((found) => {
      if (!this.#running) this.#refreshRows(this.#params, found);
      this.#showMachine(found);
    });
    this.#root.demoExport = {
      markdown: () => this.#markdown(),
      json: () => this.#json(),
      link: () => this.#link(),
    };
  }

  /** The demo's element. */
  get element() {
    return this.#root;
  }

  /** Starts the workers so the first run measures only the work; resolves when they are ready. */
  prepare() {
    const params = this.#readInputs({ quiet: true });
    if (!params) return Promise.resolve();
    const uses = this.#modes
      .filter((mode) => !unavailableReason(this.#needs(mode, params), capabilitiesNow()))
      .map((mode) => this.#definition.modes[mode].uses);
    return this.#pool.prepare(uses, params.workers).catch(() => {
      // A worker that fails to start is started again (and its error shown) on Run.
    });
  }

  /**
   * Runs every mode once, one after another. Resolves when done, stopped or failed. The
   * figure's `data-ready-ms` then says how long the reader waited for workers since pressing
   * Run (or since the run began, with `?autorun`): for the run's turn while a warm-up was
   * under way, and for each mode's lanes to be ready; not for the timed work.
   */
  async run() {
    const pressedAt = this.#pressedAt ?? performance.now();
    this.#pressedAt = null;
    if (this.#running) return;
    const params = this.#readInputs();
    if (!params) return;
    this.#params = params;
    this.#running = true;
    this.#runButton.disabled = true;
    this.#stopButton.disabled = false;
    this.#showError(null);
    this.#setStatus("running");
    const found = await capabilities();
    this.#root.removeAttribute("data-agree");
    this.#agreement.textContent = "";
    this.#results = new Map();
    this.#runs = new Map();
    this.#refreshRows(params, found);
    for (const mode of this.#modes) this.#markRow(mode, "waiting");
    this.#drawChart();
    this.#timelines.show([]);
    this.#view?.show(this.#runs, params);

    let stopped = false;
    const failures = [];
    let readyMs = performance.now() - pressedAt;
    for (const mode of this.#modes) {
      const definition = this.#definition.modes[mode];
      if (unavailableReason(this.#needs(mode, params), found)) continue;
      this.#markRow(mode, "running");
      this.#state.textContent = `Running ${mode}…`;
      // data-phase: "starting" while the mode's workers (or the page's module) load, then "running".
      this.#root.dataset.phase = "starting";
      try {
        const result = await this.#pool.run(definition.uses, params.workers, ({ lanes, signal }) =>
          failsOnPurpose(mode) ? failOn(lanes[0], mode) : definition.run({ lanes, params, signal, view: this.#view, capabilities: found }),
        { onReady: () => { this.#root.dataset.phase = "running"; } });
        result.workers ??= LANES[definition.uses](params.workers);
        readyMs += result.readyMs;
        this.#runs.set(mode, result);
        if (result.refused) {
          this.#showRefusal(mode, result.refused);
        } else {
          this.#results.set(mode, result);
          this.#showResult(mode, result);
        }
        this.#drawChart();
        this.#drawTimelines();
        this.#view?.show(this.#runs, params);
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
    this.#root.dataset.readyMs = readyMs.toFixed(1);
    delete this.#root.dataset.phase;

    for (const [mode, row] of this.#rows) if (row.dataset.status === "waiting") this.#markRow(mode, "idle");
    this.#showAgreement();
    this.#running = false;
    this.#runButton.disabled = false;
    this.#stopButton.disabled = true;
    this.#setStatus(outcome === "stopped" ? "idle" : outcome);
    this.#state.textContent = { done: "Done.", stopped: "Stopped.", error: "Finished with an error." }[outcome];
    this.#root.demoRun = { job: { ...params }, results: Object.fromEntries(this.#results) };
    this.#root.dispatchEvent(new CustomEvent("demo-run", { bubbles: true, detail: this.#root.demoRun }));
  }

  /** Stops a run at once: its workers are ended and started afresh on the next run. */
  stop() {
    if (!this.#running) return;
    this.#pool.stop();
  }

  /** What `mode` needs of the browser at `params`: its own `needs`, else a worker if it uses one. */
  #needs(mode, params) {
    const { needs, uses } = this.#definition.modes[mode];
    const own = typeof needs === "function" ? needs(params) : needs ?? null;
    return own ?? (uses === "main" ? null : "worker");
  }

  /** The machine line, with what this browser gives the demos. */
  #showMachine(found = capabilitiesNow()) {
    this.#machine.textContent = describeMachine(found);
    this.#machine.dataset.capabilities = JSON.stringify(found);
  }

  // --- Building ------------------------------------------------------------------------------

  #build(problems) {
    const body = element("div", { class: "demo-body" });
    const summary = element("p", { class: "demo-summary" }, this.#spec.summary);

    const controls = element("form", { class: "demo-controls", novalidate: "" });
    for (const param of this.#spec.params) {
      if (param.kind === "choices") continue;
      const input = control(param, this.#params[param.name]);
      this.#inputs.set(param.name, input);
      controls.append(param.kind === "switch"
        ? element("label", { class: `demo-field demo-switch demo-field-${param.name}`, title: param.help }, input, element("span", {}, param.label))
        : element("label", { class: `demo-field demo-field-${param.name}`, title: param.help }, element("span", {}, param.label), input));
    }
    this.#runButton = element("button", { type: "submit", class: "demo-run" }, "Run");
    this.#stopButton = element("button", { type: "button", class: "demo-stop", disabled: "" }, "Stop");
    this.#state = element("span", { class: "demo-state", "aria-live": "polite" }, "Not run yet.");
    controls.append(element("span", { class: "demo-buttons" }, this.#runButton, this.#stopButton, this.#state));
    controls.addEventListener("submit", (event) => {
      event.preventDefault();
      if (this.#running || this.#queued) return;
      this.#queued = true;
      this.#pressedAt = performance.now();
      this.#schedule(() => {
        this.#queued = false;
        return this.run();
      });
    });
    controls.addEventListener("input", () => {
      this.#showRelevantControls();
      const params = this.#readInputs({ quiet: true });
      if (params) this.#python.update(params);
    });
    this.#stopButton.addEventListener("click", () => this.stop());
    this.#invalid = element("p", { class: "demo-invalid", role: "alert", hidden: "" });
    const notice = element("p", { class: "demo-notice", role: "status" }, problems.length ? `Note: ${problems.join("; ")}.` : "");
    notice.hidden = problems.length === 0;

    const table = element("table", { class: "demo-results" });
    table.append(element("thead", {}, element("tr", {},
      element("th", { scope: "col" }, "Mode"),
      element("th", { scope: "col", class: "demo-num" }, "Wall time"),
      element("th", { scope: "col", class: "demo-num" }, "Speed-up"),
      element("th", { scope: "col", class: "demo-num" }, "Workers"),
      element("th", { scope: "col", class: "demo-num" }, this.#definition.resultHeading),
      ...this.#shownColumns.map((column) => element("th", { scope: "col", class: "demo-num", ...(column.about ? { title: column.about } : {}) }, column.heading)),
    )));
    const tbody = element("tbody");
    for (const mode of this.#modes) {
      const about = this.#spec.modes.find((spec) => spec.name === mode)?.about ?? "";
      const row = element("tr", { "data-mode": mode, class: `demo-mode-${mode}` },
        element("th", { scope: "row" },
          element("span", { class: "demo-mode-name" }, mode),
          element("span", { class: "demo-mode-about" }, about)));
      tbody.append(row);
      this.#rows.set(mode, row);
    }
    table.append(tbody);
    if (this.#shownColumns.length > 0) table.classList.add("demo-results-wide");
    const tableWrap = element("div", { class: "demo-table-wrap" }, table);

    this.#chart = element("div", { class: "demo-chart", role: "img", "aria-label": "Wall time per mode: not run yet" });
    for (const mode of this.#modes) {
      const bar = element("span", { class: "demo-bar" });
      const value = element("span", { class: "demo-bar-value" });
      // No data-mode here: that attribute marks the results table's rows only.
      const row = element("div", { class: `demo-bar-row demo-mode-${mode}` },
        element("span", { class: "demo-bar-label" }, mode),
        element("span", { class: "demo-bar-track" }, bar),
        value);
      this.#chart.append(row);
      this.#bars.set(mode, { row, bar, value });
    }
    this.#refreshRows(this.#params);

    const view = this.#definition.view ? element("div", { class: "demo-view" }) : null;
    if (view) this.#view = this.#definition.view(view, { spec: this.#spec, modes: this.#modes });

    this.#agreement = element("p", { class: "demo-agreement", "aria-live": "polite" });
    this.#error = element("p", { class: "demo-error", role: "alert", hidden: "" });

    const timelineBox = element("div", { class: "demo-timelines", hidden: "" });
    const details = element("p", { class: "demo-details", "aria-live": "polite" });
    this.#timelines = new Timelines(timelineBox, details, {
      taskName: this.#definition.taskName,
      kindNames: this.#definition.kindNames,
      taskNameOf: (event) => this.#definition.taskNameOf?.(event) ?? this.#definition.taskName,
      describe: (run, event) => this.#definition.describeEvent(event, this.#params),
      laneName: (run, lane) => this.#definition.laneName?.(run, lane) ?? laneName(run.uses, lane),
    });
    const timelineSection = element("details", { class: "demo-timeline-section", open: "" },
      element("summary", {}, "Timeline"),
      element("p", { class: "demo-hint" }, "One row per worker or thread; every mode on the same time scale. " +
        "Point at a bar, or focus a chart and use the arrow keys, for details."),
      timelineBox, details);

    const exportBox = this.#buildExport();
    this.#machine = element("p", { class: "demo-machine" });
    this.#showMachine();
    // A mode that starts workers of its own for each run counts their start-up in its time.
    const startsOwnWorkers = Object.values(this.#definition.modes).some((mode) => mode.uses === "own");
    const note = element("p", { class: "demo-note" }, startsOwnWorkers
      ? "Wall times exclude loading the WebAssembly, which happens once. Modes that start their own workers for each task count that start-up in their time; the others' workers are started once and kept between runs."
      : "Wall times exclude starting the workers and loading the WebAssembly, which happens once and is kept between runs.");

    this.#showRelevantControls();
    body.append(summary, controls, this.#invalid, notice, tableWrap, this.#chart, ...(view ? [view] : []),
      this.#agreement, this.#error, timelineSection, exportBox, this.#machine, note);
    const caption = this.#root.querySelector(":scope > figcaption");
    if (caption) caption.after(body);
    else this.#root.prepend(body);
  }

  #buildExport() {
    this.#exportStatus = element("span", { class: "demo-export-status", role: "status" });
    this.#exportText = element("textarea", { class: "demo-export-text", readonly: "", rows: "6", hidden: "", "aria-label": "Exported results" });
    const button = (text, make, done) => {
      const b = element("button", { type: "button" }, text);
      b.addEventListener("click", () => this.#copy(make(), done));
      return b;
    };
    return element("div", { class: "demo-export" },
      element("span", { class: "demo-export-label" }, "Export:"),
      button("Markdown table", () => this.#markdown(), "Markdown table"),
      button("JSON", () => this.#json(), "JSON"),
      button("Link to these settings", () => this.#link(), "link"),
      this.#exportStatus,
      this.#exportText);
  }

  async #copy(text, what) {
    this.#exportText.value = text;
    try {
      await navigator.clipboard.writeText(text);
      this.#exportText.hidden = true;
      this.#exportStatus.textContent = `Copied the ${what}.`;
    } catch {
      // No clipboard (not a secure context, or no permission): the reader copies it by hand.
      this.#exportText.hidden = false;
      this.#exportText.select();
      this.#exportStatus.textContent = `Copy the ${what} from the box below.`;
    }
  }

  // --- Reading the controls ------------------------------------------------------------------

  /** Hides the controls that do not matter for the other controls' current values. */
  #showRelevantControls() {
    const shows = this.#definition.shows;
    if (!shows) return;
    const current = { ...this.#params };
    for (const param of this.#spec.params) {
      const input = this.#inputs.get(param.name);
      if (!input) continue;
      const checked = check(param, param.kind === "switch" ? input.checked : input.value);
      if (checked.ok) current[param.name] = checked.value;
    }
    for (const [name, input] of this.#inputs) input.closest("label").hidden = !shows(name, current);
  }

  /** The controls' values if they are all allowed; otherwise shows why not and returns null. */
  #readInputs({ quiet = false } = {}) {
    const values = { ...this.#params };
    const problems = [];
    for (const param of this.#spec.params) {
      const input = this.#inputs.get(param.name);
      if (!input || input.closest("label").hidden) continue;
      const raw = param.kind === "switch" ? input.checked : input.value;
      const checked = check(param, raw);
      input.toggleAttribute("aria-invalid", !checked.ok);
      if (checked.ok) values[param.name] = checked.value;
      else problems.push(`${param.label} (${param.name}) must be ${describe(param)}`);
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

  /**
   * Gives every row the cells its availability calls for under `params` and the capabilities
   * `found`, and the note its mode gives about how it runs here.
   */
  #refreshRows(params, found = capabilitiesNow()) {
    for (const [mode, row] of this.#rows) {
      this.#showNote(mode, params, found);
      const reason = unavailableReason(this.#needs(mode, params), found);
      const wasUnavailable = row.dataset.status === "unavailable";
      if (reason && (!wasUnavailable || row.querySelector(".demo-unavailable")?.textContent !== reason)) {
        row.querySelectorAll("td").forEach((cell) => cell.remove());
        for (const attribute of this.#rowAttributes) row.removeAttribute(attribute);
        row.dataset.status = "unavailable";
        row.append(element("td", { colspan: String(4 + this.#shownColumns.length), class: "demo-unavailable" }, reason));
      } else if (!reason && (wasUnavailable || !row.querySelector('td[data-cell="ms"]'))) {
        for (const attribute of this.#rowAttributes) row.removeAttribute(attribute);
        row.dataset.status = "idle";
        this.#numberCells(row);
      }
      this.#bars.get(mode)?.row.toggleAttribute("hidden", Boolean(reason));
    }
  }

  /** The mode's note on how it runs in this browser (`data-note`), shown under its name. */
  #showNote(mode, params, found) {
    const row = this.#rows.get(mode);
    const note = this.#definition.modes[mode].note?.({ params, capabilities: found }) ?? null;
    const shown = row.querySelector(".demo-mode-note");
    if (note === null) {
      shown?.remove();
      row.removeAttribute("data-note");
      return;
    }
    row.dataset.note = note;
    if (shown) shown.textContent = note;
    else row.querySelector("th").append(element("span", { class: "demo-mode-note" }, note));
  }

  #markRow(mode, status) {
    const row = this.#rows.get(mode);
    if (!row || row.dataset.status === "unavailable") return;
    row.dataset.status = status;
    if (status === "waiting" || status === "running") {
      for (const attribute of this.#rowAttributes) row.removeAttribute(attribute);
      // A row that showed a refusal gets its number cells back.
      if (!row.querySelector('td[data-cell="ms"]')) this.#numberCells(row);
      for (const cell of row.querySelectorAll("td")) cell.textContent = status === "running" ? "…" : "—";
    }
    if (status === "error" || status === "stopped") {
      const ms = row.querySelector('[data-cell="ms"]');
      if (ms) ms.textContent = status;
    }
  }

  #showResult(mode, result) {
    const row = this.#rows.get(mode);
    if (!row) return;
    row.dataset.status = "done";
    row.dataset.ms = result.ms.toFixed(3);
    row.dataset.result = String(result.total);
    row.dataset.workers = String(result.workers);
    row.dataset.lanes = String(new Set(result.events.filter((e) => e.kind !== "hold").map((event) => event.lane)).size);
    if (typeof result.extra?.expected === "number") {
      row.dataset.expected = String(result.extra.expected);
      row.dataset.lost = String(result.extra.expected - result.total);
    }
    const cells = Object.fromEntries([...row.querySelectorAll("td")].map((cell) => [cell.dataset.cell, cell]));
    cells.ms.textContent = formatMs(result.ms);
    cells.workers.textContent = String(result.workers);
    cells.result.textContent = this.#definition.formatResult?.(result, this.#params) ?? count.format(result.total);
    for (const column of this.#columns) {
      const value = column.value(result);
      if (value === null || value === undefined) continue;
      row.setAttribute(`data-${column.attribute}`, String(value));
      if (cells[column.attribute]) cells[column.attribute].textContent = column.format(value);
    }
    this.#showSpeedups();
  }

  /** A mode that declined to run these parameters: its row says why instead of showing numbers. */
  #showRefusal(mode, reason) {
    const row = this.#rows.get(mode);
    if (!row) return;
    row.dataset.status = "refused";
    row.dataset.refused = reason;
    row.querySelectorAll("td").forEach((cell) => cell.remove());
    row.append(element("td", { colspan: String(4 + this.#shownColumns.length), class: "demo-refused" }, reason));
  }

  /** Gives `row` its number cells (the four every demo has and the definition's own), empty. */
  #numberCells(row) {
    row.querySelectorAll("td").forEach((cell) => cell.remove());
    const cells = [["ms", "Wall time"], ["speedup", "Speed-up"], ["workers", "Workers"], ["result", this.#definition.resultHeading],
      ...this.#shownColumns.map((column) => [column.attribute, column.heading])];
    // Each cell carries its column's name: on a phone the table becomes a card per mode, each
    // number with its name beside it (demos.css), where the column headings are out of sight.
    for (const [cell, label] of cells) {
      row.append(element("td", { class: "demo-num", "data-cell": cell, "data-label": label }, "—"));
    }
  }

  /**
   * The definition's extra columns: { heading, about?, attribute, value(result), format(value) }.
   * A column without a heading is not shown in the table: only its row attribute is set (and
   * its value exported as JSON), for numbers a demo's own figure already shows.
   */
  get #columns() {
    return this.#definition.columns ?? [];
  }

  get #shownColumns() {
    return this.#columns.filter((column) => column.heading);
  }

  get #rowAttributes() {
    return [...ROW_ATTRIBUTES, ...this.#columns.map((column) => `data-${column.attribute}`)];
  }

  /** The mode speed-ups are measured against: the definition's `baseline`, else sequential. */
  get #baseline() {
    return this.#results.get(this.#definition.baseline ?? "sequential");
  }

  #showSpeedups() {
    const baseline = this.#baseline;
    for (const [mode, result] of this.#results) {
      const cell = this.#rows.get(mode)?.querySelector('[data-cell="speedup"]');
      if (!cell) continue;
      cell.textContent = baseline && result.ms > 0 ? `${decimal(1).format(baseline.ms / result.ms)}×` : "—";
    }
  }

  #drawChart() {
    const slowest = Math.max(0, ...[...this.#results.values()].map((result) => result.ms));
    for (const [mode, { bar, value }] of this.#bars) {
      const result = this.#results.get(mode);
      bar.style.setProperty("--share", result && slowest > 0 ? String(result.ms / slowest) : "0");
      value.textContent = result ? formatMs(result.ms) : "";
    }
    const summary = [...this.#results].map(([mode, result]) => `${mode} ${formatMs(result.ms)}`).join(", ");
    this.#chart.setAttribute("aria-label", `Wall time per mode: ${summary || "not run yet"}`);
  }

  #drawTimelines() {
    this.#timelines.show([...this.#results].map(([mode, result]) => ({ mode, uses: this.#definition.modes[mode].uses, result })));
  }

  #showAgreement() {
    if (this.#results.size === 0) return;
    const { agree, text } = this.#definition.agreement
      ? this.#definition.agreement(this.#results, this.#params)
      : sameTotals(this.#results, this.#definition.resultNoun);
    this.#root.dataset.agree = String(agree);
    this.#agreement.classList.toggle("demo-disagree", !agree);
    this.#agreement.textContent = text;
  }

  #showError(message) {
    this.#error.hidden = message === null;
    this.#error.textContent = message === null ? "" : `Error — ${message}`;
  }

  // --- Export --------------------------------------------------------------------------------

  #rowsForExport() {
    const baseline = this.#baseline;
    return this.#modes.map((mode) => {
      const result = this.#results.get(mode);
      const status = this.#rows.get(mode)?.dataset.status ?? "idle";
      const refused = this.#runs.get(mode)?.refused;
      if (refused) return { mode, status, refused };
      if (!result) return { mode, status };
      return {
        mode,
        status,
        ms: Number(result.ms.toFixed(3)),
        speedup: baseline && result.ms > 0 ? Number((baseline.ms / result.ms).toFixed(2)) : null,
        workers: result.workers,
        result: result.total,
        shown: this.#definition.formatResult?.(result, this.#params) ?? count.format(result.total),
        ...(typeof result.extra?.expected === "number" ? { expected: result.extra.expected } : {}),
        ...Object.fromEntries(this.#columns.map((column) => [column.attribute, column.value(result) ?? null])),
      };
    });
  }

  #markdown() {
    return toMarkdown({
      title: this.#spec.title, demo: this.#spec.name, params: this.#params, spec: this.#spec,
      resultHeading: this.#definition.resultHeading, columns: this.#shownColumns, rows: this.#rowsForExport(),
      agreement: this.#agreement.textContent, machine: describeMachine(capabilitiesNow()), link: this.#link(),
    });
  }

  #json() {
    return toJson({
      demo: this.#spec.name, params: this.#params, rows: this.#rowsForExport(),
      agree: this.#root.dataset.agree === undefined ? null : this.#root.dataset.agree === "true",
      machine: describeMachine(capabilitiesNow()), link: this.#link(),
    });
  }

  /** This page with this demo's current parameters in the query string, scrolled to the demo. */
  #link() {
    const params = this.#readInputs({ quiet: true }) ?? this.#params;
    const query = new URLSearchParams(location.search);
    for (const key of [...query.keys()]) if (key.startsWith(`${this.#id}.`) || key === "autorun" || key === "demo-fail") query.delete(key);
    for (const [key, value] of queryFor(this.#spec, this.#id, params)) query.set(key, value);
    const url = new URL(location.href);
    url.search = query.toString();
    url.hash = this.#root.id;
    return url.href;
  }
}

/** The default agreement rule: every mode's total is the same. */
function sameTotals(results, noun = "") {
  const totals = new Set([...results.values()].map((result) => result.total));
  const agree = totals.size === 1;
  if (agree) {
    const [total] = totals;
    const modes = results.size === 1 ? "The mode that ran found" : `All ${results.size} modes agree:`;
    return { agree, text: `${modes} ${count.format(total)}${noun ? ` ${noun}` : ""}` };
  }
  const each = [...results].map(([mode, result]) => `${mode} ${count.format(result.total)}`).join(", ");
  return { agree, text: `Modes disagree: ${each}` };
}

/** "worker", "thread 2", "worker 3", "page thread". */
function laneName(uses, lane) {
  switch (uses) {
    case "threads": return `thread ${lane + 1}`;
    case "processes": return `worker ${lane + 1}`;
    case "main": return "page thread";
    default: return "worker";
  }
}

/** The control for `param`, holding `value`. */
function control(param, value) {
  switch (param.kind) {
    case "int":
      return element("input", {
        type: "number", name: param.name, min: String(param.min), max: String(param.max), step: "1",
        value: String(value), inputmode: "numeric", required: "",
      });
    case "choice": {
      const select = element("select", { name: param.name });
      for (const choice of param.allowed) select.append(element("option", { value: choice }, choice));
      select.value = value;
      return select;
    }
    case "switch": {
      const box = element("input", { type: "checkbox", name: param.name });
      box.checked = Boolean(value);
      return box;
    }
    default:
      throw new Error(`unknown kind of parameter ${JSON.stringify(param.kind)}`);
  }
}

