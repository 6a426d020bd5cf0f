//! The ipc-cost and responsiveness demos of the `demos` fixture book, in every engine: the
//! log-log chart of round trips, the frame meter, Stop during the largest copies and while the
//! count yields, values refused in the page, a mode failing on purpose, and ipc-cost on a page
//! that is not cross-origin isolated.

use std::time::Duration;

use demos_wasm::kernels::{payload, primes};
use harness::Session;
use serde_json::json;

use crate::page::*;
use crate::sites;

pub async fn ipc_cost_and_responsiveness_run(s: &Session) {
    let site = sites::demos();
    let sizes = payload::sizes(1, 1024, 6);
    let demos = run_page(s, &site.url("ipc-cost.html?autorun")).await;
    let ipc = &demos[0];
    assert_all_done_with(s, ipc, payload::expected_total(&sizes));
    let ran: &[&str] = if shares_memory(s.engine) { &["copy", "transfer", "shared"] } else { &["copy", "transfer"] };
    for mode in ran {
        let by_size = ipc["runs"][mode]["bySize"].as_array().unwrap_or_else(|| panic!("{mode}: {ipc:#}"));
        let bytes: Vec<u64> = by_size.iter().map(|s| s["bytes"].as_u64().unwrap()).collect();
        assert_eq!(bytes, sizes.iter().map(|&b| u64::from(b)).collect::<Vec<_>>(), "{mode}");
        assert!(by_size.iter().all(|s| s["times"].as_array().unwrap().len() == 3 && s["medianMs"].as_f64().unwrap() >= 0.0), "{mode}: {by_size:#?}");
        let row = row(ipc, mode);
        assert!(row["smallestMs"].as_f64().is_some() && row["largestMs"].as_f64().is_some(), "{row:#}");
        // One outlined bar per round trip on the page's lane, one bar per message on the worker's.
        assert_eq!(timeline(ipc, mode)["lanes"], json!(["page thread", "worker"]), "{ipc:#}");
        assert_eq!(spans(ipc, mode, "wait").len(), sizes.len() * 4, "{mode}");
        assert_eq!(spans(ipc, mode, "task").len(), sizes.len() * 4, "{mode}");
    }
    let chart = s
        .execute(
            r#"const c = document.querySelector('.demo-round-trips');
               return { hidden: c.hidden, lines: [...c.querySelectorAll('.rt-mode')].map(g => [g.getAttribute('class'), g.querySelectorAll('circle').length]),
                        titles: [...c.querySelectorAll('.rt-title')].map(t => t.textContent),
                        ticks: [...c.querySelectorAll('.rt-tick')].map(t => t.textContent) };"#,
        )
        .await;
    assert_eq!(chart["hidden"], false, "{chart:#}");
    let lines: Vec<_> = ran.iter().map(|mode| json!([format!("rt-mode demo-mode-{mode}"), 6])).collect();
    assert_eq!(chart["lines"], json!(lines), "{chart:#}");
    assert!(chart["titles"].to_string().contains("payload size") && chart["titles"].to_string().contains("round trip"), "{chart:#}");
    assert!(chart["ticks"].to_string().contains("\"1 KB\"") && chart["ticks"].to_string().contains("\"1 MB\""), "{chart:#}");
    screenshot_demo(s, 0, "demo-ipc-cost").await;
    toggle_theme(s).await;
    screenshot_demo(s, 0, "demo-ipc-cost-dark").await;
    toggle_theme(s).await;
    println!("{}: {}", s.engine.name(), timings(ipc));

    responsiveness(s).await;
    stops_and_refusals(s).await;
    failing_on_purpose(s, &sizes).await;
    not_isolated(s, &sizes).await;
}

/// Responsiveness: every mode counts π(300,000); each row has its longest frame gap; the timeline
/// has a lane of frame gaps next to the count's lane.
async fn responsiveness(s: &Session) {
    let demos = run_page(s, &sites::demos().url("responsiveness.html?autorun")).await;
    let responsive = &demos[0];
    assert_all_done_with(s, responsive, primes::count_primes_below(300_000, 30));
    for mode in ["blocking", "yielding", "worker"] {
        assert!(row(responsive, mode)["longestGap"].as_f64().is_some_and(|gap| gap > 0.0), "{responsive:#}");
        let lanes = &timeline(responsive, mode)["lanes"];
        let count_lane = if mode == "worker" { "worker" } else { "page thread" };
        assert_eq!(*lanes, json!([count_lane, "frames"]), "{responsive:#}");
    }
    // The blocking mode holds the page's thread for the whole count, so no frame can come between
    // its start and its end: its longest gap covers at least its wall time.
    let blocking = row(responsive, "blocking");
    assert!(blocking["longestGap"].as_f64().unwrap() >= blocking["ms"].as_f64().unwrap() - 0.1, "{responsive:#}");
    let meter = s.execute("return document.querySelector('.demo-frame-meter').dataset.longestGap ?? null").await;
    assert!(meter.as_str().is_some_and(|gap| gap.parse::<f64>().is_ok()), "{meter}");
    screenshot_demo(s, 0, "demo-responsiveness").await;
    toggle_theme(s).await;
    screenshot_demo(s, 0, "demo-responsiveness-dark").await;
    toggle_theme(s).await;
    println!("{}: {}", s.engine.name(), timings(responsive));
}

async fn stops_and_refusals(s: &Session) {
    let site = sites::demos();
    // Stop during the largest copies: the run stops at once; the next run works.
    open_demo(s, &site.url("ipc-cost.html?ipc-cost.min_kb=65536&ipc-cost.max_kb=65536&ipc-cost.repeats=25")).await;
    stop_while_running(s, "copy").await;
    set_input(s, "min_kb", "1").await;
    set_input(s, "max_kb", "4").await;
    click(s, ".demo-run").await;
    let demos = wait_for_demos(s, "the ipc-cost run after Stop").await;
    assert_all_done_with(s, &demos[0], payload::expected_total(&payload::sizes(1, 4, 6)));
    // Out of range in the page: more than 64 MB is refused with a message, nothing runs.
    set_input(s, "max_kb", "100000").await;
    click(s, ".demo-run").await;
    assert!(refusal(s).await.contains("largest (KB) (max_kb) must be a whole number from 1 to 65,536"), "{}", refusal(s).await);
    assert_eq!(read(s).await[0]["status"], "done");

    // Stop while the count yields on the page's thread: the next chunk sees it and stops.
    open_demo(s, &site.url("responsiveness.html?responsiveness.n=5000000&responsiveness.chunks=4096&responsiveness.modes=yielding,worker")).await;
    stop_while_running(s, "yielding").await;
    let readout = "return document.querySelector('.demo-frame-readout').textContent.includes('— yielding:')";
    s.wait_until(readout, "the frame meter stops with the run", Duration::from_secs(5)).await;
    let meter_stopped = s.execute("return document.querySelector('.demo-frame-readout').textContent").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let still = s.execute("return document.querySelector('.demo-frame-readout').textContent").await;
    assert_eq!(meter_stopped, still, "the frame meter stops with the run");
    set_input(s, "n", "6000000").await;
    click(s, ".demo-run").await;
    assert!(refusal(s).await.contains("must be a whole number from 1,000 to 5,000,000"), "{}", refusal(s).await);
}

async fn failing_on_purpose(s: &Session, sizes: &[u32]) {
    s.expect_console("failing on purpose");
    let demos = run_page(s, &sites::demos().url("ipc-cost.html?autorun&demo-fail=transfer")).await;
    let failed = &demos[0];
    assert_eq!((failed["status"].as_str(), row(failed, "transfer")["status"].as_str()), (Some("error"), Some("error")), "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("transfer: Rust panic: failing on purpose")), "{failed:#}");
    assert_eq!(row(failed, "copy")["result"], payload::expected_total(sizes).to_string(), "{failed:#}");
    let demos = run_page(s, &sites::demos().url("responsiveness.html?autorun&demo-fail=worker")).await;
    let failed = &demos[0];
    assert_eq!((failed["status"].as_str(), row(failed, "worker")["status"].as_str()), (Some("error"), Some("error")), "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("worker: Rust panic: failing on purpose")), "{failed:#}");
    for mode in ["blocking", "yielding"] {
        assert_eq!(row(failed, mode)["result"], primes::count_primes_below(300_000, 30).to_string(), "{failed:#}");
    }
}

/// Not cross-origin isolated: sharing memory says why; copying and transferring still run.
async fn not_isolated(s: &Session, sizes: &[u32]) {
    let (base, why) = crate::demos::not_isolated(s, sites::demos()).await;
    let demos = run_page(s, &format!("{base}/ipc-cost.html?autorun")).await;
    let ipc = &demos[0];
    assert_eq!((ipc["status"].as_str(), ipc["agree"].as_str()), (Some("done"), Some("true")), "{ipc:#}");
    let shared = row(ipc, "shared");
    assert_eq!(shared["status"], "unavailable", "{ipc:#}");
    let text = shared["text"].as_str().unwrap();
    assert!(text.contains("not cross-origin isolated") && text.contains(why), "{text:?}");
    for mode in ["copy", "transfer"] {
        assert_eq!(row(ipc, mode)["result"], payload::expected_total(sizes).to_string(), "{ipc:#}");
    }
    screenshot_demo(s, 0, "demo-ipc-cost-not-isolated").await;
}
