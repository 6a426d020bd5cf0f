// The parts of a timeline chart (./timeline.js draws them): a run's events laid out in lanes and
// rows, the lanes and bars as SVG, the time axis, the key to the bar styles, and the chart in
// words for screen readers.

import { element, svgElement } from "../dom.js";
import { formatMs } from "./format.js";

export const LABEL_WIDTH = 88;
export const NARROW_LABEL_WIDTH = 62;
export const HEADER_HEIGHT = 22;
const AXIS_HEIGHT = 22;
/** Distinct colours for the threads holding the GIL (see demos.css). */
const HOLDER_COLOURS = 6;
/** The kinds of event that are the gaps between two of the page's frames. */
const FRAME_KINDS = new Set(["frame", "long-frame"]);

/**
 * Lanes in display order: the GIL lane first (when anything held it), then one per lane number.
 * Each item is an event placed on a row (stacked when events of one lane overlap) and a layer:
 * a task under holds is drawn faint ("under"), holds and waits inside a task go over it.
 */
export function layOut(events, laneName, sharedGil) {
  const byLane = new Map();
  for (const event of events) {
    if (!byLane.has(event.lane)) byLane.set(event.lane, []);
    byLane.get(event.lane).push(event);
  }
  const lanes = [];
  const holds = events.filter((event) => event.kind === "hold");
  if (holds.length > 0 && sharedGil) {
    lanes.push({ name: "GIL", gil: true, rows: 1, items: holds.map((event) => ({ event, row: 0, layer: "over" })) });
  }
  for (const number of [...byLane.keys()].sort((a, b) => a - b)) {
    const own = byLane.get(number).sort((a, b) => a.start - b.start);
    const tasks = own.filter((event) => event.kind === "task");
    // A lane without tasks shows its waits (for I/O, a reply, a fetch or a store) or frame gaps.
    const primary = tasks.length > 0 ? tasks : own.filter((event) => event.kind !== "hold");
    const rows = [];
    const items = [];
    for (const event of primary) {
      let row = rows.findIndex((end) => end <= event.start + 1e-6);
      if (row < 0) row = rows.push(0) - 1;
      rows[row] = event.end;
      items.push({ event, row, layer: "base" });
    }
    const hasHolds = own.some((event) => event.kind === "hold");
    if (hasHolds) for (const item of items) item.layer = "under";
    for (const event of own) {
      if (primary.includes(event)) continue;
      const middle = (event.start + event.end) / 2;
      const host = items.find((item) => item.event.start <= middle && middle <= item.event.end);
      items.push({ event, row: host ? host.row : 0, layer: "over" });
    }
    lanes.push({ name: laneName(number), gil: false, rows: Math.max(1, rows.length), items });
  }
  return lanes;
}

/** The chart in words: per lane, how many tasks and how busy; hand-offs of the GIL; overlap. */
export function summarise(run, lanes, options) {
  const { mode, result } = run;
  const total = result.endedAt - result.startedAt;
  const laneCount = lanes.filter((lane) => !lane.gil).length;
  const parts = [`${mode}: ${laneCount} lane${laneCount === 1 ? "" : "s"} over ${formatMs(result.ms)}.`];
  for (const lane of lanes) {
    if (lane.gil) {
      const holders = lane.items.map((item) => item.event).sort((a, b) => a.start - b.start);
      const handOffs = holders.filter((event, i) => i > 0 && holders[i - 1].lane !== event.lane).length;
      parts.push(`The GIL was taken ${holders.length} times and changed hands ${handOffs} times.`);
      continue;
    }
    const own = lane.items.map((item) => item.event);
    const tasks = own.filter((event) => event.kind === "task");
    const waits = own.filter((event) => event.kind !== "task" && event.kind !== "hold");
    const main = tasks.length > 0 ? tasks : waits;
    const busy = union(main);
    const share = total > 0 ? Math.round((busy / total) * 100) : 0;
    if (main.length > 0 && main.every((event) => FRAME_KINDS.has(event.kind))) {
      const longest = Math.max(...main.map((event) => event.end - event.start));
      parts.push(`${lane.name}: ${main.length} frame gaps, the longest ${formatMs(longest)}.`);
      continue;
    }
    const name = (main[0] && options.taskNameOf?.(main[0])) ?? options.taskName;
    // An aggregated bar (many tasks of a large run) counts as as many tasks as it stands for.
    const counted = main.reduce((sum, event) => sum + (event.count ?? 1), 0);
    let text = `${lane.name}: ${counted} ${name}${counted === 1 ? "" : "s"}, ` +
      `${tasks.length > 0 ? "busy" : "waiting"} ${formatMs(busy)} (${share}%)`;
    if (lane.rows > 1) text += `, up to ${lane.rows} at once`;
    parts.push(`${text}.`);
  }
  return parts.join(" ");
}

/** The length of the union of the events' intervals. */
function union(events) {
  const sorted = [...events].sort((a, b) => a.start - b.start);
  let sum = 0;
  let [from, to] = [-Infinity, -Infinity];
  for (const { start, end } of sorted) {
    if (start > to) {
      if (to > from) sum += to - from;
      [from, to] = [start, end];
    } else {
      to = Math.max(to, end);
    }
  }
  if (to > from) sum += to - from;
  return sum;
}

/** Round tick values from 0 to `span`, about one per 90 pixels, and their spacing. */
function ticks(span, width) {
  const wanted = Math.max(2, Math.floor(width / 90));
  const raw = span / wanted;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const values = [];
  for (let t = 0; t <= span + 1e-9; t += step) values.push(Number(t.toPrecision(12)));
  return { values, step };
}

/** "0", "250 ms", "1.5 s", "0.2 ms": as many decimals as the spacing needs. */
function formatTick(ms, step) {
  if (ms === 0) return "0";
  if (step >= 1000) return `${new Intl.NumberFormat("en", { maximumFractionDigits: step >= 1000 && step % 1000 === 0 ? 0 : 1 }).format(ms / 1000)} s`;
  const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return `${new Intl.NumberFormat("en", { maximumFractionDigits: digits }).format(ms)} ms`;
}

/**
 * The key to the bar styles in use; `names` may say what a kind means in this demo
 * ({ task: "the worker handling a message", wait: "the page waiting for the reply" }).
 */
export function legend(kinds, names = {}) {
  const items = [];
  if (kinds.has("hold")) items.push(["hold", "holding the GIL"], ["under", "a task waiting for the GIL"]);
  else if (kinds.has("task")) items.push(["task", "a task running"]);
  if (kinds.has("wait")) items.push(["wait", "waiting for I/O"]);
  if (kinds.has("fetch")) items.splice(0, 0, ["fetch", "fetching (I/O)"]);
  if (kinds.has("store")) items.push(["store", "storing (I/O)"]);
  if ([...FRAME_KINDS].some((kind) => kinds.has(kind))) {
    items.push(["frame", "the gap between two frames"], ["long-frame", "a gap longer than 50 ms"]);
  }
  // Kinds only one demo has (a workload's send, lock, blocking call…): its own words for them.
  for (const kind of kinds) {
    if (names[kind] && !items.some(([known]) => known === kind)) items.push([kind, names[kind]]);
  }
  const list = element("ul", { class: "demo-legend", "aria-hidden": "true" });
  for (const [kind, text] of items) {
    list.append(element("li", {}, element("span", { class: `demo-swatch demo-swatch-${kind}` }), names[kind] ?? text));
  }
  return list;
}


/** Gives each lane its height and place (`y`) from the top; returns the chart's height. */
export function stack(lanes) {
  const many = lanes.length > 8;
  let y = HEADER_HEIGHT;
  for (const lane of lanes) {
    const base = lane.gil ? 14 : many ? 12 : 18;
    lane.height = lane.rows <= 1 ? base : Math.max(base, Math.min(lane.rows * 4, 96));
    lane.y = y;
    y += lane.height + (many ? 3 : 4);
  }
  return y + AXIS_HEIGHT;
}

/**
 * The grid and time axis from 0 to `span` ms under a plot `{ left, width }` of a chart `height`
 * high, with a line where the run ended (at `end`).
 */
export function axis({ span, plot, height, end }) {
  const group = svgElement("g", { class: "tl-axis" });
  const bottom = height - AXIS_HEIGHT + 3;
  const { values, step } = ticks(span, plot.width);
  for (const tick of values) {
    const tx = plot.left + (tick / span) * plot.width;
    group.append(svgElement("line", { x1: tx, x2: tx, y1: HEADER_HEIGHT - 2, y2: bottom, class: "tl-grid" }));
    group.append(svgElement("text", { x: tx, y: height - 6, class: "tl-tick", "text-anchor": tick === 0 ? "start" : "middle" }, formatTick(tick, step)));
  }
  group.append(svgElement("line", { x1: plot.left, x2: plot.left + plot.width, y1: bottom, y2: bottom, class: "tl-baseline" }));
  group.append(svgElement("line", { x1: end, x2: end, y1: HEADER_HEIGHT - 2, y2: bottom, class: "tl-end" }));
  return group;
}

/**
 * Draws `lanes` (laid out and stacked) into `svg` over a plot `{ left, width }`, times placed by
 * `x(time)`; returns the bars drawn, [{ event, lane, rect }], in the order of their `data-i`.
 */
export function drawLanes(svg, lanes, plot, x) {
  const bars = [];
  for (const lane of lanes) {
    svg.append(svgElement("rect", { x: plot.left, y: lane.y, width: plot.width, height: lane.height, class: "tl-lane" }));
    svg.append(svgElement("text", { x: plot.left - 6, y: lane.y + Math.min(lane.height, 18) / 2 + 4, class: "tl-label", "text-anchor": "end" }, lane.name));
    const rowHeight = lane.height / Math.max(1, lane.rows);
    for (const item of lane.items) {
      const rect = bar(item, lane, rowHeight, x);
      rect.setAttribute("data-i", String(bars.length));
      bars.push({ event: item.event, lane, rect });
      svg.append(rect);
    }
  }
  return bars;
}

/** One event's bar, in its lane's row and layer. */
function bar({ event, row, layer }, lane, rowHeight, x) {
  const left = x(event.start);
  const inset = layer === "base" ? 0.5 : 0;
  const rect = svgElement("rect", {
    x: left, width: Math.max(1, x(event.end) - left),
    y: lane.y + row * rowHeight + inset, height: Math.max(1, rowHeight - 2 * inset - (lane.rows > 1 ? 0.5 : 0)),
    class: `tl-bar tl-${event.kind}${layer === "under" ? " tl-under" : ""}`,
  });
  if (event.kind === "hold") rect.style.setProperty("--demo-holder", `var(--demo-lane-${event.lane % HOLDER_COLOURS})`);
  return rect;
}
