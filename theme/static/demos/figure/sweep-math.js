// The arithmetic of a sweep (./sweep-section.js): medians, how much repeats vary, speed-up and
// parallel efficiency at each value, and Amdahl's serial fraction fitted to the speed-ups. No DOM:
// the browser tests import this module on its own and check the fit on made-up data.

/** The median of `values` (numbers; at least one). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** How much `values` vary: (max − min) / median, 0 for a single value or a median of 0. */
export function spread(values) {
  const middle = median(values);
  return middle > 0 ? (Math.max(...values) - Math.min(...values)) / middle : 0;
}

/** Repeats that vary by more than this (max − min over the median) get a warning. */
export const SPREAD_LIMIT = 0.1;

/**
 * One point of a sweep: the baseline's wall times (`baselineMs`, its repeats) and the swept
 * mode's (`ms`) at `workers` workers. The speed-up is the baseline's median over this median; the
 * whiskers are each repeat's speed-up against the baseline's median (slowest and fastest).
 * Efficiency is the speed-up per worker: speed-up / workers (1 is perfect scaling).
 */
export function scalingPoint(workers, ms, baselineMs) {
  const base = median(baselineMs);
  const middle = median(ms);
  const speedup = base / middle;
  const speedupMin = base / Math.max(...ms);
  const speedupMax = base / Math.min(...ms);
  return {
    workers, ms: middle, msMin: Math.min(...ms), msMax: Math.max(...ms), repeats: ms.length, baselineMs: base,
    speedup, speedupMin, speedupMax,
    efficiency: speedup / workers, efficiencyMin: speedupMin / workers, efficiencyMax: speedupMax / workers,
    spread: spread(ms), baselineSpread: spread(baselineMs),
  };
}

/**
 * Amdahl's serial fraction f from speed-ups measured at several worker counts: the least-squares
 * fit of 1/S against 1/p to Amdahl's law, 1/S(p) = f + (1 − f)/p, which is a straight line in
 * x = 1/p through (1, 1) with intercept f. Minimising Σ (1/S − x − f(1 − x))² over f gives
 *   f = Σ (1 − x)(1/S − x) / Σ (1 − x)²,
 * clamped to [0, 1] (`clamped` says whether it was). Points at one worker pin the line at
 * (1, 1) and tell nothing about f; with no other point, f is null.
 * `points`: [{ workers, speedup }]. Returns { fraction, raw, clamped, ceiling } where the
 * ceiling is 1/f, the most any number of workers could give (Infinity for f = 0).
 */
export function amdahlFit(points) {
  let top = 0;
  let bottom = 0;
  for (const { workers, speedup } of points) {
    if (!(workers > 0) || !(speedup > 0)) continue;
    const x = 1 / workers;
    top += (1 - x) * (1 / speedup - x);
    bottom += (1 - x) ** 2;
  }
  if (bottom === 0) return { fraction: null, raw: null, clamped: false, ceiling: null };
  const raw = top / bottom;
  const fraction = Math.min(1, Math.max(0, raw));
  return { fraction, raw, clamped: fraction !== raw, ceiling: fraction > 0 ? 1 / fraction : Infinity };
}

/** Amdahl's law: the speed-up `workers` give when a fraction `fraction` of the work is serial. */
export function amdahl(fraction, workers) {
  return 1 / (fraction + (1 - fraction) / workers);
}

/**
 * The worker counts a sweep from 1 to `top` runs: every one up to 8, then doubling (so a sweep
 * to 64 is 1–8, 16, 32, 64), always ending at `top`.
 */
export function sweepValues(top) {
  const values = [];
  for (let value = 1; value <= top; value = value < 8 ? value + 1 : value * 2) values.push(value);
  if (values.at(-1) !== top) values.push(top);
  return values;
}

/**
 * The values a sweep of another parameter (not workers) runs, up to `current`: halving from it
 * while at least `min` (at most four values), then doubling from it while at most `max` until
 * there are three, in increasing order.
 */
export function parameterValues(current, min, max) {
  const values = [current];
  for (let value = Math.floor(current / 2); value >= min && values.length < 4; value = Math.floor(value / 2)) {
    if (value !== values[0]) values.unshift(value);
  }
  for (let value = current * 2; value <= max && values.length < 3; value *= 2) values.push(value);
  return values;
}
