//! The async-scale and hybrid demos of the `demos` fixture book, in every engine: every mode, sizes
//! refused above their limits, the sweep figure, readable timelines at 100,000 tasks, the
//! pipeline's overlap, Stop and a mode failing on purpose.

use std::time::Duration;

use demos_wasm::kernels::pipeline::Pipeline;
use harness::browser::Engine;
use harness::Session;
use serde_json::json;

use crate::page::*;
use crate::sites;

pub async fn async_scale_and_hybrid_run(s: &Session) {
    let site = sites::demos();
    let mut report = Vec::new();

    // Async scale: forty tasks in every mode, swept from ten; a hundred thousand on the event loop
    // alone, the pool and the workers refusing with their reasons.
    let demos = run_page(s, &site.url("async-scale.html?autorun")).await;
    let (small, large) = (&demos[0], &demos[1]);
    assert_all_done_with(s, small, 40);
    assert_eq!(row(small, "processes")["workers"], 40.0, "one worker per task: {small:#}");
    assert!(most_at_once(&spans(small, "async", "wait")) >= 30, "async has the tasks in flight together: {small:#}");
    if shares_memory(s.engine) {
        assert_eq!(row(small, "threads")["workers"], 8.0, "{small:#}");
        assert!(most_at_once(&spans(small, "threads", "wait")) <= 8, "eight threads wait for at most eight: {small:#}");
    }
    assert_eq!(timeline(small, "async")["lanes"], json!(["page thread"]), "{small:#}");
    let worker_lanes = timeline(small, "processes")["lanes"].as_array().unwrap().clone();
    assert!(worker_lanes.len() <= 16 && worker_lanes[0] == "worker 1–3", "forty workers in groups: {worker_lanes:?}");
    sweep_figure(s, if shares_memory(s.engine) { 3 } else { 2 }).await;
    screenshot_demo(s, 0, "demo-async-scale").await;
    report.push(timings(small));

    assert_eq!((large["status"].as_str(), large["agree"].as_str()), (Some("done"), Some("true")), "{large:#}");
    assert_eq!(row(large, "async")["result"], "100000", "{large:#}");
    let refused_rows: &[(&str, &str)] = if shares_memory(s.engine) {
        &[("threads", "4 threads blocked by 100000 tasks"), ("processes", "at most 10 (max_processes)")]
    } else {
        &[("processes", "at most 10 (max_processes)")]
    };
    for (mode, why) in refused_rows {
        let refused = row(large, mode);
        assert_eq!(refused["status"], "refused", "{large:#}");
        assert!(refused["text"].as_str().unwrap().contains(why), "{mode}: {large:#}");
    }
    let timelines = large["timelines"].as_array().unwrap();
    assert_eq!(timelines.len(), 1, "only the mode that ran has a timeline: {large:#}");
    let bars = timelines[0]["bars"].as_u64().unwrap();
    assert!((1..=320).contains(&bars), "100,000 tasks drawn as at most 320 bars, not {bars}");
    assert!(timelines[0]["summary"].as_str().unwrap().contains("100000 tasks"), "{large:#}");
    screenshot_demo(s, 1, "demo-async-scale-100k").await;
    report.push(timings(large));

    report.push(hybrid(s).await);
    stop_and_refuse(s).await;
    println!("{}: async-scale and hybrid wall times:\n{}", s.engine.name(), report.join("\n"));
}

/// The sweep's table and chart: a row per size, a line per mode that ran, start-up and memory.
async fn sweep_figure(s: &Session, modes: u64) {
    let figure = s
        .execute(
            r#"const d = document.querySelectorAll('[data-demo]')[0];
               return { sizes: [...d.querySelectorAll('.demo-sweep-table tbody tr')].map(r => Number(r.dataset.n)),
                        lines: d.querySelectorAll('.demo-sweep-chart .sw-mode').length,
                        points: d.querySelectorAll('.demo-sweep-chart .sw-point').length,
                        startup: d.querySelector('[data-mode="processes"]').dataset.startupMs,
                        memory: d.querySelector('[data-mode="processes"]').dataset.memoryBytes,
                        pageMemory: d.querySelector('[data-mode="async"]').dataset.memoryBytes,
                        heap: d.demoRun.results.async.extra.heapBytes ?? null };"#,
        )
        .await;
    assert_eq!(figure["sizes"], json!(demos_wasm::kernels::scale::sweep_sizes(40)), "{figure}");
    assert_eq!((figure["lines"].as_u64(), figure["points"].as_u64()), (Some(modes), Some(modes * 2)), "{figure}");
    assert!(figure["startup"].as_str().and_then(|s| s.parse::<f64>().ok()).is_some_and(|ms| ms > 0.0), "{figure}");
    // Every worker's whole WebAssembly memory (at least a 64 KiB page each), in the Memory column.
    assert!(figure["memory"].as_str().and_then(|s| s.parse::<f64>().ok()).is_some_and(|b| b >= 40.0 * 65_536.0), "{figure}");
    if s.engine == Engine::Chromium {
        // Only Chromium says how big the page's heap is (performance.memory).
        assert!(figure["pageMemory"].as_str().and_then(|s| s.parse::<f64>().ok()).is_some(), "{figure}");
        assert!(figure["heap"].as_f64().is_some(), "Chromium says how the page's heap grew: {figure}");
    }
}

/// Hybrid: every mode stores every item once; the CPU stage runs one item at a time on the page,
/// on two workers beside the page's fetches otherwise.
async fn hybrid(s: &Session) -> String {
    let demos = run_page(s, &sites::demos().url("hybrid.html?autorun")).await;
    let hybrid = &demos[0];
    let job = Pipeline { items: 8, fetch_ms: 20, store_ms: 10, chunk: 20_000, seed: 2 };
    assert_all_done_with(s, hybrid, job.expected_checksum());
    assert_eq!(timeline(hybrid, "async")["lanes"], json!(["page thread: I/O", "page thread: CPU"]), "{hybrid:#}");
    assert_eq!(timeline(hybrid, "async-processes")["lanes"], json!(["page thread: I/O", "worker 1", "worker 2"]), "{hybrid:#}");
    assert_eq!(most_at_once(&spans(hybrid, "async", "task")), 1, "the page computes one item at a time: {hybrid:#}");
    assert!(most_at_once(&spans(hybrid, "async-processes", "task")) <= 2, "{hybrid:#}");
    assert!(most_at_once(&spans(hybrid, "async-processes", "fetch")) >= 4, "the fetches are in flight together: {hybrid:#}");
    let ran: &[&str] = if shares_memory(s.engine) { &["async", "threads", "async-processes"] } else { &["async", "async-processes"] };
    for mode in ran {
        assert_eq!(spans(hybrid, mode, "store").len(), 8, "{mode}: {hybrid:#}");
    }
    screenshot_demo(s, 0, "demo-hybrid").await;
    timings(hybrid)
}

/// Stop, in the middle of starting a worker per task and of a long pipeline; the next run works;
/// a size out of range is refused in the page; a mode failing on purpose is reported.
async fn stop_and_refuse(s: &Session) {
    let site = sites::demos();
    for (page, stop_mode, bigger) in [
        ("async-scale", "processes", "async-scale.modes=processes&async-scale.tasks=64&async-scale.max_processes=64&async-scale.mean_ms=1000"),
        // (Not the async mode: its CPU stages keep the page's thread busy, so the test's own
        // scripts would wait behind them, while a reader's click, which is input, gets in between
        // two items.)
        ("hybrid", "async-processes", "hybrid.modes=async-processes&hybrid.items=200&hybrid.chunk=200000"),
    ] {
        open_demo(s, &site.url(&format!("{page}.html?{bigger}"))).await;
        stop_while_running(s, stop_mode).await;
    }
    open_demo(s, &site.url("hybrid.html")).await;
    set_input(s, "items", "3").await;
    set_input(s, "chunk", "5000").await;
    click(s, ".demo-run").await;
    let demos = wait_for_demos(s, "the hybrid run after Stop").await;
    let small_job = Pipeline { items: 3, fetch_ms: 20, store_ms: 10, chunk: 5_000, seed: 2 };
    assert_all_done_with(s, &demos[0], small_job.expected_checksum());

    open_demo(s, &site.url("async-scale.html")).await;
    set_input(s, "tasks", "200000").await;
    click(s, ".demo-run").await;
    // A run waits for its turn (the page's demos warming up first), then refuses.
    s.wait_until("return document.querySelector('.demo-invalid').textContent !== ''", "the refusal", Duration::from_secs(60)).await;
    assert!(refusal(s).await.contains("must be a whole number from 10 to 100,000"), "{}", refusal(s).await);
    assert_eq!(read(s).await[0]["status"], "idle");

    s.expect_console("failing on purpose");
    let demos = run_page(s, &site.url("hybrid.html?autorun&demo-fail=async-processes")).await;
    let failed = &demos[0];
    assert_eq!(row(failed, "async-processes")["status"], "error", "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("async-processes: Rust panic: failing on purpose")), "{failed:#}");
    let job = Pipeline { items: 8, fetch_ms: 20, store_ms: 10, chunk: 20_000, seed: 2 };
    assert_eq!(row(failed, "async")["result"], job.expected_checksum().to_string(), "{failed:#}");
}
