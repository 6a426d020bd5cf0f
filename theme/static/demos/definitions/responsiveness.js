// The responsiveness demo: the primes count run three ways while a frame meter watches the
// page's thread — an async function on the page's thread that never yields (no frame is drawn
// until it is done), one that yields to the event loop between chunks (frames keep coming, the
// count takes a little longer), and the count in a worker (the page's thread stays free).
//
// Each row's wall time is the count's own; its longest frame gap (`data-longest-gap`) is the
// longest wait between two frames from the frame before the count started to the first frame
// after it ended. The timeline shows the count's chunks and, on a lane of their own, the gaps
// between the page's frames (red when longer than 50 ms).

import { callOn } from "../runtime/reports.js";
import { FrameMeter, LONG_GAP_MS } from "../charts/frame-meter.js";

const count = new Intl.NumberFormat("en");
const tenth = new Intl.NumberFormat("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** The timeline lane of the page's frames. */
const FRAMES = 1000;

/**
 * Runs `job` between two frames with the meter on (labelled `mode`); the report gains the frame gaps (as events
 * on the frames lane, clipped to the job) and `longestGap`, and is timed by its job alone.
 */
async function whileMetered(view, mode, job) {
  const meter = view.measure(mode);
  try {
    await meter.frames(1);
    const started = performance.now();
    const report = await job();
    const ended = performance.now();
    await meter.frames(1);
    const { longestGap, gaps } = meter.stop();
    const origin = performance.timeOrigin;
    const frames = gaps
      .filter((gap) => gap.end > started && gap.start < ended)
      .map((gap, i) => ({
        task: i + 1, lane: FRAMES, value: gap.end - gap.start,
        start: origin + Math.max(gap.start, started), end: origin + Math.min(gap.end, ended),
        kind: gap.end - gap.start > LONG_GAP_MS ? "long-frame" : "frame",
      }));
    return {
      ...report,
      events: [...report.events, ...frames],
      extra: { ...report.extra, longestGap },
      ms: ended - started,
      startedAt: origin + started,
      endedAt: origin + ended,
    };
  } finally {
    meter.stop();
  }
}

export default {
  taskName: "chunk",
  resultHeading: "Primes found",
  resultNoun: "primes",
  warmUp: {
    single: { fn: "countChunks", args: [200_000, 4] },
  },
  modes: {
    blocking: {
      uses: "main",
      run: ({ lanes: [page], params, view }) =>
        whileMetered(view, "blocking", () => callOn(page, "countPrimesWithoutYielding", [params.n, params.chunks])),
    },
    yielding: {
      uses: "main",
      run: ({ lanes: [page], params, signal, view }) =>
        whileMetered(view, "yielding", () => callOn(page, "countPrimesYielding", [params.n, params.chunks, signal])),
    },
    worker: {
      uses: "single",
      run: ({ lanes: [worker], params, view }) =>
        whileMetered(view, "worker", () => callOn(worker, "countPrimesWithoutYielding", [params.n, params.chunks])),
    },
  },
  columns: [
    {
      heading: "Longest gap",
      about: "the longest wait between two frames",
      attribute: "longest-gap",
      value: (result) => (typeof result.extra?.longestGap === "number" ? Number(result.extra.longestGap.toFixed(1)) : null),
      format: (ms) => `${tenth.format(ms)} ms`,
    },
  ],
  view: (container) => new FrameMeter(container),
  laneName: (run, lane) => (lane === FRAMES ? "frames" : null),
  taskNameOf: (event) => (event.lane === FRAMES ? "frame gap" : "chunk"),
  describeEvent: (event) => (event.lane === FRAMES
    ? `no frame for ${tenth.format(event.value)} ms`
    : `${count.format(event.value)} primes`),
};
