// How a mode scales with its workers (or another parameter): two small charts side by side
// (stacked on a phone), speed-up and parallel efficiency against the swept value. Each has its
// ideal (speed-up = workers; efficiency = 100%), a point per value at the repeats' median and a
// whisker from the slowest repeat to the fastest; for workers the speed-up chart also draws
// Amdahl's law with the fitted serial fraction. Drawn by ../figure/sweep-section.js from
// ../figure/sweep-math.js's points.

import { svgElement } from "../dom.js";
import { amdahl } from "../figure/sweep-math.js";

const WIDTH = 320;
const HEIGHT = 230;
const MARGIN = { left: 44, right: 14, top: 14, bottom: 38 };
const tenth = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 });
const count = new Intl.NumberFormat("en");
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/**
 * The two charts for `points` (from `scalingPoint`, in the order swept, each with its `value`) of
 * `mode`, with the fitted serial `fraction` (or null). `label` names the swept parameter: against
 * "workers" the axis is the worker count; against another parameter the values are spaced
 * evenly, and the ideal is the workers every run had.
 */
export function scalingCharts(points, { mode, fraction, label }) {
  const workersSwept = label === "workers";
  const most = Math.max(...points.map((point) => point.workers));
  const speedupTop = Math.max(most, ...points.map((point) => point.speedupMax)) * 1.05;
  const speedup = chart({
    points, mode, label, workersSwept, yTop: speedupTop, name: "speed-up",
    value: (point) => [point.speedup, point.speedupMin, point.speedupMax],
    ideal: (workers) => workers, format: (value) => `${tenth.format(value)}×`,
    curve: fraction === null ? null : (workers) => amdahl(fraction, workers),
    describe: (point) => `${at(point, label)}: ${tenth.format(point.speedup)}× (${tenth.format(point.speedupMin)}–${tenth.format(point.speedupMax)}×)`,
  });
  const efficiencyTop = Math.max(1.1, ...points.map((point) => point.efficiencyMax)) * 1.05;
  const efficiency = chart({
    points, mode, label, workersSwept, yTop: efficiencyTop, name: "efficiency",
    value: (point) => [point.efficiency, point.efficiencyMin, point.efficiencyMax],
    ideal: () => 1, format: (value) => percent.format(value), curve: null,
    describe: (point) => `${at(point, label)}: ${percent.format(point.efficiency)} (${percent.format(point.efficiencyMin)}–${percent.format(point.efficiencyMax)})`,
  });
  return [speedup, efficiency];
}

/** "2 workers", or "chunks = 16". */
function at(point, label) {
  return label === "workers" ? `${point.workers} workers` : `${label} = ${count.format(point.value)}`;
}

function chart({ points, mode, label, workersSwept, yTop, name, value, ideal, format, curve, describe }) {
  // Workers on a linear axis; another parameter's values evenly spaced, in the order swept.
  const [from, to] = workersSwept
    ? [1, Math.max(2, points.at(-1).workers)]
    : points.length > 1 ? [0, points.length - 1] : [-0.5, 0.5];
  const x = linear(from, to, MARGIN.left + 8, WIDTH - MARGIN.right - 8);
  const xOf = (point, i) => x(workersSwept ? point.workers : i);
  const y = linear(0, yTop, HEIGHT - MARGIN.bottom, MARGIN.top);
  const svg = svgElement("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", class: `demo-scaling-chart demo-scaling-${name} demo-mode-${mode}`,
    "aria-label": `${name === "speed-up" ? "Speed-up" : "Parallel efficiency"} of ${mode} against ${label}, median of the repeats with the slowest and fastest: ${points.map(describe).join("; ")}.`,
  });
  for (const tick of ticks(0, yTop, 5)) {
    svg.append(svgElement("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick), class: "sc-grid" }));
    svg.append(svgElement("text", { x: MARGIN.left - 5, y: y(tick) + 4, class: "sc-tick", "text-anchor": "end" }, format(tick)));
  }
  for (const i of labelled(points)) {
    const point = points[i];
    svg.append(svgElement("text", { x: xOf(point, i), y: HEIGHT - MARGIN.bottom + 15, class: "sc-tick", "text-anchor": "middle" },
      workersSwept ? String(point.workers) : compact.format(point.value)));
  }
  svg.append(svgElement("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(0), y2: y(0), class: "sc-axis-line" }));
  svg.append(svgElement("text", { x: (MARGIN.left + WIDTH - MARGIN.right) / 2, y: HEIGHT - 6, class: "sc-axis", "text-anchor": "middle" }, label));
  svg.append(svgElement("text", { x: MARGIN.left, y: MARGIN.top - 3, class: "sc-axis" }, name));

  // The ideal, clipped to the plot, and the fitted curve.
  const idealTitle = svgElement("title", {}, name === "speed-up" ? "ideal: speed-up equal to the workers" : "ideal: 100% efficiency");
  const idealPoints = workersSwept
    ? sample(from, to, ideal).filter(([, v]) => v <= yTop).map(([w, v]) => `${x(w)},${y(v)}`)
    : [`${MARGIN.left},${y(ideal(points[0].workers))}`, `${WIDTH - MARGIN.right},${y(ideal(points[0].workers))}`];
  svg.append(svgElement("polyline", { points: idealPoints.join(" "), class: "sc-ideal" }, idealTitle));
  if (curve && workersSwept) {
    svg.append(svgElement("polyline", { points: sample(from, to, curve).map(([w, v]) => `${x(w)},${y(Math.min(v, yTop))}`).join(" "), class: "sc-fit" },
      svgElement("title", {}, "Amdahl's law with the fitted serial fraction")));
  }

  const group = svgElement("g", { class: `demo-mode-${mode} sc-mode` });
  if (points.length > 1) {
    group.append(svgElement("polyline", { points: points.map((point, i) => `${xOf(point, i)},${y(value(point)[0])}`).join(" "), class: "sc-line" }));
  }
  points.forEach((point, i) => {
    const [middle, low, high] = value(point);
    const cx = xOf(point, i);
    group.append(svgElement("path", {
      d: `M${cx},${y(low)}V${y(high)}M${cx - 4},${y(low)}H${cx + 4}M${cx - 4},${y(high)}H${cx + 4}`, class: "sc-whisker",
    }));
    group.append(svgElement("circle", { cx, cy: y(middle), r: 3.5, class: "sc-point" }, svgElement("title", {}, describe(point))));
  });
  svg.append(group);
  return svg;
}

/** A linear scale from [low, high] onto [from, to]. */
function linear(low, high, from, to) {
  return (value) => from + ((value - low) / (high - low || 1)) * (to - from);
}

/** About `count` round ticks from `low` to `high`. */
function ticks(low, high, count) {
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const list = [];
  for (let tick = Math.ceil(low / step) * step; tick <= high + 1e-9; tick += step) list.push(Number(tick.toFixed(10)));
  return list;
}

/** The indices of the points to label on the x axis: all of them up to 8, else about eight. */
function labelled(points) {
  const every = Math.ceil(points.length / 8);
  return points.map((_, i) => i).filter((i) => i % every === 0 || i === points.length - 1);
}

/** `[w, f(w)]` at 60 steps from `from` to `to`. */
function sample(from, to, f) {
  return Array.from({ length: 61 }, (_, i) => {
    const w = from + ((to - from) * i) / 60;
    return [w, f(w)];
  });
}
