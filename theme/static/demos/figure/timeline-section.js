// The figure's "Timeline" section: the timelines of a run (../charts/timeline.js), with the
// names the demo's definition gives its tasks, lanes and kinds of bar.

import { Timelines } from "../charts/timeline.js";
import { element } from "../dom.js";

/**
 * The section and its `Timelines`, drawn as `definition` describes events; `params()` gives the
 * parameters of the run shown.
 */
export function timelineSection(definition, params) {
  const box = element("div", { class: "demo-timelines", hidden: "" });
  const details = element("p", { class: "demo-details", "aria-live": "polite" });
  const timelines = new Timelines(box, details, {
    taskName: definition.taskName,
    kindNames: definition.kindNames,
    taskNameOf: (event) => definition.taskNameOf?.(event) ?? definition.taskName,
    describe: (run, event) => definition.describeEvent(event, params()),
    laneName: (run, lane) => definition.laneName?.(run, lane) ?? laneName(run.uses, lane),
  });
  const section = element("details", { class: "demo-timeline-section", open: "" },
    element("summary", {}, "Timeline"),
    element("p", { class: "demo-hint" }, "One row per worker or thread; every mode on the same time scale. " +
      "Point at a bar, or focus a chart and use the arrow keys, for details."),
    box, details);
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
