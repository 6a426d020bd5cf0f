// The figure's "Timeline" section: the timelines of a run (../charts/timeline.js), with the
// names the demo's definition gives its tasks, lanes and kinds of bar, and the replay of the
// reader's run under them (./replay-section.js).

import { Timelines } from "../charts/timeline.js";
import { element } from "../dom.js";
import { ReplaySection } from "./replay-section.js";

/**
 * The section and its timelines, drawn as `definition` describes events; `params()` gives the
 * parameters of the run shown. `timelines.show(runs)` shows the reader's runs and
 * `timelines.showShared(shared)` a run shared by a link (./share-codec.js) under them, on the
 * same time scale, labelled with its machine (null: none); `timelines.alsoOnScale(span)` puts
 * them on one scale with timelines drawn elsewhere, and `timelines.redraw()` redraws them.
 * `demo` is the demo's name.
 */
export function timelineSection(definition, params, demo) {
  const box = element("div", { class: "demo-timelines", hidden: "" });
  /** The spans of other timelines drawn on this scale (CPython's: ./cpython-section.js). */
  const others = [];
  const details = element("p", { class: "demo-details", "aria-live": "polite" });
  let shared = null;
  const own = new Timelines(box, details, {
    otherSpan: () => Math.max(shared?.span ?? 0, ...others.map((span) => span())),
    taskName: definition.taskName,
    kindNames: definition.kindNames,
    taskNameOf: (event) => definition.taskNameOf?.(event) ?? definition.taskName,
    describe: (run, event) => definition.describeEvent(event, params()),
    laneName: (run, lane) => definition.laneName?.(run, lane) ?? laneName(run.uses, lane),
  });
  const replay = new ReplaySection(box, () => Math.max(own.span, shared?.span ?? 0, ...others.map((span) => span()), 0.001), {
    demo,
    laneName: (run, lane) => definition.laneName?.(run, lane) ?? laneName(run.uses, lane),
    taskNameOf: (event) => definition.taskNameOf?.(event) ?? definition.taskName,
  });
  const sharedLabel = element("p", { class: "demo-shared-label" });
  const sharedBox = element("div", { class: "demo-timelines demo-timelines-shared", "data-shared-timelines": "" });
  const sharedDetails = element("p", { class: "demo-details", "aria-live": "polite" });
  const sharedBlock = element("div", { class: "demo-shared-block", hidden: "" }, sharedLabel, sharedBox, sharedDetails);
  const timelines = {
    /** The longest of the reader's and the shared run's, in ms. */
    get span() {
      return Math.max(own.span, shared?.span ?? 0);
    },
    /** Draws the reader's and the shared run's on the same scale as timelines whose span `span()` gives. */
    alsoOnScale(span) {
      others.push(span);
    },
    /** Draws again, when the other timelines on this scale changed. */
    redraw() {
      own.redraw();
      shared?.redraw();
      replay.place();
    },
    show(runs) {
      own.show(runs);
      shared?.redraw();
      replay.show(runs);
    },
    showShared(run) {
      sharedBlock.hidden = run === null;
      if (run === null) {
        shared?.show([]);
        own.redraw();
        replay.place();
        return;
      }
      shared ??= new Timelines(sharedBox, sharedDetails, {
        otherSpan: () => Math.max(own.span, ...others.map((span) => span())),
        taskName: definition.taskName,
        kindNames: definition.kindNames,
        taskNameOf: (event) => (event.kind === "task" ? definition.taskName : event.kind),
        describe: () => "times to a tenth of a millisecond",
        laneName: (entry, lane) => laneName(entry.uses, lane),
      });
      sharedLabel.textContent = `Shared run · ${run.machine}`;
      shared.show(run.timelines.map(({ mode, events }) => {
        const ms = run.rows.find((row) => row.mode === mode)?.ms ?? 0;
        const endedAt = Math.max(ms, ...events.map((event) => event.end));
        // A link's bar may be several tasks merged: its details say what it is, not which task.
        const bars = events.map((event) => ({ ...event, label: "a bar of the shared run" }));
        return { mode, uses: definition.modes[mode]?.uses ?? "own", result: { startedAt: 0, endedAt, ms, events: bars } };
      }));
      own.redraw();
      replay.place();
    },
  };
  const section = element("details", { class: "demo-timeline-section", open: "" },
    element("summary", {}, "Timeline"),
    element("p", { class: "demo-hint" }, "One row per worker or thread; every mode on the same time scale. " +
      "Point at a bar, or focus a chart and use the arrow keys, for details."),
    element("div", { class: "demo-replay-stage" }, box, replay.line), details, replay.element, sharedBlock);
  return { section, timelines };
}

/** "worker", "thread 2", "worker 3", "page thread". */
function laneName(uses, lane) {
  switch (uses) {
    case "threads": return `thread ${lane + 1}`;
    case "processes": return `worker ${lane + 1}`;
    case "main": return "page thread";
    default: return "worker";
  }
}
