// Reading a Python twin's `--json --trace` output (demos-wasm/python/README.md) for the figure's
// "Compare with CPython" (./cpython-section.js), and what it shows: the checked output, its
// modes as timeline runs, and the differences from the browser's run named in plain words.
// No DOM here: a browser test imports it as it is.
//
// The output, as the twins print it:
//   { "demo", "params", "rows": [{ "mode", "ms", "workers", "result", … }], "python": "3.11.2",
//     "trace": [{ "mode", "clock", "pool": "warm"|"cold", "lanes",
//                 "events": [{ "task", "lane", "kind", "start", "end", "cpu" }] }] }
// `start` and `end` are ms from the mode's start; `cpu` is how long the task's thread computed
// meanwhile (a thread waiting for the GIL, or sleeping, does not compute).

/** The twins that print a trace: the figure offers the comparison only for these. */
export const TRACED_DEMOS = ["primes", "gil", "io-bound", "async-scale", "race"];
/** What a twin calls a task where it differs from the browser's demo: the race's is a worker's whole share. */
const TASK_NAMES = { race: "share" };
/** The modes that run on threads of one process: the race's `unsafe` and `lock` as well. */
const THREAD_MODES = ["threads", "unsafe", "lock"];
/** The most bars a mode's timeline draws: beyond, tasks that began one after another share a bar. */
const MOST_BARS = 400;

/** A twin's kinds of task bar, as the timeline draws them. */
const BAR_KINDS = { task: "task", wait: "wait", "task+wait": "task" };

/** What one of the twin of `demo`'s tasks is called, given the browser's name for its tasks. */
export function cpythonTaskName(demo, taskName) {
  return TASK_NAMES[demo] ?? taskName;
}

/** "chunks", "batches": more than one `noun`. */
function plural(noun) {
  return /(s|sh|ch|x)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

/** The command the reader runs: the page's twin command with `--json --trace`. */
export function traceCommand(command) {
  return `${command} --json --trace`;
}

/**
 * Checks `text`, a twin's output, for the demo `demo` whose modes are `modes`: `{ output }`,
 * or `{ error }` saying what is wrong and what was expected.
 */
export function readCPythonOutput(text, { demo, modes, command }) {
  const run = `run ${traceCommand(command)} and paste all it prints`;
  if (text.trim() === "") return { error: `Nothing to compare yet: ${run}, or choose the file it was saved to.` };
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `That is not JSON (${error.message}): ${run}.` };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json) || typeof json.demo !== "string") {
    return { error: `That JSON is not a Python twin's output: it has no "demo". Expected the output of ${traceCommand(command)}.` };
  }
  if (json.demo !== demo) {
    return { error: `That is the output of the ${json.demo} demo's twin, but this figure is the ${demo} demo: ${run}.` };
  }
  if (!Array.isArray(json.rows)) return { error: `That output has no "rows" list: ${run}.` };
  if (!Array.isArray(json.trace)) {
    return { error: `That output has no trace (it was run without --trace): ${run}.` };
  }
  const rows = [];
  for (const [i, row] of json.rows.entries()) {
    const problem = rowProblem(row, modes);
    if (problem) return { error: `rows[${i}]: ${problem}. Expected the output of ${traceCommand(command)}.` };
    rows.push({ mode: row.mode, ms: row.ms, workers: row.workers ?? null, result: row.result ?? null, note: row.note ?? null });
  }
  const traces = [];
  for (const [i, trace] of json.trace.entries()) {
    const { problem, checked } = checkTrace(trace, rows);
    if (problem) return { error: `trace[${i}]${problem}. Expected the output of ${traceCommand(command)}.` };
    traces.push(checked);
  }
  if (traces.length === 0) return { error: `That output's trace is empty: no mode ran. ${run[0].toUpperCase()}${run.slice(1)}.` };
  const params = json.params && typeof json.params === "object" ? json.params : {};
  const python = typeof json.python === "string" ? json.python : null;
  // The gil demo's twin says whether its interpreter had the GIL (free-threaded builds may not).
  const gil = typeof json.gil === "boolean" ? json.gil : null;
  return { output: { demo, params, python, gil, rows, traces } };
}

function rowProblem(row, modes) {
  if (!row || typeof row !== "object") return "not a row";
  if (!modes.includes(row.mode)) return `the mode ${JSON.stringify(row.mode)} is not one of this demo's (${modes.join(", ")})`;
  if (row.ms !== null && !(typeof row.ms === "number" && row.ms >= 0)) return `"ms" must be a number of milliseconds or null`;
  return null;
}

/** `{ checked }` for a well-formed trace of a mode that has a row with a time; else `{ problem }`. */
function checkTrace(trace, rows) {
  if (!trace || typeof trace !== "object") return { problem: ": not a mode's trace" };
  const row = rows.find((r) => r.mode === trace.mode);
  if (!row || row.ms === null) return { problem: `: the mode ${JSON.stringify(trace.mode)} has no row with a time` };
  const lanes = trace.lanes;
  if (!Number.isInteger(lanes) || lanes < 1) return { problem: `.lanes must be a whole number of lanes, at least 1` };
  if (!Array.isArray(trace.events) || trace.events.length === 0) return { problem: `.events must list the mode's tasks` };
  const events = [];
  for (const [i, event] of trace.events.entries()) {
    const problem = eventProblem(event, lanes);
    if (problem) return { problem: `.events[${i}]: ${problem}` };
    events.push({ task: event.task, lane: event.lane, kind: event.kind, start: event.start, end: event.end, cpu: event.cpu ?? null });
  }
  return { checked: { mode: trace.mode, ms: row.ms, clock: String(trace.clock ?? ""), pool: trace.pool === "cold" ? "cold" : "warm", lanes, events } };
}

function eventProblem(event, lanes) {
  if (!event || typeof event !== "object") return "not an event";
  if (!Number.isInteger(event.task) || event.task < 0) return `"task" must be a task's number`;
  if (!Number.isInteger(event.lane) || event.lane < 0 || event.lane >= lanes) return `"lane" must be a lane from 0 to ${lanes - 1}`;
  if (!(event.kind in BAR_KINDS)) return `"kind" must be one of ${Object.keys(BAR_KINDS).join(", ")}`;
  if (typeof event.start !== "number" || typeof event.end !== "number" || event.start < 0 || event.end < event.start) {
    return `"start" and "end" must be ms from the mode's start, the start first`;
  }
  if (event.cpu !== undefined && event.cpu !== null && !(typeof event.cpu === "number" && event.cpu >= 0)) return `"cpu" must be ms of computing`;
  return null;
}

/** "main", "thread 2", "worker 3" (a worker process): a lane of CPython's `mode`, short enough for a phone. */
export function cpythonLaneName(mode, lane) {
  if (THREAD_MODES.includes(mode)) return `thread ${lane + 1}`;
  if (mode === "processes") return `worker ${lane + 1}`;
  return "main";
}

/** The output's modes as the timeline draws runs: [{ mode, uses, result }]. */
export function cpythonRuns(output) {
  return output.traces.map((trace) => ({
    mode: trace.mode,
    uses: "own",
    cpython: trace,
    result: {
      startedAt: 0,
      endedAt: Math.max(trace.ms, ...trace.events.map((event) => event.end)),
      ms: trace.ms,
      events: bars(trace.events),
    },
  }));
}

/** The events as timeline bars: one per task, or, past MOST_BARS, one per run of tasks of a lane. */
function bars(events) {
  const shown = events.map((event) => ({ ...event, kind: BAR_KINDS[event.kind] }));
  if (shown.length <= MOST_BARS) return shown;
  const size = Math.ceil(shown.length / MOST_BARS);
  const merged = [];
  const byLane = new Map();
  for (const event of [...shown].sort((a, b) => a.start - b.start)) {
    const group = byLane.get(event.lane) ?? [];
    group.push(event);
    byLane.set(event.lane, group);
    if (group.length === size) {
      merged.push(mergedBar(group));
      byLane.set(event.lane, []);
    }
  }
  for (const group of byLane.values()) if (group.length > 0) merged.push(mergedBar(group));
  return merged;
}

function mergedBar(group) {
  const cpu = group.every((event) => event.cpu === null) ? null : group.reduce((sum, event) => sum + (event.cpu ?? 0), 0);
  return {
    task: group[0].task, lane: group[0].lane, kind: group[0].kind, cpu,
    start: Math.min(...group.map((event) => event.start)), end: Math.max(...group.map((event) => event.end)),
    label: `${group.length.toLocaleString("en")} tasks`,
  };
}

/** Sums over a mode's events: time in tasks (bar lengths), and time computing. */
function totals(trace) {
  let busy = 0;
  let cpu = 0;
  for (const event of trace.events) {
    busy += event.end - event.start;
    cpu += event.cpu ?? 0;
  }
  return { busy, cpu, waits: trace.events.some((event) => event.kind !== "task") };
}

const ms = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en")} ms`;
const times = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value)}×`;

/**
 * What differs, in plain words: [{ kind, text }]. `browser` is the reader's last run (mode →
 * { ms }) or null; `params` the figure's parameters; `taskName` what a task is called.
 * Kinds: "gil" (CPython's threads computed one at a time), "parallel" (its processes, or its
 * threads without a GIL, computed at once), "overlap" (its waits overlapped), "process-start" (how long before work began in a
 * process), "speed" (CPython against this browser, mode by mode), "params" (the two ran
 * different jobs).
 */
export function differences(output, browser, params, taskName = "task") {
  const found = [];
  const byMode = new Map(output.traces.map((trace) => [trace.mode, trace]));
  for (const mode of THREAD_MODES) {
    const threads = byMode.get(mode);
    if (threads && threads.lanes >= 2) found.push(...threadDifferences(threads, output.gil, taskName));
  }
  const processes = byMode.get("processes");
  if (processes) {
    const { cpu, waits } = totals(processes);
    if (!waits && processes.lanes >= 2 && cpu >= processes.ms * 1.3) {
      found.push({ kind: "parallel", text: `CPython's ${processes.lanes} processes computed at the same time: ${ms(cpu)} of computing in ${ms(processes.ms)}, about ${times(cpu / processes.ms)} one core's worth, each with its own GIL.` });
    }
    found.push(processStart(processes, taskName));
  }
  const loop = byMode.get("async");
  if (loop) {
    const { busy, waits } = totals(loop);
    if (waits && busy >= loop.ms * 1.5) {
      found.push({ kind: "overlap", text: `CPython's event loop waited for ${loop.events.length} ${plural(taskName)} at once on one thread: ${ms(busy)} of waiting took ${ms(loop.ms)}.` });
    }
  }
  const speed = speedDifference(output, browser);
  if (speed) found.push(speed);
  const differ = Object.entries(output.params)
    .filter(([name, value]) => name !== "modes" && params[name] !== undefined && typeof value !== "object" && value !== params[name])
    .map(([name, value]) => `${name} = ${value} (here ${params[name]})`);
  if (differ.length > 0) {
    found.push({ kind: "params", text: `CPython ran a different job: ${differ.join(", ")}. Compare the shapes of the timelines rather than the times.` });
  }
  return found;
}

/** What a run on threads shows: turns under the GIL, computing at once, or waits side by side. */
function threadDifferences(threads, gil, taskName) {
  const { busy, cpu, waits } = totals(threads);
  const who = threads.mode === "threads" ? `CPython's ${threads.lanes} threads` : `CPython's ${threads.lanes} threads (${threads.mode})`;
  if (!waits && cpu <= threads.ms * 1.15) {
    const when = busy > threads.ms * 1.1 ? `their ${plural(taskName)} overlapped in time, but` : `their ${plural(taskName)} hardly overlapped, and`;
    return [{ kind: "gil", text: `${who} took turns: ${when} together they computed for ${ms(cpu)} in ${ms(threads.ms)}, so only one ran at a time (the GIL lets one thread run Python code at once).` }];
  }
  if (!waits && cpu >= threads.ms * 1.3) {
    const why = gil === false ? " This CPython ran without its GIL." : "";
    return [{ kind: "parallel", text: `${who} computed at the same time: ${ms(cpu)} of computing in ${ms(threads.ms)}, about ${times(cpu / threads.ms)} one core's worth.${why}` }];
  }
  if (waits && busy >= threads.ms * 1.5) {
    return [{ kind: "overlap", text: `${who} waited side by side: ${ms(busy)} of ${plural(taskName)} took ${ms(threads.ms)}, because a thread that sleeps lets go of the GIL.` }];
  }
  return [];
}

/** How long before the first task began in a worker process, and why. */
function processStart(trace, taskName) {
  const firsts = new Map();
  for (const event of trace.events) firsts.set(event.lane, Math.min(firsts.get(event.lane) ?? Infinity, event.start));
  const first = Math.min(...firsts.values());
  const last = Math.max(...firsts.values());
  if (trace.pool === "cold") {
    return { kind: "process-start", text: `Each process took about ${ms(last / firsts.size)} to start: CPython's ${trace.lanes} processes began their first ${taskName} between ${ms(first)} and ${ms(last)} after the clock started.` };
  }
  return { kind: "process-start", text: `CPython's first ${taskName} in a worker process began ${ms(first)} after the clock started (in the last process to start one, at ${ms(last)}): the processes were already running, so that is the time to hand them their work.` };
}

/** CPython's time against this browser's, for the modes both ran. */
function speedDifference(output, browser) {
  if (!browser) return null;
  const pairs = output.traces
    .filter((trace) => browser[trace.mode]?.ms > 0)
    .map((trace) => ({ mode: trace.mode, ratio: trace.ms / browser[trace.mode].ms }));
  if (pairs.length === 0) return null;
  const slowest = pairs.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const fastest = pairs.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const say = ({ mode, ratio }) => ratio >= 1 ? `${times(ratio)} as long as this browser's for ${mode}` : `${times(1 / ratio)} faster than this browser's for ${mode}`;
  const text = pairs.length === 1 || slowest === fastest
    ? `CPython's run took ${say(slowest)}.`
    : `CPython's runs took from ${say(fastest)} to ${say(slowest)}.`;
  return { kind: "speed", text };
}
