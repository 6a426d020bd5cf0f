// The parts of a demo's figure, built and put in place inside its `[data-demo]` element, in the
// order the reader sees them: summary, controls, notices, results table, wall-time chart, the
// definition's own figure, the sweep of workers (shown once one runs), agreement, errors,
// timelines, export buttons, "Share this run", machine line and what the wall times include; a
// note about a run shared by the page's link sits under the controls. ./widget.js tells them what happens.

import { Controls } from "./controls.js";
import { ResultsTable } from "./results-table.js";
import { WallTimeChart, timingNote } from "./wall-time-chart.js";
import { timelineSection } from "./timeline-section.js";
import { AgreementLine } from "./agreement.js";
import { exportButtons } from "./export.js";
import { MachineLine } from "./machine.js";
import { SweepSection } from "./sweep-section.js";
import { ShareSection } from "./share-section.js";
import { element } from "../dom.js";

/**
 * Builds the parts of the figure `root` of the demo `spec` as `definition` describes it, for
 * `modes`, holding `params` (`currentParams()` gives them later); `problems` are the address's
 * refused values; `exports` what the Export buttons copy; `onRun`, `onStop` and `onInput` are
 * the controls', and `onSweep` the sweep button's (null: no button, no sweep section). Returns
 * { controls, table, chart, view, sweep, agreement, timelines, share, machine, showError }.
 */
export function buildParts(root, { spec, definition, modes, params, currentParams, problems, exports, onRun, onStop, onInput, onSweep = null }) {
  const controls = new Controls(spec, params, { shows: definition.shows, onRun, onStop, onInput, onSweep });
  const notice = element("p", { class: "demo-notice", role: "status" }, problems.length ? `Note: ${problems.join("; ")}.` : "");
  notice.hidden = problems.length === 0;
  const table = new ResultsTable(spec, definition, modes);
  const chart = new WallTimeChart(modes);
  const viewBox = definition.view ? element("div", { class: "demo-view" }) : null;
  const view = viewBox ? definition.view(viewBox, { spec, modes }) : null;
  const sweep = onSweep ? new SweepSection(root, spec) : null;
  const agreement = new AgreementLine(definition);
  const error = element("p", { class: "demo-error", role: "alert", hidden: "" });
  const { section, timelines } = timelineSection(definition, currentParams, spec.name);
  const machine = new MachineLine();
  const share = new ShareSection();
  const body = element("div", { class: "demo-body" },
    element("p", { class: "demo-summary" }, spec.summary), controls.form, controls.invalid, notice, share.note,
    table.element, chart.element, ...(viewBox ? [viewBox] : []), ...(sweep ? [sweep.element] : []), agreement.element, error, section,
    exportButtons(exports), share.element, machine.element, element("p", { class: "demo-note" }, timingNote(definition)));
  const caption = root.querySelector(":scope > figcaption");
  if (caption) caption.after(body);
  else root.prepend(body);
  /** Shows `message` as the run's error, or none for null. */
  const showError = (message) => {
    error.hidden = message === null;
    error.textContent = message === null ? "" : `Error — ${message}`;
  };
  return { controls, table, chart, view, sweep, agreement, timelines, share, machine, showError };
}
