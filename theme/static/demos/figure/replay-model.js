// What a replay of one run shows at a moment: the times the playhead steps to, and the state at
// a time `t` (ms from the run's start), computed only from what the run recorded. Pure logic,
// no DOM: ./replay-section.js draws it, and the browser test imports this module to check it on
// made-up runs.
//
// A run is { mode, uses, result } as the timelines get it; `result` has `events` (bars: task,
// wait, hold, fetch, store, frame, long-frame), `startedAt`, `endedAt`, and where the run
// recorded them `reads` (the race's sampled additions) and `messages` (calls and results between
// the page and a worker). The state has a line per lane, and the readouts the run supports:
//   gil       who holds the simulated GIL (one shared by threads; a process has its own);
//   loop      waits on the page's event loop: how many are ready (their timer has fired — start
//             plus the latency it asked for — and they have not run yet) and how many still wait;
//   messages  how many messages are in flight (posted, not yet received), each way;
//   race      the counter's value as last sampled, and each thread's latest sampled read;
//   frames    the longest gap between two of the page's frames up to now, and whether a frame
//             is late now (no frame for longer than LONG_GAP_MS).

/** A gap between frames longer than this is late (the frame meter's threshold). */
export const LATE_FRAME_MS = 50;
const FRAME_KINDS = new Set(["frame", "long-frame"]);
const LOOP_KINDS = new Set(["wait", "fetch"]);
const count = new Intl.NumberFormat("en");
const tenth = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** The run's length in ms. */
export function runSpan(run) {
  return Math.max(0, run.result.endedAt - run.result.startedAt);
}

/** Every start and end of a bar on any lane, in ms from the run's start, sorted, once each. */
export function eventTimes(run) {
  const t0 = run.result.startedAt;
  const span = runSpan(run);
  const times = new Set([0, span]);
  for (const event of run.result.events) {
    for (const at of [event.start, event.end]) times.add(Math.min(span, Math.max(0, at - t0)));
  }
  return [...times].sort((a, b) => a - b);
}

/** The event time just after `t` (`direction` 1) or just before it (-1); `t` itself at either end. */
export function stepFrom(times, t, direction) {
  const epsilon = 1e-9;
  if (direction > 0) return times.find((at) => at > t + epsilon) ?? times.at(-1) ?? t;
  return times.findLast((at) => at < t - epsilon) ?? times[0] ?? t;
}

/** Whether an event covers the moment `at` (absolute ms): from its start up to, not at, its end. */
const covers = (event, at) => event.start <= at && at < event.end;

/**
 * The state at `t` ms from the run's start. `laneName(lane)` names a lane ("thread 2"),
 * `taskNameOf(event)` what one of its tasks is called ("chunk"); `demo` is the demo's name.
 */
export function stateAt(run, t, { laneName, taskNameOf, demo }) {
  const at = run.result.startedAt + t;
  const state = { t, mode: run.mode, lanes: lanesAt(run, at, laneName, taskNameOf) };
  const gil = gilAt(run, at);
  if (gil) state.gil = gil;
  const loop = loopAt(run, at);
  if (loop) state.loop = loop;
  const messages = messagesAt(run, at, demo);
  if (messages) state.messages = messages;
  const race = raceAt(run, at);
  if (race) state.race = race;
  const frames = framesAt(run, at);
  if (frames) state.frames = frames;
  return state;
}

/** Per lane (not the GIL's): what its bar at `at` is doing, or null when it is idle. */
function lanesAt(run, at, laneName, taskNameOf) {
  const byLane = new Map();
  for (const event of run.result.events) {
    if (!byLane.has(event.lane)) byLane.set(event.lane, []);
    byLane.get(event.lane).push(event);
  }
  return [...byLane.keys()].sort((a, b) => a - b).map((lane) => {
    const own = byLane.get(lane);
    const now = own.filter((event) => covers(event, at));
    const holding = now.some((event) => event.kind === "hold");
    const bar = now.find((event) => event.kind === "task") ?? now.find((event) => event.kind !== "hold") ?? null;
    return { lane, name: laneName(lane), doing: bar ? doing(bar, taskNameOf) : null, task: bar?.task ?? null, holding };
  });
}

/** "runs chunk 3", "waits for request 5", "fetches item 2", "no frame for 12 ms". */
function doing(event, taskNameOf) {
  const name = event.label ?? `${taskNameOf(event)} ${event.task}`;
  switch (event.kind) {
    case "wait": return `waits for ${name}`;
    case "fetch": return `fetches ${name}`;
    case "store": return `stores ${name}`;
    case "frame":
    case "long-frame": return "waits for the next frame";
    default: return `runs ${name}`;
  }
}

/**
 * Who holds the GIL at `at`: { shared, holders: [lane], waiting: [lane] }, or null without holds.
 * Threads share one: where two threads' holds overlap by a hair (each thread reads its own clock,
 * and clocks of two threads can differ by a fraction of a millisecond), the one that took it later
 * holds it, since the lock let it in only once the other had let go.
 */
function gilAt(run, at) {
  const holds = run.result.events.filter((event) => event.kind === "hold");
  if (holds.length === 0) return null;
  let now = holds.filter((event) => covers(event, at));
  if (run.uses === "threads" && now.length > 1) now = [now.reduce((a, b) => (b.start > a.start ? b : a))];
  const holders = [...new Set(now.map((event) => event.lane))].sort((a, b) => a - b);
  // A task that has begun and not ended, and whose thread does not hold the GIL, waits for it.
  const busy = run.result.events.filter((event) => event.kind === "task" && covers(event, at)).map((event) => event.lane);
  const waiting = [...new Set(busy)].filter((lane) => !holders.includes(lane)).sort((a, b) => a - b);
  return { shared: run.uses === "threads", holders, waiting };
}

/**
 * The waits on the page's event loop: every wait or fetch of a run on the page's thread, and the
 * fetches of a run that does its I/O there while workers compute. Each asked its timer for its
 * latency (`value` ms) when it began; null when the run has none, or gathered them into bars.
 */
export function loopWaits(run) {
  const events = run.result.events;
  let waits = [];
  if (run.uses === "main") waits = events.filter((event) => LOOP_KINDS.has(event.kind));
  else if (run.uses === "processes") waits = events.filter((event) => event.kind === "fetch");
  if (waits.length === 0 || waits.some((event) => event.count)) return null;
  return waits;
}

/**
 * { ready, waiting, done } among the event loop's waits at `at`, or null. A task that ran is
 * done, even where its timer fired a hair before its time by the page's clock.
 */
function loopAt(run, at) {
  const waits = loopWaits(run);
  if (!waits) return null;
  let ready = 0;
  let waiting = 0;
  let done = 0;
  for (const event of waits) {
    const due = event.start + event.value;
    if (at >= event.end) done += 1;
    else if (at >= due) ready += 1;
    else if (at >= event.start) waiting += 1;
  }
  return { ready, waiting, done, total: waits.length };
}

/**
 * The messages of a run between the page and its workers: those the calls recorded (processes,
 * and workers of their own), or for ipc-cost the round trips of its bars (the page's wait from
 * sending to the reply, the worker's bar from receiving to replying). Null when there are none.
 */
export function runMessages(run, demo) {
  if (demo === "ipc-cost") {
    const byTask = new Map();
    for (const event of run.result.events) {
      if (!byTask.has(event.task)) byTask.set(event.task, {});
      byTask.get(event.task)[event.kind] = event;
    }
    const messages = [];
    for (const { wait, task } of byTask.values()) {
      if (!wait || !task) continue;
      messages.push({ lane: 1, to: "worker", posted: wait.start, received: task.start });
      messages.push({ lane: 1, to: "page", posted: task.end, received: wait.end });
    }
    return messages.length > 0 ? messages : null;
  }
  if (run.uses !== "processes" && run.uses !== "own") return null;
  return run.result.messages?.length > 0 ? run.result.messages : null;
}

/** { inFlight, toWorkers, toPage } at `at`, or null. */
function messagesAt(run, at, demo) {
  const messages = runMessages(run, demo);
  if (!messages) return null;
  // Clocks of two threads may differ by a hair: a message is never received before it was posted.
  const flying = messages.filter((message) => message.posted <= at && at < Math.max(message.posted, message.received));
  const toWorkers = flying.filter((message) => message.to === "worker").length;
  return { inFlight: flying.length, toWorkers, toPage: flying.length - toWorkers };
}

/**
 * The race at `at`, from the sampled additions: the counter's value as last seen (read or
 * written) and when, and per thread its latest sampled read — the value it read, what the counter
 * held just before it wrote back (more: the additions between were lost), and whether it has
 * written yet. Worker processes each have a counter of their own (`own`): `counter` is then the
 * sum of their values as last seen. Null when the run sampled none.
 */
function raceAt(run, at) {
  const reads = run.result.reads;
  if (!reads || reads.length === 0) return null;
  // Processes share nothing: each worker adds to a counter of its own.
  const own = run.uses === "processes";
  const counters = new Map();
  const threads = new Map();
  const seenAt = (key, value, when) => {
    const last = counters.get(key);
    if (!last || when >= last.at) counters.set(key, { value, at: when });
  };
  for (const read of reads) {
    const key = own ? read.lane : 0;
    if (read.readAt <= at) seenAt(key, read.seen, read.readAt);
    if (read.writeAt <= at) seenAt(key, read.wrote, read.writeAt);
    if (read.readAt <= at && (!threads.has(read.lane) || read.readAt >= threads.get(read.lane).readAt)) threads.set(read.lane, read);
  }
  const t0 = run.result.startedAt;
  const latest = Math.max(-Infinity, ...[...counters.values()].map((counter) => counter.at));
  return {
    own,
    counter: [...counters.values()].reduce((sum, counter) => sum + counter.value, 0),
    counterAtMs: counters.size > 0 ? latest - t0 : null,
    threads: [...threads.values()].sort((a, b) => a.lane - b.lane).map((read) => ({
      lane: read.lane, seen: read.seen, before: read.before, wrote: read.wrote, written: read.writeAt <= at,
      lost: Math.max(0, read.before - read.seen),
    })),
  };
}

/** The page's frames at `at`: the longest gap so far, the current gap, whether a frame is late. */
function framesAt(run, at) {
  const gaps = run.result.events.filter((event) => FRAME_KINDS.has(event.kind));
  if (gaps.length === 0) return null;
  let longest = 0;
  let current = 0;
  for (const gap of gaps) {
    if (gap.start > at) continue;
    longest = Math.max(longest, Math.min(gap.end, at) - gap.start);
    if (covers(gap, at)) current = at - gap.start;
  }
  return { longestMs: longest, sinceFrameMs: current, late: current > LATE_FRAME_MS };
}

/** "thread 1", "threads 1 and 3", "threads 1, 3 and 4": `lanes` named, their shared noun once. */
export function nameList(names) {
  if (names.length === 0) return "";
  const split = names.map((name) => /^(.*?)\s+(\S+)$/.exec(name));
  const noun = split[0]?.[1];
  if (names.length > 1 && split.every((parts) => parts && parts[1] === noun)) {
    const numbers = split.map((parts) => parts[2]);
    return `${noun}s ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
  }
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const plural = (n, one, many) => `${count.format(n)} ${n === 1 ? one : many}`;

/** The state in one sentence: "At 412 ms: thread 2 holds the GIL; threads 1 and 3 wait for it." */
export function caption(state, laneName) {
  const parts = [];
  if (state.gil) parts.push(gilWords(state.gil, laneName));
  if (state.race) parts.push(raceWords(state.race, laneName));
  if (state.loop) {
    const { ready, waiting } = state.loop;
    parts.push(`${plural(ready, "task is", "tasks are")} ready on the event loop, ${plural(waiting, "still waits", "still wait")}`);
  }
  if (state.messages) {
    const { inFlight, toWorkers, toPage } = state.messages;
    parts.push(inFlight === 0 ? "no message is in flight"
      : `${plural(inFlight, "message is", "messages are")} in flight (${count.format(toWorkers)} to workers, ${count.format(toPage)} to the page)`);
  }
  if (state.frames) {
    const { longestMs, sinceFrameMs, late } = state.frames;
    parts.push(`${late ? `a frame is late: none for ${tenth.format(sinceFrameMs)} ms` : "frames are on time"}, the longest gap so far ${tenth.format(longestMs)} ms`);
  }
  if (parts.length === 0) parts.push(lanesWords(state.lanes));
  return `At ${timeWords(state.t)}: ${parts.join("; ")}.`;
}

/** "412 ms", "0.35 ms", "1.25 s". */
export function timeWords(ms) {
  if (ms >= 1000) return `${new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(ms / 1000)} s`;
  return `${new Intl.NumberFormat("en", { maximumFractionDigits: ms < 10 ? 2 : ms < 100 ? 1 : 0 }).format(ms)} ms`;
}

function gilWords({ shared, holders, waiting }, laneName) {
  const held = holders.map(laneName);
  const wait = waiting.length > 0 ? `; ${nameList(waiting.map(laneName))} wait${waiting.length === 1 ? "s" : ""} for it` : "";
  if (!shared) {
    if (held.length === 0) return "no process holds its GIL";
    return `${nameList(held)} hold${held.length === 1 ? "s its" : " their own"} GIL`;
  }
  if (held.length === 0) return `nobody holds the GIL${wait}`;
  return `${nameList(held)} holds the GIL${wait}`;
}

function raceWords({ own, counter, threads }, laneName) {
  if (own) {
    const each = threads.map(({ lane, seen, written }) => `${laneName(lane)}'s holds ${count.format(written ? seen + 1 : seen)}`);
    return `each worker adds to a counter of its own, so none is lost: ${each.join(", ")} (${count.format(counter)} in all)`;
  }
  const each = threads.map(({ lane, seen, before, written, lost }) => {
    if (!written) return `${laneName(lane)} read ${count.format(seen)} and has not written back`;
    if (lost > 0) return `${laneName(lane)} read ${count.format(seen)}, then wrote ${count.format(seen + 1)} over ${count.format(before)}: ${plural(lost, "update", "updates")} lost`;
    return `${laneName(lane)} read ${count.format(seen)} and wrote ${count.format(seen + 1)}`;
  });
  return [`the counter holds ${count.format(counter)}`, ...each].join("; ");
}

function lanesWords(lanes) {
  const busy = lanes.filter((lane) => lane.doing);
  if (busy.length === 0) return "every lane is idle";
  return busy.map((lane) => `${lane.name} ${lane.doing}`).join("; ");
}
