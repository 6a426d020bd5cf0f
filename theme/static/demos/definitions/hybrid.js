// The hybrid demo: a pipeline of items that are fetched (a wait), processed (CPU-bound: primes
// counted in the item's chunk) and stored (a wait). All async on the page's thread, where the
// CPU stage blocks the event loop and finished fetches pile up behind it; on a pool of threads,
// each taking an item start to end; and async I/O on the page handing the CPU stage to worker
// processes, so fetches stay in flight while the workers compute. Lanes: the page's I/O, then
// whoever computes; bars coloured by stage. The result is a checksum over the stored items.

import { STOPPED } from "../runtime/lanes.js";
import { callOn, mergeReports } from "../runtime/reports.js";
import { pageThread } from "../runtime/main-thread.js";
import { totalsAgree } from "../figure/agreement.js";

const count = new Intl.NumberFormat("en");
const settings = (p) => [p.items, p.fetch_ms, p.store_ms, p.chunk, p.seed];
/** The page's I/O lane; whoever runs the CPU stage has lanes from 1. */
const IO_LANE = 0;

/**
 * Every item through fetch → process → store, all items at once: fetching and storing on the
 * page's event loop, processing wherever `process(index)` sends it.
 */
async function pipeline(page, params, signal, process) {
  const items = Array.from({ length: params.items }, (_, index) => index);
  const reports = await Promise.all(items.map(async (index) => {
    const fetched = await callOn(page, "fetchItem", [...settings(params), index, IO_LANE]);
    // A turn of the event loop, as any awaiting code gives it: the reader's input (Stop) gets in
    // between two items' CPU stages, though not during one.
    await nextTask();
    if (signal.aborted) throw new Error(STOPPED);
    const processed = await process(index);
    if (signal.aborted) throw new Error(STOPPED);
    const primes = processed.events[0].value;
    const stored = await callOn(page, "storeItem", [...settings(params), index, IO_LANE, primes]);
    // Only the store counts towards the checksum: fetch and process report 0.
    return mergeReports([{ ...fetched, total: 0 }, { ...processed, total: 0 }, stored]);
  }));
  return mergeReports(reports);
}

/** Resolves in a task of its own, after the input and other tasks already waiting. */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** `k` workers handed items as they become free, first come first served. */
function workerQueue(lanes) {
  const free = lanes.map((_, k) => k);
  const waiting = [];
  return {
    async run(job) {
      const k = free.length > 0 ? free.shift() : await new Promise((resolve) => waiting.push(resolve));
      try {
        return await job(lanes[k], k);
      } finally {
        if (waiting.length > 0) waiting.shift()(k);
        else free.push(k);
      }
    },
  };
}

export default {
  taskName: "item",
  resultHeading: "Checksum",
  resultNoun: "",
  kindNames: { task: "processing (CPU)" },
  /** The page's I/O lane and the CPU lanes, as each mode's run names them. */
  laneName: (run, lane) => run.result.laneNames?.[lane],
  warmUp: {
    single: { fn: "processItem", args: [24, 1, 1, 20_000, 1, 0, 0] },
    threads: { fn: "runItemsOnThreads", args: [8, 1, 1, 20_000, 1] },
  },
  modes: {
    async: {
      uses: "main",
      run: async ({ lanes: [page], params, signal }) => ({
        ...(await pipeline(page, params, signal, (index) => callOn(page, "processItem", [...settings(params), index, 1]))),
        workers: 1,
        laneNames: ["page thread: I/O", "page thread: CPU"],
      }),
    },
    threads: {
      uses: "threads",
      needs: "threads",
      run: ({ lanes: [worker], params }) => callOn(worker, "runItemsOnThreads", settings(params)),
    },
    "async-processes": {
      uses: "processes",
      run: async ({ lanes, params, signal }) => {
        // Loading the module on the page happens once, before the clock starts.
        const page = await pageThread();
        const started = performance.now();
        const queue = workerQueue(lanes);
        const result = await pipeline(page, params, signal, (index) =>
          queue.run((worker, k) => callOn(worker, "processItem", [...settings(params), index, k + 1], k + 1)));
        const ended = performance.now();
        return {
          ...result,
          workers: lanes.length,
          laneNames: ["page thread: I/O", ...lanes.map((_, k) => `worker ${k + 1}`)],
          ms: ended - started,
          startedAt: performance.timeOrigin + started,
          endedAt: performance.timeOrigin + ended,
        };
      },
    },
  },
  describeEvent(event) {
    if (event.kind === "fetch") return `latency ${count.format(event.value)} ms`;
    if (event.kind === "store") return `stored ${count.format(event.value)} primes`;
    return `${count.format(event.value)} primes`;
  },
  formatResult: (result) => count.format(result.total),
  agreement: (results) =>
    totalsAgree(results, (which, total) => `${which} stored every item once: checksum ${count.format(total)}.`),
};
