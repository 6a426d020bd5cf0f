// A live frame-time meter: while a measurement is on, it asks for every animation frame
// (requestAnimationFrame) and draws the gaps between them as a strip chart of the last few
// seconds, with the longest gap so far. A page that keeps up draws a frame every 16.7 ms (at
// 60 Hz); while its thread is busy no frame comes, and the gap grows for as long as it is busy.
// The meter cannot draw while the thread is blocked: the frozen chart is itself the evidence,
// and the long gap appears as soon as the thread is free again.

import { element, svgElement } from "../dom.js";

const WINDOW_MS = 4000;
const HEIGHT = 96;
const LABEL_WIDTH = 52;
/** A frame at 60 Hz. */
const FRAME_MS = 1000 / 60;
/** Gaps longer than this are drawn as long frames: input would feel sluggish. */
export const LONG_GAP_MS = 50;

const wholeMs = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const tenthMs = new Intl.NumberFormat("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export class FrameMeter {
  #root;
  #svg;
  #readout;
  #width = 0;
  #history = [];
  #recording = null;
  #waiters = [];
  #last = null;
  #handle = 0;
  /** The longest gap of each measurement of the current run: [[label, ms]]. */
  #longest = [];

  constructor(container) {
    this.#root = container;
    container.classList.add("demo-frame-meter");
    this.#readout = element("p", { class: "demo-frame-readout", "aria-live": "polite" }, "Frame gaps: not measured yet.");
    this.#svg = svgElement("svg", { height: HEIGHT, role: "img", "aria-label": "The gaps between the page's frames, live" });
    container.append(
      element("p", { class: "demo-hint" }, "Live: the gap between each two frames the page draws (requestAnimationFrame), over the last four seconds."),
      this.#svg,
      this.#readout,
    );
    new ResizeObserver(() => {
      if (Math.round(container.clientWidth) !== this.#width) this.#draw(performance.now());
    }).observe(container);
    this.#draw(performance.now());
  }

  /** A run starting (no results yet) clears the strip and the readout; results add nothing. */
  show(results) {
    if (results.size > 0 || this.#recording) return;
    this.#history = [];
    this.#longest = [];
    this.#root.removeAttribute("data-longest-gap");
    this.#readout.textContent = "Frame gaps: measuring while each mode runs…";
    this.#draw(performance.now());
  }

  /**
   * Starts measuring (and drawing) `label` (a mode) from the next frame. Returns `{ frames(count), stop() }`:
   * `frames` resolves after that many more frames; `stop` ends the measurement and returns
   * `{ longestGap, gaps: [{ start, end }] }` (times on the `performance.now()` clock).
   */
  measure(label) {
    this.#cancel();
    this.#recording = { label, gaps: [], longest: 0 };
    // The history is kept: one run's modes show one after another on the strip.
    this.#last = null;
    this.#root.removeAttribute("data-longest-gap");
    this.#handle = requestAnimationFrame(this.#tick);
    const recording = this.#recording;
    return {
      frames: (count = 1) => new Promise((resolve) => this.#waiters.push({ count, resolve })),
      stop: () => {
        if (this.#recording !== recording) return { longestGap: recording.longest, gaps: recording.gaps };
        this.#cancel();
        this.#root.dataset.longestGap = recording.longest.toFixed(1);
        this.#longest.push([label, recording.longest]);
        this.#readout.textContent = `Longest gap between frames — ${this.#longest
          .map(([name, ms]) => `${name}: ${tenthMs.format(ms)} ms`).join(", ")}.`;
        return { longestGap: recording.longest, gaps: recording.gaps };
      },
    };
  }

  #cancel() {
    cancelAnimationFrame(this.#handle);
    this.#recording = null;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  // The time the callback runs, not the frame's own timestamp: that one is when the frame was
  // due, which a blocked thread makes no later.
  #tick = () => {
    const now = performance.now();
    const recording = this.#recording;
    if (!recording) return;
    if (this.#last !== null) {
      const gap = { start: this.#last, end: now };
      recording.gaps.push(gap);
      recording.longest = Math.max(recording.longest, now - this.#last);
      this.#history.push(gap);
      while (this.#history.length > 0 && this.#history[0].end < now - WINDOW_MS) this.#history.shift();
    }
    this.#last = now;
    this.#draw(now);
    this.#readout.textContent = `Longest gap between frames, ${recording.label}: ${tenthMs.format(recording.longest)} ms`;
    this.#handle = requestAnimationFrame(this.#tick);
    this.#waiters = this.#waiters.filter((waiter) => {
      waiter.count -= 1;
      if (waiter.count > 0) return true;
      waiter.resolve();
      return false;
    });
  };

  /** The strip chart: time runs left to right, each gap a bar as wide and as tall as it is long. */
  #draw(now) {
    this.#width = Math.round(this.#root.clientWidth);
    const width = Math.max(this.#width, 240);
    const plotWidth = width - LABEL_WIDTH - 4;
    const top = Math.max(100, ...this.#history.map((gap) => gap.end - gap.start));
    const x = (time) => LABEL_WIDTH + Math.max(0, 1 - (now - time) / WINDOW_MS) * plotWidth;
    const y = (ms) => HEIGHT - 14 - (Math.min(ms, top) / top) * (HEIGHT - 22);
    const svg = this.#svg;
    svg.setAttribute("width", width);
    svg.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
    const parts = [
      svgElement("rect", { x: LABEL_WIDTH, y: 8, width: plotWidth, height: HEIGHT - 22, class: "fm-plot" }),
    ];
    for (const [ms, label] of [[FRAME_MS, "16.7 ms"], [LONG_GAP_MS, "50 ms"], [top, `${wholeMs.format(top)} ms`]]) {
      if (ms > top || (ms !== top && top - ms < top * 0.12)) continue;
      parts.push(svgElement("line", { x1: LABEL_WIDTH, x2: LABEL_WIDTH + plotWidth, y1: y(ms), y2: y(ms), class: ms === top ? "fm-grid" : "fm-reference" }));
      parts.push(svgElement("text", { x: LABEL_WIDTH - 5, y: y(ms) + 3.5, class: "fm-tick", "text-anchor": "end" }, label));
    }
    for (const gap of this.#history) {
      const left = x(gap.start);
      const ms = gap.end - gap.start;
      parts.push(svgElement("rect", {
        x: left, y: y(ms), width: Math.max(1, x(gap.end) - left - 0.5), height: HEIGHT - 14 - y(ms),
        class: ms > LONG_GAP_MS ? "fm-gap fm-long" : "fm-gap",
      }));
    }
    parts.push(svgElement("text", { x: LABEL_WIDTH, y: HEIGHT - 2, class: "fm-tick" }, "4 s ago"));
    parts.push(svgElement("text", { x: LABEL_WIDTH + plotWidth, y: HEIGHT - 2, class: "fm-tick", "text-anchor": "end" }, "now"));
    svg.replaceChildren(...parts);
  }
}

