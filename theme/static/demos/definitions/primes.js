// The primes demo: count the primes below n in independent chunks, four ways.

import { callOn, dealOut } from "../runtime/reports.js";

const count = new Intl.NumberFormat("en");

export default {
  taskName: "chunk",
  resultHeading: "Primes found",
  resultNoun: "primes",
  warmUp: {
    single: { fn: "countChunks", args: [200_000, 4] },
    threads: { fn: "countChunksInParallel", args: [400_000, 16] },
  },
  modes: {
    sequential: {
      uses: "single",
      run: ({ lanes: [worker], params }) => callOn(worker, "countChunks", [params.n, params.chunks]),
    },
    threads: {
      uses: "threads",
      needs: "threads",
      run: ({ lanes: [worker], params }) => callOn(worker, "countChunksInParallel", [params.n, params.chunks]),
    },
    processes: {
      uses: "processes",
      run: ({ lanes, params }) => dealOut(lanes, params.chunks, "countChunks", (indices) => [params.n, params.chunks, indices]),
    },
    async: {
      uses: "main",
      run: ({ lanes: [page], params, signal }) => callOn(page, "countChunksOnEventLoop", [params.n, params.chunks, signal]),
    },
  },
  describeEvent: (event) => `${count.format(event.value)} primes`,
};
