// Numbers as the demos' tables and charts show them.

const decimal = (digits) => new Intl.NumberFormat("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A wall time: "0.42 ms", "12.5 ms", "830 ms", "12.3 s". */
export function formatMs(ms) {
  if (ms >= 10_000) return `${decimal(1).format(ms / 1000)} s`;
  return `${decimal(ms < 10 ? 2 : ms < 100 ? 1 : 0).format(ms)} ms`;
}
