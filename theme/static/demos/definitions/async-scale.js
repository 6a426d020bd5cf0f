// The async-scale demo: N tasks that only wait, at every power of ten up to N — all in flight
// at once as async tasks on the page's thread, on a pool of K blocked threads, and on one new
// worker per task (up to `max_processes`; more is refused, not attempted). Each mode's row is
// its run at N; the figure plots every size's completion time, memory and start-up.

import { STOPPED } from "../runtime/lanes.js";
import { callOn, mergeReports } from "../runtime/reports.js";
import { DemoWorker } from "../workers/client.js";
import { aggregate } from "../charts/batches.js";
import { SweepFigure } from "../charts/sweep-chart.js";

const count = new Intl.NumberFormat("en");
const tasks = (n, p) => [n, p.mean_ms, p.seed];

/** The sizes a run times: every power of ten from 10 below N, then N (the kernel's `sweep_sizes`). */
function sizes(params) {
  if (!params.sweep) return [params.tasks];
  const out = [];
  for (let n = 10; n < params.tasks; n *= 10) out.push(n);
  out.push(params.tasks);
  return out;
}

/** The page's JavaScript heap in use, where the browser says (Chromium's performance.memory). */
function heapBytes() {
  return performance.memory?.usedJSHeapSize ?? null;
}

/** The memory a run reports: JS heap growth, WebAssembly memory growth, and whole worker instances. */
function memoryOf(extra) {
  const parts = ["heapBytes", "wasmBytes", "instanceBytes"].map((key) => extra[key]).filter((v) => typeof v === "number");
  return parts.length > 0 ? parts.reduce((a, b) => a + b, 0) : null;
}

/**
 * Runs `once(n)` for every size in turn, timing each on the page. A size the mode refuses
 * (`once` throws "refused: …") is noted and the sweep goes on (the check costs nothing). The row
 * is the run at N; its events are gathered into a readable number of bars.
 */
async function sweep(params, signal, laneNoun, once) {
  const points = [];
  let last = null;
  for (const n of sizes(params)) {
    if (signal.aborted) throw new Error(STOPPED);
    const started = performance.now();
    let outcome;
    try {
      outcome = await once(n);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!message.startsWith("refused:")) throw error;
      points.push({ n, refused: message });
      last = { refused: message };
      continue;
    }
    const ended = performance.now();
    const ms = outcome.ms ?? ended - started;
    const startedAt = outcome.startedAt ?? performance.timeOrigin + started;
    points.push({ n, ms, memoryBytes: memoryOf(outcome.extra), startupMs: outcome.extra.startupMs ?? null });
    last = { ...outcome, ms, startedAt, endedAt: startedAt + ms };
  }
  if (last.refused) return { refused: last.refused, sweep: points, total: 0, events: [], extra: {} };
  const { events, laneNames } = aggregate(last.events, { taskName: "task", laneNoun });
  return { ...last, events, laneNames, sweep: points };
}

/** One new worker per task: started, given its task, ended. Start-up is part of the time. */
async function workerPerTask(n, params, signal) {
  if (n > params.max_processes) {
    throw new Error(`refused: ${count.format(n)} tasks would start ${count.format(n)} workers, and this mode starts at most ` +
      `${count.format(params.max_processes)} (max_processes): each worker is a separate instance with its own memory`);
  }
  const heapBefore = heapBytes();
  const started = performance.now();
  const workers = Array.from({ length: n }, () => new DemoWorker("single", 1, null));
  const end = () => workers.forEach((worker) => worker.terminate(STOPPED));
  signal.addEventListener("abort", end, { once: true });
  try {
    const readyAt = await Promise.all(workers.map((worker) => worker.ready.then(() => performance.now())));
    const ready = Math.max(...readyAt);
    const heapAfter = heapBytes();
    const reports = await Promise.all(workers.map((worker, k) => callOn(worker, "awaitTasksInTurn", [...tasks(n, params), [k]], k)));
    const ended = performance.now();
    const merged = mergeReports(reports, n);
    // Each worker's start-up as a bar of its own lane, before its wait.
    const startups = readyAt.map((at, k) => ({
      task: k, lane: k, start: performance.timeOrigin + started, end: performance.timeOrigin + at, value: at - started, kind: "task", label: "start-up",
    }));
    return {
      ...merged,
      events: [...startups, ...merged.events],
      extra: {
        ...merged.extra,
        startupMs: ready - started,
        ...(heapBefore !== null && heapAfter !== null ? { heapBytes: Math.max(0, heapAfter - heapBefore) } : {}),
      },
      ms: ended - started,
      startedAt: performance.timeOrigin + started,
    };
  } finally {
    signal.removeEventListener("abort", end);
    workers.forEach((worker) => worker.terminate("done"));
  }
}

export default {
  taskName: "task",
  resultHeading: "Tasks completed",
  resultNoun: "tasks",
  kindNames: { task: "starting a worker", wait: "waiting (a task’s latency)" },
  warmUp: {},
  modes: {
    async: {
      uses: "main",
      run: ({ lanes: [page], params, signal }) =>
        sweep(params, signal, () => "page thread", async (n) => ({ ...(await callOn(page, "awaitTasksAtOnce", tasks(n, params))), workers: 1 })),
    },
    threads: {
      uses: "threads",
      needs: "threads",
      run: ({ lanes: [worker], params, signal }) =>
        sweep(params, signal, (lane) => `thread ${lane + 1}`, (n) => callOn(worker, "blockForTasksOnPool", tasks(n, params))),
    },
    processes: {
      uses: "own",
      run: ({ params, signal }) => sweep(params, signal, (lane) => `worker ${lane + 1}`, (n) => workerPerTask(n, params, signal)),
    },
  },
  // Not shown in the table (the figure's table has them for every size): the row's
  // data-memory-bytes and data-startup-ms, and the JSON export.
  columns: [
    { attribute: "memory-bytes", value: (result) => memoryOf(result.extra ?? {}) },
    {
      attribute: "startup-ms",
      value: (result) => (typeof result.extra?.startupMs === "number" ? Number(result.extra.startupMs.toFixed(1)) : null),
    },
  ],
  view: (container) => new SweepFigure(container, {
    caption: "Completion time against the number of tasks N (both axes logarithmic)",
    note: "Memory: async — growth of the page’s JavaScript heap with every task in flight (where the browser says) " +
      "and of its WebAssembly memory; threads — growth of the pool’s shared WebAssembly memory (its threads’ " +
      "stacks were allocated when the pool started); processes — every worker’s whole WebAssembly memory, plus " +
      "the page’s heap growth (each worker’s own JavaScript heap is not exposed, so this is a lower bound).",
  }),
  /** Large runs gather their lanes into groups ("workers 1–3"), named by the run itself. */
  laneName: (run, lane) => run.result.laneNames?.[lane],
  describeEvent(event) {
    if (event.label === "start-up") return `started in ${count.format(Math.round(event.value))} ms`;
    if (event.count) return `latencies ${count.format(event.low)}–${count.format(event.high)} ms`;
    return `latency ${count.format(event.value)} ms`;
  },
  formatResult: (result) => count.format(result.total),
  agreement(results, params) {
    const done = [...results];
    const short = done.filter(([, result]) => result.total !== params.tasks);
    if (done.length === 0) return { agree: false, text: "No mode could run this many tasks." };
    if (short.length > 0) {
      return { agree: false, text: `Expected ${count.format(params.tasks)} tasks, but: ${short.map(([m, r]) => `${m} ${count.format(r.total)}`).join(", ")}.` };
    }
    const which = done.length === 1 ? `The ${done[0][0]} mode` : `All ${done.length} modes that ran`;
    return { agree: true, text: `${which} completed all ${count.format(params.tasks)} tasks.` };
  },
};
