// Speed-ups: how many times faster each mode ran than the demo's baseline mode (the catalogue's
// `baseline`, in `data-spec`). The table, the export, the `demo-run` event and so the figures
// quoted in the text (../../page/measured.js) all take them from here. `make claims` uses the
// same rule in Rust (demos-wasm/src/catalogue.rs `speedup`), the Python twins their own copy:
// the tests hold both to it.

/** `baselineMs / ms`: null when either is missing or `ms` is not above 0. */
export function speedup(baselineMs, ms) {
  return typeof baselineMs === "number" && typeof ms === "number" && ms > 0 ? baselineMs / ms : null;
}

/** Each mode's speed-up over `baseline` in `results` (Map mode → result with `ms`): Map mode → number or null. */
export function speedups(results, baseline) {
  const base = results.get(baseline)?.ms;
  return new Map([...results].map(([mode, result]) => [mode, speedup(base, result.ms)]));
}
