// A log-log chart of the time a round trip takes against the size of what it carries: one line
// per mode, one point per payload size (the median of its timed round trips). A straight line
// of slope 1 is a cost proportional to the size (copying); a flat one, a cost that does not
// depend on it (handing a buffer over, or sharing it). Drawn as inline SVG in the page's
// colours; the chart's summary in words is there for screen readers.

import { formatMs } from "./format.js";
import { element, svgElement } from "../dom.js";

const HEIGHT = 280;
const MARGIN = { left: 64, right: 16, top: 14, bottom: 44 };

const decimal = (digits) => new Intl.NumberFormat("en", { maximumFractionDigits: digits });

/** "1 KB", "256 KB", "1.5 MB", "64 MB". */
export function formatBytes(bytes) {
  if (bytes >= 1024 * 1024) return `${decimal(1).format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${decimal(1).format(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export class RoundTripChart {
  #container;
  #modes;
  #results = new Map();
  #width = 0;

  /** Draws into `container`, with a line for each of `modes` (in that order) that has run. */
  constructor(container, modes) {
    this.#container = container;
    this.#modes = modes;
    container.classList.add("demo-round-trips");
    new ResizeObserver(() => {
      if (Math.round(container.clientWidth) !== this.#width) this.#draw();
    }).observe(container);
    this.#draw();
  }

  /** Shows the runs in `results` (mode → { bySize: [{ bytes, medianMs }] }). */
  show(results) {
    this.#results = results;
    this.#draw();
  }

  #draw() {
    this.#width = Math.round(this.#container.clientWidth);
    this.#container.replaceChildren();
    const lines = this.#modes
      .filter((mode) => this.#results.get(mode)?.bySize?.length > 0)
      .map((mode) => ({ mode, points: this.#results.get(mode).bySize.filter((size) => size.medianMs > 0) }));
    const points = lines.flatMap((line) => line.points);
    this.#container.hidden = points.length === 0;
    if (points.length === 0) return;

    const width = Math.max(this.#width, 280);
    const scale = scales(points, { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom });
    const svg = svgElement("svg", {
      width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: "img",
      "aria-label": `Median time per round trip against payload size, both on log scales. ${summarise(lines)}`,
    });
    svg.append(axes(scale, width), ...lines.map((line) => modeLine(line, scale)));
    this.#container.append(
      element("p", { class: "demo-hint" }, "Median time per round trip (page → worker → page) against the payload's size, both on log scales."),
      legend(lines),
      svg,
    );
  }
}

/**
 * The plot area `plot` ({ left, right, top, bottom }) with log scales fitting `points`: `x(bytes)`,
 * `y(ms)`, and the ranges shown.
 */
function scales(points, plot) {
  const [minBytes, maxBytes] = widen(Math.min(...points.map((p) => p.bytes)), Math.max(...points.map((p) => p.bytes)), 2);
  const [minMs, maxMs] = decades(Math.min(...points.map((p) => p.medianMs)), Math.max(...points.map((p) => p.medianMs)));
  const x = (bytes) => plot.left + (Math.log(bytes / minBytes) / Math.log(maxBytes / minBytes)) * (plot.right - plot.left);
  const y = (ms) => plot.bottom - (Math.log(ms / minMs) / Math.log(maxMs / minMs)) * (plot.bottom - plot.top);
  return { plot, x, y, minBytes, maxBytes, minMs, maxMs };
}

/** The grid with its ticks (sizes across, decades of time up), the frame and the axes' titles. */
function axes({ plot, x, y, minBytes, maxBytes, minMs, maxMs }, width) {
  const group = svgElement("g", { class: "rt-axes" });
  for (const bytes of sizeTicks(minBytes, maxBytes, width)) {
    const tx = x(bytes);
    group.append(svgElement("line", { x1: tx, x2: tx, y1: plot.top, y2: plot.bottom, class: "rt-grid" }));
    group.append(svgElement("text", { x: tx, y: plot.bottom + 15, class: "rt-tick", "text-anchor": "middle" }, formatBytes(bytes)));
  }
  for (let ms = minMs; ms <= maxMs * 1.0001; ms *= 10) {
    const ty = y(ms);
    group.append(svgElement("line", { x1: plot.left, x2: plot.right, y1: ty, y2: ty, class: "rt-grid" }));
    group.append(svgElement("text", { x: plot.left - 6, y: ty + 3.5, class: "rt-tick", "text-anchor": "end" }, formatTime(ms)));
  }
  group.append(svgElement("rect", { x: plot.left, y: plot.top, width: plot.right - plot.left, height: plot.bottom - plot.top, class: "rt-frame" }));
  group.append(svgElement("text", { x: (plot.left + plot.right) / 2, y: HEIGHT - 6, class: "rt-title", "text-anchor": "middle" },
    "payload size (log scale)"));
  const middle = (plot.top + plot.bottom) / 2;
  group.append(svgElement("text", { x: 12, y: middle, class: "rt-title", "text-anchor": "middle", transform: `rotate(-90 12 ${middle})` },
    "time per round trip (log)"));
  return group;
}

/** One mode's line through its sizes, a point (with its details) per size. */
function modeLine({ mode, points }, { x, y }) {
  const group = svgElement("g", { class: `rt-mode demo-mode-${mode}` });
  group.append(svgElement("polyline", { class: "rt-line", points: points.map((p) => `${x(p.bytes)},${y(p.medianMs)}`).join(" ") }));
  for (const p of points) {
    const dot = svgElement("circle", { cx: x(p.bytes), cy: y(p.medianMs), r: 3.5, class: "rt-point" });
    dot.append(svgElement("title", {}, `${mode}: ${formatBytes(p.bytes)} in ${formatMs(p.medianMs)} per round trip (median of ${p.times?.length ?? 1})`));
    group.append(dot);
  }
  return group;
}

/** The key to the modes' colours. */
function legend(lines) {
  const list = element("ul", { class: "demo-legend rt-legend", "aria-hidden": "true" });
  for (const { mode } of lines) {
    list.append(element("li", { class: `demo-mode-${mode}` }, element("span", { class: "rt-swatch" }), mode));
  }
  return list;
}

/** `[low, high]` with room either side (a factor of `by`) when they are equal. */
function widen(low, high, by) {
  return low === high ? [low / by, high * by] : [low, high];
}

/** Whole decades around `[low, high]` (milliseconds), at least one decade apart. */
function decades(low, high) {
  const from = 10 ** Math.floor(Math.log10(low));
  let to = 10 ** Math.ceil(Math.log10(high));
  if (to <= from) to = from * 10;
  return [from, to];
}

/** Sizes to label: powers of 4 times 1 KB (powers of 2 when that gives too few), fitting the width. */
function sizeTicks(low, high, width) {
  const within = (step) => {
    const ticks = [];
    for (let bytes = 1; bytes <= high * 1.0001; bytes *= step) if (bytes >= low * 0.9999) ticks.push(bytes);
    return ticks;
  };
  let ticks = within(2);
  const room = Math.max(2, Math.floor((width - MARGIN.left - MARGIN.right) / 64));
  if (ticks.length > room) ticks = within(4);
  if (ticks.length > room) ticks = ticks.filter((_, i) => i % 2 === 0);
  return ticks;
}

/** "0.01 ms", "1 ms", "100 ms", "1 s". */
function formatTime(ms) {
  if (ms >= 1000) return `${decimal(0).format(ms / 1000)} s`;
  return `${decimal(4).format(ms)} ms`;
}

function summarise(lines) {
  return lines
    .map(({ mode, points }) => `${mode}: ${points.map((p) => `${formatBytes(p.bytes)} ${formatMs(p.medianMs)}`).join(", ")}.`)
    .join(" ");
}

