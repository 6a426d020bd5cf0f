// What a mode's run reports: the module's compact report decoded into events, a job dealt out
// to several lanes, and several lanes' reports merged into one. The demos' definitions build
// their modes' runs from these.

/**
 * A module report ({ total, events, eventFields, kinds, reads?, readFields?, messages?, …extra })
 * as { total, extra, events: [{ task, lane, start, end, value, kind }] }, plus, where the report
 * has them, `reads` (the race's sampled additions, [{ lane, readAt, seen, writeAt, before, wrote }])
 * and `messages` (the call's messages between page and worker, [{ lane, posted, received, to }],
 * see ../workers/client.js); `lane`, when given, replaces each event's, read's and message's lane
 * (a process's worker number).
 */
export function decodeReport(report, lane) {
  const { total, events, eventFields, kinds, reads, readFields, messages, ...extra } = report;
  delete extra.type;
  delete extra.id;
  const decoded = unpack(events, eventFields, lane);
  for (const event of decoded) event.kind = kinds[event.kind] ?? "task";
  const out = { total, extra, events: decoded };
  if (reads) out.reads = unpack(reads, readFields, lane);
  if (messages) out.messages = messages.map((message) => ({ ...message, lane: lane ?? message.lane }));
  return out;
}

/** A flat array of `fields.length` numbers per record as objects; `lane` replaces their lane. */
function unpack(flat, fields, lane) {
  const records = [];
  for (let i = 0; i + fields.length <= flat.length; i += fields.length) {
    const record = {};
    fields.forEach((field, j) => { record[field] = flat[i + j]; });
    if (lane !== undefined) record.lane = lane;
    records.push(record);
  }
  return records;
}

/** Calls `fn(args)` on one lane and decodes the report. */
export async function callOn(lane, fn, args, laneNumber) {
  return decodeReport(await lane.call(fn, args), laneNumber);
}

/**
 * The processes way: task numbers `0..count` dealt out to `lanes` in turn (lane k gets tasks
 * k, k + K, k + 2K, … so each gets a fair share of cheap and costly ones), `args(indices)` sent
 * to each, and the reports merged: totals added, lanes numbered by worker.
 */
export async function dealOut(lanes, count, fn, args) {
  const used = lanes.slice(0, Math.max(1, Math.min(lanes.length, count)));
  const reports = await Promise.all(used.map((lane, k) => {
    const indices = [];
    for (let index = k; index < count; index += used.length) indices.push(index);
    return callOn(lane, fn, args(indices), k);
  }));
  return mergeReports(reports, used.length);
}

/** Several lanes' reports as one: totals and numeric extras added; events, reads and messages together. */
export function mergeReports(reports, workers = reports.length) {
  const extra = {};
  for (const report of reports) {
    for (const [key, value] of Object.entries(report.extra)) {
      if (typeof value === "number") extra[key] = (extra[key] ?? 0) + value;
    }
  }
  const merged = {
    total: reports.reduce((sum, report) => sum + report.total, 0),
    extra,
    workers,
    events: reports.flatMap((report) => report.events),
  };
  for (const key of ["reads", "messages"]) {
    if (reports.some((report) => report[key])) merged[key] = reports.flatMap((report) => report[key] ?? []);
  }
  return merged;
}
