// The workload demo: items through the stages an author wrote (compute, wait, send, lock, a
// blocking call), made by one producer and taken from a queue by up to `concurrency` consumers.
// Five ways to run it: one item at a time on a worker; on a pool of threads sharing a channel and
// a mutex (in the module); in worker processes, the page holding the queue and the lock and
// sending each item's stages to a worker; as tasks on the page's own thread; and as those tasks
// handing each blocking call to a pool of workers. Every way reports the same total: what the
// compute and lock stages found.

import { STOPPED } from "../runtime/lanes.js";
import { callOn, mergeReports } from "../runtime/reports.js";
import { pageThread } from "../runtime/main-thread.js";
import { WAITS_ON_A_TIMER } from "../runtime/capabilities.js";
import { formatMs } from "../charts/format.js";
import { totalsAgree } from "../figure/agreement.js";

const count = new Intl.NumberFormat("en");
/** The stage kinds and wait distributions, numbered as the module reads them (Workload::from_flat). */
const KINDS = ["compute", "wait", "send", "lock", "blocking"];
const DISTRIBUTIONS = ["fixed", "uniform", "exponential"];
/** A wait for the lock or for room shorter than this is not drawn (as in the module). */
const SHOWN_WAIT_MS = 0.05;

/** The stages as four numbers each: kind, producer, and the kind's sizes. */
function flatStages(stages) {
  return stages.flatMap((stage) => {
    const kind = KINDS.indexOf(stage.kind);
    if (kind < 0) throw new Error(`unknown stage kind ${JSON.stringify(stage.kind)}`);
    const producer = stage.on === "producer" ? 1 : 0;
    switch (stage.kind) {
      case "compute":
      case "lock":
        return [kind, producer, stage.units, 0];
      case "wait":
        return [kind, producer, stage.mean_ms, Math.max(0, DISTRIBUTIONS.indexOf(stage.distribution ?? "fixed"))];
      case "send":
        return [kind, producer, stage.bytes, 0];
      default:
        return [kind, producer, stage.ms, 0];
    }
  });
}

/** What every call to the module starts with: the workload itself. */
const workload = (p) => [p.items, p.concurrency, p.queue, p.seed, flatStages(p.stages ?? [])];
/** How many stages the producer runs (they come first). */
const producerStages = (p) => {
  const first = (p.stages ?? []).findIndex((stage) => stage.on !== "producer");
  return first < 0 ? (p.stages ?? []).length : first;
};
const now = () => performance.timeOrigin + performance.now();
/** `ms` to a tenth of a millisecond, or null when the run has no such time. */
const tenths = (ms) => (typeof ms === "number" ? Number(ms.toFixed(1)) : null);
/** "room 12 ms, lock 3.4 ms": the waits this workload can have, or null for none. */
function waitedFor(extra) {
  const parts = [];
  if (typeof extra.roomWaitMs === "number") parts.push(`room ${formatMs(extra.roomWaitMs)}`);
  if (typeof extra.lockWaitMs === "number") parts.push(`lock ${formatMs(extra.lockWaitMs)}`);
  return parts.length > 0 ? parts.join(", ") : null;
}
const hasLock = (p) => (p.stages ?? []).some((stage) => stage.kind === "lock");

/** Only the waits that can happen in this workload: for room with a bounded queue, for a lock with a lock stage. */
function possibleWaits(params, extra) {
  const kept = { ...extra };
  if (!(producerStages(params) > 0 && params.queue > 0)) delete kept.roomWaitMs;
  if (!hasLock(params)) delete kept.lockWaitMs;
  if (producerStages(params) === 0) delete kept.peakQueue;
  return kept;
}

/** An async FIFO queue on the page: `put` waits for room when `bound` > 0 and it is full. */
class PageQueue {
  #items = [];
  #takers = [];
  #putters = [];
  #closed = false;
  peak = 0;

  constructor(bound, signal) {
    this.bound = bound;
    signal.addEventListener("abort", () => {
      for (const waiter of [...this.#takers, ...this.#putters]) waiter.reject(new Error(STOPPED));
    }, { once: true });
  }

  /** Puts `item` in; resolves with whether it had to wait for room. */
  async put(item) {
    let waited = false;
    while (this.bound > 0 && this.#items.length >= this.bound) {
      waited = true;
      await new Promise((resolve, reject) => this.#putters.push({ resolve, reject }));
    }
    const taker = this.#takers.shift();
    if (taker) {
      // Handed straight to a waiting consumer: it was in the queue for no time, one item.
      this.peak = Math.max(this.peak, 1);
      taker.resolve(item);
    } else {
      this.#items.push(item);
      this.peak = Math.max(this.peak, this.#items.length);
    }
    return waited;
  }

  /** The next item, or null once the queue is closed and empty. */
  async take() {
    if (this.#items.length > 0) {
      const item = this.#items.shift();
      this.#putters.shift()?.resolve();
      return item;
    }
    if (this.#closed) return null;
    return new Promise((resolve, reject) => this.#takers.push({ resolve, reject }));
  }

  close() {
    this.#closed = true;
    for (const taker of this.#takers.splice(0)) taker.resolve(null);
  }
}

/** An async FIFO mutex on the page: the lock the consumers share in processes and async. */
class PageLock {
  #held = false;
  #waiting = [];

  constructor(signal) {
    signal.addEventListener("abort", () => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(STOPPED));
    }, { once: true });
  }

  async lock() {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  unlock() {
    const next = this.#waiting.shift();
    if (next) next.resolve();
    else this.#held = false;
  }
}

/** Free lanes handed out first come first served (the async-pool's pool of workers). */
class LanePool {
  #free;
  #waiting = [];

  constructor(count) {
    this.#free = Array.from({ length: count }, (_, k) => k);
  }

  async run(job) {
    const k = this.#free.length > 0 ? this.#free.shift() : await new Promise((resolve) => this.#waiting.push(resolve));
    try {
      return await job(k);
    } finally {
      if (this.#waiting.length > 0) this.#waiting.shift()(k);
      else this.#free.push(k);
    }
  }
}

/** The event of a wait measured on the page (for the lock, or for room), when long enough to show. */
function pageWait(kind, item, lane, start, end) {
  return end - start >= SHOWN_WAIT_MS ? [{ task: item, lane, start, end, value: end - start, kind }] : [];
}

/**
 * Runs the workload driven from the page: a producer task (when there are producer stages) and
 * `concurrency` consumer tasks, a page queue between them and a page lock for lock stages.
 * `stages(item, from, to, lane)` runs a stretch of stages without a lock stage and resolves with
 * its report; `split(stage)` says which stages run alone (lock stages always do).
 */
async function drive(params, signal, { stages, split = () => false }) {
  const made = producerStages(params);
  const queue = new PageQueue(params.queue, signal);
  const lock = new PageLock(signal);
  const reports = [];
  const extra = { roomWaitMs: 0, lockWaitMs: 0 };
  const check = () => {
    if (signal.aborted) throw new Error(STOPPED);
  };

  /** Stages `from..to` of `item` on `lane`, a stretch at a time, lock stages holding the page's lock. */
  const runStages = async (item, from, to, lane) => {
    for (const [start, end] of stretches(params.stages, from, to, split)) {
      check();
      if (params.stages[start].kind !== "lock") {
        reports.push(await stages(item, start, end, lane));
        continue;
      }
      const asked = now();
      await lock.lock();
      try {
        const acquired = now();
        extra.lockWaitMs += acquired - asked;
        reports.push({ total: 0, extra: {}, events: pageWait("lock-wait", item, lane, asked, acquired) });
        check();
        reports.push(await stages(item, start, end, lane));
      } finally {
        lock.unlock();
      }
    }
  };

  const produce = async () => {
    for (let item = 0; item < params.items; item += 1) {
      await runStages(item, 0, made, 0);
      const asked = now();
      if (await queue.put(item)) {
        const answered = now();
        extra.roomWaitMs += answered - asked;
        reports.push({ total: 0, extra: {}, events: pageWait("room", item, 0, asked, answered) });
      }
    }
    queue.close();
  };

  const consume = async (lane) => {
    for (let item = await queue.take(); item !== null; item = await queue.take()) {
      await runStages(item, made, params.stages.length, lane);
    }
  };

  if (made === 0) {
    // No producer: every item is in the queue at the start.
    for (let item = 0; item < params.items; item += 1) await queue.put(item);
    queue.close();
  }
  const firstConsumer = made > 0 ? 1 : 0;
  const consumers = Array.from({ length: params.concurrency }, (_, k) => consume(firstConsumer + k));
  await Promise.all([...(made > 0 ? [produce()] : []), ...consumers]);
  const merged = mergeReports(reports);
  return { ...merged, extra: possibleWaits(params, { ...merged.extra, ...extra, peakQueue: queue.peak }) };
}

/** Stages `from..to` as [start, end) stretches: each lock stage (and each stage `split` names) alone. */
function stretches(stages, from, to, split) {
  const out = [];
  let start = from;
  for (let stage = from; stage < to; stage += 1) {
    if (stages[stage].kind === "lock" || split(stages[stage])) {
      if (start < stage) out.push([start, stage]);
      out.push([stage, stage + 1]);
      start = stage + 1;
    }
  }
  if (start < to) out.push([start, to]);
  return out;
}

/** A worker's report of some stages, its message (the copy a send stage made) counted as bytes. */
async function stagesOn(worker, params, item, from, to, lane, blocking) {
  const report = await callOn(worker, "runWorkloadStages", [...workload(params), item, from, to, lane, blocking]);
  const message = report.extra.message;
  return { ...report, extra: { bytesReceived: message?.length ?? 0 } };
}

/** How a worker here waits: blocked (Atomics.wait) where it may, else on a timer. */
const workerBlocking = (capabilities) => (capabilities.workerWait ? "block" : "timer");

/** Lane names: the producer (when there is one) and then `what(k)` for each consumer. */
function laneNames(params, producer, what) {
  const names = producerStages(params) > 0 ? [producer] : [];
  for (let k = 1; k <= params.concurrency; k += 1) names.push(what(k));
  return names;
}

/** The note of a mode whose waits are timers because its workers may not block. */
const timerNote = ({ capabilities }) => (capabilities.workerWait === false ? WAITS_ON_A_TIMER : null);

export default {
  taskName: "item",
  resultHeading: "Total",
  resultNoun: "",
  blockParams: ["stages"],
  /** The queue's bound matters only where a producer fills the queue. */
  shows: (name, params) => name !== "queue" || producerStages(params) > 0,
  /** A producer lane (when there are producer stages) and one per consumer. */
  workers: (params) => params.concurrency + (producerStages(params) > 0 ? 1 : 0),
  laneName: (run, lane) => run.result.laneNames?.[lane] ?? `lane ${lane + 1}`,
  kindNames: {
    task: "computing",
    wait: "waiting (simulated I/O)",
    send: "sending a message",
    lock: "computing, holding the lock",
    "lock-wait": "waiting for the lock",
    blocking: "in a blocking call",
    room: "producer waiting for room in the queue",
  },
  // A few items of pure computing (8 × 40 units, some 30 ms), so the first timed run measures
  // the optimised kernel rather than the browser's first, quick compilation of it.
  warmUp: {
    single: { fn: "runWorkloadItems", args: [8, 1, 0, 1, [0, 0, 40, 0], "timer"] },
    threads: { fn: "runWorkloadOnThreads", args: [8, 1, 0, 1, [0, 0, 40, 0]] },
  },
  modes: {
    sequential: {
      uses: "single",
      run: async ({ lanes: [worker], params, capabilities }) => ({
        ...(await callOn(worker, "runWorkloadItems", [...workload(params), workerBlocking(capabilities)])),
        workers: 1,
        laneNames: ["worker"],
      }),
      note: timerNote,
    },
    threads: {
      uses: "threads",
      needs: "threads",
      run: async ({ lanes: [worker], params }) => {
        const result = await callOn(worker, "runWorkloadOnThreads", workload(params));
        return {
          ...result,
          extra: possibleWaits(params, result.extra),
          laneNames: laneNames(params, "producer thread", (k) => `thread ${k}`),
        };
      },
    },
    processes: {
      uses: "processes",
      run: async ({ lanes, params, signal, capabilities }) => {
        const made = producerStages(params);
        const blocking = workerBlocking(capabilities);
        const result = await drive(params, signal, {
          // Lane k runs on worker k: the producer's is worker 1 when there is one.
          stages: (item, from, to, lane) => stagesOn(lanes[lane], params, item, from, to, lane, blocking),
        });
        return {
          ...result,
          workers: lanes.length,
          laneNames: laneNames(params, "producer (worker 1)", (k) => `worker ${k + (made > 0 ? 1 : 0)}`),
        };
      },
      // Where the workers wait on timers, that is what matters; else, with a lock, who holds it.
      note: ({ params, capabilities }) => timerNote({ capabilities }) ??
        (hasLock(params) ? "The page holds the queue and the lock; each worker gets an item’s stages by message." : null),
    },
    async: {
      uses: "main",
      run: async ({ lanes: [page], params, signal }) => ({
        ...(await drive(params, signal, {
          stages: (item, from, to, lane) => callOn(page, "runWorkloadStages", [...workload(params), item, from, to, lane, "spin"]),
        })),
        workers: 1,
        laneNames: laneNames(params, "producer task", (k) => `task ${k}`),
      }),
      note: ({ params }) => (params.stages?.some((s) => s.kind === "blocking")
        ? "A blocking call here keeps the page’s thread busy for its whole time (the page’s own thread may not " +
          "block with Atomics.wait, so it spins): every other task, and the page, waits meanwhile."
        : null),
    },
    "async-pool": {
      uses: "processes",
      run: async ({ lanes, params, signal, capabilities }) => {
        // Loading the module on the page happens once, before the clock starts.
        const page = await pageThread();
        const started = performance.now();
        const pool = lanes.slice(0, params.concurrency);
        const handOff = new LanePool(pool.length);
        const blocking = workerBlocking(capabilities);
        const tasks = laneNames(params, "producer task", (k) => `task ${k}`);
        const result = await drive(params, signal, {
          split: (stage) => stage.kind === "blocking",
          stages: (item, from, to, lane) => (params.stages[from].kind === "blocking"
            ? handOff.run((k) => stagesOn(pool[k], params, item, from, to, tasks.length + k, blocking))
            : callOn(page, "runWorkloadStages", [...workload(params), item, from, to, lane, "spin"])),
        });
        const ended = performance.now();
        return {
          ...result,
          workers: pool.length,
          laneNames: [...tasks, ...pool.map((_, k) => `pool worker ${k + 1}`)],
          ms: ended - started,
          startedAt: performance.timeOrigin + started,
          endedAt: performance.timeOrigin + ended,
        };
      },
      note: timerNote,
    },
  },
  // A column whose wait cannot happen in this workload (no producer, no lock stage) shows "—".
  columns: [
    {
      heading: "Peak queue",
      about: "the most items made and waiting for a consumer",
      attribute: "peak-queue",
      value: (result) => result.extra?.peakQueue ?? null,
      format: (value) => count.format(value),
    },
    {
      heading: "Waited for",
      about: "room in a full queue (the producer) and the lock (the consumers, added up)",
      attribute: "waited",
      value: (result) => waitedFor(result.extra ?? {}),
      format: (value) => value,
    },
    // Not shown: each wait alone, as the row's attributes and in the JSON export.
    { attribute: "room-wait-ms", value: (result) => tenths(result.extra?.roomWaitMs) },
    { attribute: "lock-wait-ms", value: (result) => tenths(result.extra?.lockWaitMs) },
  ],
  describeEvent(event) {
    const ms = `${count.format(Math.round(event.value * 10) / 10)} ms`;
    switch (event.kind) {
      case "task": return `computed: ${count.format(event.value)} primes`;
      case "lock": return `computed holding the lock: ${count.format(event.value)} primes`;
      case "wait": return `waited ${ms}`;
      case "send": return `sent ${count.format(event.value)} bytes`;
      case "blocking": return `blocked ${ms}`;
      case "lock-wait": return `waited ${ms} for the lock`;
      case "room": return `waited ${ms} for room in the queue`;
      default: return count.format(event.value);
    }
  },
  formatResult: (result) => count.format(result.total),
  agreement: (results) =>
    totalsAgree(results, (which, total) => `${which} ran every stage of every item once: total ${count.format(total)}.`),
};
