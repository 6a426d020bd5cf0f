// The gil demo: tasks that must hold a simulated global interpreter lock to compute.

import { callOn, dealOut } from "../modes.js";

const count = new Intl.NumberFormat("en");
const settings = (p) => [p.work, p.gil, p.n, p.tasks, p.wait_ms, p.switch_ms];
/** Waiting for I/O blocks the thread, which a worker may do only on an isolated page. */
const blocksWhenIo = (params) => (params.work === "io" ? "blocking" : null);

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
      needs: blocksWhenIo,
      run: ({ lanes: [worker], params }) => callOn(worker, "runGilTasks", [...settings(params), undefined]),
    },
    threads: {
      uses: "threads",
      needs: "threads",
      run: ({ lanes: [worker], params }) => callOn(worker, "runGilTasksInParallel", settings(params)),
    },
    processes: {
      uses: "processes",
      needs: blocksWhenIo,
      run: ({ lanes, params }) => dealOut(lanes, params.tasks, "runGilTasks", (indices) => [...settings(params), indices]),
    },
  },
  /** `n` sizes the CPU-bound work only, `wait_ms` the I/O-bound work only. */
  shows: (name, params) => (name === "n" ? params.work === "cpu" : name === "wait_ms" ? params.work === "io" : true),
  describeEvent: (event) => (event.kind === "wait" ? `waited ${count.format(event.value)} ms` : `${count.format(event.value)} primes`),
};
