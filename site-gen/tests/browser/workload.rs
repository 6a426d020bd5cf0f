//! The `workloads` fixture book's four workload blocks, in every engine, each run with
//! `?autorun`: every chosen mode finishes (or, where the engine shares no memory, says why it
//! cannot), every mode reports the total the kernels count for the workload, every timeline shows
//! the kinds of its stages, a bounded queue never holds more than its bound, and each shape's
//! direction holds (waits overlap; a blocking call handed to a pool frees the event loop; a lock
//! held for all the work leaves threads no faster). Then a run shared as a link, Stop, a page
//! that is not cross-origin isolated, and phone widths; screenshots
//! `target/e2e/<engine>/workload-*.png`; each mode's wall time, and one unit's, printed.

use demos_wasm::kernels::requests::Distribution;
use demos_wasm::kernels::workload::expected_total;
use demos_wasm::workload::{Stage, StageWork, Workload};
use harness::Session;
use serde_json::Value;

use crate::page::*;
use crate::phones::{phone_problems, MEASURE};
use crate::sites;

/// The fixture's pages, each with its shape's direction.
const PAGES: &[(&str, Direction)] = &[
    ("backpressure", Direction::OverlapBeatsOneAtATime),
    ("fan-out", Direction::OverlapBeatsOneAtATime),
    ("blocking-in-async", Direction::PoolBeatsAsync),
    ("lock-held-too-long", Direction::LockLeavesThreadsNoFaster),
];

#[derive(Clone, Copy, Debug)]
enum Direction {
    /// Threads or async (both overlap waits) faster than sequential.
    OverlapBeatsOneAtATime,
    /// async-pool faster than async: the blocking calls leave the event loop.
    PoolBeatsAsync,
    /// Threads not much faster than sequential (under twice as fast, where four unserialised
    /// consumers would be about four times): one lock serialises the work.
    LockLeavesThreadsNoFaster,
}

/// What the test reads besides the shared contract: the block's settings, the table's own
/// columns, and the timelines' legend.
const READ_WORKLOAD: &str = r#"
const d = document.querySelector('[data-demo="workload"]');
return {
  params: JSON.parse(d.dataset.params),
  rows: [...d.querySelectorAll('[data-mode]')].map(r => ({
    mode: r.dataset.mode,
    peakQueue: r.dataset.peakQueue === undefined ? null : Number(r.dataset.peakQueue),
    roomWaitMs: r.dataset.roomWaitMs === undefined ? null : Number(r.dataset.roomWaitMs),
  })),
  legend: d.querySelector('.demo-legend')?.textContent ?? '',
};
"#;

pub async fn every_workload_runs_in_every_mode(s: &Session) {
    let site = sites::workloads();
    let mut report = Vec::new();
    for &(page, direction) in PAGES {
        let demos = run_page(s, &site.url(&format!("{page}.html?autorun"))).await;
        let demo = &demos[0];
        let read = s.execute(READ_WORKLOAD).await;
        let workload = workload_of(&read["params"]);
        assert_all_done_with(s, demo, expected_total(&workload));
        assert_stage_kinds(s, page, demo, &read, &workload);
        assert_queue_bound(s, page, &read, &workload);
        assert_direction(s, page, demo, direction);
        screenshot_demo(s, 0, &format!("workload-{page}")).await;
        screenshot_of_part(s, "[data-demo] .demo-timelines", &format!("workload-{page}-timelines")).await;
        report.push(format!("{page}: {}{}", timings(demo), unit_time(demo, &workload)));
    }
    report.push(measure_unit(s, site).await);
    println!("{}: the workloads fixture's wall times:\n{}", s.engine.name(), report.join("\n"));
    a_shared_run_opens(s, site).await;
    stop_ends_a_run(s, site).await;
    without_isolation(s, site).await;
    at_a_phones_width(s, site).await;
}

/// On a page that is not cross-origin isolated, threads say why they cannot run; every other
/// mode runs, its workers waiting on timers, and reports the same total.
async fn without_isolation(s: &Session, site: &sites::Served) {
    let engine = s.engine.name();
    let (base, why) = crate::demos::not_isolated(s, site).await;
    let demos = run_page(s, &format!("{base}/backpressure.html?autorun")).await;
    let demo = &demos[0];
    assert_eq!((demo["status"].as_str(), demo["agree"].as_str()), (Some("done"), Some("true")), "{engine}: {demo:#}");
    let text = row(demo, "threads")["text"].as_str().unwrap_or_default().to_owned();
    assert!(text.contains("this page is not cross-origin isolated, so workers cannot share memory") && text.contains(why), "{engine}: {text:?}");
    let workload = workload_of(&s.execute(READ_WORKLOAD).await["params"]);
    for mode in ["sequential", "processes", "async"] {
        assert_eq!(row(demo, mode)["result"], expected_total(&workload).to_string(), "{engine}: {mode}: {demo:#}");
    }
    assert!(row(demo, "sequential")["note"].as_str().is_some_and(|n| n.starts_with("Waits on a timer")), "{engine}: {demo:#}");
    screenshot_demo(s, 0, "workload-not-isolated").await;
}

/// A workload's run shared as a link opens beside the page's own block (whose stages the link
/// leaves out).
async fn a_shared_run_opens(s: &Session, site: &sites::Served) {
    let engine = s.engine.name();
    run_page(s, &site.url("blocking-in-async.html?autorun")).await;
    click(s, "[data-share]").await;
    s.wait_until("return document.querySelector('[data-share-link]')?.dataset.shareBytes !== undefined", "the shared link", TIMEOUT).await;
    let link = s.execute("return document.querySelector('[data-share-link]').value").await.as_str().unwrap().to_owned();
    open_demo(s, &link).await;
    s.wait_until("return document.querySelector('[data-demo]').dataset.shared !== undefined", "the shared run", TIMEOUT).await;
    let shared = s.execute("const d = document.querySelector('[data-demo]'); return [d.dataset.shared, d.querySelector('.demo-shared-note')?.textContent ?? '']").await;
    assert_eq!(shared[0], "loaded", "{engine}: the shared workload run does not open: {shared} ({link})");
}

/// Stop ends a run while the page drives it: in worker processes (the page's queue and lock
/// waiting) and in async tasks on the page's thread; a run after it finishes and agrees.
async fn stop_ends_a_run(s: &Session, site: &sites::Served) {
    for (page, mode) in [("backpressure", "processes"), ("blocking-in-async", "async")] {
        open_demo(s, &site.url(&format!("{page}.html?workload.items=200&workload.modes={mode}"))).await;
        stop_while_running(s, mode).await;
    }
    click(s, ".demo-run").await;
    let demos = wait_for_demos(s, "a run after Stop").await;
    assert_eq!((demos[0]["status"].as_str(), demos[0]["agree"].as_str()), (Some("done"), Some("true")), "{}: {:#}", s.engine.name(), demos[0]);
}

/// Every page again at a phone's width: nothing sideways, timelines readable; a screenshot each.
async fn at_a_phones_width(s: &Session, site: &sites::Served) {
    let mut problems = Vec::new();
    for &(page, _) in PAGES {
        s.open_as_phone(&site.url(&format!("{page}.html?autorun"))).await;
        let demos = wait_for_demos(s, page).await;
        assert_eq!(demos[0]["status"], "done", "{}: {page} at a phone's width: {:#}", s.engine.name(), demos[0]);
        let measured = s.execute(MEASURE).await;
        problems.extend(phone_problems(page, &measured));
        screenshot_demo(s, 0, &format!("workload-phone-{page}")).await;
    }
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
    assert!(problems.is_empty(), "{}: at a phone's size:\n{}", s.engine.name(), problems.join("\n"));
}

/// The workload the page was given (`data-params`), as the kernels describe it.
fn workload_of(params: &Value) -> Workload {
    let int = |value: &Value| value.as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or_else(|| panic!("not a count: {value}"));
    let stages = params["stages"]
        .as_array()
        .unwrap_or_else(|| panic!("no stages in {params}"))
        .iter()
        .map(|stage| {
            let work = match stage["kind"].as_str().unwrap() {
                "compute" => StageWork::Compute { units: int(&stage["units"]) },
                "lock" => StageWork::Lock { units: int(&stage["units"]) },
                "wait" => StageWork::Wait {
                    mean_ms: int(&stage["mean_ms"]),
                    distribution: Distribution::from_name(stage["distribution"].as_str().unwrap()).unwrap(),
                },
                "send" => StageWork::Send { bytes: int(&stage["bytes"]) },
                "blocking" => StageWork::Blocking { ms: int(&stage["ms"]) },
                other => panic!("unknown stage kind {other}"),
            };
            Stage { work, producer: stage["on"] == "producer" }
        })
        .collect();
    let workload = Workload {
        items: int(&params["items"]),
        concurrency: int(&params["concurrency"]),
        queue: int(&params["queue"]),
        seed: int(&params["seed"]),
        stages,
    };
    assert_eq!(workload.check(), vec![], "the page was given a workload that breaks a rule: {params}");
    workload
}

/// The timeline kind each stage draws.
fn kind_drawn(work: &StageWork) -> &'static str {
    match work {
        StageWork::Compute { .. } => "task",
        StageWork::Wait { .. } => "wait",
        StageWork::Send { .. } => "send",
        StageWork::Lock { .. } => "lock",
        StageWork::Blocking { .. } => "blocking",
    }
}

/// Every run has spans of each of its stages' kinds, one per item and stage, and the legend
/// names them in the demo's words.
fn assert_stage_kinds(s: &Session, page: &str, demo: &Value, read: &Value, workload: &Workload) {
    for (mode, run) in demo["runs"].as_object().unwrap() {
        let events = run["events"].as_array().unwrap();
        for stage in &workload.stages {
            let kind = kind_drawn(&stage.work);
            let stages_of_kind = workload.stages.iter().filter(|other| kind_drawn(&other.work) == kind).count();
            let drawn = events.iter().filter(|event| event["kind"] == kind).count();
            assert_eq!(drawn, stages_of_kind * workload.items as usize, "{}: {page}: {mode} drew {drawn} {kind} spans: {demo:#}", s.engine.name());
        }
    }
    if let Some(sequential) = demo["runs"]["sequential"]["events"].as_array() {
        let waits = sequential.iter().filter(|event| event["kind"] == "lock-wait").count();
        assert_eq!(waits, 0, "{}: {page}: one item at a time waited for the lock: {demo:#}", s.engine.name());
    }
    let legend = read["legend"].as_str().unwrap();
    for stage in &workload.stages {
        let words = match stage.work {
            StageWork::Compute { .. } => "computing",
            StageWork::Wait { .. } => "waiting (simulated I/O)",
            StageWork::Send { .. } => "sending a message",
            StageWork::Lock { .. } => "computing, holding the lock",
            StageWork::Blocking { .. } => "in a blocking call",
        };
        assert!(legend.contains(words), "{}: {page}: the legend does not say {words:?}: {legend:?}", s.engine.name());
    }
}

/// A bounded queue's peak, where a mode reports one, is within the bound; where the producer
/// is faster than its consumers (the backpressure fixture), every mode that runs them side by
/// side fills the queue to its bound.
fn assert_queue_bound(s: &Session, page: &str, read: &Value, workload: &Workload) {
    if workload.queue == 0 {
        return;
    }
    for row in read["rows"].as_array().unwrap() {
        let Some(peak) = row["peakQueue"].as_f64() else { continue };
        assert!(
            (1.0..=f64::from(workload.queue)).contains(&peak),
            "{}: {page}: {} says its queue held at most {peak} items, its bound is {}: {read:#}",
            s.engine.name(),
            row["mode"],
            workload.queue
        );
        if page == "backpressure" && row["mode"] != "sequential" {
            assert_eq!(peak, f64::from(workload.queue), "{}: {page}: {} never filled its queue: {read:#}", s.engine.name(), row["mode"]);
        }
    }
}

/// One unit of compute timed over a longer run: the lock fixture with 40 items (800 units), one
/// at a time, its items chosen in the address.
async fn measure_unit(s: &Session, site: &sites::Served) -> String {
    let demos = run_page(s, &site.url("lock-held-too-long.html?autorun&workload.items=40&workload.modes=sequential")).await;
    let demo = &demos[0];
    assert_eq!(demo["status"], "done", "{}: {demo:#}", s.engine.name());
    let workload = workload_of(&s.execute(READ_WORKLOAD).await["params"]);
    let workload = Workload { items: 40, ..workload };
    assert_eq!(row(demo, "sequential")["result"], expected_total(&workload).to_string(), "{}: {demo:#}", s.engine.name());
    format!("800 units one at a time{}", unit_time(demo, &workload))
}

/// How long one unit of compute took in the sequential run, from its compute and lock spans:
/// what `workload::UNIT_MS` should say for this engine.
fn unit_time(demo: &Value, workload: &Workload) -> String {
    let units: u32 = workload
        .stages
        .iter()
        .map(|stage| match stage.work {
            StageWork::Compute { units } | StageWork::Lock { units } => units * workload.items,
            _ => 0,
        })
        .sum();
    let spent: f64 = demo["runs"]["sequential"]["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter(|e| e["kind"] == "task" || e["kind"] == "lock")
                .map(|e| e["end"].as_f64().unwrap() - e["start"].as_f64().unwrap())
                .sum()
        })
        .unwrap_or(0.0);
    if units == 0 { String::new() } else { format!("; one unit {:.3} ms", spent / f64::from(units)) }
}

/// The wall time of `mode`, if it ran.
fn ms(demo: &Value, mode: &str) -> Option<f64> {
    demo["runs"][mode]["ms"].as_f64()
}

fn assert_direction(s: &Session, page: &str, demo: &Value, direction: Direction) {
    let engine = s.engine.name();
    let sequential = ms(demo, "sequential").unwrap_or_else(|| panic!("{engine}: {page}: sequential did not run: {demo:#}"));
    match direction {
        Direction::OverlapBeatsOneAtATime => {
            let best = ["threads", "async"].iter().filter_map(|mode| ms(demo, mode)).fold(f64::INFINITY, f64::min);
            assert!(best < sequential / 1.5, "{engine}: {page}: overlapping waits took {best:.1} ms, one at a time {sequential:.1} ms: {demo:#}");
        }
        Direction::PoolBeatsAsync => {
            let (pool, alone) = (ms(demo, "async-pool").unwrap(), ms(demo, "async").unwrap());
            assert!(pool < alone / 1.5, "{engine}: {page}: async-pool took {pool:.1} ms, async {alone:.1} ms: {demo:#}");
        }
        Direction::LockLeavesThreadsNoFaster => {
            if let Some(threads) = ms(demo, "threads") {
                assert!(threads > sequential / 2.0, "{engine}: {page}: threads took {threads:.1} ms holding one lock, sequential {sequential:.1} ms: {demo:#}");
            }
        }
    }
}
