// A run packed into a link's fragment and read back, with no server: the parameters, each mode's
// row (mode, ms, workers, result, status), a summary of its timeline (per lane, when each task
// started and ended, in tenths of a millisecond, at most a few dozen bars a mode) and the machine
// line. No DOM here: ./share-section.js shows what this gives, and the browser tests import it.
//
// The fragment is `#run=<version>.<figure>.<packing>.<data>`: <figure> is the demo's id in the
// page's address ("primes", or "primes-2" for the page's second primes figure), <packing> "z"
// for JSON compressed with deflate-raw (CompressionStream) or "j" for plain JSON where the
// browser cannot compress, <data> base64url. What a fragment holds is only ever data: it is
// parsed as JSON, every field checked for its type and size, and anything else refused.

/** The version of the format this page writes and reads. */
export const SHARE_VERSION = 1;
/** The key of the fragment: `#run=…`. */
export const SHARE_KEY = "run";
/** At most this many bars a mode, and lanes a mode, in a link. */
export const MAX_BARS = 48;
export const MAX_LANES = 32;
/** Bounds on what a link may hold before it is even decoded. */
const MAX_FRAGMENT = 16384;
const MAX_JSON = 65536;
const STATUSES = new Set(["done", "idle", "waiting", "running", "stopped", "error", "refused", "unavailable"]);
const KINDS = ["task", "wait", "fetch", "store", "frame", "long-frame"];
const NAME = /^[a-z][a-z0-9_-]{0,39}$/;

/** Tenths of a millisecond. */
const tenths = (ms) => Math.max(0, Math.round(ms * 10));

/**
 * A mode's timeline in brief: the events of one kind (its tasks, else its first kind of wait or
 * frame gap), per lane, as deltas in tenths of a millisecond from the run's start:
 * [kind, [[lane, start, end, start, end, …], …]]. A lane with more bars than its share of
 * MAX_BARS has consecutive bars merged into one.
 */
export function summariseTimeline(result) {
  const events = (result?.events ?? []).filter((event) => KINDS.includes(event.kind));
  if (events.length === 0) return null;
  const kind = events.some((event) => event.kind === "task") ? "task" : events[0].kind;
  const byLane = new Map();
  for (const event of events) {
    if (event.kind !== kind) continue;
    if (!byLane.has(event.lane)) byLane.set(event.lane, []);
    byLane.get(event.lane).push(event);
  }
  const lanes = [...byLane.keys()].sort((a, b) => a - b).slice(0, MAX_LANES);
  const perLane = Math.max(1, Math.floor(MAX_BARS / lanes.length));
  const t0 = result.startedAt;
  return [KINDS.indexOf(kind), lanes.map((lane) => {
    const own = byLane.get(lane).sort((a, b) => a.start - b.start);
    const group = Math.ceil(own.length / perLane);
    const out = [lane];
    let last = 0;
    for (let i = 0; i < own.length; i += group) {
      const start = tenths(own[i].start - t0);
      const end = Math.max(start, tenths(Math.max(...own.slice(i, i + group).map((event) => event.end)) - t0));
      out.push(start - last, end - start);
      last = end;
    }
    return out;
  })];
}

/** A number, string or boolean. */
const plain = (value) => ["number", "string", "boolean"].includes(typeof value);

/**
 * What a link holds, from a finished run: `demo` (its name), `figure` (its id in the address),
 * `params`, `rows` ([{ mode, status, ms?, workers?, result? }]), `results` (Map mode → result,
 * for the timelines) and `machine` (the machine line without "Your machine: ").
 */
export function sharePayload({ demo, figure, params, rows, results, machine }) {
  return {
    v: SHARE_VERSION,
    d: demo,
    f: figure,
    // Plain values and lists of them (the modes): a block's own settings, such as a workload's
    // `stages`, stay on the page the link opens.
    p: Object.fromEntries(Object.entries(params).filter(([, value]) => plain(value) || (Array.isArray(value) && value.every(plain)))),
    m: machine,
    r: rows.map((row) => [row.mode, row.status, row.ms ?? null, row.workers ?? null, row.result ?? null]),
    t: [...results].map(([mode, result]) => [mode, summariseTimeline(result)]).filter(([, timeline]) => timeline !== null),
  };
}

function toBase64url(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Whether this browser compresses with deflate-raw. */
export function canCompress() {
  try {
    new CompressionStream("deflate-raw");
    new DecompressionStream("deflate-raw");
    return true;
  } catch {
    return false;
  }
}

/** `bytes` through a (de)compression stream, refusing more than `limit` bytes out. */
async function through(stream, bytes, limit = Infinity) {
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw new Error("too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The fragment's value (after `run=`) for `payload`: compressed where the browser can. */
export async function encodeShare(payload, { compress = canCompress() } = {}) {
  const json = new TextEncoder().encode(JSON.stringify(payload));
  const data = compress ? await through(new CompressionStream("deflate-raw"), json) : json;
  return `${SHARE_VERSION}.${payload.f}.${compress ? "z" : "j"}.${toBase64url(data)}`;
}

/** The `run=` value of a fragment (`#a&run=…` or `#run=…`), or null. */
export function shareValue(hash) {
  for (const part of String(hash ?? "").replace(/^#/, "").split("&")) {
    if (part.startsWith(`${SHARE_KEY}=`)) return part.slice(SHARE_KEY.length + 1);
  }
  return null;
}

/** The figure a `run=` value is for ("primes-2"), or null where it says none. */
export function shareFigure(value) {
  const figure = String(value).split(".")[1];
  return figure && /^[a-z][a-z0-9_-]{0,47}$/.test(figure) ? figure : null;
}

class Invalid extends Error {}

const check = (ok, why) => {
  if (!ok) throw new Invalid(why);
};
const finite = (value, max) => typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= max;
const shortText = (value, max) => typeof value === "string" && value.length <= max;

/**
 * Reads a `run=` value for the figure `figure` of the demo `demo`, whose modes are `modes`:
 * { share } — { demo, figure, params, machine, rows: [{ mode, status, ms, workers, result }],
 * timelines: [{ mode, kind, events: [{ lane, start, end, kind, task }] }] } — or { error }, a
 * sentence saying why it cannot be shown.
 */
export async function decodeShare(value, { demo, figure, modes }) {
  try {
    check(typeof value === "string" && value.length <= MAX_FRAGMENT, "it is too long");
    const [version, target, packing, data, ...rest] = value.split(".");
    check(/^\d{1,4}$/.test(version ?? ""), "it is not a link to a shared run");
    check(Number(version) <= SHARE_VERSION, "it was made by a newer version of this page");
    check(Number(version) === SHARE_VERSION, "it was made by an older version of this page that is no longer read");
    check(rest.length === 0 && (packing === "z" || packing === "j") && data !== undefined, "it is damaged");
    check(target === figure, `it is for another figure (${String(target).slice(0, 48)})`);
    let bytes;
    try {
      bytes = fromBase64url(data);
      if (packing === "z") {
        check(canCompress(), "this browser cannot decompress it");
        bytes = await through(new DecompressionStream("deflate-raw"), bytes, MAX_JSON);
      }
      check(bytes.length <= MAX_JSON, "it is too long");
    } catch (error) {
      if (error instanceof Invalid) throw error;
      throw new Invalid("it is damaged");
    }
    let payload;
    try {
      payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      throw new Invalid("it is damaged");
    }
    return { share: validate(payload, { demo, figure, modes }) };
  } catch (error) {
    return { error: `This link's shared run cannot be shown: ${error instanceof Invalid ? error.message : "it is damaged"}.` };
  }
}

/** The payload checked field by field, as the share decodeShare gives. */
function validate(payload, { demo, figure, modes }) {
  check(payload && typeof payload === "object" && !Array.isArray(payload), "it is damaged");
  check(payload.v === SHARE_VERSION, "it was made by another version of this page");
  check(payload.d === demo, `it is for another demo (${shortText(payload.d, 40) ? payload.d : "unknown"})`);
  check(payload.f === figure, "it is for another figure");
  check(shortText(payload.m, 400), "its machine line is damaged");
  const params = payload.p;
  check(params && typeof params === "object" && !Array.isArray(params) && Object.keys(params).length <= 24, "its parameters are damaged");
  for (const [name, value] of Object.entries(params)) {
    check(NAME.test(name), "its parameters are damaged");
    const fine = (typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean" || shortText(value, 80)
      || (Array.isArray(value) && value.length <= 16 && value.every((item) => shortText(item, 40)));
    check(fine, "its parameters are damaged");
  }
  check(Array.isArray(payload.r) && payload.r.length >= 1 && payload.r.length <= 16, "its results are damaged");
  const seen = new Set();
  const rows = payload.r.map((row) => {
    check(Array.isArray(row) && row.length === 5, "its results are damaged");
    const [mode, status, ms, workers, result] = row;
    check(modes.includes(mode) && !seen.has(mode), "its results name a mode this demo does not have");
    seen.add(mode);
    check(STATUSES.has(status), "its results are damaged");
    check(ms === null || finite(ms, 1e7), "its results are damaged");
    check(workers === null || (Number.isInteger(workers) && finite(workers, 4096)), "its results are damaged");
    check(result === null || finite(result, Number.MAX_SAFE_INTEGER) || shortText(result, 80), "its results are damaged");
    return { mode, status, ms, workers, result };
  });
  check(Array.isArray(payload.t) && payload.t.length <= 16, "its timelines are damaged");
  const timelines = payload.t.map((entry) => {
    check(Array.isArray(entry) && entry.length === 2 && rows.some((row) => row.mode === entry[0] && row.ms !== null), "its timelines are damaged");
    const [mode, [kindIndex, lanes] = []] = entry;
    check(Number.isInteger(kindIndex) && kindIndex >= 0 && kindIndex < KINDS.length, "its timelines are damaged");
    check(Array.isArray(lanes) && lanes.length >= 1 && lanes.length <= MAX_LANES, "its timelines are damaged");
    const kind = KINDS[kindIndex];
    const events = [];
    for (const lane of lanes) {
      check(Array.isArray(lane) && lane.length % 2 === 1 && lane.length <= 2 * MAX_BARS + 1, "its timelines are damaged");
      check(lane.every((n) => Number.isInteger(n) && finite(n, 1e8)) && lane[0] < 4096, "its timelines are damaged");
      let at = 0;
      for (let i = 1; i < lane.length; i += 2) {
        const start = at + lane[i];
        const end = start + lane[i + 1];
        events.push({ lane: lane[0], start: start / 10, end: end / 10, kind, task: events.length + 1 });
        at = end;
      }
    }
    check(events.length <= MAX_BARS * 2, "its timelines are damaged");
    return { mode, kind, events };
  });
  return { demo, figure, params: { ...params }, machine: payload.m, rows, timelines };
}
