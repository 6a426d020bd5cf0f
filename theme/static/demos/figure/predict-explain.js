// Why this machine answered a prediction as it did, in a sentence or two made only from what is
// true of this run: the workers and logical cores it had, a mode the browser could not run and
// why, the GIL (the gil demo with its lock on), one thread for async work that only computes,
// waits that overlap without cores, and Amdahl's law read from the measured speed-up. No DOM
// here: ./predict-section.js hands it the facts, and the tests import it on its own.

import { CLOSE_ENOUGH, formatTimes, serialShare } from "./predict-score.js";

/** What a mode pays beyond the work, for the demos whose work only computes. */
const OVERHEAD = {
  threads: "handing out chunks to the thread pool and waiting for the slowest thread",
  processes: "sending each task and its answer as a message between separate workers, which share no memory",
  unsafe: "threads fighting over the same counter in memory",
  lock: "threads queuing for the lock, one at a time",
  atomic: "threads taking turns at the one atomic counter",
};

/**
 * What kind of work the run did: "compute" (only computes: cores decide), "gil" (computes under
 * the gil demo's lock), "wait" (mostly waits: waits overlap without cores) or "other".
 */
export function workKind(demo, job = {}) {
  if (demo === "primes" || demo === "race") return "compute";
  if (demo === "gil") return job.work === "io" ? "wait" : job.gil === false ? "compute" : "gil";
  if (demo === "io-bound") return "wait";
  return "other";
}

/** "2 logical cores", or words for an unknown count. */
function coresText(cores) {
  return cores > 0 ? `${cores} logical core${cores === 1 ? "" : "s"}` : "an unknown number of cores";
}

function workersText(n) {
  return `${n} worker${n === 1 ? "" : "s"}`;
}

/** `text` with its first letter a capital, to start a sentence with a mode's name. */
function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A mode's reason for not running, without the table's "unavailable — " prefix. */
function why(reason) {
  return reason.replace(/^unavailable\s*[—-]\s*/, "");
}

/**
 * Why the speed-up guess met or missed: `facts` is { demo, job, run, cores, unavailable }, with
 * `unavailable` the modes this browser could not run and why; `score` the speed-up question's
 * score (./predict-score.js `scoreSpeedup`). One or two sentences, or "" when skipped.
 */
export function explainSpeedup(score, facts) {
  const { mode, guess, measured, result } = score;
  const { demo, job, run, cores, unavailable } = facts;
  if (result === "skipped" && measured === null) return "";
  if (measured === null) {
    if (unavailable[mode]) return `The ${mode} mode could not run here: ${why(unavailable[mode])}. So this machine has no ${mode} speed-up to set a guess against, and the guess does not count either way.`;
    return `The ${mode} mode has no speed-up in this run (it or ${run.baseline} did not finish), so this run cannot score the guess.`;
  }
  const kind = workKind(demo, job);
  const workers = run.results?.[mode]?.workers ?? job.workers ?? 1;
  const got = formatTimes(measured);
  if (kind === "gil" && mode === "threads") {
    if (measured > CLOSE_ENOUGH) return `With the GIL on, only one thread may compute at a time, so threads should give about 1×. ${aboveCeiling(got, 1, run)}`;
    return `With the GIL on, only one thread may compute at a time, so ${workersText(workers)} take turns at the work: about 1× is all threads can give here, on any number of cores (it gave ${got}).`;
  }
  if (mode === "async" && (kind === "compute" || kind === "gil")) {
    if (measured > CLOSE_ENOUGH) return `Async tasks take turns on one thread, so for work that only computes they cannot beat one thread. ${aboveCeiling(got, 1, run)}`;
    return `Async tasks take turns on one thread, so for work that only computes they cannot beat one thread: 1× at best, a little less for each turn given back to the page (it gave ${got}).`;
  }
  if (kind === "wait") {
    const overlap = mode === "async" ? "every request was in flight at once on one thread" : `${workersText(workers)} each waited on one request at a time`;
    return `These tasks mostly wait, and waiting takes no core: ${overlap}, so the speed-up depends on how many waits overlap, not on this machine's ${coresText(cores)} (it gave ${got}).`;
  }
  if (kind === "compute" || kind === "gil") return capital(computeGap(mode, guess, measured, workers, cores, run));
  return `This run measured ${got} for ${mode}${guess === null ? "" : ` against your ${formatTimes(guess)}`}: the table's wall times and the timeline show where the time went.`;
}

/** The gap for work that only computes: the ceiling set by workers and cores, and what Amdahl's law makes of the rest. */
function computeGap(mode, guess, measured, workers, cores, run) {
  const lanes = cores > 0 ? Math.min(workers, cores) : workers;
  const setup = `${mode} ran on ${workersText(workers)} and this machine has ${coresText(cores)}`;
  const extra = cores > 0 && workers > cores ? ` (workers beyond the cores only take turns)` : "";
  const got = formatTimes(measured);
  if (measured > lanes * CLOSE_ENOUGH) return `${setup}${extra}, so ${lanes}× is the ceiling. ${aboveCeiling(got, lanes, run)}`;
  if (lanes <= 1) return `${setup}${extra}, so nothing could run side by side: 1× is the ceiling, and it gave ${got}.`;
  if (guess !== null && guess > lanes * CLOSE_ENOUGH) {
    return `${setup}${extra}, so ${lanes}× is the ceiling even with no overhead at all; it gave ${got}.`;
  }
  if (measured < 1) {
    return `${setup}${extra}, so the ideal was ${lanes}×; it gave ${got}, slower than ${run.baseline}: ${OVERHEAD[mode] ?? "its overhead"}, and start-up, cost more than splitting the work saved.`;
  }
  if (measured >= lanes / CLOSE_ENOUGH) {
    return `${setup}${extra}, so the ideal was ${lanes}×, and it came close (${got}): the chunks are independent and the messages small.`;
  }
  const share = Math.round(100 * serialShare(measured, lanes));
  return `${setup}${extra}, so the ideal was ${lanes}×; it gave ${got}, as if ${share}% of the job had run on one lane (Amdahl's law: ${share}% serial caps any number of lanes at ${share > 0 ? formatTimes(100 / share) : "no limit"}). The time lost went to ${OVERHEAD[mode] ?? "overhead"}, and to start-up, which a small job feels most.`;
}

/** A speed-up above what the lanes allow: the baseline's run, not the mode, is what changed. */
function aboveCeiling(got, ceiling, run) {
  const first = Object.keys(run.results ?? {})[0] === run.baseline ? ", which ran first," : "";
  return `It gave ${got}, more than ${ceiling}× allows: the ${run.baseline} run${first} was slower this time (the browser may still have been optimising the code, or the machine was busy). Run it again: one run is not yet a measurement.`;
}

/**
 * Why the fastest mode won, and what became of the reader's pick: `score` the winner question's
 * score (./predict-score.js `scoreWinner`), `facts` as for `explainSpeedup`.
 */
export function explainWinner(score, facts) {
  const { guess, actual, result } = score;
  const { demo, job, run, cores, unavailable } = facts;
  if (actual === null) return "";
  const lost = Object.keys(unavailable).filter((mode) => !(mode in (run.results ?? {})));
  const couldNot = lost.length > 0 ? ` ${capital(lost.join(" and "))} could not run here (${why(unavailable[lost[0]])}), so the race was between the others.` : "";
  if (result === "unscored" && guess && unavailable[guess]) {
    return `The ${guess} mode could not run here: ${why(unavailable[guess])}. Of the modes that ran, ${actual} was fastest.`;
  }
  const sentences = [`${capital(winnerReason(actual, demo, job, run, cores))}${couldNot}`];
  const close = result === "wrong" ? closeRace(guess, actual, run) : null;
  if (close) sentences.push(close);
  return sentences.join(" ");
}

function winnerReason(actual, demo, job, run, cores) {
  const kind = workKind(demo, job);
  const workers = run.results[actual]?.workers ?? job.workers ?? 1;
  if (kind === "wait") {
    return actual === "async"
      ? "async won: it kept every request in flight at once on one thread, and waiting needs no cores."
      : `${actual} won: ${workersText(workers)} waited side by side, and waiting needs no cores.`;
  }
  if (kind === "compute" || kind === "gil") {
    if (actual === run.baseline || actual === "async") {
      if (cores === 1) return `${actual} won: this machine has one logical core, so no mode could compute side by side.`;
      if (kind === "gil") return `${actual} won: with the GIL on, threads take turns at the work, and the processes' start-up and messages cost more than they saved here.`;
      return `${actual} won: at this size, starting workers and passing messages cost more than splitting the work saved.`;
    }
    if (kind === "gil" && actual === "threads") return `${actual} won, by a little: with the GIL on they take turns, so this is noise, not parallel work.`;
    return `${actual} won: it split the work across ${workersText(workers)} on ${coresText(cores)}.`;
  }
  return `${actual} won, in ${run.results[actual].ms.toFixed(0)} ms: the table has every mode's time.`;
}

/** "It was close: threads was only 4% slower…" when the reader's pick lost by under 10%. */
function closeRace(guess, actual, run) {
  const mine = run.results?.[guess]?.ms;
  const best = run.results?.[actual]?.ms;
  if (typeof mine !== "number" || typeof best !== "number" || best <= 0) return null;
  const slower = mine / best - 1;
  if (slower >= 0.1) return null;
  return `It was close: ${guess} was only ${Math.max(1, Math.round(100 * slower))}% slower, so another run may swap them.`;
}
