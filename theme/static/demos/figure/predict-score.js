// Scoring a reader's prediction against a run (no DOM here, so the tests import it on its own):
// which mode was fastest, and how a guessed speed-up compares with the measured one. Used by
// ./predict-section.js with the `demo-run` event's detail (./widget.js).
//
// Each question ends as one of:
//   right     the guess matched this machine (a speed-up within CLOSE_ENOUGH either way)
//   wrong     it did not
//   skipped   the reader left it blank
//   unscored  this machine could not answer it (the mode did not run here, e.g. threads
//             without SharedArrayBuffer): it does not count either way
// and the prediction as a whole is right when every scored answer is, wrong when one is not,
// skipped when nothing was answered, unscored when answers were given but none could be scored.

/** A guessed speed-up counts as right within this factor of the measured one, either way (±25%). */
export const CLOSE_ENOUGH = 1.25;

/** The largest speed-up a reader may type: more than any browser gives, small enough to show. */
export const LARGEST_GUESS = 1000;

/** The guess typed as text ("3", "2.5", "1,5", "3×"): a number in (0, LARGEST_GUESS], else null. */
export function parseGuess(text) {
  const cleaned = String(text ?? "").trim().replace(/\s*[×x]$/i, "").replace(",", ".");
  if (cleaned === "" || !/^\d*\.?\d+$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return value > 0 && value <= LARGEST_GUESS ? value : null;
}

/** The mode with the shortest wall time in `results` ({ mode: { ms } }), or null when none ran. */
export function fastestMode(results) {
  let best = null;
  for (const [mode, result] of Object.entries(results ?? {})) {
    if (typeof result?.ms !== "number") continue;
    if (best === null || result.ms < results[best].ms) best = mode;
  }
  return best;
}

/** How far a guess is from the measured speed-up, as a factor ≥ 1 (2 = twice or half). */
export function howFar(guess, measured) {
  return guess >= measured ? guess / measured : measured / guess;
}

/** The winner question: { guess, actual, result }. */
export function scoreWinner(guess, run) {
  const actual = fastestMode(run.results);
  if (!guess) return { guess: null, actual, result: "skipped" };
  const ran = typeof run.results?.[guess]?.ms === "number";
  if (!ran || actual === null) return { guess, actual, result: "unscored" };
  return { guess, actual, result: guess === actual ? "right" : "wrong" };
}

/** The speed-up question about `mode`: { mode, guess, measured, off, result }. */
export function scoreSpeedup(mode, guess, run) {
  const measured = run.speedups?.[mode];
  const known = typeof measured === "number" && measured > 0;
  if (guess === null) return { mode, guess: null, measured: known ? measured : null, off: null, result: "skipped" };
  if (!known) return { mode, guess, measured: null, off: null, result: "unscored" };
  const off = howFar(guess, measured);
  return { mode, guess, measured, off, result: off <= CLOSE_ENOUGH ? "right" : "wrong" };
}

/**
 * The whole prediction: `ask` the block's questions ({ winner, speedup }), `answers` the reader's
 * ({ winner: mode or null, speedup: number or null }), `run` the `demo-run` detail ({ results,
 * speedups }). Returns { result, winner, speedup, scored, right }: each question's score (null
 * where not asked), and how many answers counted and how many of those were right.
 */
export function scorePrediction(ask, answers, run) {
  const winner = ask.winner ? scoreWinner(answers.winner ?? null, run) : null;
  const speedup = ask.speedup ? scoreSpeedup(ask.speedup, answers.speedup ?? null, run) : null;
  const parts = [winner, speedup].filter(Boolean).map((part) => part.result);
  const scored = parts.filter((result) => result === "right" || result === "wrong").length;
  const right = parts.filter((result) => result === "right").length;
  let result;
  if (parts.every((part) => part === "skipped")) result = "skipped";
  else if (scored === 0) result = "unscored";
  else result = right === scored ? "right" : "wrong";
  return { result, winner, speedup, scored, right };
}

/** A speed-up as the results table writes it: "1.8×", "0.8×", "12×". */
export function formatTimes(value) {
  return `${value.toFixed(value >= 10 ? 0 : 1)}×`;
}

/**
 * Amdahl's law read backwards: the share of the work that behaved as if it ran on one lane,
 * given a speed-up `s` on `p` lanes (s = 1 / (f + (1 − f) / p)); null where it says nothing
 * (one lane, or no speed-up measured). Held to [0, 1].
 */
export function serialShare(s, p) {
  if (!(p > 1) || !(s > 0)) return null;
  const f = (p / s - 1) / (p - 1);
  return Math.min(1, Math.max(0, f));
}
