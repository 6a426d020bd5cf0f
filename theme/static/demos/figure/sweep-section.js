// A sweep of a demo's workers, 1 → N, or of another whole-number parameter: the fastest parallel
// mode this browser runs (threads, else processes) at each value, against the demo's baseline
// mode at the same other parameters, each run at least three times. Shows a row per value (the
// page's DOM contract: `[data-sweep]` rows with `data-param`, `data-value`, `data-workers`,
// `data-speedup`, `data-efficiency`, …; `data-serial-fraction` and `data-sweep-status` on the
// figure), the speed-up and efficiency charts (../charts/scaling-chart.js), for workers Amdahl's
// serial fraction fitted to the speed-ups with the ceiling it implies, and a warning when repeats
// vary by more than 10%. The arithmetic is ./sweep-math.js; ./widget.js runs each job (`measure`).

import { scalingCharts } from "../charts/scaling-chart.js";
import { formatMs } from "../charts/format.js";
import { element } from "../dom.js";
import { SPREAD_LIMIT, amdahlFit, median, parameterValues, scalingPoint, sweepValues } from "./sweep-math.js";

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
 * this browser can run it: { param, mode, skipped, baseline }, or null when the demo has no
 * workers or no such whole-number parameter, no baseline, or no parallel mode (other than its
 * baseline) whose lanes are its workers. `skipped` is the faster parallel mode that cannot run
 * here, if any.
 */
export function sweepPlan(spec, modes, param, uses, available) {
  const isInt = (name) => spec.params.some((p) => p.name === name && p.kind === "int");
  if (!isInt("workers") || !isInt(param)) return null;
  if (!modes.includes(spec.baseline)) return null;
  const parallel = PARALLEL.filter((mode) => modes.includes(mode) && mode !== spec.baseline && uses(mode) === mode);
  const mode = parallel.find(available);
  if (!mode) return null;
  return { param, mode, skipped: parallel.slice(0, parallel.indexOf(mode))[0] ?? null, baseline: spec.baseline };
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
  #heading;
  #legend;
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
    this.#heading = element("th", { scope: "col" }, "Workers");
    this.#legend = element("p", { class: "demo-scaling-legend" });
    const head = element("thead", {}, element("tr", {},
      this.#heading,
      element("th", { scope: "col", class: "demo-num" }, "Wall time"),
      element("th", { scope: "col", class: "demo-num" }, "Speed-up"),
      element("th", { scope: "col", class: "demo-num" }, "Efficiency")));
    this.element = element("section", { class: "demo-scaling", hidden: "", "aria-label": "Sweep of workers" },
      this.#caption, this.#charts, this.#legend,
      element("div", { class: "demo-table-wrap" }, element("table", { class: "demo-results demo-scaling-table" }, head, this.#table)),
      this.#baseline, this.#fit, this.#warning);
  }

  /**
   * Runs the sweep of `plan` (from `sweepPlan`) over `params`: for workers, from 1 to `top`, the
   * baseline `REPEATS` times once (its lanes do not depend on the workers), then the swept mode
   * `REPEATS` times at each count; for another parameter, at each of `parameterValues` up to its
   * value in `params`, the baseline then the swept mode `REPEATS` times each. Each value is shown
   * as it is done. `measure(mode, params)` runs one job and resolves with its result (`ms`);
   * `say(text)` tells the reader where it is. Rejects with what `measure` rejected with (Stop, a
   * failure).
   */
  async run({ plan, params, top, measure, say }) {
    const param = plan.param;
    const workersSwept = param === "workers";
    const bounds = this.#spec.params.find((p) => p.name === param);
    const values = workersSwept ? sweepValues(top) : parameterValues(params[param], bounds.min, bounds.max);
    const root = this.#root;
    root.dataset.sweepStatus = "running";
    root.dataset.sweepMode = plan.mode;
    root.dataset.sweepParam = param;
    root.removeAttribute("data-serial-fraction");
    root.removeAttribute("data-sweep-ceiling");
    this.element.hidden = false;
    this.element.setAttribute("aria-label", `Sweep of ${param}`);
    this.#heading.textContent = workersSwept ? "Workers" : param;
    this.#legend.textContent = workersSwept
      ? "Dots: the median of the runs; whiskers: the slowest to the fastest run. Dotted: the ideal (speed-up equal to the workers, 100% efficiency). Dashed: Amdahl's law with the fitted serial fraction."
      : `Dots: the median of the runs; whiskers: the slowest to the fastest run. Dotted: the ideal (speed-up equal to the workers, ${count.format(params.workers)}; 100% efficiency).`;
    this.#caption.textContent = this.#captionText(plan, params, values);
    this.#table.replaceChildren();
    this.#charts.replaceChildren();
    this.#baseline.textContent = "";
    this.#fit.textContent = "";
    this.#warning.hidden = true;
    const timeBaseline = async (job, what) => {
      const ms = [];
      for (let repeat = 1; repeat <= REPEATS; repeat++) {
        say(`Sweeping: ${plan.baseline}${what}, run ${repeat} of ${REPEATS}…`);
        ms.push((await measure(plan.baseline, job)).ms);
      }
      return ms;
    };
    try {
      const once = workersSwept ? await timeBaseline(params, "") : null;
      if (once) {
        this.#baseline.textContent = `${plan.baseline} (the baseline): ${formatMs(median(once))}, the median of ${REPEATS} runs ` +
          `(${formatMs(Math.min(...once))}–${formatMs(Math.max(...once))}); each speed-up is measured against it.`;
      } else {
        this.#baseline.textContent = `Each speed-up is measured against ${plan.baseline} (the baseline) at the same ${param}: the median of its ${REPEATS} runs.`;
      }
      const points = [];
      for (const value of values) {
        const job = { ...params, [param]: value };
        const baselineMs = once ?? await timeBaseline(job, ` at ${param} = ${count.format(value)}`);
        const ms = [];
        for (let repeat = 1; repeat <= REPEATS; repeat++) {
          say(workersSwept
            ? `Sweeping: ${plan.mode} with ${value} of ${top} workers, run ${repeat} of ${REPEATS}…`
            : `Sweeping: ${plan.mode} at ${param} = ${count.format(value)}, run ${repeat} of ${REPEATS}…`);
          ms.push((await measure(plan.mode, job)).ms);
        }
        points.push({ ...scalingPoint(job.workers, ms, baselineMs), param, value });
        this.#show(plan, points, null);
      }
      const fit = workersSwept ? amdahlFit(points) : null;
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
      .filter((p) => p.name !== "workers" && p.name !== plan.param && p.kind === "int" && typeof params[p.name] === "number")
      .map((p) => `${p.name} = ${count.format(params[p.name])}`);
    const at = others.length ? ` at ${others.join(", ")}` : "";
    if (plan.param === "workers") {
      return `Workers 1 → ${values.at(-1)}: ${why}, against ${plan.baseline} (the baseline)${at}; every job run ${REPEATS} times.`;
    }
    const mode = plan.skipped ? `${plan.mode} (this browser cannot run ${plan.skipped})` : `${plan.mode} (the fastest parallel mode this browser runs)`;
    return `${plan.param} ${count.format(values[0])} → ${count.format(values.at(-1))}: ${mode} with ${count.format(params.workers)} workers, ` +
      `against ${plan.baseline} (the baseline) at each value${at}; every job run ${REPEATS} times.`;
  }

  /** Shows `points` in the table and charts, and `fit` (when the sweep is over). */
  #show(plan, points, fit) {
    const workersSwept = plan.param === "workers";
    const rows = points.map((point) => element("tr", {
      "data-sweep": "", "data-param": point.param, "data-value": String(point.value), "data-workers": String(point.workers),
      "data-mode-swept": plan.mode, "data-repeats": String(point.repeats),
      "data-ms": point.ms.toFixed(3), "data-ms-min": point.msMin.toFixed(3), "data-ms-max": point.msMax.toFixed(3),
      "data-baseline-ms": point.baselineMs.toFixed(3),
      "data-speedup": point.speedup.toFixed(6), "data-speedup-min": point.speedupMin.toFixed(6), "data-speedup-max": point.speedupMax.toFixed(6),
      "data-efficiency": point.efficiency.toFixed(6), "data-spread": point.spread.toFixed(4),
      "data-baseline-spread": point.baselineSpread.toFixed(4),
    },
    element("th", { scope: "row" }, workersSwept ? `${point.workers} worker${point.workers === 1 ? "" : "s"}` : `${plan.param} = ${count.format(point.value)}`),
    element("td", { class: "demo-num", "data-label": "Wall time" }, formatMs(point.ms),
      element("span", { class: "demo-scaling-range" }, `${formatMs(point.msMin)} – ${formatMs(point.msMax)}`)),
    element("td", { class: "demo-num", "data-label": "Speed-up" }, `${twoDigits.format(point.speedup)}×`,
      element("span", { class: "demo-scaling-range" }, `${twoDigits.format(point.speedupMin)}× – ${twoDigits.format(point.speedupMax)}×`)),
    element("td", { class: "demo-num", "data-label": "Efficiency" }, percent.format(point.efficiency))));
    this.#table.replaceChildren(...rows);
    this.#charts.replaceChildren(...scalingCharts(points, { mode: plan.mode, fraction: fit?.fraction ?? null, label: plan.param }));
    if (!workersSwept) {
      this.#fit.textContent = `Amdahl's serial fraction is fitted only to a sweep of workers: here every run had ${count.format(points[0].workers)}.`;
    }
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
    const at = (point) => plan.param === "workers" ? `${point.workers} worker${point.workers === 1 ? "" : "s"}` : `${plan.param} = ${count.format(point.value)}`;
    const uneven = points.filter((point) => point.spread > SPREAD_LIMIT).map((point) => ({ what: `${plan.mode} at ${at(point)}`, spread: point.spread }));
    // Swept workers share one baseline; another parameter has one per value.
    const baselines = plan.param === "workers" ? points.slice(0, 1) : points;
    const unevenBaselines = baselines.filter((point) => point.baselineSpread > SPREAD_LIMIT)
      .map((point) => ({ what: plan.param === "workers" ? plan.baseline : `${plan.baseline} at ${at(point)}`, spread: point.baselineSpread }));
    uneven.unshift(...unevenBaselines);
    this.#warning.hidden = uneven.length === 0;
    this.#root.toggleAttribute("data-sweep-uneven", uneven.length > 0);
    if (uneven.length === 0) {
      this.#warning.textContent = "";
      return;
    }
    const worst = Math.max(...uneven.map((item) => item.spread));
    this.#warning.textContent = `Uneven repeats: the fastest and slowest of the ${REPEATS} runs differed by more than 10% of their median ` +
      `(${uneven.map((item) => item.what).join(", ")}; up to ${percent.format(worst)}). Something else was probably using the cores: ` +
      `take these speed-ups${plan.param === "workers" ? " and the fit" : ""} as rough, or sweep again.`;
  }
}
