// The text's inline claims (`{{#claim DEMO MODE VERDICT …}}` in the Markdown, badges written by
// site-gen/src/parse/claim_badge.rs), filled in by the demo they name once it has run on the page.
//
// A badge (`[data-claim]`) carries `data-claim-demo`, `data-claim-mode`, `data-claim-expect`
// (faster, same, slower, loses or exact), `data-claim-baseline`, `data-claim-params` (JSON: the
// parameters the claim is about) and `data-claim-status`:
//   waiting      before a run of the demo with those parameters (the badge says what the claim
//                expects, with a button that brings the demo into view), or after a run that has
//                no result for the mode;
//   held         the run bore the claim out;
//   not-held     it did not: the badge says why when something known explains it (more workers
//                than cores), else that it is this machine at these settings;
//   unavailable  the mode cannot run in this browser: the badge gives the figure's own reason
//                (no SharedArrayBuffer, not cross-origin isolated, …).
// After a run, `data-claim-speedup` holds the mode's speed-up over the baseline (speed claims) and
// `data-claim-result` / `data-claim-expected` the counts (count claims). Every run of the demo
// with the claim's parameters decides it again (a claim that names none: every run); a run with
// other values leaves an earlier outcome as it was. The verdict itself is
// ./claim-verdict.js. Each finished run of a figure says what it found in its `demo-run` event
// (./widget.js).

import { claimOutcome } from "./claim-verdict.js";
import { element } from "../dom.js";

/** Gives every badge of `page` its parts and fills it in after each run of its demo. */
export function watchClaims(page = document) {
  const badges = [...page.querySelectorAll("[data-claim]")];
  for (const badge of badges) prepare(badge, page);
  page.addEventListener("demo-run", (event) => {
    const figure = event.target;
    for (const badge of badges) {
      if (badge.dataset.claimDemo === figure.dataset?.demo) judge(badge, figure, event.detail);
    }
  });
}

/** The parameters `badge` is about. */
function paramsOf(badge) {
  try {
    return JSON.parse(badge.dataset.claimParams || "{}");
  } catch {
    return {};
  }
}

/** The keys of `params` that `job` has other values for. */
function differences(params, job) {
  return Object.keys(params).filter((key) => job?.[key] !== params[key]);
}

/** The figure a badge's button brings into view: its demo's, with the claim's parameters if one has them. */
function figureOf(badge, page) {
  const figures = [...page.querySelectorAll("[data-demo]")].filter((figure) => figure.dataset.demo === badge.dataset.claimDemo);
  const params = paramsOf(badge);
  const agrees = (figure) => {
    try {
      return differences(params, JSON.parse(figure.dataset.params || "{}")).length === 0;
    } catch {
      return false;
    }
  };
  return figures.find(agrees) ?? figures[0] ?? null;
}

/** Adds the outcome's place and the button to the demo; the expectation stays for screen readers. */
function prepare(badge, page) {
  const outcome = element("span", { class: "claim-outcome", "aria-live": "polite" });
  const go = element("button", { type: "button", class: "claim-go" }, "run the demo to check");
  go.addEventListener("click", () => {
    const figure = figureOf(badge, page);
    if (!figure) return;
    figure.scrollIntoView({ behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth", block: "start" });
    figure.querySelector(".demo-run")?.focus({ preventScroll: true });
  });
  badge.append(outcome, go);
}

/** Fills `badge` in from a run of `figure` (its `demo-run` event's `detail`). */
function judge(badge, figure, detail) {
  const mode = badge.dataset.claimMode;
  const row = figure.querySelector(`[data-mode="${CSS.escape(mode)}"]`);
  if (!row) return;
  const differ = differences(paramsOf(badge), detail?.job);
  if (differ.length > 0) {
    const ran = differ.map((key) => `${key} = ${detail?.job?.[key]}`).join(", ");
    if (badge.dataset.claimStatus === "waiting") show(badge, { status: "waiting", text: `(the last run had ${ran})` });
    return;
  }
  // The row's own reason ("unavailable — this browser offers no SharedArrayBuffer, …"), without its first word.
  const unavailable = row.dataset.status === "unavailable"
    ? (row.querySelector(".demo-unavailable")?.textContent || "this browser cannot run it").replace(/^unavailable\s*—\s*/, "")
    : row.dataset.status === "refused" ? row.dataset.refused : null;
  const result = detail?.results?.[mode];
  const run = result ? { speedup: detail.speedups?.[mode] ?? null, result: result.total, expected: result.extra?.expected, workers: result.workers } : null;
  const cores = Math.trunc(navigator.hardwareConcurrency) || 0;
  show(badge, claimOutcome({ mode, expect: badge.dataset.claimExpect, unavailable, run, cores }), run);
}

/** Shows `outcome` in `badge`, and its numbers in the badge's attributes. */
function show(badge, outcome, run = null) {
  badge.dataset.claimStatus = outcome.status;
  badge.querySelector(".claim-outcome").textContent = outcome.text;
  const decided = outcome.status === "held" || outcome.status === "not-held";
  setOrRemove(badge, "data-claim-speedup", decided && typeof outcome.speedup === "number" ? String(outcome.speedup) : null);
  const counted = decided && outcome.speedup === null && typeof run?.expected === "number";
  setOrRemove(badge, "data-claim-result", counted ? String(run.result) : null);
  setOrRemove(badge, "data-claim-expected", counted ? String(run.expected) : null);
}

function setOrRemove(node, name, value) {
  if (value === null) node.removeAttribute(name);
  else node.setAttribute(name, value);
}
