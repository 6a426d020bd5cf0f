// The page's own thread as a lane: the single-threaded build loaded once on the page, called
// the same way as a worker (modes of kind `main`, and modes that use the page beside workers).

import { compiledModule } from "../workers/client.js";

// Per page, so another tab's panic is not taken for this one's (BroadcastChannel is per origin).
const PAGE_PANIC_CHANNEL = `concurrency-lab-panic-page-${Math.random().toString(36).slice(2)}`;
let mainThreadLoad = null;
/** Set once Rust panicked on the page's thread: that instance cannot be trusted again. */
let mainThreadFailure = null;

/** The single-threaded build on the page's thread, with the same `call` as a worker's. */
class MainThread {
  #demos;

  constructor(demos) {
    this.#demos = demos;
  }

  get usable() {
    return mainThreadFailure === null;
  }

  /**
   * Calls the module's `fn` here. A panic inside an event-loop task never reaches the returned
   * promise, so the panic hook's broadcast is what ends the wait.
   */
  async call(fn, args = []) {
    if (mainThreadFailure !== null) throw new Error(`reload the page to run this mode again (${mainThreadFailure})`);
    if (typeof this.#demos[fn] !== "function") throw new Error(`the module has no function ${JSON.stringify(fn)}`);
    const panics = new BroadcastChannel(PAGE_PANIC_CHANNEL);
    try {
      const panicked = new Promise((_, reject) => {
        panics.onmessage = ({ data }) => {
          mainThreadFailure = String(data);
          reject(new Error(mainThreadFailure));
        };
      });
      return await Promise.race([this.#demos[fn](...args), panicked]);
    } finally {
      panics.close();
    }
  }
}

/** The page's own thread as a lane: the single-threaded build, loaded once on the page. */
export function pageThread() {
  if (mainThreadFailure !== null) {
    return Promise.reject(new Error(`reload the page to run this mode again (${mainThreadFailure})`));
  }
  mainThreadLoad ??= (async () => {
    const demos = await import(new URL("../pkg/single/demos_wasm.js", import.meta.url));
    await demos.default({ module_or_path: await compiledModule("single") });
    demos.installPanicReport(PAGE_PANIC_CHANNEL);
    // Short, so the page does not stall: enough for the browser to start optimising the hot code
    // of the modes that compute here (primes' chunks, a workload's units of work).
    for (let round = 0; round < 3; round += 1) {
      demos.countChunks(60_000, 4);
      await demos.runWorkloadItems(2, 1, 0, 1, [0, 0, 20, 0], "spin");
    }
    return new MainThread(demos);
  })().catch((error) => {
    mainThreadLoad = null;
    throw error;
  });
  return mainThreadLoad;
}
