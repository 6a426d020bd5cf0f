//! The primes, io-bound, gil and race demos of the `demos` fixture book (small parameters), in
//! every engine: results that must agree do (against the kernels' own answers), the race's safe
//! modes are exact, the simulated GIL is never held by two threads at once, waits overlap where
//! they should, and every mode that ran has a timeline. Then the controls: the timeline from the
//! keyboard, Stop, a second run, a value refused in the page, parameters from the address, the
//! export, a mode failing on purpose, and a page that is not cross-origin isolated.

use demos_wasm::kernels::gil::{GilJob, Work};
use demos_wasm::kernels::primes;
use demos_wasm::kernels::requests::{Distribution, Requests};
use harness::browser::{Engine, INSECURE_HOST};
use harness::server::Plain;
use harness::Session;
use serde_json::{json, Value};

use crate::page::*;
use crate::sites;

pub async fn every_demo_runs_and_agrees(s: &Session) {
    let site = sites::demos();
    let mut report = Vec::new();

    // Primes: every mode counts π(300,000).
    let demos = run_page(s, &site.url("primes.html?autorun")).await;
    let primes = &demos[0];
    assert_capabilities_when_isolated(s, primes);
    assert_all_done_with(s, primes, primes::count_primes_below(300_000, 16));
    if shares_memory(s.engine) {
        assert_eq!(row(primes, "threads")["workers"], 2.0, "{primes:#}");
    }
    assert_eq!(timeline(primes, "sequential")["lanes"], json!(["worker"]), "{primes:#}");
    assert_eq!(timeline(primes, "processes")["lanes"], json!(["worker 1", "worker 2"]), "{primes:#}");
    assert_eq!(timeline(primes, "async")["lanes"], json!(["page thread"]), "{primes:#}");
    screenshot_demo(s, 0, "demo-primes").await;
    toggle_theme(s).await;
    screenshot_demo(s, 0, "demo-primes-dark").await;
    toggle_theme(s).await;
    report.push(timings(primes));

    // I/O: every mode waits for the same seeded latencies; async has them all in flight at once.
    let demos = run_page(s, &site.url("io-bound.html?autorun")).await;
    let io = &demos[0];
    let requests = Requests { count: 12, mean_ms: 20, distribution: Distribution::Uniform, seed: 7 };
    assert_all_done_with(s, io, requests.total_latency_ms());
    assert_eq!(most_at_once(&spans(io, "sequential", "wait")), 1, "one request at a time: {io:#}");
    assert!(most_at_once(&spans(io, "async", "wait")) >= 6, "async waits for the requests together: {io:#}");
    if shares_memory(s.engine) {
        assert!(most_at_once(&spans(io, "threads", "wait")) <= 3, "three threads wait for at most three: {io:#}");
        assert!(row(io, "sequential")["note"].is_null(), "a worker that may block says nothing: {io:#}");
    } else {
        assert!(row(io, "sequential")["note"].as_str().is_some_and(|n| n.starts_with("Waits on a timer")), "{io:#}");
    }
    screenshot_demo(s, 0, "demo-io-bound").await;
    report.push(timings(io));

    gil(s, &mut report).await;
    race(s, &mut report).await;
    println!("{}: the demos fixture's wall times:\n{}", s.engine.name(), report.join("\n"));
}

/// The GIL: the same primes either way; with the GIL on, no two threads hold it at once, and it
/// changes hands; I/O waits still overlap.
async fn gil(s: &Session, report: &mut Vec<String>) {
    let demos = run_page(s, &sites::demos().url("gil.html?autorun")).await;
    let (cpu, io) = (&demos[0], &demos[1]);
    let cpu_job = GilJob { work: Work::Cpu, n: 400_000, tasks: 8, wait_ms: 40, gil: true, switch_ms: 2.0 };
    assert_all_done_with(s, cpu, cpu_job.expected_total());
    let io_job = GilJob { work: Work::Io, tasks: 6, wait_ms: 30, ..cpu_job };
    assert_all_done_with(s, io, io_job.expected_total());
    screenshot_demo(s, 1, "demo-gil-io").await;
    report.push(timings(cpu));
    report.push(timings(io));
    if !shares_memory(s.engine) {
        for mode in ["sequential", "processes"] {
            assert!(row(io, mode)["note"].as_str().is_some_and(|n| n.starts_with("Waits on a timer")), "{io:#}");
        }
        return;
    }
    let holds = spans(cpu, "threads", "hold");
    assert_eq!(most_at_once(&holds), 1, "two threads held the GIL at once: {holds:?}");
    let mut by_start = holds.clone();
    by_start.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert!(by_start.windows(2).any(|pair| pair[0].0 != pair[1].0), "the GIL never changed hands: {holds:?}");
    assert_eq!(timeline(cpu, "threads")["lanes"][0], "GIL", "{cpu:#}");
    assert!(most_at_once(&spans(io, "threads", "wait")) >= 2, "I/O waits overlap despite the GIL: {io:#}");
    // Pointing at a bar of the GIL lane shows who held it, next to the bar.
    let tooltip = s
        .execute(
            r#"document.querySelector('figure.demo').scrollIntoView();
               const threads = [...document.querySelectorAll('figure.demo')[0].querySelectorAll('.demo-timeline')]
                 .find(t => t.querySelector('.tl-header').textContent.startsWith('threads '));
               threads.querySelectorAll('rect.tl-hold')[3].dispatchEvent(new PointerEvent('pointermove', { bubbles: true }));
               const tip = document.querySelector('figure.demo .demo-tooltip');
               return tip.hidden ? null : tip.textContent;"#,
        )
        .await;
    assert!(tooltip.as_str().is_some_and(|t| t.starts_with("threads · GIL, held by thread ")), "{tooltip}");
    screenshot_demo(s, 0, "demo-gil-cpu").await;
}

/// The race: every safe mode is exact; the unsafe one can only lose updates, and says how many.
async fn race(s: &Session, report: &mut Vec<String>) {
    let demos = run_page(s, &sites::demos().url("race.html?autorun")).await;
    let race = &demos[0];
    assert_eq!((race["status"].as_str(), race["agree"].as_str()), (Some("done"), Some("true")), "{race:#}");
    for mode in ["sequential", "processes"] {
        assert_eq!(row(race, mode)["result"], "600000", "{mode}: {race:#}");
    }
    for mode in ["unsafe", "lock", "atomic"] {
        let threads = row(race, mode);
        if !shares_memory(s.engine) {
            assert_unavailable_for_want_of_shared_memory(s, race, threads);
        } else if mode == "unsafe" {
            let (counted, lost) = (threads["result"].as_str().unwrap(), threads["lost"].as_str().unwrap());
            assert_eq!(counted.parse::<u64>().unwrap() + lost.parse::<u64>().unwrap(), 600_000, "{race:#}");
        } else {
            assert_eq!(threads["result"], "600000", "{mode}: {race:#}");
        }
    }
    assert_timelines(race);
    screenshot_demo(s, 0, "demo-race").await;
    report.push(timings(race));
}

/// The controls: the timeline from the keyboard, Stop, a second run, a refused value, the address,
/// the export, and a mode failing on purpose.
pub async fn the_controls_work(s: &Session) {
    let site = sites::demos();
    let demos = run_page(s, &site.url("primes.html?autorun&primes.n=10000")).await;
    assert_all_done_with(s, &demos[0], 1_229);

    // The timeline from the keyboard: focusing a chart describes a bar; arrows move on.
    let details = s
        .execute(
            r#"const svg = document.querySelector('.demo-timeline svg');
               svg.focus();
               const first = document.querySelector('.demo-details').textContent;
               svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
               return [first, document.querySelector('.demo-details').textContent];"#,
        )
        .await;
    let (first, second) = (details[0].as_str().unwrap(), details[1].as_str().unwrap());
    assert!(first.starts_with("sequential · worker · chunk ") && first.contains("primes"), "{first:?}");
    assert!(second.starts_with("sequential · worker · chunk ") && second != first, "{second:?}");

    // Stop: a long run stops at once; the next run works.
    open_demo(s, &site.url("primes.html?primes.n=20000000")).await;
    stop_while_running(s, "sequential").await;
    set_input(s, "n", "10000").await;
    click(s, ".demo-run").await;
    let demos = wait_for_demos(s, "the run after Stop").await;
    assert_all_done_with(s, &demos[0], 1_229);

    // Out of range in the page: refused with a message, nothing runs.
    set_input(s, "n", "5").await;
    click(s, ".demo-run").await;
    assert!(refusal(s).await.contains("must be a whole number from 1,000 to 20,000,000"), "{}", refusal(s).await);
    assert_eq!(read(s).await[0]["status"], "done");

    the_address_and_the_export(s).await;
    a_mode_failing_on_purpose(s).await;
}

/// Parameters from the address; unknown or refused ones are explained; the export's link reopens
/// the page with the same parameters.
async fn the_address_and_the_export(s: &Session) {
    let site = sites::demos();
    let url = site.url("primes.html?autorun&primes.n=1000&primes.chunks=4&primes.workers=3&primes.bogus=1&primes.modes=sequential,processes");
    let demos = run_page(s, &url).await;
    let primes = &demos[0];
    assert_all_done_with(s, primes, 168);
    assert_eq!(primes["rows"].as_array().unwrap().len(), 2, "{primes:#}");
    assert_eq!(row(primes, "processes")["workers"], 3.0, "{primes:#}");
    assert!(primes["notice"].as_str().is_some_and(|n| n.contains("ignored ?primes.bogus")), "{primes:#}");
    let export = s.execute("const e = document.querySelector('[data-demo]').demoExport; return [e.markdown(), e.json(), e.link()]").await;
    let markdown = export[0].as_str().unwrap();
    assert!(markdown.contains("| Mode | Wall time (ms) | Speed-up | Workers | Primes found |"), "{markdown}");
    assert!(markdown.contains("| processes | ") && markdown.contains("| 168 |"), "{markdown}");
    let json: Value = serde_json::from_str(export[1].as_str().unwrap()).unwrap();
    assert_eq!((json["demo"].as_str(), json["params"]["n"].as_u64(), json["agree"].as_bool()), (Some("primes"), Some(1000), Some(true)));
    assert_eq!(json["results"][1]["result"], 168);
    // The baseline (sequential, the catalogue's) is 1×; the others as the run measured them, to two decimals.
    assert_eq!(json["results"][0]["speedup"].as_f64(), Some(1.0), "{json:#}");
    let measured = primes["speedups"]["processes"].as_f64().unwrap();
    let exported = json["results"][1]["speedup"].as_f64().unwrap();
    assert!((exported - measured).abs() <= 0.005 + 1e-9, "{exported} is not {measured} to two decimals: {json:#}");
    let link = export[2].as_str().unwrap();
    assert!(link.contains("primes.n=1000") && link.contains("primes.modes=sequential%2Cprocesses") && link.ends_with("#demo-primes"), "{link}");
    assert!(!link.contains("autorun") && !link.contains("bogus"), "{link}");
    let (page, fragment) = link.split_once('#').unwrap();
    let demos = run_page(s, &format!("{page}&autorun#{fragment}")).await;
    assert_all_done_with(s, &demos[0], 168);
}

/// A mode failing on purpose: its row and the demo say error; the other modes still run.
async fn a_mode_failing_on_purpose(s: &Session) {
    s.expect_console("failing on purpose");
    let demos = run_page(s, &sites::demos().url("primes.html?autorun&demo-fail=processes&primes.n=10000")).await;
    let failed = &demos[0];
    assert_eq!(failed["status"], "error", "{failed:#}");
    assert_eq!(row(failed, "processes")["status"], "error", "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("processes: Rust panic: failing on purpose")), "{failed:#}");
    for mode in ["sequential", "threads", "async"] {
        let other = row(failed, mode);
        if other["status"] == "unavailable" {
            assert_unavailable_for_want_of_shared_memory(s, failed, other);
        } else {
            assert_eq!(other["result"], "1229", "{failed:#}");
        }
    }
}

/// The address of `site` where its pages cannot be cross-origin isolated in this engine, and the
/// reason the page then gives: by a name that is not a secure context where the engine can be
/// given one, else from a host without the isolation service worker.
pub async fn not_isolated(s: &Session, site: &sites::Served) -> (String, &'static str) {
    if s.engine == Engine::WebKit {
        s.expect_console("isolation-sw.js");
        return (site.plain(Plain::WithoutServiceWorker).await, "the isolation service worker could not start");
    }
    let plain = site.plain(Plain::Files).await;
    let port = plain.rsplit(':').next().unwrap().to_owned();
    (format!("http://{INSECURE_HOST}:{port}"), "not served over HTTPS")
}

/// Where the page cannot be isolated, the modes that need shared memory say why and everything
/// else runs: by a name that is not a secure context (no shared memory, no service worker) where
/// the engine can be given one, else from a host that cannot install the isolation service worker.
pub async fn without_isolation_every_other_mode_runs(s: &Session) {
    let (base, why) = not_isolated(s, sites::demos()).await;
    let demos = run_page(s, &format!("{base}/io-bound.html?autorun")).await;
    let io = &demos[0];
    assert_eq!((io["status"].as_str(), io["agree"].as_str()), (Some("done"), Some("true")), "{io:#}");
    assert_eq!(io["capabilities"]["isolated"], false, "{io:#}");
    let threads = row(io, "threads");
    assert_eq!(threads["status"], "unavailable", "{io:#}");
    let text = threads["text"].as_str().unwrap();
    assert!(text.contains("this page is not cross-origin isolated, so workers cannot share memory") && text.contains(why), "{text:?}");
    let requests = Requests { count: 12, mean_ms: 20, distribution: Distribution::Uniform, seed: 7 };
    for mode in ["sequential", "processes", "async"] {
        assert_eq!(row(io, mode)["result"], requests.total_latency_ms().to_string(), "{mode}: {io:#}");
    }
    assert!(io["machine"].as_str().unwrap().contains("lacks cross-origin isolation"), "{io:#}");
    screenshot_demo(s, 0, "demo-io-bound-not-isolated").await;

    let demos = run_page(s, &format!("{base}/race.html?autorun")).await;
    let race = &demos[0];
    assert_eq!((row(race, "sequential")["result"].as_str(), row(race, "processes")["result"].as_str()), (Some("600000"), Some("600000")));
    for mode in ["unsafe", "lock", "atomic"] {
        assert_eq!(row(race, mode)["status"], "unavailable", "{race:#}");
    }
    screenshot_demo(s, 0, "demo-race-not-isolated").await;
}
