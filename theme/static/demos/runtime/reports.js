// What a mode's run reports: the module's compact report decoded into events, a job dealt out
// to several lanes, and several lanes' reports merged into one. The demos' definitions build
// their modes' runs from these.

/**
 * A module report ({ total, events, eventFields, kinds, …extra }) as
 * { total, extra, events: [{ task, lane, start, end, value, kind }] }; `lane`, when given,
 * replaces each event's lane (a process's worker number).
 */
export function decodeReport(report, lane) {
  const { total, events, eventFields, kinds, ...extra } = report;
  delete extra.type;
  delete extra.id;
  const decoded = [];
  for (let i = 0; i + eventFields.length <= events.length; i += eventFields.length) {
    const event = {};
    eventFields.forEach((field, j) => { event[field] = events[i + j]; });
    event.kind = kinds[event.kind] ?? "task";
    if (lane !== undefined) event.lane = lane;
    decoded.push(event);
  }
  return { total, extra, events: decoded };
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

/** Several lanes' reports as one: totals and numeric extras added, events together. */
export function mergeReports(reports, workers = reports.length) {
  const extra = {};
  for (const report of reports) {
    for (const [key, value] of Object.entries(report.extra)) {
      if (typeof value === "number") extra[key] = (extra[key] ?? 0) + value;
    }
  }
  return {
    total: reports.reduce((sum, report) => sum + report.total, 0),
    extra,
    workers,
    events: reports.flatMap((report) => report.events),
  };
}
