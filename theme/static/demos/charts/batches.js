// Keeping a large run's timeline readable: a run of 100,000 tasks would otherwise draw 100,000
// bars (and a run of 128 workers 128 lanes). Lanes beyond `maxLanes` are grouped ("workers
// 1–8"), and each lane's tasks are gathered, in the order they ended, into at most
// `maxBars / lanes` bars, each from the first start to the last end of its tasks. An aggregated
// bar carries `count` (tasks it stands for), `label` (what the details say) and the range of its
// tasks' values (`low`, `high`); small runs are left as they are.

const count = new Intl.NumberFormat("en");

/**
 * `events` as at most `maxBars` bars on at most `maxLanes` lanes: { events, laneNames } (lane
 * names only when lanes were grouped; `laneNoun(lane)` names one original lane, "worker 3").
 */
export function aggregate(events, { maxLanes = 16, maxBars = 320, taskName = "task", laneNoun = (lane) => `lane ${lane + 1}` } = {}) {
  const lanes = [...new Set(events.map((event) => event.lane))].sort((a, b) => a - b);
  if (events.length <= maxBars && lanes.length <= maxLanes) return { events, laneNames: undefined };

  // Consecutive lanes share a group; a group is named after its first and last lane.
  const perGroup = Math.ceil(lanes.length / maxLanes);
  const groupOf = new Map(lanes.map((lane, rank) => [lane, perGroup === 1 ? lane : Math.floor(rank / perGroup)]));
  const groups = Math.ceil(lanes.length / perGroup);
  const laneNames = perGroup === 1 ? undefined : Array.from({ length: groups }, (_, group) => {
    const members = lanes.slice(group * perGroup, (group + 1) * perGroup);
    return members.length === 1 ? laneNoun(members[0]) : `${laneNoun(members[0])}–${members.at(-1) + 1}`;
  });

  const byGroup = new Map();
  for (const event of events) {
    const key = `${groupOf.get(event.lane)}:${event.kind}`;
    if (!byGroup.has(key)) byGroup.set(key, []);
    byGroup.get(key).push(event);
  }
  const barsPerGroup = Math.max(1, Math.floor(maxBars / byGroup.size));
  const bars = [];
  for (const [key, own] of byGroup) {
    const group = Number(key.split(":")[0]);
    own.sort((a, b) => a.end - b.end);
    const size = Math.ceil(own.length / barsPerGroup);
    for (let i = 0; i < own.length; i += size) bars.push(bar(own.slice(i, i + size), group, taskName));
  }
  return { events: bars, laneNames };
}

function bar(batch, lane, taskName) {
  if (batch.length === 1) return { ...batch[0], lane };
  let [start, end, value, low, high] = [Infinity, -Infinity, 0, Infinity, -Infinity];
  for (const event of batch) {
    start = Math.min(start, event.start);
    end = Math.max(end, event.end);
    value += event.value;
    low = Math.min(low, event.value);
    high = Math.max(high, event.value);
  }
  return {
    task: batch[0].task, lane, start, end, value, kind: batch[0].kind, count: batch.length, low, high,
    label: `${count.format(batch.length)} ${taskName}s`,
  };
}
