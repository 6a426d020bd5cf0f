// A demo worker: owns one instance of the demos' WebAssembly module and calls its functions for
// the page. Started as a module Worker by ./client.js.
//
// Messages (all namespaced "demo:"):
//   page -> worker  { type: "demo:probe" }                      (a worker started only to ask)
//   worker -> page  { type: "demo:probed", workerWait }         (whether it may block in Atomics.wait)
//   page -> worker  { type: "demo:load", build: "threads" | "single", module, threads, panicChannel, warmUp?, stall? }
//                   (module: the build's WebAssembly.Module, compiled once by the page)
//   worker -> page  { type: "demo:loaded" }                     (once the module and its threads are up)
//   worker -> page  { type: "demo:ready", build, threads }      (once, after the warm-up)
//   page -> worker  { type: "demo:call", id, fn, args }         (fn: a function the module exports)
//   worker -> page  { type: "demo:result", id, value, received, replied }   (what fn returned: a
//                   report { total, events, eventFields, kinds, ... } with its events
//                   transferred, or a typed array, transferred; when the call's message arrived
//                   and when the result was posted, ms since the Unix epoch)
//   page -> worker  { type: "demo:echo", id, payload, transfer, verify }   (ipc-cost: a Uint8Array
//                   copied, transferred or shared; sent back the same way)
//   worker -> page  { type: "demo:echoed", id, payload, checksum, received, replied }
//   worker -> page  { type: "demo:error", id?, message }
// `warmUp` is one call ({ fn, args }) made after loading: the browser first runs WebAssembly with
// a quick baseline compiler and optimises hot code later, so without it the first timed run
// measures the compiler rather than the work.
// A Rust panic on a pool thread cannot be answered from here (this thread is then blocked
// waiting for the pool), so the panic hook also posts it on the BroadcastChannel `panicChannel`.

/** Each build's JavaScript glue. */
const PACKAGES = {
  threads: new URL("../pkg/threads/demos_wasm.js", import.meta.url),
  single: new URL("../pkg/single/demos_wasm.js", import.meta.url),
};
/** Exports that set the module up rather than run a demo: not callable by "demo:call". */
const NOT_CALLABLE = new Set(["default", "initSync", "initThreadPool", "installPanicReport", "takePanicMessage"]);

/** The loaded package (the module namespace of demos_wasm.js), once "demo:load" succeeded. */
let demos = null;

self.addEventListener("message", async ({ data }) => {
  if (data == null || typeof data.type !== "string" || !data.type.startsWith("demo:")) return;
  try {
    if (data.type === "demo:probe") {
      self.postMessage({ type: "demo:probed", workerWait: canWait() });
    } else if (data.type === "demo:load") {
      // `?demo-stall=load` (a testing aid): never answer, as a worker stuck loading would not.
      if (data.stall) return;
      await load(data);
      self.postMessage({ type: "demo:loaded" });
      if (data.warmUp) await warmUpUntilSteady(data.warmUp);
      self.postMessage({ type: "demo:ready", build: data.build, threads: data.threads });
    } else if (data.type === "demo:call") {
      const received = performance.timeOrigin + performance.now();
      const value = await call(data.fn, data.args);
      const replied = performance.timeOrigin + performance.now();
      self.postMessage({ type: "demo:result", id: data.id, value, received, replied }, transferable(value));
    } else if (data.type === "demo:echo") {
      echo(data);
    } else {
      throw new Error(`unknown message ${data.type}`);
    }
  } catch (error) {
    self.postMessage({ type: "demo:error", id: data.id, message: describe(error) });
  }
});

/** Whether this worker may block with `Atomics.wait` (shared memory, and a thread allowed to wait). */
function canWait() {
  try {
    // The cell holds 0, not 1: a thread allowed to wait gets "not-equal" at once.
    return typeof SharedArrayBuffer === "function" && Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0) === "not-equal";
  } catch {
    return false;
  }
}

async function load({ build, module, threads, panicChannel }) {
  if (demos) throw new Error("this worker has already loaded its module");
  if (!Object.hasOwn(PACKAGES, build)) throw new Error(`unknown build ${JSON.stringify(build)}`);
  const pkg = await import(PACKAGES[build]);
  // The page compiled the module once; this worker only instantiates it.
  await pkg.default({ module_or_path: module });
  pkg.installPanicReport(panicChannel);
  if (build === "threads") await pkg.initThreadPool(threads);
  demos = pkg;
}

/**
 * Calls `warmUp` until it stops getting faster (two calls in a row within 10 %), pausing in
 * between so the browser's optimising compiler, which works in the background, can finish:
 * a call that starts in baseline code stays in it until it returns.
 */
async function warmUpUntilSteady({ fn, args }) {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 15));
  const deadline = performance.now() + 2_000;
  let previous = Infinity;
  for (let round = 0; round < 10 && performance.now() < deadline; round += 1) {
    const started = performance.now();
    await call(fn, args);
    const took = performance.now() - started;
    if (round >= 2 && Math.abs(took - previous) <= 0.1 * previous) return;
    previous = took;
    await pause();
  }
}

function call(fn, args = []) {
  if (!demos) throw new Error("the module is not loaded yet");
  if (typeof fn !== "string" || NOT_CALLABLE.has(fn) || fn.startsWith("__") || typeof demos[fn] !== "function") {
    throw new Error(`the ${demos.isThreaded() ? "threaded" : "single-threaded"} build has no function ${JSON.stringify(fn)}`);
  }
  return demos[fn](...args);
}

/** The buffers of `value` that can move to the page instead of being copied. */
function transferable(value) {
  const own = (view) => (view?.buffer instanceof ArrayBuffer ? [view.buffer] : []);
  if (ArrayBuffer.isView(value)) return own(value);
  return value?.events instanceof Float64Array ? own(value.events) : [];
}

/**
 * Receives a payload and sends it back the way it came: copied (structured clone), transferred
 * (`transfer`: ownership moves, nothing is copied) or shared (a view of a SharedArrayBuffer: both
 * sides see the same memory). Each time it reads the payload in place (its first and last
 * bytes); with `verify` it also checksums every byte (in the module), to show it all arrived.
 */
function echo({ id, payload, transfer, verify }) {
  const received = performance.timeOrigin + performance.now();
  if (!(payload instanceof Uint8Array)) throw new Error("the payload is not a Uint8Array");
  if (verify && !demos) throw new Error("the module is not loaded yet");
  const checksum = verify ? demos.checksumPayload(payload) : null;
  const ends = payload.length > 0 ? [payload[0], payload[payload.length - 1]] : [];
  const replied = performance.timeOrigin + performance.now();
  self.postMessage({ type: "demo:echoed", id, payload, checksum, ends, received, replied }, transfer ? [payload.buffer] : []);
}

/** A one-line message for the page: the Rust panic message when there was one. */
function describe(error) {
  const panic = demos?.takePanicMessage?.();
  if (panic) return panic;
  if (error instanceof Error) return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`;
  return String(error);
}
