//! The demos at their limits, in headless Chromium: every demo with its parameters at the
//! catalogue's largest values finishes (each mode done, or refused with a message) and the tab
//! is still alive afterwards; one above each largest value is refused in the page. Then Stop
//! while a demo's workers are still starting (the next run gives the right answer), and a
//! worker that cannot start (its demo says so, with `data-status="error"`, and runs again once
//! workers can start). The pages are written into a temporary book from the catalogue's bounds.
//! Screenshots go to `target/e2e/stress-*.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`make setup-test`) and the demo runtime
//! (`make demos`).

mod common;

use std::time::{Duration, Instant};

use common::{copy_fixture, devtools, repo_root, screenshot_dir, serve, start_browser_with, wait_until, ONE_BROWSER_AT_A_TIME};
use demos_wasm::kernels::primes;
use demos_wasm::ParamKind;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

/// Long enough for the slowest demo at its limits on a slow two-core machine.
const TIMEOUT: Duration = Duration::from_secs(240);

/// The largest value the catalogue allows for `demo`'s parameter `param`.
fn largest(demo: &str, param: &str) -> i64 {
    demos_wasm::find(demo).and_then(|spec| spec.int_bounds(param)).unwrap_or_else(|| panic!("{demo}.{param} is no number")).1
}

/// The pages of the stress book: (page, demo, the `demo` block's other lines). Every number a
/// page sets is the catalogue's largest (the gil demo has a page per kind of work: each shows
/// only the controls its work uses).
fn pages() -> Vec<(&'static str, &'static str, String)> {
    let at_most = |demo: &str, params: &[&str]| -> String {
        params.iter().map(|param| format!("{param} = {}\n", largest(demo, param))).collect()
    };
    vec![
        ("primes", "primes", at_most("primes", &["n", "chunks", "workers"])),
        ("io-bound", "io-bound", format!("distribution = \"exponential\"\n{}", at_most("io-bound", &["requests", "mean_ms", "workers"]))),
        ("gil-cpu", "gil", format!("work = \"cpu\"\nswitch_ms = 1\n{}", at_most("gil", &["n", "tasks", "workers"]))),
        ("gil-io", "gil", format!("work = \"io\"\nswitch_ms = 1\n{}", at_most("gil", &["tasks", "wait_ms", "workers"]))),
        ("race", "race", at_most("race", &["increments", "workers"])),
        ("ipc-cost", "ipc-cost", format!("min_kb = 1\n{}", at_most("ipc-cost", &["max_kb", "sizes", "repeats"]))),
        ("responsiveness", "responsiveness", at_most("responsiveness", &["n", "chunks"])),
        ("async-scale", "async-scale", at_most("async-scale", &["tasks", "mean_ms", "workers", "max_processes"])),
        ("hybrid", "hybrid", at_most("hybrid", &["items", "fetch_ms", "chunk", "store_ms", "workers"])),
    ]
}

/// The `demos` fixture book (for its settings) with the stress pages instead of its own, and a
/// page whose demo is far below the top, so nothing starts its workers before Run is pressed.
fn stress_book() -> tempfile::TempDir {
    let pkg = repo_root().join("demos-wasm/pkg");
    for build in ["threads", "single"] {
        assert!(pkg.join(build).join("demos_wasm_bg.wasm").is_file(), "the demo runtime is not built: run `make demos`");
    }
    let book = copy_fixture("demos");
    let config = book.path().join("book.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let demos_dir = toml::Value::String(pkg.display().to_string());
    std::fs::write(&config, text.replace("\"demos-wasm/pkg\"", &demos_dir.to_string())).unwrap();

    let content = book.path().join("content");
    std::fs::remove_dir_all(&content).unwrap();
    std::fs::create_dir_all(&content).unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (page, demo, lines) in pages() {
        std::fs::write(content.join(format!("{page}.md")), format!("# {page} at its limits\n\n```demo\nname = \"{demo}\"\n{lines}```\n")).unwrap();
        summary.push_str(&format!("[{page}]({page}.md)\n"));
    }
    let filler = "A paragraph that keeps the demo far below the top of the page.\n\n".repeat(400);
    let below = format!("# Far below\n\n{filler}```demo\nname = \"primes\"\nn = 300000\nchunks = 16\nworkers = 2\n```\n");
    std::fs::write(content.join("far-below.md"), below).unwrap();
    summary.push_str("[Far below](far-below.md)\n");
    std::fs::write(content.join("SUMMARY.md"), summary).unwrap();
    book
}

/// The first demo on the page: its state, error, rows; or why the page cannot answer (a
/// crashed tab does not answer at all).
async fn read(client: &Client, what: &str) -> Value {
    const READ: &str = r#"
      const d = document.querySelector('[data-demo]');
      const error = d.querySelector('.demo-error');
      return {
        status: d.dataset.status, phase: d.dataset.phase ?? null, agree: d.dataset.agree ?? null,
        state: d.querySelector('.demo-state')?.textContent ?? null,
        error: error && !error.hidden ? error.textContent : null,
        rows: [...d.querySelectorAll('[data-mode]')].map(r => ({
          mode: r.dataset.mode, status: r.dataset.status, ms: r.dataset.ms === undefined ? null : Number(r.dataset.ms),
          result: r.dataset.result ?? null, refused: r.dataset.refused ?? null,
        })),
      };"#;
    client.execute(READ, vec![]).await.unwrap_or_else(|e| panic!("{what}: the page no longer answers (did the tab crash?): {e}"))
}

/// Waits until the first demo on the page is done or failed; returns what `read` reads.
async fn finished(client: &Client, what: &str) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let demo = read(client, what).await;
        if demo["status"] == "done" || demo["status"] == "error" {
            return demo;
        }
        assert!(Instant::now() < deadline, "{what} did not finish within {TIMEOUT:?}: {demo:#}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn rows(demo: &Value) -> &Vec<Value> {
    demo["rows"].as_array().unwrap()
}

/// Types `value` into each named control of the first demo (skipping hidden ones), presses Run
/// and returns what `.demo-invalid` then says, per control: the refusals of out-of-range values.
async fn refusals(client: &Client, values: &Value) -> Value {
    const REFUSE: &str = r#"
      const [values, done] = [arguments[0], arguments[arguments.length - 1]];
      const d = document.querySelector('[data-demo]');
      const invalid = d.querySelector('.demo-invalid');
      const out = {};
      (async () => {
        for (const [name, value] of Object.entries(values)) {
          const input = d.querySelector(`input[name="${name}"]`);
          if (input.closest('label').hidden) continue;
          const before = input.value;
          input.value = String(value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          d.querySelector('.demo-run').click();
          // The Run press is handled in the page's turn for runs: wait for its answer.
          while (invalid.hidden) await new Promise((resolve) => setTimeout(resolve, 20));
          out[name] = { refusal: invalid.textContent, status: d.dataset.status };
          // Putting the value back clears the refusal (the controls are checked as they change).
          input.value = before;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          while (!invalid.hidden) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        done(out);
      })();"#;
    client.execute_async(REFUSE, vec![values.clone()]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::await_holding_lock)]
async fn every_demo_at_its_largest_parameters_finishes_or_is_refused() {
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let book = stress_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    let mut report = Vec::new();
    let mut covered: Vec<(String, String)> = Vec::new();

    for (page, demo, _) in pages() {
        // A browser of its own for each page: the browser frees the address space of ended
        // workers' WebAssembly memories only some time after they end, so a page opened straight
        // after another's 32 workers may find too little left for its own.
        let (_driver, client) = start_browser_with(&work.path().join(format!("profile-{page}")), 1200, 1400, &[]).await;
        let url = format!("http://{address}/{page}.html?autorun");
        let started = Instant::now();
        client.goto(&url).await.unwrap();
        let result = finished(&client, page).await;
        let took = started.elapsed();
        // Every mode finished or said why it would not; none failed; the modes that ran agree.
        assert_eq!(result["status"], "done", "{page}: {result:#}");
        for row in rows(&result) {
            match row["status"].as_str() {
                Some("done") => assert!(row["result"].is_string(), "{page}: {row:#}"),
                Some("refused") => assert!(row["refused"].as_str().is_some_and(|r| !r.is_empty()), "{page}: {row:#}"),
                _ => panic!("{page}: a mode neither finished nor was refused: {result:#}"),
            }
        }
        assert_eq!(result["agree"], "true", "{page}: {result:#}");
        let figure = client.find(Locator::Css("figure.demo")).await.unwrap();
        let png = figure.screenshot().await.unwrap();
        std::fs::write(screenshot_dir().join(format!("stress-{page}.png")), png).unwrap();
        let modes: Vec<String> = rows(&result)
            .iter()
            .map(|r| match r["ms"].as_f64() {
                Some(ms) => format!("{} {:.0} ms", r["mode"].as_str().unwrap(), ms),
                None => format!("{} refused", r["mode"].as_str().unwrap()),
            })
            .collect();
        report.push(format!("{page}: {:.1} s in all, page included ({})", took.as_secs_f64(), modes.join(", ")));

        // One above each largest value is refused with a message; nothing runs.
        let spec = demos_wasm::find(demo).unwrap();
        let above: serde_json::Map<String, Value> = spec
            .params
            .iter()
            .filter_map(|param| match param.kind {
                ParamKind::Int { max, .. } => Some((param.name.to_owned(), json!(max + 1))),
                _ => None,
            })
            .collect();
        let answers = refusals(&client, &Value::Object(above)).await;
        for (name, answer) in answers.as_object().unwrap() {
            let (min, max) = spec.int_bounds(name).unwrap();
            let range = format!("from {} to {}", group(min), group(max));
            assert!(answer["refusal"].as_str().is_some_and(|r| r.starts_with("Not run:") && r.contains(&range)), "{page}.{name}: {answer:#}");
            assert_ne!(answer["status"], "running", "{page}.{name}: {answer:#}");
            covered.push((demo.to_owned(), name.clone()));
        }
        // The tab is alive and the demo still runs after all that.
        assert_eq!(read(&client, page).await["status"], "done", "{page}");
        client.close().await.unwrap();
    }
    for spec in demos_wasm::catalogue() {
        for param in spec.params.iter().filter(|p| matches!(p.kind, ParamKind::Int { .. })) {
            assert!(covered.contains(&(spec.name.to_owned(), param.name.to_owned())), "{}.{}: one above the largest value was never tried", spec.name, param.name);
        }
    }
    println!("every demo at its largest parameters, in headless Chromium:\n{}", report.join("\n"));
}

/// 20000000 as "20,000,000", as the page writes numbers.
fn group(value: i64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Presses Run on the first demo (from the page's script: the button may be far out of view)
/// and waits for its workers to be starting; then presses Stop. Returns the demo as it was
/// when Stop was pressed and one task of the page's event loop later.
async fn stop_while_starting(client: &Client) -> Value {
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
    client.execute_async(STOP, vec![]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::await_holding_lock)]
async fn stop_while_the_workers_start_leaves_the_demo_runnable() {
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let book = stress_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    let (_driver, client) = start_browser_with(&work.path().join("profile"), 1200, 900, &[]).await;
    let expected = primes::count_primes_below(300_000, 16).to_string();

    // Every mode in turn: a fresh page (nothing started yet), Run, Stop while that mode's
    // workers (or the page's own module) are still loading.
    for mode in ["sequential", "threads", "processes", "async"] {
        client.goto(&format!("http://{address}/far-below.html?primes.modes={mode}")).await.unwrap();
        wait_until(&client, "return document.querySelector('.demo-run') !== null", "the demo is built", TIMEOUT).await;
        let stop = stop_while_starting(&client).await;
        assert_eq!(stop["pressed"]["phase"], "starting", "{mode}: Stop was not pressed while starting: {stop:#}");
        // Stop ends the wait for the workers at once: the demo says so before any worker
        // could have answered.
        assert_eq!(stop["after"]["state"], "Stopped.", "{mode}: {stop:#}");
        assert_eq!(stop["after"]["status"], "idle", "{mode}: {stop:#}");
        assert_eq!(stop["after"]["rows"], json!(["stopped"]), "{mode}: {stop:#}");

        // The next run starts afresh and counts right.
        client.execute("document.querySelector('.demo-run').click()", vec![]).await.unwrap();
        let demo = finished(&client, &format!("{mode}: the run after Stop")).await;
        assert_eq!(demo["status"], "done", "{mode}: {demo:#}");
        assert_eq!(rows(&demo)[0]["result"], expected.as_str(), "{mode}: {demo:#}");
    }
    client.execute("document.querySelector('figure.demo').scrollIntoView()", vec![]).await.unwrap();
    let png = client.find(Locator::Css("figure.demo")).await.unwrap().screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("stress-run-after-stop.png"), png).unwrap();
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::await_holding_lock)]
async fn a_worker_that_cannot_start_is_reported_and_the_page_stays_usable() {
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let book = stress_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    let (_driver, client) = start_browser_with(&work.path().join("profile"), 1200, 900, &[]).await;
    let expected = primes::count_primes_below(300_000, 16).to_string();
    let page = format!("http://{address}/far-below.html");

    // Workers refused by the browser: `new Worker` throws (as under a policy forbidding them).
    let script = r#"window.RealWorker = window.Worker;
      window.Worker = class { constructor() { throw new DOMException('workers are switched off here', 'SecurityError'); } };"#;
    devtools(&client, "Page.enable", json!({})).await;
    let added = devtools(&client, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": script })).await;
    client.goto(&format!("{page}?autorun")).await.unwrap();
    let demo = finished(&client, "the demo without workers").await;
    assert_eq!(demo["status"], "error", "{demo:#}");
    let error = demo["error"].as_str().unwrap_or_else(|| panic!("no error shown: {demo:#}"));
    for mode in ["sequential", "threads", "processes"] {
        assert!(error.contains(&format!("{mode}: the demo worker could not start: workers are switched off here")), "{demo:#}");
    }
    let statuses: Vec<&str> = rows(&demo).iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["error", "error", "error", "done"], "{demo:#}");
    assert_eq!(rows(&demo)[3]["result"], expected.as_str(), "the page's own thread still counts: {demo:#}");
    client.execute("document.querySelector('figure.demo').scrollIntoView()", vec![]).await.unwrap();
    let png = client.find(Locator::Css("figure.demo")).await.unwrap().screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("stress-worker-cannot-start.png"), png).unwrap();
    // Once workers can start again, the same page runs every mode.
    client.execute("window.Worker = window.RealWorker; document.querySelector('.demo-run').click()", vec![]).await.unwrap();
    wait_until(&client, "return document.querySelector('[data-demo]').dataset.status === 'running'", "the second run starts", TIMEOUT).await;
    let demo = finished(&client, "the run with workers back").await;
    assert_eq!(demo["status"], "done", "{demo:#}");
    assert!(rows(&demo).iter().all(|r| r["result"] == expected.as_str()), "{demo:#}");
    devtools(&client, "Page.removeScriptToEvaluateOnNewDocument", json!({ "identifier": added["identifier"] })).await;

    // The worker's script cannot be fetched (as when it is not served): the worker fails while
    // loading, with no message of its own.
    let script = r#"window.RealWorker = window.Worker;
      window.Worker = class extends window.RealWorker { constructor(url, options) { super(new URL('no-such-worker.js', url), options); } };"#;
    let added = devtools(&client, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": script })).await;
    client.goto(&format!("{page}?autorun&primes.modes=sequential,async")).await.unwrap();
    let demo = finished(&client, "the demo whose worker script is missing").await;
    assert_eq!(demo["status"], "error", "{demo:#}");
    assert!(demo["error"].as_str().is_some_and(|e| e.contains("sequential: the demo worker could not start")), "{demo:#}");
    assert_eq!(rows(&demo)[1]["result"], expected.as_str(), "{demo:#}");
    devtools(&client, "Page.removeScriptToEvaluateOnNewDocument", json!({ "identifier": added["identifier"] })).await;
    client.execute("window.Worker = window.RealWorker; document.querySelector('.demo-run').click()", vec![]).await.unwrap();
    wait_until(&client, "return document.querySelector('[data-demo]').dataset.status === 'running'", "the run after the script is back", TIMEOUT).await;
    let demo = finished(&client, "the run once the worker script is back").await;
    assert_eq!(demo["status"], "done", "{demo:#}");
    assert!(rows(&demo).iter().all(|r| r["result"] == expected.as_str()), "{demo:#}");
    client.close().await.unwrap();
}
