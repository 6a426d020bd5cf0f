// One demo on the page: puts its controls, results table, bar chart, agreement line, timelines,
// export buttons and "your machine" line inside the `[data-demo]` element, runs the chosen modes
// one after another, and keeps the element's data-* attributes (the public contract tests read)
// in step with what the reader sees. Each of those parts is a module of this folder; this one
// runs the modes and tells the parts what happened, and the series of runs of a sweep
// ("Sweep workers 1 → N", `?sweep=<parameter>`: ./sweep-section.js). A run can be shared as a
// link (`#run=…`, ./share-codec.js): opening one shows that run beside the reader's.
//
// What differs between demos (where each mode runs, how results agree, what a task is called)
// comes from the demo's definition in ../definitions/<name>.js; bounds, defaults and the mode
// speed-ups are measured against come from the catalogue (`data-spec`). A definition may also:
//   columns    add columns to the table, each also a `data-<attribute>` on the row (one
//              without a heading is that attribute only, not shown);
//   view       draw a figure of its own under the bar chart, shown every mode's run (refused
//              ones included) and handed to the modes' `run`;
//   laneName   name its own timeline lanes (from `run.result.laneNames`, where a run names them);
//   kindNames  say what each kind of timeline bar means here, for the legend;
//   shows      hide the controls that do not matter for the others' values;
//   workers    say how many lanes a run asks for (`workers(params)`), for a demo whose count
//              is not its `workers` parameter;
//   blockParams  name settings of the block that are no reader control (kept from data-params).
// A mode may decline parameters it cannot run (its run resolves with `{ refused: reason }`):
// its row says why, with `data-status="refused"` and `data-refused`, and it has no result.

import { DemoPool, STOPPED, failOn, failsOnPurpose } from "../runtime/lanes.js";
import { capabilities, capabilitiesNow, unavailableReason } from "../runtime/capabilities.js";
import { blockParams, readSpec, startingParams } from "./params.js";
import { buildParts } from "./parts.js";
import { speedups } from "./speedup.js";
import { figureExports, pageLink } from "./export.js";
import { describeMachine } from "./machine.js";
import { PythonTwin } from "./python-twin.js";
import { cpythonSection } from "./cpython-section.js";
import { sweepPlan, sweepTop } from "./sweep-section.js";

/** The link's codec (./share-codec.js), loaded only when a run is shared or a link shares one. */
const shareCodec = () => import("./share-codec.js");
/** Whether the page's fragment may hold a shared run (`#run=…`): the codec reads it. */
const fragmentShares = () => /(^#|&)run=/.test(location.hash);

/** How many lanes each kind of lane gives, when the runner does not say. */
const LANES = { single: () => 1, main: () => 1, own: () => 1, threads: (workers) => workers, processes: (workers) => workers };

export class DemoWidget {
  #root;
  #id;
  #spec;
  #definition;
  #params;
  #modes;
  /** Every mode both the catalogue and the definition know, chosen or not: what a sweep picks from. */
  #known;
  #pool;
  #results = new Map();
  /** What every mode's run gave, refused ones included: for the definition's own figure. */
  #runs = new Map();
  /** The figure's parts (./parts.js): controls, table, chart, view, agreement, timelines, machine line. */
  #parts;
  #python;
  /** `root.demoExport`: the results as a Markdown table, as JSON, and a link. */
  #exports;
  #running = false;
  #queued = false;
  #schedule;
  /** The run a link shares (./share-codec.js), shown beside the reader's; or null. */
  #shared = null;
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
    Object.assign(params, blockParams(root, definition.blockParams ?? []));
    this.#params = params;
    const known = this.#spec.modes.map((mode) => mode.name).filter((mode) => mode in definition.modes);
    this.#known = known;
    this.#modes = (params.modes ?? known).filter((mode) => known.includes(mode));
    if (this.#modes.length === 0) throw new Error("data-params lists no known modes");
    this.#pool = new DemoPool(definition.warmUp);
    if (!root.id) root.id = `demo-${id}`;
    this.#build(problems);
    this.#python = new PythonTwin(root, this.#spec);
    this.#python.update(this.#params);
    cpythonSection(root, { spec: this.#spec, definition, timelines: this.#parts.timelines, params: () => this.#params });
    this.#root.dataset.status = "idle";
    // Once a worker has said whether it may block, rows and the machine line say what is true.
    capabilities().then((found) => {
      if (!this.#running) this.#refreshRows(this.#params, found);
      this.#parts.machine.show(found);
      // No sweep button where this browser runs none of the modes a sweep could use.
      this.#parts.controls.offerSweep(this.#sweepPlan("workers", this.#params, found) !== null);
    });
    this.#root.demoExport = this.#exports;
    this.#loadShared();
    // A link pasted into the same tab changes only the fragment: read it again.
    addEventListener("hashchange", () => {
      if (fragmentShares()) this.#loadShared();
    });
  }

  /**
   * Shows the run the page's link shares (`#run=…`) when it is for this figure (or for none on
   * the page, and this is the first): `data-shared` "loaded" and the shared run beside the
   * reader's, or "invalid" and a sentence saying why it cannot be shown.
   */
  async #loadShared() {
    if (!fragmentShares()) return;
    let codec;
    try {
      codec = await shareCodec();
    } catch {
      this.#root.dataset.shared = "invalid";
      this.#parts.share.say("This link's shared run cannot be shown: the page could not load what reads it. The demo works as usual.", true);
      return;
    }
    const { decodeShare, shareFigure, shareValue } = codec;
    const value = shareValue(location.hash);
    if (value === null) return;
    const target = shareFigure(value);
    const roots = [...document.querySelectorAll("[data-demo]")];
    const seen = new Map();
    const ids = roots.map((root) => {
      const n = (seen.get(root.dataset.demo) ?? 0) + 1;
      seen.set(root.dataset.demo, n);
      return n === 1 ? root.dataset.demo : `${root.dataset.demo}-${n}`;
    });
    if (target !== this.#id && (ids.includes(target) || roots[0] !== this.#root)) return;
    this.#shared = null;
    delete this.#root.dataset.shared;
    this.#parts.chart.showShared(null);
    this.#parts.timelines.showShared(null);
    const { share, error } = await decodeShare(value, { demo: this.#spec.name, figure: this.#id, modes: this.#known });
    if (error) {
      this.#root.dataset.shared = "invalid";
      this.#parts.share.say(`${error} The demo works as usual.`, true);
      return;
    }
    this.#root.dataset.shared = "loaded";
    this.#shared = share;
    this.#parts.chart.showShared(share);
    this.#parts.timelines.showShared(share);
    this.#sayShared(this.#results.size > 0);
  }

  /** The note about the shared run: alone (before the reader's run) or beside it. */
  #sayShared(beside) {
    const share = this.#shared;
    if (!share) return;
    const differ = this.#spec.params
      .filter((param) => param.kind !== "choices" && share.params[param.name] !== undefined && share.params[param.name] !== this.#params[param.name])
      .map((param) => `${param.name} = ${share.params[param.name]}`);
    const params = differ.length > 0 ? ` It ran with ${differ.join(", ")}, unlike yours.` : "";
    this.#parts.share.say(beside
      ? `Beside your run: a run shared from another machine (${share.machine}), its bars lighter and hatched, its timeline under yours.${params}`
      : `A run shared from another machine: press Run to compare with yours.${params}`);
  }

  /** This page's link with the last run packed into its fragment (`#run=…`). */
  async #shareLink() {
    const { encodeShare, sharePayload, SHARE_KEY } = await shareCodec();
    const params = this.#params;
    const payload = sharePayload({
      demo: this.#spec.name, figure: this.#id, params,
      rows: this.#exports.rows(), results: this.#results,
      machine: describeMachine(capabilitiesNow()).replace(/^Your machine: /, "").replace(/\.$/, ""),
    });
    const url = new URL(pageLink(this.#spec, this.#id, params, this.#root.id));
    url.hash = `${SHARE_KEY}=${await encodeShare(payload)}`;
    return url.href;
  }

  /** The demo's element. */
  get element() {
    return this.#root;
  }

  /** Starts the workers so the first run measures only the work; resolves when they are ready. */
  prepare() {
    const params = this.#parts.controls.read(this.#params, { quiet: true });
    if (!params) return Promise.resolve();
    const uses = this.#modes
      .filter((mode) => !unavailableReason(this.#needs(mode, params), capabilitiesNow()))
      .map((mode) => this.#definition.modes[mode].uses);
    return this.#pool.prepare(uses, this.#workersOf(params)).catch(() => {
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
    const params = this.#parts.controls.read(this.#params);
    if (!params) return;
    const found = await this.#begin(params);
    let readyMs = performance.now() - pressedAt;
    const failures = [];
    let stopped = false;
    for (const mode of this.#modes) {
      if (unavailableReason(this.#needs(mode, params), found)) continue;
      const outcome = await this.#runMode(mode, params, found);
      if (outcome.stopped) {
        stopped = true;
        break;
      }
      if (outcome.failure) {
        // The other modes still run; the failed mode's workers are replaced next time.
        failures.push(outcome.failure);
        this.#parts.showError(failures.join("\n"));
        this.#pool.stop();
      } else {
        readyMs += outcome.readyMs;
      }
    }
    this.#root.dataset.readyMs = readyMs.toFixed(1);
    this.#finish(stopped ? "stopped" : failures.length > 0 ? "error" : "done", params);
  }

  /** Stops a run at once: its workers are ended and started afresh on the next run. */
  stop() {
    if (!this.#running) return;
    this.#pool.stop();
  }

  /** Clears the last run's results for a run with `params`; resolves with the capabilities found. */
  async #begin(params) {
    this.#params = params;
    this.#running = true;
    this.#parts.controls.running();
    this.#parts.showError(null);
    this.#parts.share.offer(null);
    this.#root.dataset.status = "running";
    const found = await capabilities();
    this.#root.removeAttribute("data-agree");
    this.#parts.agreement.clear();
    this.#results = new Map();
    this.#runs = new Map();
    this.#refreshRows(params, found);
    for (const mode of this.#modes) this.#parts.table.mark(mode, "waiting");
    this.#parts.chart.draw(this.#results);
    this.#parts.timelines.show([]);
    this.#parts.view?.show(this.#runs, params);
    return found;
  }

  /** Runs `mode` once and shows what it gave: { readyMs }, { failure } or { stopped }. */
  async #runMode(mode, params, found) {
    this.#parts.table.mark(mode, "running");
    this.#parts.controls.say(`Running ${mode}…`);
    // data-phase: "starting" while the mode's workers (or the page's module) load, then "running".
    this.#root.dataset.phase = "starting";
    try {
      const result = await this.#call(mode, params, found, () => { this.#root.dataset.phase = "running"; });
      this.#show(mode, result, params);
      return { readyMs: result.readyMs };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message === STOPPED) {
        this.#parts.table.mark(mode, "stopped");
        return { stopped: true };
      }
      this.#parts.table.mark(mode, "error");
      return { failure: `${mode}: ${message}` };
    }
  }

  /** Runs `mode` once with `params` on its lanes (ready first); resolves with its result. */
  async #call(mode, params, found, onReady = () => {}) {
    const definition = this.#definition.modes[mode];
    const workers = this.#workersOf(params);
    const result = await this.#pool.run(definition.uses, workers, ({ lanes, signal }) =>
      failsOnPurpose(mode) ? failOn(lanes[0], mode) : definition.run({ lanes, params, signal, view: this.#parts.view, capabilities: found }),
    { onReady });
    result.workers ??= LANES[definition.uses](workers);
    return result;
  }

  /**
   * Sweeps `param` (workers, or another whole-number parameter) with the fastest parallel mode
   * this browser runs, against the baseline mode: see ./sweep-section.js. The results table keeps
   * the last run's results. Resolves when done, stopped or failed; a demo that cannot sweep says
   * why in its state line.
   */
  async sweep(param = "workers") {
    if (this.#running || !this.#parts.sweep) return;
    const params = this.#parts.controls.read(this.#params);
    if (!params) return;
    const found = await capabilities();
    const plan = this.#sweepPlan(param, params, found);
    if (!plan) {
      const possible = this.#sweepPlan(param, params, null);
      this.#parts.controls.say(possible
        ? `Not swept: this browser cannot run ${possible.mode}, the only mode a sweep could use here.`
        : `Not swept: a sweep needs a whole-number parameter (${param} is not one here) and the demo's workers.`);
      return;
    }
    this.#running = true;
    this.#parts.controls.running();
    this.#parts.showError(null);
    this.#root.dataset.status = "running";
    let outcome = "done";
    try {
      await this.#parts.sweep.run({
        plan, params, top: sweepTop(this.#spec, params.workers),
        measure: (mode, job) => this.#call(mode, job, found),
        say: (text) => this.#parts.controls.say(text),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = message === STOPPED ? "stopped" : "error";
      if (outcome === "error") this.#parts.showError(`sweep: ${message}`);
      // Workers that failed are started afresh by the next run.
      if (outcome === "error") this.#pool.stop();
    }
    this.#running = false;
    this.#parts.controls.done();
    this.#root.dataset.status = outcome === "stopped" ? "idle" : outcome;
    this.#parts.controls.say({ done: "Sweep done.", stopped: "Stopped.", error: "Sweep failed." }[outcome]);
  }

  /** What a sweep of `param` at `params` would run (./sweep-section.js), with the capabilities `found` (null: as if every mode could run). */
  #sweepPlan(param, params, found) {
    return sweepPlan(this.#spec, this.#known, param, (mode) => this.#definition.modes[mode].uses,
      (mode) => found === null || !unavailableReason(this.#needs(mode, params), found));
  }

  /** Shows what `mode` gave: its row (numbers or why it declined), the charts and speed-ups. */
  #show(mode, result, params) {
    this.#runs.set(mode, result);
    if (result.refused) {
      this.#parts.table.showRefusal(mode, result.refused);
    } else {
      this.#results.set(mode, result);
      this.#parts.table.showResult(mode, result, params);
      this.#parts.table.showSpeedups(this.#speedups());
    }
    this.#parts.chart.draw(this.#results);
    this.#parts.timelines.show([...this.#results].map(([name, run]) => ({ mode: name, uses: this.#definition.modes[name].uses, result: run })));
    this.#parts.view?.show(this.#runs, params);
  }

  /**
   * Ends a run that ended as `outcome` ("done", "stopped" or "error"), and tells the page:
   * `root.demoRun` and the `demo-run` event's detail say what ran with which parameters (`job`),
   * each mode's result, and its speed-up over the `baseline` mode (null where there is none).
   */
  #finish(outcome, params) {
    delete this.#root.dataset.phase;
    for (const mode of this.#parts.table.modesWith("waiting")) this.#parts.table.mark(mode, "idle");
    this.#showAgreement();
    this.#running = false;
    this.#parts.controls.done();
    this.#root.dataset.status = outcome === "stopped" ? "idle" : outcome;
    this.#parts.controls.say({ done: "Done.", stopped: "Stopped.", error: "Finished with an error." }[outcome]);
    this.#root.demoRun = {
      job: { ...params },
      results: Object.fromEntries(this.#results),
      baseline: this.#spec.baseline,
      speedups: Object.fromEntries(this.#speedups()),
    };
    this.#parts.share.offer(this.#results.size > 0 ? () => this.#shareLink() : null);
    this.#sayShared(this.#results.size > 0);
    this.#root.dispatchEvent(new CustomEvent("demo-run", { bubbles: true, detail: this.#root.demoRun }));
  }

  /** How many lanes a run with `params` asks for: the definition's count, else `workers`. */
  #workersOf(params) {
    return this.#definition.workers?.(params) ?? params.workers;
  }

  /** What `mode` needs of the browser at `params`: its own `needs`, else a worker if it uses one. */
  #needs(mode, params) {
    const { needs, uses } = this.#definition.modes[mode];
    const own = typeof needs === "function" ? needs(params) : needs ?? null;
    return own ?? (uses === "main" ? null : "worker");
  }

  /** Each mode's speed-up over the demo's baseline mode (the catalogue's), in this run. */
  #speedups() {
    return speedups(this.#results, this.#spec.baseline);
  }

  #build(problems) {
    this.#exports = this.#figureExports();
    this.#parts = buildParts(this.#root, {
      spec: this.#spec, definition: this.#definition, modes: this.#modes, params: this.#params, problems,
      currentParams: () => this.#params, exports: this.#exports,
      onRun: () => this.#press(),
      onStop: () => this.stop(),
      onInput: () => {
        this.#parts.controls.showRelevant(this.#params);
        const params = this.#parts.controls.read(this.#params, { quiet: true });
        if (params) {
          this.#python.update(params);
          this.#parts.controls.sweepTo(sweepTop(this.#spec, params.workers));
        }
      },
      // Demos with workers and a parallel mode can sweep them (which mode is decided at the sweep).
      onSweep: this.#sweepPlan("workers", this.#params, null) ? () => this.#pressSweep() : null,
    });
    this.#parts.controls.sweepTo(sweepTop(this.#spec, this.#params.workers));
    this.#refreshRows(this.#params);
    this.#parts.controls.showRelevant(this.#params);
  }

  #figureExports() {
    return figureExports({
      spec: this.#spec, id: this.#id, anchor: this.#root.id, definition: this.#definition, modes: this.#modes,
      params: () => this.#params,
      linkParams: () => this.#parts.controls.read(this.#params, { quiet: true }) ?? this.#params,
      results: () => this.#results,
      runs: () => this.#runs,
      statusOf: (mode) => this.#parts.table.status(mode),
      speedups: () => this.#speedups(),
      agreement: () => ({
        text: this.#parts.agreement.text,
        agree: this.#root.dataset.agree === undefined ? null : this.#root.dataset.agree === "true",
      }),
    });
  }

  /** A Run press: runs when `schedule` gives it its turn (once, however often it is pressed). */
  #press() {
    if (this.#running || this.#queued) return;
    this.#queued = true;
    this.#pressedAt = performance.now();
    this.#schedule(() => {
      this.#queued = false;
      return this.run();
    });
  }

  /** A press of the sweep button: sweeps when `schedule` gives it its turn. */
  #pressSweep() {
    if (this.#running || this.#queued) return;
    this.#queued = true;
    this.#schedule(() => {
      this.#queued = false;
      return this.sweep("workers");
    });
  }

  /**
   * Gives every row the cells its availability calls for under `params` and the capabilities
   * `found`, and the note its mode gives about how it runs here.
   */
  #refreshRows(params, found = capabilitiesNow()) {
    for (const mode of this.#modes) {
      const reason = unavailableReason(this.#needs(mode, params), found);
      const note = this.#definition.modes[mode].note?.({ params, capabilities: found }) ?? null;
      this.#parts.table.showAvailability(mode, reason, note);
      this.#parts.chart.hide(mode, Boolean(reason));
    }
  }

  #showAgreement() {
    if (this.#results.size === 0) return;
    this.#root.dataset.agree = String(this.#parts.agreement.show(this.#results, this.#params));
  }
}
