// Timelines: for every mode that ran, one lane per worker, thread or the page's thread, a bar
// per task, on one time axis shared by all the modes of a run — so a sequential run shows as one
// long lane and a parallel one as several short ones side by side. Drawn as inline SVG.
//
// Bars are coloured by mode; a wait (for simulated I/O, or for a reply) is an outlined bar; the
// gaps between the page's frames, when a demo records them, are grey bars (red when longer
// than a frame should ever take); holding the
// simulated GIL is a solid bar in the holding thread's own colour over the faint bar of its
// task, and a "GIL" lane on top shows who held it when. Overlapping bars of one lane (requests
// waited for at once) are stacked in rows. Hovering or focusing a bar (the chart takes the
// keyboard focus; arrow keys move between bars) shows its details; a text summary of each chart
// is there for screen readers. The details show in a tooltip by the bar and, for screen
// readers, in a live region.

import { element, svgElement } from "../dom.js";
import { formatMs } from "./format.js";

const LABEL_WIDTH = 88;
const NARROW_LABEL_WIDTH = 62;
const AXIS_HEIGHT = 22;
const HEADER_HEIGHT = 22;
/** Distinct colours for the threads holding the GIL (see demos.css). */
const HOLDER_COLOURS = 6;
/** How a bar of each kind of wait is described: "waited for request 3", "fetched item 2". */
const STAGE_VERBS = { wait: "waited for", fetch: "fetched", store: "stored" };
/** The kinds of event that are the gaps between two of the page's frames. */
const FRAME_KINDS = new Set(["frame", "long-frame"]);


let nextId = 1;

/**
 * The timelines of one demo, drawn into `container`. `describe(run, event)` says what an event
 * did ("1,234 primes"), `laneName(run, lane)` names a lane, `taskName` is what one task is
 * called ("chunk"); optional: `taskNameOf(event)` names the task of one event ("frame gap"), and
 * `kindNames` says what a kind of bar means in this demo, for the legend.
 */
export class Timelines {
  #container;
  #details;
  #options;
  #runs = [];
  #width = 0;
  #resize;
  #tooltip;

  constructor(container, details, options) {
    this.#container = container;
    this.#details = details;
    this.#options = options;
    this.#tooltip = element("div", { class: "demo-tooltip", "aria-hidden": "true", hidden: "" });
    this.#resize = new ResizeObserver(() => {
      const width = Math.round(this.#container.clientWidth);
      if (width !== this.#width && this.#runs.length > 0) this.#draw();
    });
    this.#resize.observe(container);
  }

  /** Shows `runs` ([{ mode, uses, result }]), or nothing for an empty list. */
  show(runs) {
    this.#runs = runs.filter((run) => run.result && run.result.events);
    this.#draw();
  }

  #draw() {
    this.#width = Math.round(this.#container.clientWidth);
    this.#container.replaceChildren();
    this.#details.textContent = "";
    this.#tooltip.hidden = true;
    if (this.#runs.length === 0) {
      this.#container.hidden = true;
      return;
    }
    this.#container.hidden = false;
    const span = Math.max(...this.#runs.map((run) => run.result.endedAt - run.result.startedAt), 0.001);
    const kinds = new Set(this.#runs.flatMap((run) => run.result.events.map((event) => event.kind)));
    this.#container.append(legend(kinds, this.#options.kindNames));
    for (const run of this.#runs) this.#container.append(this.#chart(run, span));
    this.#container.append(this.#tooltip);
  }

  /** One mode's chart: a header, its lanes, and a time axis from 0 to `span` ms. */
  #chart(run, span) {
    const { mode, result } = run;
    const width = Math.max(this.#width, 260);
    const labelWidth = width < 480 ? NARROW_LABEL_WIDTH : LABEL_WIDTH;
    const plotWidth = width - labelWidth - 10;
    const x = (time) => labelWidth + Math.max(0, (time - result.startedAt) / span) * plotWidth;
    // One GIL shared by threads; processes have one each, shown in their own lanes.
    const lanes = layOut(result.events, (lane) => this.#options.laneName(run, lane), run.uses === "threads");

    const many = lanes.length > 8;
    let y = HEADER_HEIGHT;
    for (const lane of lanes) {
      const base = lane.gil ? 14 : many ? 12 : 18;
      lane.height = lane.rows <= 1 ? base : Math.max(base, Math.min(lane.rows * 4, 96));
      lane.y = y;
      y += lane.height + (many ? 3 : 4);
    }
    const height = y + AXIS_HEIGHT;

    const id = `demo-timeline-${nextId++}`;
    const figure = element("div", { class: `demo-timeline demo-mode-${mode}` });
    const svg = svgElement("svg", {
      width, height, viewBox: `0 0 ${width} ${height}`, role: "img", tabindex: "0",
      "aria-label": `Timeline of the ${mode} run`, "aria-describedby": `${id}-summary`,
    });
    const laneCount = lanes.filter((lane) => !lane.gil).length;
    svg.append(svgElement("text", { x: 0, y: 14, class: "tl-header" },
      `${mode} · ${laneCount} lane${laneCount === 1 ? "" : "s"} · ${formatMs(result.ms)}`));

    // Grid and axis.
    const axis = svgElement("g", { class: "tl-axis" });
    const { values, step } = ticks(span, plotWidth);
    for (const tick of values) {
      const tx = labelWidth + (tick / span) * plotWidth;
      axis.append(svgElement("line", { x1: tx, x2: tx, y1: HEADER_HEIGHT - 2, y2: height - AXIS_HEIGHT + 3, class: "tl-grid" }));
      axis.append(svgElement("text", { x: tx, y: height - 6, class: "tl-tick", "text-anchor": tick === 0 ? "start" : "middle" }, formatTick(tick, step)));
    }
    axis.append(svgElement("line", { x1: labelWidth, x2: labelWidth + plotWidth, y1: height - AXIS_HEIGHT + 3, y2: height - AXIS_HEIGHT + 3, class: "tl-baseline" }));
    const end = x(result.endedAt);
    axis.append(svgElement("line", { x1: end, x2: end, y1: HEADER_HEIGHT - 2, y2: height - AXIS_HEIGHT + 3, class: "tl-end" }));
    svg.append(axis);

    // Lanes and bars.
    const bars = [];
    for (const lane of lanes) {
      svg.append(svgElement("rect", { x: labelWidth, y: lane.y, width: plotWidth, height: lane.height, class: "tl-lane" }));
      svg.append(svgElement("text", { x: labelWidth - 6, y: lane.y + Math.min(lane.height, 18) / 2 + 4, class: "tl-label", "text-anchor": "end" }, lane.name));
      const rowHeight = lane.height / Math.max(1, lane.rows);
      for (const item of lane.items) {
        const { event } = item;
        const left = x(event.start);
        const barWidth = Math.max(1, x(event.end) - left);
        const inset = item.layer === "base" ? 0.5 : 0;
        const rect = svgElement("rect", {
          x: left, width: barWidth,
          y: lane.y + item.row * rowHeight + inset, height: Math.max(1, rowHeight - 2 * inset - (lane.rows > 1 ? 0.5 : 0)),
          class: `tl-bar tl-${event.kind}${item.layer === "under" ? " tl-under" : ""}`,
          "data-i": bars.length,
        });
        if (event.kind === "hold") rect.style.setProperty("--demo-holder", `var(--demo-lane-${event.lane % HOLDER_COLOURS})`);
        bars.push({ event, lane, rect });
        svg.append(rect);
      }
    }

    const summary = element("p", { class: "demo-visually-hidden", id: `${id}-summary` }, summarise(run, lanes, this.#options));
    figure.append(svg, summary);
    this.#interact(svg, run, bars);
    return figure;
  }

  /** Hover and keyboard focus on bars: the details line says what the bar is. */
  #interact(svg, run, bars) {
    const order = bars
      .map((bar, i) => ({ ...bar, i }))
      .sort((a, b) => a.lane.y - b.lane.y || a.event.start - b.event.start);
    let current = -1;
    const select = (position) => {
      if (order.length === 0) return;
      current = (position + order.length) % order.length;
      svg.querySelector(".tl-current")?.classList.remove("tl-current");
      const bar = order[current];
      bar.rect.classList.add("tl-current");
      const text = this.#describe(run, bar);
      this.#details.textContent = text;
      this.#showTooltip(text, bar.rect);
    };
    const pointAt = (event) => {
      const rect = event.target.closest?.("rect[data-i]");
      if (!rect) return;
      const i = Number(rect.dataset.i);
      select(order.findIndex((bar) => bar.i === i));
    };
    svg.addEventListener("pointermove", pointAt);
    svg.addEventListener("pointerdown", pointAt);
    svg.addEventListener("pointerleave", () => {
      if (document.activeElement !== svg) this.#hideTooltip(svg);
    });
    svg.addEventListener("focus", () => select(Math.max(current, 0)));
    svg.addEventListener("blur", () => this.#hideTooltip(svg));
    svg.addEventListener("keydown", (event) => {
      const bar = order[current];
      const sameLane = (step) => {
        for (let i = current + step; i >= 0 && i < order.length; i += step) {
          if (order[i].lane !== bar.lane) return i;
        }
        return current;
      };
      const moves = {
        ArrowRight: () => current + 1,
        ArrowLeft: () => current - 1,
        ArrowDown: () => sameLane(1),
        ArrowUp: () => sameLane(-1),
        Home: () => 0,
        End: () => order.length - 1,
      };
      if (!(event.key in moves) || !bar) return;
      event.preventDefault();
      select(moves[event.key]());
    });
  }

  /** Shows `text` just above `rect` (below it when there is no room), inside the container. */
  #showTooltip(text, rect) {
    const tooltip = this.#tooltip;
    tooltip.textContent = text;
    tooltip.hidden = false;
    const box = this.#container.getBoundingClientRect();
    const bar = rect.getBoundingClientRect();
    const width = tooltip.offsetWidth;
    const centre = bar.left + Math.min(bar.width, 40) / 2 - box.left;
    const left = Math.max(0, Math.min(box.width - width, centre - width / 2));
    const above = bar.top - box.top - tooltip.offsetHeight - 6;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${above >= 0 ? above : bar.bottom - box.top + 6}px`;
  }

  #hideTooltip(svg) {
    this.#tooltip.hidden = true;
    svg.querySelector(".tl-current")?.classList.remove("tl-current");
  }

  #describe(run, { event, lane }) {
    const t0 = run.result.startedAt;
    const when = `${formatMs(event.start - t0)} → ${formatMs(event.end - t0)} (${formatMs(event.end - event.start)})`;
    // An aggregated bar (many tasks of a large run) has a label of its own ("1,000 tasks").
    const name = event.label ?? `${this.#options.taskNameOf?.(event) ?? this.#options.taskName} ${event.task}`;
    const what = event.kind === "hold"
      ? `held the GIL during ${name}`
      : `${STAGE_VERBS[event.kind] ?? ""} ${name}`.trim();
    const value = event.kind === "hold" ? "" : ` · ${this.#options.describe(run, event)}`;
    const where = lane.gil ? `GIL, held by ${this.#options.laneName(run, event.lane)}` : lane.name;
    return `${run.mode} · ${where} · ${what}: ${when}${value}`;
  }
}

/**
 * Lanes in display order: the GIL lane first (when anything held it), then one per lane number.
 * Each item is an event placed on a row (stacked when events of one lane overlap) and a layer:
 * a task under holds is drawn faint ("under"), holds and waits inside a task go over it.
 */
function layOut(events, laneName, sharedGil) {
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
function summarise(run, lanes, options) {
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
function legend(kinds, names = {}) {
  const items = [];
  if (kinds.has("hold")) items.push(["hold", "holding the GIL"], ["under", "a task waiting for the GIL"]);
  else if (kinds.has("task")) items.push(["task", "a task running"]);
  if (kinds.has("wait")) items.push(["wait", "waiting for I/O"]);
  if (kinds.has("fetch")) items.splice(0, 0, ["fetch", "fetching (I/O)"]);
  if (kinds.has("store")) items.push(["store", "storing (I/O)"]);
  if ([...FRAME_KINDS].some((kind) => kinds.has(kind))) {
    items.push(["frame", "the gap between two frames"], ["long-frame", "a gap longer than 50 ms"]);
  }
  const list = element("ul", { class: "demo-legend", "aria-hidden": "true" });
  for (const [kind, text] of items) {
    list.append(element("li", {}, element("span", { class: `demo-swatch demo-swatch-${kind}` }), names[kind] ?? text));
  }
  return list;
}

