// Speed-ups: how many times faster each mode ran than the demo's baseline mode (the catalogue's
// `baseline`, in `data-spec`: sequential unless the demo names another). The table, the export
// and the `demo-run` event all take them from here; the Python twins and `make claims` compute
// the same (demos-wasm/src/catalogue.rs `speedup`, held equal by the tests).

/** `baselineMs / ms`: null when either is missing or `ms` is not above 0. */
export function speedup(baselineMs, ms) {
  return typeof baselineMs === "number" && typeof ms === "number" && ms > 0 ? baselineMs / ms : null;
}

/** Each mode's speed-up over `baseline` in `results` (Map mode → result with `ms`): Map mode → number or null. */
export function speedups(results, baseline) {
  const base = results.get(baseline)?.ms;
  return new Map([...results].map(([mode, result]) => [mode, speedup(base, result.ms)]));
}
