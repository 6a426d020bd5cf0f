// A demo's own figure for runs at several sizes: completion time against N on logarithmic axes,
// one line per mode, and a table of each size's time, memory and worker start-up. A mode that
// refused a size shows "refused" there (the row above says why). A demo's `view` (see
// ../figure/widget.js); the runs come from the widget (mode → result, each with `sweep`: [{ n, ms,
// memoryBytes, startupMs, refused }]).

import { element, svgElement } from "../dom.js";

const WIDTH = 640;
const HEIGHT = 250;
const MARGIN = { left: 66, right: 34, top: 14, bottom: 34 };
const count = new Intl.NumberFormat("en");

export class SweepFigure {
  #container;
  #note;

  /**
   * Draws into `container` (hidden until a mode has run): `caption` over the chart, `note` (what
   * the memory figures are) under the table.
   */
  constructor(container, { caption, note }) {
    this.#container = container;
    this.#note = note;
    container.classList.add("demo-sweep");
    container.hidden = true;
    container.append(element("p", { class: "demo-sweep-caption" }, caption));
  }

  /** Shows `runs` (Map mode → result, refused ones included). */
  show(runs) {
    const figure = this.#container;
    const lines = [...runs].filter(([, result]) => Array.isArray(result.sweep) && result.sweep.length > 0);
    figure.querySelectorAll("svg, .demo-table-wrap, .demo-sweep-note").forEach((node) => node.remove());
    figure.hidden = lines.length === 0;
    if (lines.length === 0) return;
    figure.append(chart(lines), table(lines), element("p", { class: "demo-sweep-note" }, this.#note));
  }
}

function chart(lines) {
  const points = lines.flatMap(([, result]) => result.sweep.filter((point) => !point.refused));
  const sizes = lines.flatMap(([, result]) => result.sweep.map((point) => point.n));
  const x = logScale(Math.min(...sizes), Math.max(...sizes), MARGIN.left, WIDTH - MARGIN.right);
  const times = points.map((point) => point.ms);
  const y = logScale(Math.min(...times, 10), Math.max(...times, 100), HEIGHT - MARGIN.bottom, MARGIN.top);
  const summary = lines.map(([mode, result]) => `${mode}: ${result.sweep.map((p) => `N=${count.format(p.n)} ${p.refused ? "refused" : ms(p.ms)}`).join(", ")}`).join("; ");
  const svg = svgElement("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", class: "demo-sweep-chart",
    "aria-label": `Completion time against the number of tasks, both on logarithmic scales. ${summary}`,
  });
  for (const tick of x.ticks) {
    svg.append(svgElement("line", { x1: x(tick), x2: x(tick), y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom, class: "sw-grid" }));
    svg.append(svgElement("text", { x: x(tick), y: HEIGHT - MARGIN.bottom + 14, class: "sw-tick", "text-anchor": "middle" }, count.format(tick)));
  }
  for (const tick of y.ticks) {
    svg.append(svgElement("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick), class: "sw-grid" }));
    svg.append(svgElement("text", { x: MARGIN.left - 6, y: y(tick) + 4, class: "sw-tick", "text-anchor": "end" }, ms(tick)));
  }
  svg.append(svgElement("text", { x: (MARGIN.left + WIDTH - MARGIN.right) / 2, y: HEIGHT - 4, class: "sw-axis", "text-anchor": "middle" }, "tasks (N)"));
  svg.append(svgElement("text", { x: 12, y: (MARGIN.top + HEIGHT - MARGIN.bottom) / 2, class: "sw-axis", "text-anchor": "middle",
    transform: `rotate(-90 12 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2})` }, "completion time"));
  for (const [mode, result] of lines) {
    const group = svgElement("g", { class: `demo-mode-${mode} sw-mode` });
    const ran = result.sweep.filter((point) => !point.refused);
    if (ran.length > 1) group.append(svgElement("polyline", { points: ran.map((p) => `${x(p.n)},${y(p.ms)}`).join(" "), class: "sw-line" }));
    for (const point of ran) {
      group.append(svgElement("circle", { cx: x(point.n), cy: y(point.ms), r: 3.5, class: "sw-point" },
        svgElement("title", {}, `${mode}: ${count.format(point.n)} tasks in ${ms(point.ms)}`)));
    }
    for (const point of result.sweep.filter((p) => p.refused)) {
      // Refused sizes: a cross on the top edge.
      const cx = x(point.n);
      const cy = MARGIN.top + 4;
      group.append(svgElement("path", { d: `M${cx - 4},${cy - 4}L${cx + 4},${cy + 4}M${cx - 4},${cy + 4}L${cx + 4},${cy - 4}`, class: "sw-refused" },
        svgElement("title", {}, `${mode}: ${count.format(point.n)} tasks refused`)));
    }
    const last = ran.at(-1);
    if (last) group.append(svgElement("text", { x: Math.min(x(last.n) + 6, WIDTH - MARGIN.right - 4), y: y(last.ms) - 6, class: "sw-label", "text-anchor": x(last.n) + 60 > WIDTH ? "end" : "start" }, mode));
    svg.append(group);
  }
  return svg;
}

function table(lines) {
  const sizes = [...new Set(lines.flatMap(([, result]) => result.sweep.map((point) => point.n)))].sort((a, b) => a - b);
  const head = element("tr", {}, element("th", { scope: "col", class: "demo-num" }, "N"),
    ...lines.map(([mode]) => element("th", { scope: "col", class: `demo-num demo-mode-${mode}` }, mode)));
  const body = element("tbody");
  for (const n of sizes) {
    const cells = lines.map(([, result]) => {
      const point = result.sweep.find((p) => p.n === n);
      if (!point) return element("td", { class: "demo-num" }, "—");
      if (point.refused) return element("td", { class: "demo-num demo-sweep-refused", title: point.refused }, "refused");
      const parts = [ms(point.ms)];
      if (point.memoryBytes != null) parts.push(bytes(point.memoryBytes));
      if (point.startupMs != null) parts.push(`start-up ${ms(point.startupMs)}`);
      return element("td", { class: "demo-num" }, parts.join(" · "));
    });
    body.append(element("tr", { "data-n": String(n) }, element("th", { scope: "row", class: "demo-num" }, count.format(n)), ...cells));
  }
  const tableElement = element("table", { class: "demo-results demo-sweep-table" }, element("thead", {}, head), body);
  return element("div", { class: "demo-table-wrap" }, tableElement);
}

/** A log scale from [low, high] onto [from, to], widened to whole powers of ten, with a tick per power. */
function logScale(low, high, from, to) {
  const min = Math.floor(Math.log10(Math.max(low, 1e-3)));
  const max = Math.max(min + 1, Math.ceil(Math.log10(Math.max(high, 1e-3))));
  const scale = (value) => from + ((Math.log10(Math.max(value, 1e-3)) - min) / (max - min)) * (to - from);
  scale.ticks = Array.from({ length: max - min + 1 }, (_, i) => 10 ** (min + i));
  return scale;
}

function ms(value) {
  if (value >= 1000) return `${new Intl.NumberFormat("en", { maximumFractionDigits: value >= 10_000 ? 0 : 1 }).format(value / 1000)} s`;
  return `${new Intl.NumberFormat("en", { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ms`;
}

function bytes(value) {
  if (value >= 1024 * 1024) return `${new Intl.NumberFormat("en", { maximumFractionDigits: 1 }).format(value / 1024 / 1024)} MB`;
  return `${count.format(Math.round(value / 1024))} KB`;
}

