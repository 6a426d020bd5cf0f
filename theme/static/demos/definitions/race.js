// The race demo: threads adding one to a shared counter without a lock, with a lock, and with
// an atomic add; one thread alone; and worker processes each counting on their own.
//
// Agreement: the unsafe mode is expected to lose updates, so it is left out — the page agrees
// when every other mode ends exactly at workers × increments. The unsafe row shows how many
// updates it lost (also in its data-lost attribute).

import { callOn, mergeReports } from "../runtime/reports.js";

const count = new Intl.NumberFormat("en");
const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });

const onThreads = (how) => ({
  uses: "threads",
  needs: "threads",
  run: ({ lanes: [worker], params }) => callOn(worker, "countOnThreads", [how, params.increments]),
});

export default {
  taskName: "batch",
  resultHeading: "Final count",
  warmUp: {
    single: { fn: "countAlone", args: [20_000, 1] },
    threads: { fn: "countOnThreads", args: ["atomic", 20_000] },
  },
  modes: {
    sequential: {
      uses: "single",
      run: ({ lanes: [worker], params }) => callOn(worker, "countAlone", [params.increments, params.workers]),
    },
    unsafe: onThreads("unsafe"),
    lock: onThreads("lock"),
    atomic: onThreads("atomic"),
    processes: {
      uses: "processes",
      run: async ({ lanes, params }) =>
        mergeReports(await Promise.all(lanes.map((worker, k) => callOn(worker, "countAlone", [params.increments, 1], k)))),
    },
  },
  describeEvent: (event) => `+${count.format(event.value)}`,
  formatResult(result) {
    const expected = result.extra.expected;
    if (expected === undefined || result.total === expected) return count.format(result.total);
    return `${count.format(result.total)} (lost ${count.format(expected - result.total)})`;
  },
  agreement(results, params) {
    const expected = params.increments * params.workers;
    const safe = [...results].filter(([mode]) => mode !== "unsafe");
    const wrong = safe.filter(([, result]) => result.total !== expected);
    const unsafe = results.get("unsafe");
    let lost = "";
    if (unsafe) {
      const missing = unsafe.extra.expected - unsafe.total;
      lost = missing > 0
        ? ` Without a lock, ${count.format(missing)} of ${count.format(unsafe.extra.expected)} updates were lost (${percent.format(missing / unsafe.extra.expected)}).`
        : " Without a lock, no update was lost this time: run it again, or with more workers.";
    }
    if (wrong.length > 0) {
      const each = wrong.map(([mode, result]) => `${mode} ${count.format(result.total)}`).join(", ");
      return { agree: false, text: `Expected ${count.format(expected)}, but: ${each}.${lost}` };
    }
    const which = safe.length === 1 ? `The ${safe[0][0]} mode` : `All ${safe.length} safe modes`;
    return { agree: true, text: safe.length > 0 ? `${which} counted exactly ${count.format(expected)}.${lost}` : lost.trim() };
  },
};
