// A demo worker: owns one instance of the demos' WebAssembly module and runs jobs the page
// sends it. Started as a module Worker by worker-client.js.
//
// Messages (all namespaced "demo:"):
//   page -> worker  { type: "demo:load", build: "threads" | "single", threads, panicChannel }
//   worker -> page  { type: "demo:ready", build, threads }      (once, after load)
//   page -> worker  { type: "demo:run", id, n, chunks, indices?, parallel? }
//   worker -> page  { type: "demo:result", id, total, events, eventFields }  (events transferred)
//   worker -> page  { type: "demo:error", id?, message }
// A Rust panic on a pool thread cannot be answered from here (this thread is then blocked
// waiting for the pool), so the panic hook also posts it on the BroadcastChannel `panicChannel`.

const BUILDS = new Set(["threads", "single"]);

// A short job run once after loading: the browser first runs WebAssembly with a quick baseline
// compiler and optimises hot code later, so without it the first timed run measures the
// compiler rather than the work.
const WARM_UP = { n: 2_000_000, chunks: 8 };

/** The loaded package (the module namespace of demos_wasm.js), once "demo:load" succeeded. */
let demos = null;

self.addEventListener("message", async ({ data }) => {
  if (data == null || typeof data.type !== "string" || !data.type.startsWith("demo:")) return;
  try {
    if (data.type === "demo:load") {
      await load(data);
      self.postMessage({ type: "demo:ready", build: data.build, threads: data.threads });
    } else if (data.type === "demo:run") {
      const report = run(data);
      self.postMessage({ type: "demo:result", id: data.id, ...report }, [report.events.buffer]);
    } else {
      throw new Error(`unknown message ${data.type}`);
    }
  } catch (error) {
    self.postMessage({ type: "demo:error", id: data.id, message: describe(error) });
  }
});

async function load({ build, threads, panicChannel }) {
  if (demos) throw new Error("this worker has already loaded its module");
  if (!BUILDS.has(build)) throw new Error(`unknown build ${JSON.stringify(build)}`);
  const pkg = await import(new URL(`./pkg/${build}/demos_wasm.js`, import.meta.url));
  await pkg.default();
  pkg.installPanicReport(panicChannel);
  if (build === "threads") {
    await pkg.initThreadPool(threads);
    pkg.countChunksInParallel(WARM_UP.n, WARM_UP.chunks);
  } else {
    pkg.countChunks(WARM_UP.n, WARM_UP.chunks);
  }
  demos = pkg;
}

function run({ n, chunks, indices, parallel }) {
  if (!demos) throw new Error("the module is not loaded yet");
  if (parallel) {
    if (typeof demos.countChunksInParallel !== "function") {
      throw new Error("this worker has the single-threaded build");
    }
    return demos.countChunksInParallel(n, chunks);
  }
  return demos.countChunks(n, chunks, indices == null ? undefined : Uint32Array.from(indices));
}

/** A one-line message for the page: the Rust panic message when there was one. */
function describe(error) {
  const panic = demos?.takePanicMessage?.();
  if (panic) return panic;
  if (error instanceof Error) return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`;
  return String(error);
}
