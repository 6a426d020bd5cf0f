// The io-bound demo: seeded simulated requests, waited for one at a time, by blocked threads,
// by worker processes each awaiting its share in turn, and all at once on the event loop.

import { callOn, dealOut } from "../runtime/reports.js";
import { WAITS_ON_A_TIMER } from "../runtime/capabilities.js";
import { totalsAgree } from "../figure/agreement.js";

const count = new Intl.NumberFormat("en");
const requests = (p) => [p.requests, p.mean_ms, p.distribution, p.seed];

export default {
  taskName: "request",
  resultHeading: "Latency waited for",
  warmUp: {},
  modes: {
    sequential: {
      uses: "single",
      // A worker that may not block (no Atomics.wait) awaits each request in turn instead: still
      // one request at a time, on a thread that does nothing else, so it takes as long.
      run: ({ lanes: [worker], params, capabilities }) =>
        callOn(worker, capabilities.workerWait ? "blockForRequests" : "awaitRequestsInTurn", requests(params)),
      note: ({ capabilities }) => (capabilities.workerWait === false ? WAITS_ON_A_TIMER : null),
    },
    threads: {
      uses: "threads",
      needs: "threads",
      run: ({ lanes: [worker], params }) => callOn(worker, "blockForRequestsInParallel", requests(params)),
    },
    processes: {
      uses: "processes",
      run: ({ lanes, params }) => dealOut(lanes, params.requests, "awaitRequestsInTurn", (indices) => [...requests(params), indices]),
    },
    async: {
      uses: "main",
      run: async ({ lanes: [page], params }) => ({ ...(await callOn(page, "awaitRequestsAtOnce", requests(params))), workers: 1 }),
    },
  },
  formatResult: (result) => `${count.format(result.total)} ms`,
  describeEvent: (event) => `latency ${count.format(event.value)} ms`,
  agreement: (results) =>
    totalsAgree(results, (_, total) => `Every mode handled every request once: ${count.format(total)} ms of latency in all, ` +
      "whether waited for one after another or side by side.", { format: (total) => `${count.format(total)} ms` }),
};
