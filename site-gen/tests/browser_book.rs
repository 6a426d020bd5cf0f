//! End to end in a real browser: the book is built and served by `site-gen serve`, and
//! headless Chromium (driven through chromedriver) opens every page that embeds a demo
//! with `?autorun`, waits for every mode to finish, and checks what a reader would see:
//! the page is cross-origin isolated, all modes agree, the threads mode used more than one
//! worker, and nothing was logged as an error. The same pages are then served by a plain
//! static server without the isolation headers, where the isolation service worker must
//! take over so that threads still run; and from an origin that is not a secure context,
//! where the threads mode must say why it is unavailable and every other mode must run.
//!
//! Screenshots are saved under `target/e2e/` to be looked at.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`make setup-test`) and the demo runtime
//! (`make demos`); `make test` provides both.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{repo_root, screenshot_dir, serve, serve_plain, severe_log_entries, start_browser_with};
use fantoccini::Client;
use serde_json::Value;

/// Resolved to 127.0.0.1 inside the browser, but not a secure context as `localhost` is.
const INSECURE_HOST: &str = "demos.lab.test";
/// How long every demo on one page may take to finish all its modes.
const DEMO_TIMEOUT: Duration = Duration::from_secs(240);

/// What the page shows once every demo on it has finished.
const READ_DEMOS: &str = r#"
const demos = [...document.querySelectorAll('[data-demo]')];
return {
  isolated: window.crossOriginIsolated === true,
  isolation: document.documentElement.dataset.isolation || null,
  isolationReason: document.documentElement.dataset.isolationReason || null,
  demos: demos.map(d => ({
    name: d.dataset.demo,
    status: d.dataset.status,
    agree: d.dataset.agree,
    text: d.innerText.slice(0, 2000),
    rows: [...d.querySelectorAll('[data-mode]')].map(r => ({
      mode: r.dataset.mode,
      status: r.dataset.status || null,
      ms: r.dataset.ms === undefined ? null : Number(r.dataset.ms),
      result: r.dataset.result === undefined ? null : r.dataset.result,
      workers: r.dataset.workers === undefined ? null : Number(r.dataset.workers),
      lost: r.dataset.lost === undefined ? null : Number(r.dataset.lost),
      text: r.innerText,
    })),
  })),
};
"#;

/// Opens `url`, waits until no demo is idle or running, and returns what the page shows.
async fn run_demos(client: &Client, url: &str) -> Value {
    client.goto(url).await.unwrap();
    let deadline = Instant::now() + DEMO_TIMEOUT;
    loop {
        let state = client.execute(READ_DEMOS, vec![]).await.unwrap();
        let demos = state["demos"].as_array().unwrap();
        assert!(!demos.is_empty(), "{url} has no demo");
        // A page waiting for the isolation service worker is about to reload itself.
        let settled = state["isolation"] != "pending";
        let finished = settled && demos.iter().all(|d| d["status"] == "done" || d["status"] == "error");
        if finished {
            return state;
        }
        assert!(Instant::now() < deadline, "demos on {url} did not finish in {DEMO_TIMEOUT:?}: {state:#}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Saves the first demo on the page as `NAME.png`, as a reader sees it after a run.
async fn screenshot(client: &Client, name: &str) {
    let demo = client.find(fantoccini::Locator::Css("[data-demo]")).await.unwrap();
    client.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&demo).unwrap()]).await.unwrap();
    let png = demo.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

/// The pages of a built site that embed a demo.
fn pages_with_demos(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walk(site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| p.file_name().is_some_and(|n| n != "index.html"))
        .filter(|p| std::fs::read_to_string(p).unwrap_or_default().contains("<figure class=\"demo\" data-demo="))
        .map(|p| p.strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    pages.sort();
    pages
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every mode that ran reports the same result, except the race's unsafe mode, which is there to
/// lose updates: its count plus the updates it lost must make the expected count instead. A mode
/// refused at these parameters (async-scale's worker per task beyond its cap) says why instead.
fn assert_modes_agree(page: &str, demo: &Value) {
    for row in demo["rows"].as_array().unwrap().iter().filter(|r| r["status"] == "refused") {
        assert!(row["text"].as_str().is_some_and(|t| t.len() > 40), "{page}: a refused mode does not say why: {demo:#}");
    }
    let ran = demo["rows"].as_array().unwrap().iter().filter(|r| r["status"] != "unavailable" && r["status"] != "refused");
    let (unsafe_rows, rows): (Vec<&Value>, Vec<&Value>) = ran.partition(|r| demo["name"] == "race" && r["mode"] == "unsafe");
    assert!(!rows.is_empty(), "{page}: no mode ran: {demo:#}");
    let first = &rows[0]["result"];
    for row in &rows {
        assert!(row["result"].is_string() && row["result"] != "", "{page}: a mode has no result: {demo:#}");
        assert_eq!(&row["result"], first, "{page}: modes disagree: {demo:#}");
        assert!(row["ms"].as_f64().is_some_and(|ms| ms > 0.0), "{page}: a mode has no wall time: {demo:#}");
        assert!(row["workers"].as_f64().is_some_and(|w| w >= 1.0), "{page}: a mode has no worker count: {demo:#}");
    }
    for row in unsafe_rows {
        let counted: f64 = row["result"].as_str().and_then(|r| r.parse().ok()).unwrap_or(-1.0);
        let expected: f64 = first.as_str().and_then(|r| r.parse().ok()).unwrap_or(-2.0);
        assert_eq!(counted + row["lost"].as_f64().unwrap_or(f64::NAN), expected, "{page}: the unsafe count and its lost updates do not add up: {demo:#}");
    }
    assert_eq!(demo["agree"], "true", "{page}: the page does not say the modes agree: {demo:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_runs_in_every_mode_in_chromium() {
    let pkg = repo_root().join("demos-wasm/pkg");
    for build in ["threads", "single"] {
        assert!(
            pkg.join(build).join("demos_wasm_bg.wasm").is_file(),
            "the demo runtime is not built ({}): run `make demos`",
            pkg.join(build).display()
        );
    }
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    let (_server, address) = serve(&repo_root(), &site);
    let pages = pages_with_demos(&site);
    assert!(!pages.is_empty(), "the book has no page with a demo");

    // A name that is not localhost: an origin that is not a secure context, where neither
    // shared memory nor service workers are allowed.
    let insecure = format!("--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1");
    let (_driver, client) = start_browser_with(&work.path().join("profile"), 1280, 1600, &[insecure]).await;
    let mut timings = Vec::new();

    // Served by site-gen: cross-origin isolated, every mode available.
    for page in &pages {
        let state = run_demos(&client, &format!("http://{address}/{page}?autorun")).await;
        screenshot(&client, &format!("isolated-{}", page.replace('/', "_").trim_end_matches(".html"))).await;
        assert_eq!(state["isolated"], true, "{page} is not cross-origin isolated");
        for demo in state["demos"].as_array().unwrap() {
            assert_eq!(demo["status"], "done", "{page}: a demo failed: {demo:#}");
            let modes: Vec<&str> = demo["rows"].as_array().unwrap().iter().map(|r| r["mode"].as_str().unwrap()).collect();
            assert_modes_agree(page, demo);
            if modes.contains(&"threads") {
                let threads = demo["rows"].as_array().unwrap().iter().find(|r| r["mode"] == "threads").unwrap();
                assert_ne!(threads["status"], "unavailable", "{page}: threads unavailable while isolated: {demo:#}");
                assert!(threads["workers"].as_f64().unwrap() > 1.0, "{page}: threads used one worker: {demo:#}");
            }
            for row in demo["rows"].as_array().unwrap() {
                timings.push(format!("{page} {}: {} {} ms, {} workers, result {}", demo["name"], row["mode"], row["ms"], row["workers"], row["result"]));
            }
        }
        // Figures quoted in the text from the reader's own runs are filled in.
        let quoted = client
            .execute("return [...document.querySelectorAll('[data-measured]')].map(e => [e.dataset.measured, e.textContent, e.classList.contains('measured')])", vec![])
            .await
            .unwrap();
        for cell in quoted.as_array().unwrap() {
            let figure = cell[0].as_str().unwrap_or_default();
            let ran = state["demos"].as_array().unwrap().iter().any(|d| {
                figure.split('.').nth(1).is_some_and(|mode| d["rows"].as_array().unwrap().iter().any(|r| r["mode"] == mode && r["status"] != "unavailable"))
            });
            if ran {
                assert_eq!(cell[2], true, "{page}: {figure} was not filled in from the run: {cell}");
                let text = cell[1].as_str().unwrap_or_default();
                assert!(text.ends_with('×') || text.ends_with(" ms") || text.parse::<u32>().is_ok(), "{page}: {figure} shows {text:?}");
            }
        }
        let errors = severe_log_entries(&client).await;
        assert!(errors.is_empty(), "{page} logged errors: {errors:#?}");
    }

    println!("wall times in headless Chromium:\n{}", timings.join("\n"));

    // Served by a plain static host that sends no special headers: the isolation service
    // worker takes over (one reload) and the threads mode works all the same.
    let plain = serve_plain(&site).await;
    for page in &pages {
        let state = run_demos(&client, &format!("http://{plain}/{page}?autorun")).await;
        screenshot(&client, &format!("service-worker-{}", page.replace('/', "_").trim_end_matches(".html"))).await;
        assert_eq!(state["isolated"], true, "{page}: the service worker did not isolate the page: {state:#}");
        assert_eq!(state["isolation"], "service-worker", "{page}: {state:#}");
        for demo in state["demos"].as_array().unwrap() {
            assert_eq!(demo["status"], "done", "{page} (service worker): a demo failed: {demo:#}");
            assert_modes_agree(page, demo);
            if let Some(threads) = demo["rows"].as_array().unwrap().iter().find(|r| r["mode"] == "threads") {
                assert!(threads["workers"].as_f64().unwrap_or(0.0) > 1.0, "{page}: threads unavailable under the service worker: {demo:#}");
            }
        }
    }

    // Not a secure context: no shared memory and no service worker, so the single-threaded
    // build runs every other mode and the threads mode says why it cannot.
    let port = plain.rsplit(':').next().unwrap();
    for page in &pages {
        let state = run_demos(&client, &format!("http://{INSECURE_HOST}:{port}/{page}?autorun")).await;
        screenshot(&client, &format!("not-isolated-{}", page.replace('/', "_").trim_end_matches(".html"))).await;
        assert_eq!(state["isolated"], false);
        assert_eq!(state["isolation"], "unavailable", "{state:#}");
        for demo in state["demos"].as_array().unwrap() {
            assert_eq!(demo["status"], "done", "{page} (not isolated): a demo failed: {demo:#}");
            // A demo whose every mode blocks while it waits (the gil demo's I/O-bound work)
            // cannot run at all without shared memory; each of its rows must say why.
            let rows = demo["rows"].as_array().unwrap();
            if rows.iter().all(|r| r["status"] == "unavailable") {
                for row in rows {
                    let text = row["text"].as_str().unwrap_or_default();
                    assert!(text.contains("HTTPS"), "{page}: the reason is not shown: {text:?}");
                }
                continue;
            }
            assert_modes_agree(page, demo);
            if let Some(threads) = demo["rows"].as_array().unwrap().iter().find(|r| r["mode"] == "threads") {
                assert_eq!(threads["status"], "unavailable", "{page}: threads must be unavailable: {demo:#}");
                assert!(threads["ms"].is_null(), "{demo:#}");
                let text = threads["text"].as_str().unwrap_or_default();
                assert!(text.contains("HTTPS"), "{page}: the reason is not shown: {text:?}");
            }
        }
    }

    client.close().await.unwrap();
}
