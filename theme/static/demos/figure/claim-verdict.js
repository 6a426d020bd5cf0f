// Whether an inline claim of the text (`{{#claim …}}`, a `[data-claim]` badge) held in a run of
// its demo, and the words that say so. Pure: no DOM, so a test can import it on its own. The
// thresholds are the book's (site-gen/src/parse/claim.rs `Verdict`, read by `make claims`): the
// browser tests hold the two to the same answers.
//
// A verdict is about a speed-up over the demo's baseline mode (faster ≥ 1.25×, same 0.8× up to
// 1.25×, slower below 0.8×) or about a count (loses: short of the expected count; exact: the
// expected count exactly).

export const FASTER = 1.25;
export const SLOWER = 0.8;

const COUNT_VERDICTS = ["loses", "exact"];
const count = new Intl.NumberFormat("en");
const hundredth = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Whether `expect` is about a count rather than a speed-up. */
export function isCountVerdict(expect) {
  return COUNT_VERDICTS.includes(expect);
}

/** Whether a speed-up of `speedup` bears out `expect` (faster, same or slower). */
export function speedupHolds(expect, speedup) {
  if (expect === "faster") return speedup >= FASTER;
  if (expect === "same") return speedup >= SLOWER && speedup < FASTER;
  if (expect === "slower") return speedup < SLOWER;
  return false;
}

/** Whether a final count of `result` where `expected` was due bears out `expect` (loses or exact). */
export function countHolds(expect, result, expected) {
  if (expect === "loses") return result < expected;
  if (expect === "exact") return result === expected;
  return false;
}

/** "1.94×": a speed-up as the badge shows it. */
export function formatSpeedup(speedup) {
  return `${hundredth.format(speedup)}×`;
}

/**
 * Why a claim about a speed-up did not hold here, when something known explains it: more
 * workers than logical cores; else the plain truth that it is this machine at these settings.
 */
export function notHeldReason({ expect, workers, cores }) {
  if (expect === "faster" && cores > 0 && workers > cores) {
    return `this machine has ${cores} logical core${cores === 1 ? "" : "s"}, fewer than the ${workers} workers`;
  }
  return "on this machine, at these settings";
}

/**
 * The outcome of a claim `{ mode, expect }` in one run of its demo:
 *   unavailable  the mode cannot run here (`unavailable`: the figure's reason);
 *   waiting      the run has no result for the mode or its baseline (stopped, failed);
 *   held / not-held, with the speed-up (or the count) and the words for the badge.
 * `run` is `{ speedup, result, expected, workers }` for the mode (null: no result), `cores` the
 * machine's logical cores.
 */
export function claimOutcome({ mode, expect, unavailable = null, run = null, cores = 0 }) {
  if (unavailable) return { status: "unavailable", speedup: null, text: `Can't check here: ${unavailable}` };
  if (isCountVerdict(expect)) {
    if (!run || typeof run.result !== "number" || typeof run.expected !== "number") return waiting(mode);
    const held = countHolds(expect, run.result, run.expected);
    const lost = run.expected - run.result;
    const what = lost > 0 ? `${count.format(lost)} of ${count.format(run.expected)} updates lost` : `exactly ${count.format(run.result)}`;
    return { status: held ? "held" : "not-held", speedup: null, text: held ? `Held here: ${what}` : `Not here: ${what}, on this machine, at these settings` };
  }
  if (!run || typeof run.speedup !== "number") return waiting(mode);
  const shown = formatSpeedup(run.speedup);
  if (speedupHolds(expect, run.speedup)) return { status: "held", speedup: run.speedup, text: `Held here: ${shown}` };
  const reason = notHeldReason({ expect, workers: run.workers, cores });
  return { status: "not-held", speedup: run.speedup, text: `Not here: ${shown}, ${reason}` };
}

function waiting(mode) {
  return { status: "waiting", speedup: null, text: `The last run has no result for ${mode}: run the demo again to check` };
}
