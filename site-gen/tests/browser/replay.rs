//! Replaying a run on the timelines, on pages of the `demos` fixture book (small parameters), in
//! every engine: after a run, the playhead (`[data-playhead]`, a focusable slider) steps with ←
//! and → and the buttons exactly from one start or end of a bar to the next, drags and plays
//! forward only, and the readout (`[data-state]`) says what the run recorded at that moment — who
//! holds the GIL (gil), how many tasks are ready on the event loop (io-bound's async mode), the
//! counter against each thread's latest read (race), the messages in flight (processes). The
//! expected values are worked out here from the run's raw records (`demoRun`), independently of
//! the page's ./replay-model.js, which is also checked alone on made-up runs. Screenshots:
//! `target/e2e/<engine>/replay-*.png`, at a desktop's size and a phone's.

use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction, TouchActions, MOUSE_BUTTON_LEFT};
use fantoccini::Locator;
use harness::Session;
use serde_json::{json, Value};

use crate::page::*;
use crate::phones::{phone_problems, MEASURE};
use crate::sites;

const ARROW_RIGHT: char = '\u{E014}';
const ARROW_LEFT: char = '\u{E012}';
const END: char = '\u{E010}';

/// Picks the run `mode` of demo `index` for the replay; returns the run's event times (ms from its
/// start, every start and end of a bar, the start and the end, sorted, once each).
const CHOOSE: &str = r#"
const [index, mode] = arguments;
const d = document.querySelectorAll('[data-demo]')[index];
const select = d.querySelector('[data-replay-mode]');
if (select.value !== mode) {
  select.value = mode;
  select.dispatchEvent(new Event('change'));
}
d.querySelector('[data-playhead]').focus();
const r = d.demoRun.results[mode];
const t0 = r.startedAt, span = r.endedAt - t0;
const times = new Set([0, span]);
for (const e of r.events) for (const at of [e.start, e.end]) times.add(Math.min(span, Math.max(0, at - t0)));
return { times: [...times].sort((a, b) => a - b), chosen: select.value };
"#;

/// The replay of demo `index` as the page shows it, and what the run's raw records say at the
/// exact time `expectedT` (the event time the playhead should be at).
const PROBE: &str = r#"
const [index, mode, at] = arguments;
const d = document.querySelectorAll('[data-demo]')[index];
const p = d.querySelector('[data-playhead]');
const st = d.querySelector('[data-state]');
if (!d.demoRun?.results[mode]) return { missing: `no ${mode} run: ${d.dataset.status}, ${location.href}, ${Object.keys(d.demoRun?.results ?? {})}` };
const r = d.demoRun.results[mode];
const T = r.startedAt + at;
const covers = (e) => e.start <= T && T < e.end;
const chart = [...d.querySelectorAll('.demo-timeline')].find((c) => c.classList.contains(`demo-mode-${mode}`));
const expected = {};
const holds = r.events.filter((e) => e.kind === 'hold');
if (holds.length > 0) {
  // Threads share one GIL: of two holds that overlap by the clocks' hair, the later one holds it.
  const now = holds.filter(covers).sort((a, b) => b.start - a.start);
  const names = (mode === 'threads' ? now.slice(0, 1) : now).map((e) => `${mode === 'threads' ? 'thread' : 'worker'} ${e.lane + 1}`);
  expected.holders = [...new Set(names)].sort().join(', ');
}
const waits = r.events.filter((e) => e.kind === 'wait');
if (mode === 'async') {
  expected.ready = waits.filter((e) => e.start + e.value <= T && T < e.end).length;
  // Until it ran: a timer may fire a hair before its time by the page's clock.
  expected.waiting = waits.filter((e) => e.start <= T && T < Math.min(e.start + e.value, e.end)).length;
}
if (r.messages) expected.inFlight = r.messages.filter((m) => m.posted <= T && T < Math.max(m.posted, m.received)).length;
if (r.reads) {
  // One counter shared by threads; one per worker for processes (their values added up).
  const counters = new Map();
  const last = new Map();
  const see = (key, value, when) => { if (!counters.has(key) || when >= counters.get(key).at) counters.set(key, { value, at: when }); };
  for (const x of r.reads) {
    const key = mode === 'processes' ? x.lane : 0;
    if (x.readAt <= T) see(key, x.seen, x.readAt);
    if (x.writeAt <= T) see(key, x.wrote, x.writeAt);
    if (x.readAt <= T && (!last.has(x.lane) || x.readAt >= last.get(x.lane).readAt)) last.set(x.lane, x);
  }
  expected.counter = String([...counters.values()].reduce((sum, c) => sum + c.value, 0));
  expected.stale = [...last.values()].sort((a, b) => a.lane - b.lane).map((x) => x.seen).join(' ');
  expected.reads = r.reads.length;
  expected.total = r.extra.expected;
}
return {
  t: Number(p.dataset.tMs),
  role: p.getAttribute('role'),
  valuenow: Number(p.getAttribute('aria-valuenow')),
  valuetext: p.getAttribute('aria-valuetext'),
  focused: document.activeElement === p,
  state: { ...st.dataset },
  lanes: [...st.querySelectorAll('[data-lane]')].map((l) => ({ name: l.dataset.lane, task: l.dataset.task, text: l.textContent })),
  caption: d.querySelector('[data-replay-caption]').textContent,
  live: d.querySelector('[data-replay-caption]').getAttribute('aria-live'),
  labels: chart ? [...chart.querySelectorAll('.tl-label')].map((l) => l.textContent) : [],
  messages: r.messages?.length ?? null,
  expected,
};
"#;

/// Keeps every `data-t-ms` the playhead of demo `index` takes from now on, in `window.replayTimes`.
const RECORD: &str = r#"
const p = document.querySelectorAll('[data-demo]')[arguments[0]].querySelector('[data-playhead]');
window.replayTimes = [];
new MutationObserver(() => window.replayTimes.push(Number(p.dataset.tMs))).observe(p, { attributes: true, attributeFilter: ['data-t-ms'] });
"#;

/// The page's own replay-model.js, imported beside the runner, on made-up runs: each case gives
/// what it got and what it should be.
const MODEL: &str = r#"
const runner = [...document.scripts].find((s) => /\/runner\.[^/]*js$|\/runner\.js$/.test(s.src));
return import(new URL('figure/replay-model.js', runner.src).href).then((m) => {
const names = { laneName: (lane) => `thread ${lane + 1}`, taskNameOf: () => 'task', demo: 'x' };
const run = (uses, events, extra = {}) => ({ mode: 'm', uses, result: { startedAt: 100, endedAt: 130, events, ...extra } });
const gil = run('threads', [
  { lane: 0, task: 0, start: 100, end: 120, kind: 'task', value: 1 },
  { lane: 1, task: 1, start: 100, end: 124, kind: 'task', value: 1 },
  { lane: 0, task: 0, start: 100, end: 104, kind: 'hold', value: 0 },
  { lane: 1, task: 1, start: 104, end: 108, kind: 'hold', value: 0 },
]);
const at6 = m.stateAt(gil, 6, names);
const loop = run('main', [
  { lane: 0, task: 1, start: 100, end: 112, kind: 'wait', value: 10 },
  { lane: 0, task: 2, start: 100, end: 115, kind: 'wait', value: 5 },
]);
const procs = run('processes', [{ lane: 0, task: 0, start: 102, end: 110, kind: 'task', value: 1 }], {
  messages: [{ lane: 0, to: 'worker', posted: 100, received: 102 }, { lane: 0, to: 'page', posted: 110, received: 111 },
             { lane: 1, to: 'worker', posted: 100.5, received: 100.2 }],
});
const race = run('threads', [{ lane: 0, task: 0, start: 100, end: 130, kind: 'task', value: 9 }], {
  reads: [{ lane: 0, readAt: 101, seen: 5, writeAt: 103, before: 7, wrote: 6 },
          { lane: 1, readAt: 102, seen: 6, writeAt: 102.5, before: 6, wrote: 7 }],
});
const apart = { ...race, uses: 'processes' };
const frames = run('main', [{ lane: 1000, task: 1, start: 100, end: 116, kind: 'frame', value: 16 },
                            { lane: 1000, task: 2, start: 116, end: 190, kind: 'long-frame', value: 74 }]);
const f80 = m.stateAt(frames, 80, names).frames;
const r4 = m.stateAt(race, 4, names).race;
return [
  { name: 'event times', want: '0,4,8,20,24,30', got: m.eventTimes(gil).join(',') },
  { name: 'step forward from between', want: 8, got: m.stepFrom(m.eventTimes(gil), 5, 1) },
  { name: 'step forward from an event', want: 20, got: m.stepFrom(m.eventTimes(gil), 8, 1) },
  { name: 'step back', want: 4, got: m.stepFrom(m.eventTimes(gil), 8, -1) },
  { name: 'step past the end stays', want: 30, got: m.stepFrom(m.eventTimes(gil), 30, 1) },
  { name: 'step before the start stays', want: 0, got: m.stepFrom(m.eventTimes(gil), 0, -1) },
  { name: 'GIL holder', want: '1', got: at6.gil.holders.join(',') },
  { name: 'GIL waiting', want: '0', got: at6.gil.waiting.join(',') },
  { name: 'GIL caption', want: 'At 6 ms: thread 2 holds the GIL; thread 1 waits for it.', got: m.caption(at6, names.laneName) },
  { name: 'GIL at its hand-off: the new holder', want: '1', got: m.stateAt(gil, 4, names).gil.holders.join(',') },
  { name: 'holds overlapping by a hair: the later holder', want: '0',
    got: m.stateAt(run('threads', [...gil.result.events, { lane: 0, task: 0, start: 107.9, end: 110, kind: 'hold', value: 0 }], {}), 7.95, names).gil.holders.join(',') },
  { name: 'nobody holds it', want: 0, got: m.stateAt(gil, 9, names).gil.holders.length },
  { name: 'one ready, one waits', want: '1/1', got: ((s) => `${s.ready}/${s.waiting}`)(m.stateAt(loop, 7, names).loop) },
  { name: 'both ready', want: '2/0', got: ((s) => `${s.ready}/${s.waiting}`)(m.stateAt(loop, 11, names).loop) },
  { name: 'one ran', want: '1/0/1', got: ((s) => `${s.ready}/${s.waiting}/${s.done}`)(m.stateAt(loop, 13, names).loop) },
  { name: 'loop caption', want: 'At 11 ms: 2 tasks are ready on the event loop, 0 still wait.', got: m.caption(m.stateAt(loop, 11, names), names.laneName) },
  { name: 'in flight at 1 ms: one call (the other arrived "before" it left)', want: 1, got: m.stateAt(procs, 1, names).messages.inFlight },
  { name: 'in flight while the worker works', want: 0, got: m.stateAt(procs, 5, names).messages.inFlight },
  { name: 'the result in flight', want: '1/0/1', got: ((s) => `${s.inFlight}/${s.toWorkers}/${s.toPage}`)(m.stateAt(procs, 10.5, names).messages) },
  { name: 'threads have no messages', want: null, got: m.stateAt(gil, 1, names).messages ?? null },
  { name: 'counter: the latest seen', want: 6, got: r4.counter },
  { name: 'stale reads', want: '5 6', got: r4.threads.map((t) => t.seen).join(' ') },
  { name: 'lost by the stale write', want: '2 0', got: r4.threads.map((t) => t.lost).join(' ') },
  { name: 'counter before the write', want: 5, got: m.stateAt(race, 1.5, names).race.counter },
  { name: 'race caption', want: 'At 4 ms: the counter holds 6; thread 1 read 5, then wrote 6 over 7: 2 updates lost; thread 2 read 6 and wrote 7.',
    got: m.caption(m.stateAt(race, 4, names), names.laneName) },
  { name: 'processes: a counter each, added up', want: 13, got: m.stateAt(apart, 4, names).race.counter },
  { name: 'processes caption', want: "At 4 ms: each worker adds to a counter of its own, so none is lost: thread 1's holds 6, thread 2's holds 7 (13 in all).",
    got: m.caption(m.stateAt(apart, 4, names), names.laneName) },
  { name: 'longest gap so far', want: 64, got: f80.longestMs },
  { name: 'late now', want: true, got: f80.late },
  { name: 'on time', want: false, got: m.stateAt(frames, 10, names).frames.late },
  { name: 'names', want: 'threads 1, 3 and 4', got: m.nameList(['thread 1', 'thread 3', 'thread 4']) },
];
});
"#;

pub async fn replay_a_run(s: &Session) {
    check_model(s).await;
    let site = sites::demos();
    let engine = s.engine.name();

    // gil: threads share one GIL where the browser shares memory; each process has its own.
    let threads = shares_memory(s.engine);
    let gil_mode = if threads { "threads" } else { "processes" };
    run_page(s, &site.url("gil.html?autorun")).await;
    let steps = step_through(s, 0, gil_mode, 40).await;
    for step in &steps {
        let holder = step["state"]["gilHolder"].as_str().unwrap_or_else(|| panic!("{engine}: no data-gil-holder: {step:#}"));
        let holders: Vec<&str> = holder.split(", ").filter(|h| !h.is_empty()).collect();
        let labels = step["labels"].as_array().unwrap();
        assert!(holders.iter().all(|h| labels.iter().any(|l| l == h)), "{engine}: a holder that is no lane: {step:#}");
        assert_eq!(holder, step["expected"]["holders"].as_str().unwrap(), "{engine}: {step:#}");
        if threads {
            assert!(holders.len() <= 1, "{engine}: two threads hold one GIL: {step:#}");
        }
    }
    assert!(steps.iter().any(|s| s["state"]["gilHolder"] != ""), "{engine}: nobody ever holds the GIL: {steps:#?}");
    println!("{engine}: gil {gil_mode}: {}", steps[steps.len() / 2]["caption"]);
    drag(s, 0, false).await;
    play(s, 0).await;
    screenshot_replay(s, "replay-gil").await;

    // io-bound: the async mode's ready queue; the processes mode's messages.
    run_page(s, &site.url("io-bound.html?autorun")).await;
    let steps = step_through(s, 0, "async", 30).await;
    for step in &steps {
        let state = &step["state"];
        let ready: u64 = state["ready"].as_str().unwrap().parse().unwrap();
        let waiting: u64 = state["waiting"].as_str().unwrap().parse().unwrap();
        assert_eq!(ready, step["expected"]["ready"].as_u64().unwrap(), "{engine}: ready: {step:#}");
        assert_eq!(waiting, step["expected"]["waiting"].as_u64().unwrap(), "{engine}: waiting: {step:#}");
        assert!(ready + waiting <= 12, "{engine}: more than the 12 requests: {step:#}");
    }
    println!("{engine}: io-bound async: {}", steps.iter().map(|s| s["state"]["ready"].as_str().unwrap()).collect::<Vec<_>>().join(" "));
    screenshot_replay(s, "replay-io-bound-async").await;
    let steps = step_through(s, 0, "processes", 30).await;
    assert_eq!(steps[0]["messages"], 6, "{engine}: a call and a result per worker (3): {:#}", steps[0]);
    for step in &steps {
        let in_flight: u64 = step["state"]["inFlight"].as_str().unwrap().parse().unwrap();
        assert_eq!(in_flight, step["expected"]["inFlight"].as_u64().unwrap(), "{engine}: {step:#}");
    }
    drag(s, 0, false).await;

    // race: the counter against each thread's latest sampled read.
    run_page(s, &site.url("race.html?autorun")).await;
    let race_mode = if threads { "unsafe" } else { "processes" };
    let steps = step_through(s, 0, race_mode, 12).await;
    for step in &steps {
        let (state, expected) = (&step["state"], &step["expected"]);
        assert_eq!(state["counter"], expected["counter"], "{engine}: {step:#}");
        assert_eq!(state["stale"], expected["stale"], "{engine}: {step:#}");
        let total = expected["total"].as_u64().unwrap();
        assert!(expected["reads"].as_u64().unwrap() >= 2 * 8 * 16, "{engine}: too few sampled reads: {step:#}");
        for seen in state["stale"].as_str().unwrap().split_whitespace() {
            assert!(seen.parse::<u64>().unwrap() < total, "{engine}: a read beyond the total: {step:#}");
        }
        assert!(state["counter"].as_str().unwrap().parse::<u64>().unwrap() <= total, "{engine}: {step:#}");
    }
    println!("{engine}: race {race_mode}: {}", steps.last().unwrap()["caption"]);
    screenshot_replay(s, "replay-race").await;

    // responsiveness: the longest frame gap so far only grows; a frame is late or not.
    run_page(s, &site.url("responsiveness.html?autorun")).await;
    let steps = step_through(s, 0, "blocking", 16).await;
    let gaps: Vec<f64> = steps.iter().map(|s| s["state"]["frameGapMs"].as_str().unwrap().parse().unwrap()).collect();
    assert!(gaps.windows(2).all(|w| w[1] >= w[0]), "{engine}: the longest gap so far shrank: {gaps:?}");
    for step in &steps {
        assert!(step["state"]["late"] == "true" || step["state"]["late"] == "false", "{engine}: {step:#}");
        let since: f64 = step["state"]["sinceFrameMs"].as_str().unwrap().parse().unwrap();
        // (Shown to a tenth of a millisecond: right at 50 ms, either reading is true.)
        if (since - 50.0).abs() > 0.1 {
            assert_eq!(step["state"]["late"] == "true", since > 50.0, "{engine}: late means no frame for over 50 ms: {step:#}");
        }
    }
    println!("{engine}: responsiveness blocking: longest gap so far {gaps:?}");

    // At a phone's size: the buttons step, nothing sideways, every control big enough to touch.
    s.open_as_phone(&site.url("gil.html?autorun")).await;
    wait_for_demos(s, "gil (phone)").await;
    s.execute_with(CHOOSE, vec![json!(0), json!(gil_mode)]).await;
    let before = probe(s, 0, gil_mode, 0.0).await["t"].as_f64().unwrap();
    for _ in 0..5 {
        s.execute("document.querySelector('[data-replay-forward]').click()").await;
    }
    let after = probe(s, 0, gil_mode, 0.0).await;
    assert!(after["t"].as_f64().unwrap() > before, "{engine}: the phone's forward button did not move the playhead: {after:#}");
    drag(s, 0, true).await;
    let measured = s.execute(MEASURE).await;
    assert_eq!(measured["width"], 390, "{engine}: not a phone's width: {measured:#}");
    let problems = phone_problems("gil (replay)", &measured);
    screenshot_of_part(s, "[data-replay]", "replay-gil-phone").await;
    screenshot_of_part(s, ".demo-timeline-section", "replay-gil-phone-timeline").await;
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
    assert!(problems.is_empty(), "{engine}: the replay at a phone's size:\n{}", problems.join("\n"));
}

/// The model alone, on made-up runs.
async fn check_model(s: &Session) {
    let engine = s.engine.name();
    open_demo(s, &sites::demos().url("gil.html")).await;
    let cases = s.execute(MODEL).await;
    let cases = cases.as_array().unwrap_or_else(|| panic!("{engine}: the model's cases: {cases:#}"));
    let wrong: Vec<&Value> = cases.iter().filter(|c| !same(&c["got"], &c["want"])).collect();
    assert!(wrong.is_empty(), "{engine}: the replay model got these wrong: {wrong:#?}");
}

fn same(got: &Value, want: &Value) -> bool {
    match (got.as_f64(), want.as_f64()) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        _ => got == want,
    }
}

async fn probe(s: &Session, index: usize, mode: &str, at: f64) -> Value {
    let probed = s.execute_with(PROBE, vec![json!(index), json!(mode), json!(at)]).await;
    assert!(probed["missing"].is_null(), "{}: {probed:#}", s.engine.name());
    probed
}

async fn press(s: &Session, key: char) {
    let keys = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    s.client.perform_actions(keys).await.unwrap();
}

/// Replays `mode` of demo `index`: steps forward with → (then with the button) through up to
/// `most` event times, each landing exactly on the next one; back with ←; End lands on the run's
/// end. Returns the probe at every forward step.
async fn step_through(s: &Session, index: usize, mode: &str, most: usize) -> Vec<Value> {
    let engine = s.engine.name();
    let chosen = s.execute_with(CHOOSE, vec![json!(index), json!(mode)]).await;
    assert_eq!(chosen["chosen"], mode, "{engine}: {chosen:#}");
    let times: Vec<f64> = chosen["times"].as_array().unwrap().iter().map(|t| t.as_f64().unwrap()).collect();
    assert!(times.len() >= 3, "{engine}: {mode}: too few events: {times:?}");
    let first = probe(s, index, mode, 0.0).await;
    assert_eq!(first["t"], 0.0, "{engine}: {mode}: the replay starts at 0: {first:#}");
    assert_eq!(first["role"], "slider", "{engine}: {first:#}");
    assert!(first["focused"] == true, "{engine}: the playhead takes the focus: {first:#}");
    let steps_wanted = most.min(times.len() - 1);
    let mut steps = Vec::new();
    for (k, &want) in times.iter().enumerate().skip(1).take(steps_wanted) {
        if k <= steps_wanted / 2 {
            press(s, ARROW_RIGHT).await;
        } else {
            s.execute_with("document.querySelectorAll('[data-demo]')[arguments[0]].querySelector('[data-replay-forward]').click()", vec![json!(index)]).await;
        }
        let step = probe(s, index, mode, want).await;
        let t = step["t"].as_f64().unwrap();
        assert!((t - want).abs() < 0.0006, "{engine}: {mode}: step {k} landed at {t}, not on the event at {want}: {step:#}");
        assert!((step["valuenow"].as_f64().unwrap() - t).abs() < 0.0006, "{engine}: aria-valuenow: {step:#}");
        assert!(step["valuetext"].as_str().unwrap().contains(" ms") || step["valuetext"].as_str().unwrap().contains(" s"), "{engine}: {step:#}");
        assert!(step["caption"].as_str().unwrap().starts_with("At "), "{engine}: {step:#}");
        assert_eq!(step["live"], "polite", "{engine}: {step:#}");
        assert_eq!(step["state"]["run"], mode, "{engine}: {step:#}");
        steps.push(step);
    }
    // Back one event, with the keyboard again (the button took the focus).
    s.execute_with("document.querySelectorAll('[data-demo]')[arguments[0]].querySelector('[data-playhead]').focus()", vec![json!(index)]).await;
    press(s, ARROW_LEFT).await;
    let back = probe(s, index, mode, times[steps_wanted - 1]).await;
    assert!((back["t"].as_f64().unwrap() - times[steps_wanted - 1]).abs() < 0.0006, "{engine}: {mode}: ← did not step back: {back:#}");
    press(s, END).await;
    let end = probe(s, index, mode, *times.last().unwrap()).await;
    assert!((end["t"].as_f64().unwrap() - times.last().unwrap()).abs() < 0.0006, "{engine}: {mode}: End: {end:#}");
    steps
}

/// Drags the playhead of demo `index` from near the track's start to near its end, with the mouse
/// or (`touch`) a finger: it only ever moves forward, and ends later than it began.
async fn drag(s: &Session, index: usize, touch: bool) {
    let engine = s.engine.name();
    s.execute_with(RECORD, vec![json!(index)]).await;
    let tracks = s.client.find_all(Locator::Css(".demo-replay-track")).await.unwrap();
    let track = tracks[index].clone();
    s.execute_with("arguments[0].scrollIntoView({ block: 'center' })", vec![json!(track)]).await;
    let width = s.execute_with("return arguments[0].getBoundingClientRect().width", vec![json!(track)]).await.as_f64().unwrap();
    let at = |share: f64| PointerAction::MoveToElement { element: track.clone(), duration: None, x: (share - 0.5) * width, y: 0.0 };
    let mut moves = vec![at(0.05), PointerAction::Down { button: MOUSE_BUTTON_LEFT }];
    moves.extend((1..=8).map(|k| at(0.05 + 0.1 * f64::from(k))));
    moves.push(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    let performed = if touch {
        let finger = moves.into_iter().fold(TouchActions::new("finger".into()), |actions, action| actions.then(action));
        s.client.perform_actions(finger).await
    } else {
        let mouse = moves.into_iter().fold(MouseActions::new("mouse".into()), |actions, action| actions.then(action));
        s.client.perform_actions(mouse).await
    };
    performed.unwrap_or_else(|e| panic!("{engine}: dragging with {}: {e}", if touch { "a finger" } else { "the mouse" }));
    let times: Vec<f64> = s.execute("return window.replayTimes").await.as_array().unwrap().iter().map(|t| t.as_f64().unwrap()).collect();
    assert!(times.len() >= 3, "{engine}: the drag moved the playhead too few times: {times:?}");
    assert!(times.windows(2).all(|w| w[1] >= w[0]), "{engine}: the drag moved the playhead back: {times:?}");
    assert!(times.last().unwrap() > times.first().unwrap(), "{engine}: the drag did not move the playhead on: {times:?}");
    let focused = s.execute_with("return document.activeElement === document.querySelectorAll('[data-demo]')[arguments[0]].querySelector('[data-playhead]')", vec![json!(index)]).await;
    assert_eq!(focused, true, "{engine}: dragging focuses the playhead");
    println!("{engine}: dragged with {}: {} positions, {:.1} → {:.1} ms", if touch { "a finger" } else { "the mouse" }, times.len(), times[0], times.last().unwrap());
}

/// Plays demo `index` back at 0.1× from the start: the playhead only moves forward, the caption
/// is quiet meanwhile, and Pause stops it; then at 1× it plays on to the run's end and stops there.
async fn play(s: &Session, index: usize) {
    let engine = s.engine.name();
    let figure = "document.querySelectorAll('[data-demo]')[arguments[0]]";
    let set_speed = |speed: &str| format!("{figure}.querySelector('[data-replay-speed]').value = '{speed}'");
    let click_play = format!("{figure}.querySelector('[data-replay-play]').click()");
    let read = format!("const d = {figure}; const p = d.querySelector('[data-playhead]'); \
        return {{ label: d.querySelector('[data-replay-play]').textContent, live: d.querySelector('[data-replay-caption]').getAttribute('aria-live'), \
        t: Number(p.dataset.tMs), max: Number(p.getAttribute('aria-valuemax')), count: window.replayTimes.length }}");
    s.execute_with(&format!("{}; {figure}.querySelector('[data-playhead]').focus()", set_speed("0.1")), vec![json!(index)]).await;
    press(s, '\u{E011}').await; // Home
    s.execute_with(RECORD, vec![json!(index)]).await;
    // Play, Pause as soon as the playhead has moved on from the start, and a look 200 ms later: in one script,
    // so that a slow browser cannot reach the run's end between the look and the press. A browser
    // so slow that one frame takes it to the end (the run is some 13 ms, 130 ms at 0.1×) plays
    // again from the start, up to five times.
    let pause = format!("const done = arguments[arguments.length - 1]; const read = () => {{ {} }}; \
        const label = () => {figure}.querySelector('[data-replay-play]').textContent; \
        (async () => {{ let playing; \
          for (let attempt = 1; attempt <= 5; attempt++) {{ window.replayTimes.length = 0; {click_play}; \
            while (!(window.replayTimes.at(-1) > 0) && label() === 'Pause') await new Promise((resolve) => requestAnimationFrame(resolve)); \
            playing = read(); if (playing.label !== 'Pause') continue; \
            {click_play}; await new Promise((resolve) => setTimeout(resolve, 0)); const paused = read(); \
            await new Promise((resolve) => setTimeout(resolve, 200)); \
            return done({{ attempt, playing, paused, later: read() }}); }} \
          done({{ attempt: 5, playing }}); }})();", read.replace("arguments[0]", &index.to_string()));
    let seen = s.client.execute_async(&pause.replace("arguments[0]", &index.to_string()), vec![]).await.unwrap_or_else(|e| panic!("{engine}: playing: {e}"));
    let (playing, paused, later) = (&seen["playing"], &seen["paused"], &seen["later"]);
    assert_eq!(playing["label"], "Pause", "{engine}: the replay ended before it was paused, five times: {seen:#}");
    assert_eq!(playing["live"], "off", "{engine}: the caption would speak every frame while playing: {playing:#}");
    assert_eq!(paused["count"], later["count"], "{engine}: Pause did not stop the playhead: {paused:#} {later:#}");
    assert_eq!(later["label"], "Play", "{engine}: {later:#}");
    assert_eq!(later["live"], "polite", "{engine}: {later:#}");
    if seen["attempt"] != 1 {
        println!("{engine}: the replay reached its end before it was paused; paused on try {}", seen["attempt"]);
    }
    let times: Vec<f64> = s.execute("return window.replayTimes").await.as_array().unwrap().iter().map(|t| t.as_f64().unwrap()).collect();
    assert!(times.len() >= 2, "{engine}: playing moved the playhead too few times: {times:?}");
    assert!(times.windows(2).all(|w| w[1] >= w[0]), "{engine}: playing moved the playhead back: {times:?}");
    assert!(*times.last().unwrap() > 0.0, "{engine}: {times:?}");
    // On at 1×, to the end, where it stops.
    s.execute_with(&format!("{}; {click_play}", set_speed("1")), vec![json!(index)]).await;
    let script = format!("return {figure}.querySelector('[data-replay-play]').textContent === 'Play'");
    s.wait_until(&script.replace("arguments[0]", &index.to_string()), "the replay playing to its end", TIMEOUT).await;
    let ended = s.execute_with(&read, vec![json!(index)]).await;
    assert!((ended["t"].as_f64().unwrap() - ended["max"].as_f64().unwrap()).abs() < 0.0006, "{engine}: played to {ended:#}");
    println!("{engine}: played {} steps at 0.1× to {:.1} ms, then on to the end at {:.1} ms", times.len(), times.last().unwrap(), ended["t"]);
}


/// The page's first figure as `target/e2e/<engine>/<name>.png`, its timelines with the playhead's
/// line as `<name>-timeline.png` and its replay controls and readout as `<name>-replay.png`.
async fn screenshot_replay(s: &Session, name: &str) {
    screenshot_demo(s, 0, name).await;
    screenshot_of_part(s, ".demo-replay-stage", &format!("{name}-timeline")).await;
    screenshot_of_part(s, "[data-replay]", &format!("{name}-replay")).await;
}
