// What this browser gives the demos, each capability found out on its own. One never implies
// another: WebKit can be cross-origin isolated and still offer no SharedArrayBuffer, and a
// browser with shared memory may still refuse module workers. A mode that cannot run names the
// first capability it lacks, in the reader's words; every other mode runs.

/** Every capability, in the order a missing one is named, with how a reader would say it. */
export const CAPABILITIES = [
  { name: "moduleWorkers", label: "module workers" },
  { name: "isolated", label: "cross-origin isolation" },
  { name: "sharedMemory", label: "SharedArrayBuffer" },
  { name: "wasmThreads", label: "WebAssembly threads" },
  { name: "workerWait", label: "Atomics.wait in workers" },
  { name: "serviceWorkers", label: "service workers" },
];

/** What each kind of need takes (a mode's `needs`), beyond a worker for modes that use one. */
const NEEDS = {
  // rayon's pool: workers sharing one WebAssembly memory, blocking while they wait for work.
  threads: ["moduleWorkers", "isolated", "sharedMemory", "wasmThreads", "workerWait"],
  // A SharedArrayBuffer posted to a worker: both sides see the same bytes.
  sharedMemory: ["moduleWorkers", "isolated", "sharedMemory"],
  worker: ["moduleWorkers"],
};

/** How long the worker that checks `Atomics.wait` may take to answer before it counts as "no". */
const PROBE_TIMEOUT_MS = 5_000;

let known = null;
let probing = null;

/**
 * What is known now, without waiting: every capability but `workerWait`, which a worker must try
 * (it is `null` until `capabilities()` has resolved, and stays `null` if the worker that tries
 * it could not start: unknown, not missing).
 */
export function capabilitiesNow() {
  known ??= { ...detectOnPage(), workerWait: null };
  return known;
}

/** Every capability, once a worker has tried `Atomics.wait` (started once per page). */
export function capabilities() {
  probing ??= (async () => {
    const now = capabilitiesNow();
    const workerWait = now.moduleWorkers ? await probeWorkerWait() : false;
    known = { ...now, workerWait };
    return known;
  })();
  return probing;
}

function detectOnPage() {
  return {
    isolated: globalThis.crossOriginIsolated === true,
    sharedMemory: typeof SharedArrayBuffer === "function",
    wasmThreads: canShareWasmMemory(),
    moduleWorkers: canStartModuleWorkers(),
    serviceWorkers: globalThis.isSecureContext === true && "serviceWorker" in navigator,
  };
}

/** A WebAssembly memory declared shared whose buffer really is shared. */
function canShareWasmMemory() {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return typeof SharedArrayBuffer === "function" && memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** Whether `new Worker(url, { type: "module" })` is understood: the browser reads `type`. */
function canStartModuleWorkers() {
  if (typeof Worker !== "function") return false;
  let readsType = false;
  const options = { get type() { readsType = true; return "module"; } };
  try {
    // The options are read before anything is started; the worker is ended at once.
    new Worker(new URL("../workers/worker.js", import.meta.url), options).terminate();
  } catch {
    // Refused after reading the options (a policy against workers), or never read them.
  }
  return readsType;
}

/**
 * Starts the demos' worker, asks it to try `Atomics.wait`, and ends it: true or false as it
 * answers, null if it never does (it could not start: the demos' own workers will say why).
 */
function probeWorkerWait() {
  return new Promise((resolve) => {
    let worker;
    const done = (answer) => {
      clearTimeout(timer);
      worker?.terminate();
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), PROBE_TIMEOUT_MS);
    try {
      worker = new Worker(new URL("../workers/worker.js", import.meta.url), { type: "module", name: "demo capability check" });
    } catch {
      return done(null);
    }
    worker.onmessage = ({ data }) => {
      if (data?.type === "demo:probed") done(data.workerWait === true);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      done(null);
    };
    worker.postMessage({ type: "demo:probe" });
  });
}

/**
 * Why a mode with `needs` ("threads", "sharedMemory", "worker" or null) cannot run here, or null
 * if it can. `now` is what is known (`capabilitiesNow()` or the resolved `capabilities()`); an
 * unknown capability (`null`) does not count as missing yet.
 */
export function unavailableReason(needs, now = capabilitiesNow()) {
  if (!needs) return null;
  const required = NEEDS[needs];
  if (!required) throw new Error(`unknown need ${JSON.stringify(needs)}`);
  const missing = required.find((name) => now[name] === false);
  return missing ? `unavailable — ${whyMissing(missing, needs, now)}` : null;
}

/** One sentence: what is missing and what it stops. */
function whyMissing(name, needs, now) {
  const what = needs === "worker" ? "the demo cannot start its workers" : "workers cannot share memory";
  switch (name) {
    case "moduleWorkers":
      return "this browser cannot start module workers, which the demo's workers are";
    case "isolated": {
      // static/isolation.js says why, when it knows (no HTTPS, no service worker…).
      const why = document.documentElement.dataset.isolationReason || "the server must send the COOP and COEP headers";
      return `this page is not cross-origin isolated, so ${what}: ${why}`;
    }
    case "sharedMemory":
      return `this browser offers no SharedArrayBuffer${now.isolated ? ", although the page is cross-origin isolated" : ""}, so ${what}`;
    case "wasmThreads":
      return "this browser cannot share a WebAssembly memory between workers, which the thread pool needs";
    case "workerWait":
      return "a worker here cannot block with Atomics.wait, which the thread pool's threads need to wait for work";
    default:
      return `this browser lacks ${name}`;
  }
}

/** "cross-origin isolation, module workers; not: SharedArrayBuffer, …" for the machine line. */
export function describeCapabilities(now = capabilitiesNow()) {
  const has = CAPABILITIES.filter(({ name }) => now[name] === true).map(({ label }) => label);
  const lacks = CAPABILITIES.filter(({ name }) => now[name] === false).map(({ label }) => label);
  const unknown = CAPABILITIES.filter(({ name }) => now[name] === null).map(({ label }) => `${label} (not known yet)`);
  const parts = [];
  if (has.length > 0 || unknown.length > 0) parts.push(`has ${[...has, ...unknown].join(", ")}`);
  if (lacks.length > 0) parts.push(`lacks ${lacks.join(", ")}`);
  return parts.join("; ");
}

/** The note of a mode whose waits are awaited on a worker's event loop because it may not block. */
export const WAITS_ON_A_TIMER =
  "Waits on a timer: workers here cannot block (no Atomics.wait), so each wait is awaited instead — " +
  "still one at a time per worker, so the wall time is the same.";
