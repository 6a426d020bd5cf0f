// Where a demo's modes run, and the workers a demo keeps between runs.
//
// Every mode of every demo runs on one of five kinds of lanes (its definition's `uses`):
//   single     one worker with the single-threaded build
//   threads    one worker with the threaded build: rayon on a pool of threads sharing memory
//   processes  `workers` workers, each with its own single-threaded instance; only messages
//   main       the page's own thread (the single-threaded build, loaded once per page)
//   own        none kept: the mode starts workers of its own for each run (one per task)
//
// Wall times are taken on the page from sending the job to receiving the answer; starting
// workers and loading WebAssembly happens before, once, and is not counted (except by modes of
// kind `own`, for which starting workers is part of the job).

import { DemoWorker } from "../workers/client.js";
import { pageThread } from "./main-thread.js";

/** The message a run rejects with when Stop was pressed. */
export const STOPPED = "stopped";

/**
 * A demo's workers, started on first use and kept between runs. A failed or stopped worker is
 * replaced on the next run; a pool of a different size is rebuilt.
 */
export class DemoPool {
  #single = null;
  #threads = null;
  #processes = [];
  #abort = new AbortController();
  /** Every worker this pool started and has not ended: Stop ends them even while they load. */
  #started = new Set();
  #warmUp;
  // Getting workers of one kind ready is done one request at a time, so a run and a background
  // `prepare` never both start the same worker; different kinds get ready side by side, so a
  // first click waits only for the kind its first mode needs.
  #readying = new Map();

  /** `warmUp` names a short call per build ({ single, threads }: { fn, args }) made on load. */
  constructor(warmUp = {}) {
    this.#warmUp = warmUp;
  }

  /** Starts (in the background) the lanes of every kind in `uses`, so the first run's times are fair. */
  prepare(uses, workers) {
    return Promise.all([...new Set(uses)].map((kind) => this.#ready(kind, workers)));
  }

  /**
   * Gets `workers` lanes of kind `uses` ready, then times `runner({ lanes, signal })`. Resolves
   * with what the runner resolved with, plus `ms` (the wall time) and `startedAt`/`endedAt`
   * (on the clock the events use: ms since the Unix epoch) — unless the runner timed its job
   * itself and says so with its own `ms`, `startedAt` and `endedAt` — and `readyMs`, how long
   * it waited for the lanes to be ready (started, or still warming up from `prepare`).
   */
  async run(uses, workers, runner, { onReady = () => {} } = {}) {
    const signal = this.#abort.signal;
    const asked = performance.now();
    // Stop while the workers are still starting ends the wait at once (and the workers with it).
    const lanes = await stoppable(this.#ready(uses, workers), signal);
    if (signal.aborted) throw new Error(STOPPED);
    onReady();
    const started = performance.now();
    const outcome = await stoppable(runner({ lanes, signal }), signal);
    const ended = performance.now();
    return {
      ms: ended - started,
      startedAt: performance.timeOrigin + started,
      endedAt: performance.timeOrigin + ended,
      ...outcome,
      readyMs: started - asked,
    };
  }

  /** Ends every worker at once; running jobs reject with "stopped". */
  stop() {
    this.#abort.abort();
    this.#abort = new AbortController();
    for (const worker of this.#started) worker.terminate(STOPPED);
    this.#started.clear();
    this.#single = this.#threads = null;
    this.#processes = [];
  }

  /** Starts a worker this pool keeps; resolves once it is ready. */
  #start(build, threads, warmUp) {
    try {
      const worker = new DemoWorker(build, threads, warmUp);
      this.#started.add(worker);
      return worker.ready;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #ready(kind, workers) {
    const ready = (this.#readying.get(kind) ?? Promise.resolve()).then(() => this.#readyNow(kind, workers));
    this.#readying.set(kind, ready.catch(() => {}));
    return ready;
  }

  async #readyNow(kind, workers) {
    switch (kind) {
      case "single": {
        const current = await settled(this.#single);
        if (current?.usable) current.claim();
        else this.#single = this.#start("single", 1, this.#warmUp.single);
        return [await this.#single];
      }
      case "threads": {
        const current = await settled(this.#threads);
        if (current?.usable && current.threads === workers) {
          current.claim();
        } else {
          current?.terminate("replaced");
          this.#started.delete(current);
          this.#threads = this.#start("threads", workers, this.#warmUp.threads);
        }
        return [await this.#threads];
      }
      case "processes": {
        const current = await Promise.all(this.#processes.map(settled));
        // The workers kept are claimed first, so that starting the others does not end them.
        current.slice(0, workers).forEach((worker) => worker?.usable && worker.claim());
        current.slice(workers).forEach((worker) => {
          worker?.terminate("replaced");
          this.#started.delete(worker);
        });
        this.#processes = Array.from({ length: workers }, (_, i) =>
          current[i]?.usable ? Promise.resolve(current[i]) : this.#start("single", 1, this.#warmUp.single));
        return Promise.all(this.#processes);
      }
      case "main":
        return [await pageThread()];
      case "own":
        // The mode starts (and ends) workers of its own for each run: starting them is what it measures.
        return [];
      default:
        throw new Error(`unknown kind of lane ${JSON.stringify(kind)}`);
    }
  }
}

/** The worker a start promise gave, or null if there is none or it failed to start. */
function settled(starting) {
  return Promise.resolve(starting).catch(() => null);
}

/** `promise`, or a rejection with "stopped" as soon as `signal` is aborted. */
function stoppable(promise, signal) {
  if (signal.aborted) return Promise.reject(new Error(STOPPED));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error(STOPPED));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** `?demo-fail=<mode>` (a testing aid): that mode of every demo on the page fails on purpose. */
export function failsOnPurpose(mode) {
  return new URLSearchParams(location.search).getAll("demo-fail").includes(mode);
}

/** Makes `lane` fail the way a broken module would: a Rust panic in a worker, an error on the page. */
export async function failOn(lane, mode) {
  const message = `failing on purpose: ?demo-fail=${mode} is set`;
  if (lane instanceof DemoWorker) await lane.call("failOnPurpose", [message]);
  throw new Error(message);
}
