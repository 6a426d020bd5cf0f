// The four ways of running a demo's chunks, and the workers a demo keeps between runs.
//
//   sequential  one worker, single-threaded build, every chunk on one thread
//   threads     one worker with the threaded build: rayon on a pool of threads sharing memory
//   processes   `workers` workers, each with its own single-threaded instance; only messages
//   async       the page's own thread, giving the event loop a turn between chunks
//
// Wall times are taken on the page from sending the job to receiving the answer; starting
// workers and loading WebAssembly happens before, once, and is not counted.

import { DemoWorker } from "./worker-client.js";

export const MODES = ["sequential", "threads", "processes", "async"];

export const MODE_DESCRIPTIONS = {
  sequential: "one worker, one thread",
  threads: "threads sharing memory (rayon)",
  processes: "separate workers, messages only",
  async: "the page’s thread, yielding between chunks",
};

/** Why `mode` cannot run on this page, or null if it can. */
export function unavailableReason(mode) {
  if (mode === "threads" && !(globalThis.crossOriginIsolated && typeof SharedArrayBuffer === "function")) {
    // static/isolation.js says why, when it knows (no HTTPS, no service worker…).
    const why = document.documentElement.dataset.isolationReason ||
      "the server must send COOP/COEP headers";
    return `unavailable — this page is not cross-origin isolated, so workers cannot share memory: ${why}`;
  }
  return null;
}

/** The message a run rejects with when Stop was pressed. */
export const STOPPED = "stopped";

/**
 * A demo's workers, started on first use and kept between runs. A failed or stopped worker is
 * replaced on the next run; a pool of a different size is rebuilt.
 */
export class DemoPool {
  #sequential = null;
  #threads = null;
  #processes = [];
  #abort = new AbortController();
  // Getting workers ready is done one request at a time, so a run and a background `prepare`
  // never both start the same worker.
  #readying = Promise.resolve();

  /** Starts (in the background) what `modes` will need, so the first run's times are fair. */
  prepare(modes, workers) {
    const usable = modes.filter((mode) => !unavailableReason(mode));
    return Promise.all(usable.map((mode) => this.#ready(mode, workers)));
  }

  /**
   * Runs `job` ({ n, chunks }) in `mode` with `workers` workers or threads. Resolves with
   * { ms, total, workers, events: [{ chunk, lane, start, end, primes }] }.
   */
  async run(mode, job, workers) {
    const signal = this.#abort.signal;
    const helpers = await this.#ready(mode, workers);
    if (signal.aborted) throw new Error(STOPPED);
    const started = performance.now();
    const outcome = await RUNNERS[mode](helpers, job, signal);
    return { ms: performance.now() - started, ...outcome };
  }

  /** Ends every worker at once; running jobs reject with "stopped". */
  stop() {
    this.#abort.abort();
    this.#abort = new AbortController();
    for (const starting of [this.#sequential, this.#threads, ...this.#processes]) {
      settled(starting).then((worker) => worker?.terminate(STOPPED));
    }
    this.#sequential = this.#threads = null;
    this.#processes = [];
  }

  #ready(mode, workers) {
    const ready = this.#readying.then(() => this.#readyNow(mode, workers));
    this.#readying = ready.catch(() => {});
    return ready;
  }

  async #readyNow(mode, workers) {
    switch (mode) {
      case "sequential":
        if (!(await settled(this.#sequential))?.usable) this.#sequential = DemoWorker.start("single");
        return [await this.#sequential];
      case "threads": {
        const current = await settled(this.#threads);
        if (!current?.usable || current.threads !== workers) {
          current?.terminate("replaced");
          this.#threads = DemoWorker.start("threads", workers);
        }
        return [await this.#threads];
      }
      case "processes": {
        const current = await Promise.all(this.#processes.map(settled));
        current.slice(workers).forEach((worker) => worker?.terminate("replaced"));
        this.#processes = Array.from({ length: workers }, (_, i) =>
          current[i]?.usable ? Promise.resolve(current[i]) : DemoWorker.start("single"));
        return Promise.all(this.#processes);
      }
      case "async":
        return [await mainThreadModule()];
      default:
        throw new Error(`unknown mode ${JSON.stringify(mode)}`);
    }
  }
}

/** The worker a start promise gave, or null if there is none or it failed to start. */
function settled(starting) {
  return Promise.resolve(starting).catch(() => null);
}

const RUNNERS = {
  async sequential([worker], { n, chunks }) {
    const report = await worker.run({ n, chunks });
    return { total: report.total, workers: 1, events: decodeEvents(report) };
  },

  async threads([worker], { n, chunks }) {
    const report = await worker.run({ n, chunks, parallel: true });
    return { total: report.total, workers: worker.threads, events: decodeEvents(report) };
  },

  // The page splits the chunks: worker k gets chunks k, k + K, k + 2K, ... so each gets a fair
  // share of small and large numbers, then the page adds up the answers.
  async processes(workers, { n, chunks }) {
    const used = workers.slice(0, Math.min(workers.length, chunks));
    const reports = await Promise.all(used.map((worker, lane) => {
      const indices = [];
      for (let index = lane; index < chunks; index += used.length) indices.push(index);
      return worker.run({ n, chunks, indices });
    }));
    return {
      total: reports.reduce((sum, report) => sum + report.total, 0),
      workers: used.length,
      events: reports.flatMap((report, lane) => decodeEvents(report, lane)),
    };
  },

  // A panic inside the event loop's task never reaches the returned promise, so the panic hook's
  // broadcast is what ends the wait.
  async async([demos], { n, chunks }, signal) {
    const panics = new BroadcastChannel(PAGE_PANIC_CHANNEL);
    try {
      const panicked = new Promise((_, reject) => {
        panics.onmessage = ({ data }) => {
          mainThreadFailure = String(data);
          reject(new Error(mainThreadFailure));
        };
      });
      const report = await Promise.race([demos.countChunksOnEventLoop(n, chunks, signal), panicked]);
      return { total: report.total, workers: 1, events: decodeEvents(report) };
    } finally {
      panics.close();
    }
  },
};

/** The report's flat event numbers as objects; `lane`, when given, replaces each event's lane. */
function decodeEvents({ events, eventFields }, lane) {
  const decoded = [];
  for (let i = 0; i + eventFields.length <= events.length; i += eventFields.length) {
    const event = {};
    eventFields.forEach((field, j) => { event[field] = events[i + j]; });
    if (lane !== undefined) event.lane = lane;
    decoded.push(event);
  }
  return decoded;
}

// Per page, so another tab's panic is not taken for this one's (BroadcastChannel is per origin).
const PAGE_PANIC_CHANNEL = `concurrency-lab-panic-page-${Math.random().toString(36).slice(2)}`;
let mainThreadLoad = null;
/** Set once Rust panicked on the page's thread: that instance cannot be trusted again. */
let mainThreadFailure = null;

/** The single-threaded build, loaded once on the page's thread for the async mode. */
function mainThreadModule() {
  if (mainThreadFailure !== null) {
    return Promise.reject(new Error(`reload the page to run this mode again (${mainThreadFailure})`));
  }
  mainThreadLoad ??= (async () => {
    const demos = await import(new URL("./pkg/single/demos_wasm.js", import.meta.url));
    await demos.default();
    demos.installPanicReport(PAGE_PANIC_CHANNEL);
    // Short, so the page does not stall: just enough for the browser to optimise the hot code.
    demos.countChunks(200_000, 2);
    return demos;
  })().catch((error) => {
    mainThreadLoad = null;
    throw error;
  });
  return mainThreadLoad;
}
