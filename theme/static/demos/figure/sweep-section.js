// A sweep of a demo's workers, 1 → N: the fastest parallel mode this browser runs (threads, else
// processes) at each worker count, against the demo's baseline mode at the same other
// parameters, each run at least three times. Shows a row per worker count (the page's DOM
// contract: `[data-sweep]` rows with `data-param`, `data-value`, `data-workers`, `data-speedup`,
// `data-efficiency`, …; `data-serial-fraction` and `data-sweep-status` on the figure), the
// speed-up and efficiency charts (../charts/scaling-chart.js), Amdahl's serial fraction fitted to
// the speed-ups with the ceiling it implies, and a warning when repeats vary by more than 10%.
// The arithmetic is ./sweep-math.js; ./widget.js runs each job (`measure`).

import { scalingCharts } from "../charts/scaling-chart.js";
import { formatMs } from "../charts/format.js";
import { element } from "../dom.js";
import { SPREAD_LIMIT, amdahlFit, median, scalingPoint, sweepValues } from "./sweep-math.js";

/** How many times each job of a sweep runs. */
export const REPEATS = 3;
/** The modes a sweep may sweep, fastest first. */
const PARALLEL = ["threads", "processes"];

const count = new Intl.NumberFormat("en");
const twoDigits = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const tenth = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 });
const small = new Intl.NumberFormat("en", { maximumSignificantDigits: 3 });
const finePercent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });

/**
 * What a sweep of `param` would run for the demo `spec`, among `modes` (those its definition
 * has), where `uses(mode)` is the kind of lanes a mode runs on and `available(mode)` says whether
 * this browser can run it: { mode, skipped, baseline }, or null when the demo has no such
 * parameter, no baseline, or no parallel mode (other than its baseline) whose lanes are its
 * workers. `skipped` is the faster parallel mode that cannot run here, if any.
 */
export function sweepPlan(spec, modes, param, uses, available) {
  if (param !== "workers" || !spec.params.some((p) => p.name === "workers" && p.kind === "int")) return null;
  if (!modes.includes(spec.baseline)) return null;
  const parallel = PARALLEL.filter((mode) => modes.includes(mode) && mode !== spec.baseline && uses(mode) === mode);
  const mode = parallel.find(available);
  if (!mode) return null;
  return { mode, skipped: parallel.slice(0, parallel.indexOf(mode))[0] ?? null, baseline: spec.baseline };
}

/** The highest worker count a sweep to `workers` goes to: at least 2 (and no more than the catalogue allows). */
export function sweepTop(spec, workers) {
  const param = spec.params.find((p) => p.name === "workers");
  return Math.min(param?.max ?? workers, Math.max(2, workers));
}

export class SweepSection {
  #root;
  #spec;
  #caption;
  #charts;
  #table;
  #baseline;
  #fit;
  #warning;

  /** The section of the figure `root` of the demo `spec`, hidden until a sweep starts. */
  constructor(root, spec) {
    this.#root = root;
    this.#spec = spec;
    this.#caption = element("p", { class: "demo-scaling-caption" });
    this.#charts = element("div", { class: "demo-scaling-charts" });
    this.#table = element("tbody");
    this.#baseline = element("p", { class: "demo-scaling-baseline" });
    this.#fit = element("p", { class: "demo-scaling-fit" });
    this.#warning = element("p", { class: "demo-scaling-warning", role: "status", hidden: "" });
    const head = element("thead", {}, element("tr", {},
      element("th", { scope: "col" }, "Workers"),
      element("th", { scope: "col", class: "demo-num" }, "Wall time"),
      element("th", { scope: "col", class: "demo-num" }, "Speed-up"),
      element("th", { scope: "col", class: "demo-num" }, "Efficiency")));
    this.element = element("section", { class: "demo-scaling", hidden: "", "aria-label": "Sweep of workers" },
      this.#caption, this.#charts,
      element("p", { class: "demo-scaling-legend" },
        "Dots: the median of the runs; whiskers: the slowest to the fastest run. Dotted: the ideal (speed-up equal to the workers, 100% efficiency). Dashed: Amdahl's law with the fitted serial fraction."),
      element("div", { class: "demo-table-wrap" }, element("table", { class: "demo-results demo-scaling-table" }, head, this.#table)),
      this.#baseline, this.#fit, this.#warning);
  }

  /**
   * Runs the sweep of `plan` (from `sweepPlan`) from 1 to `top` workers over `params`: the
   * baseline `REPEATS` times (once for every worker count: the baseline's lanes do not depend on
   * them), then the swept mode `REPEATS` times at each count, showing each count as it is done.
   * `measure(mode, params)` runs one job and resolves with its result (`ms`); `say(text)` tells
   * the reader where it is. Rejects with what `measure` rejected with (Stop, a failure).
   */
  async run({ plan, params, top, measure, say }) {
    const values = sweepValues(top);
    const root = this.#root;
    root.dataset.sweepStatus = "running";
    root.dataset.sweepMode = plan.mode;
    root.dataset.sweepParam = "workers";
    root.removeAttribute("data-serial-fraction");
    root.removeAttribute("data-sweep-ceiling");
    this.element.hidden = false;
    this.#caption.textContent = this.#captionText(plan, params, values);
    this.#table.replaceChildren();
    this.#charts.replaceChildren();
    this.#baseline.textContent = "";
    this.#fit.textContent = "";
    this.#warning.hidden = true;
    try {
      const baselineMs = [];
      for (let repeat = 1; repeat <= REPEATS; repeat++) {
        say(`Sweeping: ${plan.baseline}, run ${repeat} of ${REPEATS}…`);
        baselineMs.push((await measure(plan.baseline, params)).ms);
      }
      this.#baseline.textContent = `${plan.baseline} (the baseline): ${formatMs(median(baselineMs))}, the median of ${REPEATS} runs ` +
        `(${formatMs(Math.min(...baselineMs))}–${formatMs(Math.max(...baselineMs))}); each speed-up is measured against it.`;
      const points = [];
      for (const workers of values) {
        const ms = [];
        for (let repeat = 1; repeat <= REPEATS; repeat++) {
          say(`Sweeping: ${plan.mode} with ${workers} of ${top} workers, run ${repeat} of ${REPEATS}…`);
          ms.push((await measure(plan.mode, { ...params, workers })).ms);
        }
        points.push(scalingPoint(workers, ms, baselineMs));
        this.#show(plan, points, null);
      }
      const fit = amdahlFit(points);
      this.#show(plan, points, fit);
      this.#showWarning(plan, points);
      root.dataset.sweepStatus = "done";
      return { points, fit };
    } catch (error) {
      root.dataset.sweepStatus = error instanceof Error && error.message === "stopped" ? "stopped" : "error";
      throw error;
    }
  }

  #captionText(plan, params, values) {
    const why = plan.skipped ? `${plan.mode}, as this browser cannot run ${plan.skipped}` : `${plan.mode}, the fastest parallel mode this browser runs`;
    const others = this.#spec.params
      .filter((p) => p.name !== "workers" && p.kind === "int" && typeof params[p.name] === "number")
      .map((p) => `${p.name} = ${count.format(params[p.name])}`);
    return `Workers 1 → ${values.at(-1)}: ${why}, against ${plan.baseline} (the baseline)` +
      `${others.length ? ` at ${others.join(", ")}` : ""}; every job run ${REPEATS} times.`;
  }

  /** Shows `points` in the table and charts, and `fit` (when the sweep is over). */
  #show(plan, points, fit) {
    const rows = points.map((point) => element("tr", {
      "data-sweep": "", "data-param": "workers", "data-value": String(point.workers), "data-workers": String(point.workers),
      "data-mode-swept": plan.mode, "data-repeats": String(point.repeats),
      "data-ms": point.ms.toFixed(3), "data-ms-min": point.msMin.toFixed(3), "data-ms-max": point.msMax.toFixed(3),
      "data-baseline-ms": point.baselineMs.toFixed(3),
      "data-speedup": point.speedup.toFixed(6), "data-speedup-min": point.speedupMin.toFixed(6), "data-speedup-max": point.speedupMax.toFixed(6),
      "data-efficiency": point.efficiency.toFixed(6), "data-spread": point.spread.toFixed(4),
    },
    element("th", { scope: "row" }, `${point.workers} worker${point.workers === 1 ? "" : "s"}`),
    element("td", { class: "demo-num", "data-label": "Wall time" }, formatMs(point.ms),
      element("span", { class: "demo-scaling-range" }, `${formatMs(point.msMin)} – ${formatMs(point.msMax)}`)),
    element("td", { class: "demo-num", "data-label": "Speed-up" }, `${twoDigits.format(point.speedup)}×`,
      element("span", { class: "demo-scaling-range" }, `${twoDigits.format(point.speedupMin)}× – ${twoDigits.format(point.speedupMax)}×`)),
    element("td", { class: "demo-num", "data-label": "Efficiency" }, percent.format(point.efficiency))));
    this.#table.replaceChildren(...rows);
    this.#charts.replaceChildren(...scalingCharts(points, { mode: plan.mode, fraction: fit?.fraction ?? null, label: "workers" }));
    if (!fit) return;
    const root = this.#root;
    if (fit.fraction === null) {
      this.#fit.textContent = "One worker count tells nothing about Amdahl's serial fraction: sweep to 2 workers or more.";
      return;
    }
    root.dataset.serialFraction = fit.fraction.toFixed(6);
    root.dataset.sweepCeiling = String(fit.ceiling);
    const method = "Amdahl's law, fitted by least squares of 1/speed-up against 1/workers";
    if (fit.fraction >= 1) {
      this.#fit.textContent = `${method}, gives a serial fraction of 100% (the fit is held to 0–100%): ${plan.mode} gained nothing on ${plan.baseline} from more workers, so more would not help at these parameters.`;
    } else if (fit.fraction <= 0) {
      this.#fit.textContent = `${method}, gives a serial fraction of 0%: ${plan.mode} sped up with every worker added, so these runs show no ceiling on its speed-up.`;
    } else {
      this.#fit.textContent = `${method}, gives a serial fraction of ${finePercent.format(fit.fraction)}: however many workers it had, ${plan.mode} could run at most ${tenth.format(fit.ceiling)}× faster than ${plan.baseline} (1 / ${small.format(fit.fraction)}).`;
    }
  }

  #showWarning(plan, points) {
    const base = points[0];
    const uneven = points.filter((point) => point.spread > SPREAD_LIMIT).map((point) => ({ what: `${point.workers} worker${point.workers === 1 ? "" : "s"}`, spread: point.spread }));
    if (base.baselineSpread > SPREAD_LIMIT) uneven.unshift({ what: plan.baseline, spread: base.baselineSpread });
    this.#warning.hidden = uneven.length === 0;
    this.#root.toggleAttribute("data-sweep-uneven", uneven.length > 0);
    if (uneven.length === 0) {
      this.#warning.textContent = "";
      return;
    }
    const worst = Math.max(...uneven.map((item) => item.spread));
    this.#warning.textContent = `Uneven repeats: the fastest and slowest of the ${REPEATS} runs differed by more than 10% of their median ` +
      `(${uneven.map((item) => item.what).join(", ")}; up to ${percent.format(worst)}). Something else was probably using the cores: ` +
      "take these speed-ups and the fit as rough, or sweep again.";
  }
}
