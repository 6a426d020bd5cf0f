// The page's handle on one demo worker (worker.js): starts it, waits for its ready message,
// asks it to call the module's functions and turns every way it can fail into a rejected promise.
//
// Every worker on the page counts against one budget of WebAssembly memories: each reserves
// gigabytes of address space, and past a limit (about a hundred in Chromium) the browser refuses
// new ones ("Cannot allocate Wasm memory"). Starting a worker beyond the budget first ends the
// workers that have waited longest without a job, whichever demo kept them; that demo starts
// fresh ones when it runs again.

const WORKER_URL = new URL("./worker.js", import.meta.url);
/** Each build's WebAssembly, compiled once per page and handed to every worker that loads it. */
const WASM_URLS = {
  threads: new URL("../pkg/threads/demos_wasm_bg.wasm", import.meta.url),
  single: new URL("../pkg/single/demos_wasm_bg.wasm", import.meta.url),
};
/** How a worker's failure to start begins, so the reader knows the job itself never ran. */
const COULD_NOT_START = "the demo worker could not start";
/** How long a worker may take to load its module (and start its thread pool). */
export const LOAD_TIME_LIMIT_MS = 10_000;
/** The most WebAssembly memories (one per worker: a thread pool shares one) a page keeps at once. */
export const MEMORY_BUDGET = 64;
/** Why a kept worker was ended to make room. */
const RELEASED = "released to make room for other workers";

/** The page's live workers, the one that waited longest for a job first. */
const live = new Set();

/** Ends idle workers, longest idle first, until `count` more fit in the budget. */
function makeRoom(count) {
  for (const worker of [...live]) {
    if (live.size + count <= MEMORY_BUDGET) return;
    if (worker.idle) worker.terminate(RELEASED);
  }
}

const compiling = new Map();

/**
 * The build's module, compiled once for the whole page: each worker then only instantiates it,
 * which is quick, where compiling it in every one of 32 workers at once takes seconds.
 */
export function compiledModule(build) {
  if (!compiling.has(build)) {
    const url = WASM_URLS[build];
    if (!url) return Promise.reject(new Error(`unknown build ${JSON.stringify(build)}`));
    const compiled = compile(url).catch((error) => {
      compiling.delete(build);
      throw error;
    });
    compiling.set(build, compiled);
  }
  return compiling.get(build);
}

async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname} answered ${response.status}`);
  // Streaming compiles while the bytes arrive, but only from a response typed application/wasm.
  if (response.headers.get("content-type")?.startsWith("application/wasm")) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Says on the page how many workers are alive (`data-demo-workers` on the root element). */
function countLive() {
  document.documentElement.dataset.demoWorkers = String(live.size);
}

let nextId = 1;
let nextWorker = 1;
// Distinguishes this page's panic channels from another tab's (BroadcastChannel is per origin).
const PAGE_TOKEN = Math.random().toString(36).slice(2);

export class DemoWorker {
  /**
   * Starts a worker with the given build ("threads" or "single") and, for the threaded build,
   * a pool of `threads` threads; `warmUp` ({ fn, args }) is called once before it says it is
   * ready. Resolves once the worker says it is ready.
   */
  static async start(build, threads = 1, warmUp = null) {
    const worker = new DemoWorker(build, threads, warmUp);
    await worker.#ready;
    return worker;
  }

  #worker;
  #panics;
  #pending = new Map();
  #ready;
  #failure = null;
  #loadTimer;

  constructor(build, threads, warmUp) {
    this.build = build;
    this.threads = threads;
    makeRoom(1);
    const panicChannel = `concurrency-lab-panic-${PAGE_TOKEN}-${nextWorker++}`;
    this.#panics = new BroadcastChannel(panicChannel);
    this.#panics.onmessage = ({ data }) => this.#fail(String(data));

    this.#ready = new Promise((resolve, reject) => {
      this.#pending.set("ready", { resolve, reject });
    });
    try {
      this.#worker = new Worker(WORKER_URL, { type: "module", name: `demo ${build}` });
    } catch (error) {
      this.#panics.close();
      throw new Error(`${COULD_NOT_START}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(event.message ? `${COULD_NOT_START}: ${event.message}` : `${COULD_NOT_START} (is worker.js served?)`);
    };
    this.#worker.onmessageerror = () => this.#fail("a message from the demo worker could not be read");
    live.add(this);
    countLive();
    this.#loadTimer = setTimeout(() => this.#fail(`${COULD_NOT_START}: it did not load its WebAssembly ` +
      `within ${LOAD_TIME_LIMIT_MS / 1000} s (a slow connection, or a browser that stalls it); press Run to try again`),
    LOAD_TIME_LIMIT_MS);
    const stall = new URLSearchParams(location.search).getAll("demo-stall").includes("load");
    compiledModule(build).then(
      (module) => this.#failure === null &&
        this.#worker.postMessage({ type: "demo:load", build, module, threads, panicChannel, warmUp: warmUp && packArgs(warmUp), stall }),
      (error) => this.#fail(`${COULD_NOT_START}: its WebAssembly could not be loaded: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** Whether the worker is ready and has no job: it may be ended to make room for others. */
  get idle() {
    return this.#failure === null && !this.#pending.has("ready") && this.#pending.size === 0;
  }

  /** Resolves with this worker once it says it is ready; rejects if it fails to start. */
  get ready() {
    return this.#ready.then(() => this);
  }

  /** False once the worker failed or was stopped: it must then be replaced. */
  get usable() {
    return this.#failure === null;
  }

  /**
   * Has the worker call the module's function `fn` with `args` (arrays of numbers become
   * `Uint32Array`s); resolves with what it returns: a report `{ total, events, eventFields,
   * kinds, … }`, or a typed array. A report also gets `messages`: the call and its result as
   * they crossed between the page and the worker, [{ lane: 0, to: "worker" | "page", posted,
   * received }] (ms since the Unix epoch), for a replay's messages in flight.
   */
  call(fn, args = []) {
    if (this.#failure !== null) return Promise.reject(new Error(this.#failure));
    const id = nextId++;
    this.#used();
    return new Promise((resolve, reject) => {
      const posted = performance.timeOrigin + performance.now();
      this.#pending.set(id, { resolve: (reply) => resolve(withMessages(reply, posted)), reject });
      this.#worker.postMessage({ type: "demo:call", id, ...packArgs({ fn, args }) });
    });
  }

  /**
   * Sends `payload` (a Uint8Array) for the worker to send straight back: copied, or moved when
   * `transfer` (the page's buffer is detached until the reply returns it), or shared when it is a
   * view of a SharedArrayBuffer. With `verify` the worker also checksums it. Resolves with
   * { payload, checksum, ends, received, replied, sentAt, arrivedAt } (ms since the Unix epoch:
   * `sentAt` just before sending, `arrivedAt` when the reply's message event fired).
   */
  echo(payload, { transfer = false, verify = false } = {}) {
    if (this.#failure !== null) return Promise.reject(new Error(this.#failure));
    const id = nextId++;
    this.#used();
    return new Promise((resolve, reject) => {
      const sentAt = performance.timeOrigin + performance.now();
      this.#pending.set(id, { resolve: (reply) => resolve({ ...reply, sentAt }), reject });
      this.#worker.postMessage({ type: "demo:echo", id, payload, transfer, verify }, transfer ? [payload.buffer] : []);
    });
  }

  /** Ends the worker (and its pool threads) at once; pending jobs reject with "stopped". */
  terminate(reason = "stopped") {
    this.#fail(reason);
  }

  /** Puts this worker last in line to be ended to make room: its pool is about to use it. */
  claim() {
    this.#used();
  }

  /** Moves this worker to the back of the queue of workers ended to make room. */
  #used() {
    if (!live.delete(this)) return;
    live.add(this);
  }

  #receive(data) {
    if (data == null || typeof data.type !== "string") return;
    if (data.type === "demo:loaded") {
      clearTimeout(this.#loadTimer);
    } else if (data.type === "demo:ready") {
      clearTimeout(this.#loadTimer);
      this.#settle("ready", (waiter) => waiter.resolve());
    } else if (data.type === "demo:result") {
      const arrivedAt = performance.timeOrigin + performance.now();
      this.#settle(data.id, (waiter) => waiter.resolve({ ...data, arrivedAt }));
    } else if (data.type === "demo:echoed") {
      const arrivedAt = performance.timeOrigin + performance.now();
      this.#settle(data.id, (waiter) => waiter.resolve({ ...data, arrivedAt }));
    } else if (data.type === "demo:error") {
      // An error outside any job (or while loading) leaves the worker in an unknown state.
      // Before it said it is ready, the worker failed to start: say so.
      if (this.#pending.has("ready")) this.#fail(`${COULD_NOT_START}: ${data.message}`);
      else if (data.id == null || !this.#pending.has(data.id)) this.#fail(data.message);
      else this.#settle(data.id, (waiter) => waiter.reject(new Error(data.message)));
    }
  }

  #settle(id, action) {
    const waiter = this.#pending.get(id);
    if (!waiter) return;
    this.#pending.delete(id);
    action(waiter);
  }

  #fail(message) {
    if (this.#failure !== null) return;
    this.#failure = message;
    clearTimeout(this.#loadTimer);
    live.delete(this);
    countLive();
    this.#worker.terminate();
    this.#panics.close();
    for (const waiter of this.#pending.values()) waiter.reject(new Error(message));
    this.#pending.clear();
  }
}

/**
 * What a call resolves with: the worker's `value`, and when it is a report, the two messages of
 * the call (posted at `posted`, received at `reply.received`; the result posted at
 * `reply.replied`, received at `reply.arrivedAt`).
 */
function withMessages(reply, posted) {
  const { value } = reply;
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || typeof reply.received !== "number") return value;
  value.messages = [
    { lane: 0, to: "worker", posted, received: reply.received },
    { lane: 0, to: "page", posted: reply.replied, received: reply.arrivedAt },
  ];
  return value;
}

/** Arrays of numbers become `Uint32Array`s: what the module's `Vec<u32>` parameters take. */
function packArgs({ fn, args = [] }) {
  return { fn, args: args.map((arg) => (Array.isArray(arg) ? Uint32Array.from(arg) : arg)) };
}
