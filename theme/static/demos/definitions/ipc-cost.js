// The ipc-cost demo: payloads of growing size sent from the page to a worker and back — copied
// (structured clone, each way), transferred (the buffer's ownership moves, nothing is copied) or
// shared (a SharedArrayBuffer both sides see: only a small message moves) — timed per round trip.
//
// Per size: the worker makes the payload (in the module, so every mode sends the same bytes),
// one round trip in which the worker checksums every byte it received (untimed: it checks the
// data arrived, and warms up), then `repeats` timed round trips in which the worker reads the
// payload's first and last bytes in place. The median of the timed round trips goes in the
// log-log chart; the checksums, added up, are the mode's result, which every mode must agree on.
//
// Timeline: the page's lane has one outlined bar per round trip (sent → reply received), the
// worker's lane one bar per message handled (received → reply posted).

import { STOPPED } from "../runtime/lanes.js";
import { formatMs } from "../charts/format.js";
import { RoundTripChart, formatBytes } from "../charts/round-trip-chart.js";
import { totalsAgree } from "../figure/agreement.js";

const PAGE = 0;
const WORKER = 1;

/** Sends every payload size `repeats` + 1 times the `how` way; resolves with the run's result. */
async function roundTrips(worker, params, how, signal) {
  const sizes = [...(await worker.call("payloadSizes", [params.min_kb, params.max_kb, params.sizes]))];
  const events = [];
  const bySize = [];
  let total = 0;
  let task = 0;
  for (const bytes of sizes) {
    let payload = await worker.call("makePayload", [bytes]);
    if (how === "shared") {
      const shared = new Uint8Array(new SharedArrayBuffer(bytes));
      shared.set(payload);
      payload = shared;
    }
    const times = [];
    let checksum = null;
    for (let round = 0; round <= params.repeats; round += 1) {
      if (signal.aborted) throw new Error(STOPPED);
      const verify = round === 0;
      const reply = await worker.echo(payload, { transfer: how === "transfer", verify });
      // A transferred buffer came back with the reply; a copied one came back as a new copy
      // (dropped: the page keeps sending its own); a shared one never left.
      if (how === "transfer") payload = reply.payload;
      if (reply.payload.length !== bytes) throw new Error(`sent ${bytes} bytes, got ${reply.payload.length} back`);
      if (verify) checksum = reply.checksum;
      else times.push(reply.arrivedAt - reply.sentAt);
      task += 1;
      const about = { task, value: bytes, check: verify };
      events.push({ ...about, lane: PAGE, start: reply.sentAt, end: reply.arrivedAt, kind: "wait" });
      events.push({ ...about, lane: WORKER, start: reply.received, end: reply.replied, kind: "task" });
    }
    bySize.push({ bytes, medianMs: median(times), times, checksum });
    total += checksum;
  }
  return { total, extra: {}, events, workers: 1, bySize };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const sending = (how) => ({
  uses: "single",
  needs: how === "shared" ? "sharedMemory" : null,
  run: ({ lanes: [worker], params, signal }) => roundTrips(worker, params, how, signal),
});

const at = (which) => (result) => {
  const sizes = result.bySize ?? [];
  const size = which === "smallest" ? sizes[0] : sizes[sizes.length - 1];
  return size ? Number(size.medianMs.toFixed(4)) : null;
};

export default {
  taskName: "round trip",
  resultHeading: "Checksum",
  kindNames: { task: "the worker handling a message", wait: "the page waiting for the reply" },
  warmUp: {
    single: { fn: "checksumPayload", args: [new Uint8Array(1 << 16)] },
  },
  modes: {
    copy: sending("copy"),
    transfer: sending("transfer"),
    shared: sending("shared"),
  },
  columns: [
    { heading: "Smallest", about: "median round trip, smallest payload", attribute: "smallest-ms", value: at("smallest"), format: formatMs },
    { heading: "Largest", about: "median round trip, largest payload", attribute: "largest-ms", value: at("largest"), format: formatMs },
  ],
  view: (container, { modes }) => new RoundTripChart(container, modes),
  laneName: (run, lane) => (lane === PAGE ? "page thread" : "worker"),
  describeEvent: (event) => `${formatBytes(event.value)}${event.check ? ", checksummed (not timed)" : ""}`,
  /** The sum of the checksums, as eight hex digits: enough to see at a glance that rows agree. */
  formatResult: (result) => (result.total % 2 ** 32).toString(16).padStart(8, "0"),
  agreement: (results) =>
    totalsAgree(results, (which) => `${which}: the worker received every byte of every payload (the same checksums).`,
      { differ: "The checksums differ between modes", format: String }),
};
