// The gil demo: tasks that must hold a simulated global interpreter lock to compute.

import { callOn, dealOut } from "../runtime/reports.js";
import { WAITS_ON_A_TIMER } from "../runtime/capabilities.js";

const count = new Intl.NumberFormat("en");
const settings = (p) => [p.work, p.gil, p.n, p.tasks, p.wait_ms, p.switch_ms];
/**
 * One thread running its tasks in turn: each task's wait blocks the thread, or, in a worker that
 * may not block (no Atomics.wait), is awaited on its event loop — one task at a time either way,
 * with the lock its own, so it takes as long.
 */
const inTurn = (capabilities) => (capabilities.workerWait ? "runGilTasks" : "awaitGilTasks");
const noteWhenIo = ({ params, capabilities }) =>
  (params.work === "io" && capabilities.workerWait === false ? WAITS_ON_A_TIMER : null);

export default {
  taskName: "task",
  resultHeading: "Primes found",
  resultNoun: "primes",
  warmUp: {
    single: { fn: "runGilTasks", args: ["cpu", true, 200_000, 4, 1, 5, undefined] },
    threads: { fn: "runGilTasksInParallel", args: ["cpu", false, 400_000, 16, 1, 5] },
  },
  modes: {
    sequential: {
      uses: "single",
      run: ({ lanes: [worker], params, capabilities }) => callOn(worker, inTurn(capabilities), [...settings(params), undefined]),
      note: noteWhenIo,
    },
    threads: {
      uses: "threads",
      needs: "threads",
      run: ({ lanes: [worker], params }) => callOn(worker, "runGilTasksInParallel", settings(params)),
    },
    processes: {
      uses: "processes",
      run: ({ lanes, params, capabilities }) => dealOut(lanes, params.tasks, inTurn(capabilities), (indices) => [...settings(params), indices]),
      note: noteWhenIo,
    },
  },
  /** `n` sizes the CPU-bound work only, `wait_ms` the I/O-bound work only. */
  shows: (name, params) => (name === "n" ? params.work === "cpu" : name === "wait_ms" ? params.work === "io" : true),
  describeEvent: (event) => (event.kind === "wait" ? `waited ${count.format(event.value)} ms` : `${count.format(event.value)} primes`),
};
