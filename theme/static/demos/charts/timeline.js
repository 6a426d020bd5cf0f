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
// is there for screen readers. Each chart says its mode and lane count (`data-timeline-mode`,
// `data-lanes`). The details show in a tooltip by the bar and, for screen
// readers, in a live region.

import { element, svgElement } from "../dom.js";
import { formatMs } from "./format.js";
import { HEADER_HEIGHT, LABEL_WIDTH, NARROW_LABEL_WIDTH, axis, drawLanes, layOut, legend, stack, summarise } from "./timeline-parts.js";

/** How a bar of each kind of wait is described: "waited for request 3", "fetched item 2". */
const STAGE_VERBS = { wait: "waited for", fetch: "fetched", store: "stored" };


let nextId = 1;

/**
 * The timelines of one demo, drawn into `container`. `describe(run, event)` says what an event
 * did ("1,234 primes"), `laneName(run, lane)` names a lane, `taskName` is what one task is
 * called ("chunk"); optional: `taskNameOf(event)` names the task of one event ("frame gap"), and
 * `kindNames` says what a kind of bar means in this demo, for the legend; `otherSpan()` the
 * span (ms) of other timelines drawn on the same scale (a shared run's beside the reader's).
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

  /** The longest run shown, in ms (0 with none). */
  get span() {
    return Math.max(0, ...this.#runs.map((run) => run.result.endedAt - run.result.startedAt));
  }

  /** Draws again (when the other timelines on its scale changed). */
  redraw() {
    if (this.#runs.length > 0) this.#draw();
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
    const span = Math.max(this.span, this.#options.otherSpan?.() ?? 0, 0.001);
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
    const plot = { left: labelWidth, width: width - labelWidth - 10 };
    const x = (time) => plot.left + Math.max(0, (time - result.startedAt) / span) * plot.width;
    // One GIL shared by threads; processes have one each, shown in their own lanes.
    const lanes = layOut(result.events, (lane) => this.#options.laneName(run, lane), run.uses === "threads");
    const height = stack(lanes);

    const id = `demo-timeline-${nextId++}`;
    const laneCount = lanes.filter((lane) => !lane.gil).length;
    const figure = element("div", { class: `demo-timeline demo-mode-${mode}`, "data-timeline-mode": mode, "data-lanes": laneCount });
    const svg = svgElement("svg", {
      width, height, viewBox: `0 0 ${width} ${height}`, role: "img", tabindex: "0",
      "aria-label": `Timeline of the ${mode} run`, "aria-describedby": `${id}-summary`,
    });
    svg.append(svgElement("text", { x: 0, y: 14, class: "tl-header" },
      `${mode} · ${laneCount} lane${laneCount === 1 ? "" : "s"} · ${formatMs(result.ms)}`));
    svg.append(axis({ span, plot, height, end: x(result.endedAt) }));
    const bars = drawLanes(svg, lanes, plot, x);

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
