//! The demos' workers over a reader's visit, in every engine, on the `workers` fixture book: every
//! demo of a page with 32 workers each, run five times in one tab, stays within the page's budget
//! of workers and never runs out of WebAssembly memory; a worker that never says it is ready
//! times out with a clear message and the demo stays usable; Stop while workers start. In
//! Chromium (which can run a script before the page's own), workers the browser refuses and a
//! worker script that is not served.

use std::sync::OnceLock;
use std::time::Duration;

use demos_wasm::kernels::primes;
use harness::browser::Engine;
use harness::{books, Session};
use serde_json::{json, Value};

use crate::page::*;
use crate::sites::{self, Served};

/// The most workers a page keeps at once (`MEMORY_BUDGET` in theme/static/demos/workers/client.js).
const MEMORY_BUDGET: u64 = 64;

fn workers_site() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| sites::serve_copy(books::copy_fixture("workers")))
}

async fn live_workers(s: &Session) -> u64 {
    let live = s.execute("return Number(document.documentElement.dataset.demoWorkers ?? 0)").await;
    live.as_u64().unwrap_or(u64::MAX)
}

pub async fn five_runs_of_every_demo_stay_within_the_budget(s: &Session) {
    let page = workers_site().url("many-workers.html");
    let mut demos = run_page(s, &format!("{page}?autorun")).await;
    let mut most = live_workers(s).await;
    for round in 2..=5 {
        // Every Run button at once: the runs take turns, as a reader's clicks would.
        s.execute("document.querySelectorAll('.demo-run').forEach((run) => run.click())").await;
        s.wait_until("return [...document.querySelectorAll('[data-demo]')].some(d => d.dataset.status === 'running')", "a run starts", TIMEOUT).await;
        demos = wait_for_demos(s, &format!("round {round}")).await;
        most = most.max(live_workers(s).await);
        for demo in &demos {
            assert_eq!(demo["status"], "done", "{}: round {round}: {demo:#}", s.engine.name());
            assert_eq!(demo["agree"], "true", "{}: round {round}: {demo:#}", s.engine.name());
        }
    }
    assert!(most <= MEMORY_BUDGET, "{}: {most} workers alive at once, more than the budget of {MEMORY_BUDGET}", s.engine.name());
    screenshot_demo(s, 5, "workers-async-scale-fifth-run").await;
    println!("{}: five rounds of six demos with 32 workers each; at most {most} workers alive after a round", s.engine.name());
    for demo in &demos {
        println!("  {}", timings(demo));
    }
}

/// A worker that never says it loaded (`?demo-stall=load`, a testing aid) times out after ten
/// seconds with a message that says so; once workers load again, the same demo runs.
pub async fn a_worker_that_never_loads_times_out(s: &Session) {
    let page = workers_site().url("far-below.html?primes.modes=sequential,async&demo-stall=load");
    s.expect_console("did not load its WebAssembly");
    let started = std::time::Instant::now();
    let demos = run_page(s, &format!("{page}&autorun")).await;
    let waited = started.elapsed();
    let demo = &demos[0];
    assert_eq!(demo["status"], "error", "{demo:#}");
    let error = demo["error"].as_str().unwrap_or_default();
    assert!(error.contains("sequential: the demo worker could not start: it did not load its WebAssembly within 10 s"), "{demo:#}");
    assert_eq!(row(demo, "async")["result"], primes::count_primes_below(300_000, 16).to_string(), "{demo:#}");
    assert!(waited >= Duration::from_secs(9) && waited < Duration::from_secs(60), "{}: timed out after {waited:?}", s.engine.name());
    screenshot_demo(s, 0, "workers-load-timeout").await;
    // The reader runs it again once workers load (here: the testing aid is gone).
    s.execute("history.replaceState(null, '', location.pathname + '?primes.modes=sequential,async'); document.querySelector('.demo-run').click()").await;
    s.wait_until("return document.querySelector('[data-demo]').dataset.status === 'running'", "the second run starts", TIMEOUT).await;
    let demos = wait_for_demos(s, "the run after the time-out").await;
    assert_eq!(demos[0]["status"], "done", "{:#}", demos[0]);
    assert!(demos[0]["rows"].as_array().unwrap().iter().all(|r| r["result"] == "25997"), "{:#}", demos[0]);
}

/// Presses Run on the first demo (from the page's script: the button may be far out of view) and
/// waits for its workers to be starting; then presses Stop. Returns the demo as it was when Stop
/// was pressed and one task of the page's event loop later.
async fn stop_while_starting(s: &Session) -> Value {
    const STOP: &str = r#"
      const done = arguments[arguments.length - 1];
      const d = document.querySelector('[data-demo]');
      const snap = () => ({ status: d.dataset.status, phase: d.dataset.phase ?? null, state: d.querySelector('.demo-state').textContent,
                            rows: [...d.querySelectorAll('[data-mode]')].map(r => r.dataset.status) });
      (async () => {
        d.querySelector('.demo-run').click();
        while (d.dataset.phase !== 'starting') await new Promise((resolve) => setTimeout(resolve, 0));
        const pressed = snap();
        d.querySelector('.demo-stop').click();
        await new Promise((resolve) => setTimeout(resolve, 0));
        done({ pressed, after: snap() });
      })();"#;
    s.client.execute_async(STOP, vec![]).await.unwrap_or_else(|e| panic!("{}: {e}", s.engine.name()))
}

/// Stop while a mode's workers (or the page's own module) are still loading ends the wait at
/// once; the next run starts afresh and counts right.
pub async fn stop_while_the_workers_start(s: &Session) {
    let expected = primes::count_primes_below(300_000, 16).to_string();
    let modes: &[&str] = if shares_memory(s.engine) { &["sequential", "threads", "processes", "async"] } else { &["sequential", "processes", "async"] };
    for mode in modes {
        open_demo(s, &workers_site().url(&format!("far-below.html?primes.modes={mode}"))).await;
        let stop = stop_while_starting(s).await;
        assert_eq!(stop["pressed"]["phase"], "starting", "{mode}: Stop was not pressed while starting: {stop:#}");
        assert_eq!(stop["after"]["state"], "Stopped.", "{mode}: {stop:#}");
        assert_eq!(stop["after"]["status"], "idle", "{mode}: {stop:#}");
        assert_eq!(stop["after"]["rows"], json!(["stopped"]), "{mode}: {stop:#}");
        s.execute("document.querySelector('.demo-run').click()").await;
        s.wait_until("return document.querySelector('[data-demo]').dataset.status === 'running'", "the run after Stop starts", TIMEOUT).await;
        let demos = wait_for_demos(s, &format!("{mode}: the run after Stop")).await;
        assert_eq!(demos[0]["status"], "done", "{mode}: {:#}", demos[0]);
        assert_eq!(row(&demos[0], mode)["result"], expected.as_str(), "{mode}: {:#}", demos[0]);
    }
    screenshot_demo(s, 0, "workers-run-after-stop").await;
}

/// Workers the browser refuses (`new Worker` throws, as under a policy that forbids them), then a
/// worker script that cannot be fetched: each mode that needs a worker says it could not start,
/// the page's own thread still counts, and the page runs everything once workers are back.
/// Chromium only: it alone can run a script before the page's own (through DevTools).
pub async fn a_worker_that_cannot_start_is_reported(s: &Session) {
    assert_eq!(s.engine, Engine::Chromium);
    let page = workers_site().url("far-below.html");
    let expected = primes::count_primes_below(300_000, 16).to_string();
    s.expect_console("workers are switched off here");
    s.expect_console("no-such-worker.js");
    // A browser reads a worker's options, then refuses it.
    let refuse = r#"window.RealWorker = window.Worker;
      window.Worker = class { constructor(url, options) { void options?.type; throw new DOMException('workers are switched off here', 'SecurityError'); } };"#;
    s.devtools("Page.enable", json!({})).await;
    let added = s.devtools("Page.addScriptToEvaluateOnNewDocument", json!({ "source": refuse })).await;
    let demo = run_page(s, &format!("{page}?autorun")).await.remove(0);
    assert_eq!(demo["status"], "error", "{demo:#}");
    let error = demo["error"].as_str().unwrap_or_else(|| panic!("no error shown: {demo:#}"));
    for mode in ["sequential", "threads", "processes"] {
        assert!(error.contains(&format!("{mode}: the demo worker could not start: workers are switched off here")), "{demo:#}");
    }
    assert_eq!(row(&demo, "async")["result"], expected.as_str(), "the page's own thread still counts: {demo:#}");
    screenshot_demo(s, 0, "workers-cannot-start").await;
    s.devtools("Page.removeScriptToEvaluateOnNewDocument", json!({ "identifier": added["identifier"] })).await;
    back_again(s, &expected).await;

    let missing = r#"window.RealWorker = window.Worker;
      window.Worker = class extends window.RealWorker { constructor(url, options) { super(new URL('no-such-worker.js', url), options); } };"#;
    let added = s.devtools("Page.addScriptToEvaluateOnNewDocument", json!({ "source": missing })).await;
    let demo = run_page(s, &format!("{page}?autorun&primes.modes=sequential,async")).await.remove(0);
    assert_eq!(demo["status"], "error", "{demo:#}");
    assert!(demo["error"].as_str().is_some_and(|e| e.contains("sequential: the demo worker could not start")), "{demo:#}");
    assert_eq!(row(&demo, "async")["result"], expected.as_str(), "{demo:#}");
    s.devtools("Page.removeScriptToEvaluateOnNewDocument", json!({ "identifier": added["identifier"] })).await;
    back_again(s, &expected).await;
}

/// Puts the browser's own `Worker` back and runs the demo again: every mode counts right.
async fn back_again(s: &Session, expected: &str) {
    s.execute("window.Worker = window.RealWorker; document.querySelector('.demo-run').click()").await;
    s.wait_until("return document.querySelector('[data-demo]').dataset.status === 'running'", "the run with workers back starts", TIMEOUT).await;
    let demo = wait_for_demos(s, "the run with workers back").await.remove(0);
    assert_eq!(demo["status"], "done", "{demo:#}");
    assert!(demo["rows"].as_array().unwrap().iter().all(|r| r["result"] == expected), "{demo:#}");
}
