//! Reading a page of demos through the DOM contract (`data-demo`, `data-status`, `data-mode`,
//! `data-ms`, `data-result`, `data-workers` …) and the checks every demo test shares.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use harness::browser::Engine;
use harness::Session;
use serde_json::{json, Value};

/// How long the demos of one fixture page may take, in the slowest engine, on a busy machine.
pub const TIMEOUT: Duration = Duration::from_secs(180);

/// What the page shows: every demo's state, rows, runs (from `demoRun`) and timelines.
const READ: &str = r#"
return [...document.querySelectorAll('[data-demo]')].map(d => ({
  name: d.dataset.demo,
  id: d.id,
  status: d.dataset.status,
  agree: d.dataset.agree ?? null,
  agreement: d.querySelector('.demo-agreement')?.textContent ?? '',
  error: d.querySelector('.demo-error')?.hidden === false ? d.querySelector('.demo-error').textContent : null,
  notice: d.querySelector('.demo-notice')?.hidden === false ? d.querySelector('.demo-notice').textContent : null,
  machine: d.querySelector('.demo-machine')?.textContent ?? '',
  capabilities: JSON.parse(d.querySelector('.demo-machine')?.dataset.capabilities ?? 'null'),
  rows: [...d.querySelectorAll('[data-mode]')].map(r => ({
    mode: r.dataset.mode,
    status: r.dataset.status,
    ms: r.dataset.ms === undefined ? null : Number(r.dataset.ms),
    result: r.dataset.result ?? null,
    workers: r.dataset.workers === undefined ? null : Number(r.dataset.workers),
    expected: r.dataset.expected ?? null,
    lost: r.dataset.lost ?? null,
    note: r.dataset.note ?? null,
    longestGap: r.dataset.longestGap === undefined ? null : Number(r.dataset.longestGap),
    smallestMs: r.dataset.smallestMs === undefined ? null : Number(r.dataset.smallestMs),
    largestMs: r.dataset.largestMs === undefined ? null : Number(r.dataset.largestMs),
    text: r.innerText,
  })),
  runs: Object.fromEntries(Object.entries(d.demoRun?.results ?? {}).map(([mode, run]) =>
    [mode, { total: run.total, ms: run.ms, events: run.events, bySize: run.bySize ?? null }])),
  baseline: d.demoRun?.baseline ?? null,
  speedups: d.demoRun?.speedups ?? null,
  timelines: [...d.querySelectorAll('.demo-timeline')].map(t => ({
    header: t.querySelector('.tl-header')?.textContent,
    lanes: [...t.querySelectorAll('.tl-label')].map(l => l.textContent),
    bars: t.querySelectorAll('.tl-bar').length,
    summary: t.querySelector('.demo-visually-hidden')?.textContent,
  })),
}));
"#;

/// What every demo on the page shows now.
pub async fn read(s: &Session) -> Vec<Value> {
    s.execute(READ).await.as_array().expect("a list of demos").clone()
}

/// Opens `url` and waits until no demo on it is idle or running; returns what it shows.
pub async fn run_page(s: &Session, url: &str) -> Vec<Value> {
    s.goto(url).await;
    wait_for_demos(s, url).await
}

/// Waits until every demo on the page is done or failed (and the page is not about to reload
/// itself for the isolation service worker).
pub async fn wait_for_demos(s: &Session, what: &str) -> Vec<Value> {
    let deadline = Instant::now() + TIMEOUT;
    let settled_script = "return document.documentElement.dataset.isolation !== 'pending'";
    loop {
        // A look that fails (the page reloading itself meanwhile) is taken again.
        let looked = match (s.look(READ).await, s.look(settled_script).await) {
            (Ok(demos), Ok(settled)) => Ok((demos.as_array().expect("a list of demos").clone(), settled == Value::Bool(true))),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        if let Ok((demos, settled)) = &looked {
            assert!(!demos.is_empty() || !settled, "{}: {what} has no demo", s.engine.name());
            if *settled && !demos.is_empty() && demos.iter().all(|d| d["status"] == "done" || d["status"] == "error") {
                return demos.clone();
            }
        }
        assert!(Instant::now() < deadline, "{}: the demos on {what} did not finish: {looked:#?}", s.engine.name());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Opens `url` and waits until its first demo is built (its Run button exists).
pub async fn open_demo(s: &Session, url: &str) {
    s.goto(url).await;
    s.wait_until("return document.querySelector('.demo-run') !== null", "the demo is built", TIMEOUT).await;
}

pub fn row<'a>(demo: &'a Value, mode: &str) -> &'a Value {
    demo["rows"].as_array().unwrap().iter().find(|r| r["mode"] == mode).unwrap_or_else(|| panic!("no {mode} row: {demo:#}"))
}

/// Whether this browser gives the demos shared memory between workers (threads): every engine
/// but WebKit, which has no `SharedArrayBuffer` even on an isolated page.
pub fn shares_memory(engine: Engine) -> bool {
    engine != Engine::WebKit
}

/// The capabilities each engine must report on a cross-origin isolated page: Chromium and
/// Firefox everything; WebKit isolation and workers but no shared memory, so no threads and no
/// `Atomics.wait` in workers.
pub fn assert_capabilities_when_isolated(s: &Session, demo: &Value) {
    let shares = shares_memory(s.engine);
    let expected = json!({
        "isolated": true, "sharedMemory": shares, "wasmThreads": shares, "moduleWorkers": true,
        "serviceWorkers": true, "workerWait": shares,
    });
    assert_eq!(demo["capabilities"], expected, "{}: {demo:#}", s.engine.name());
}

/// Every row that ran reported `expected`; rows that need shared memory ran or, where the engine
/// has none, say so; the page says the modes agree; every mode that ran has a timeline.
pub fn assert_all_done_with(s: &Session, demo: &Value, expected: u64) {
    assert_speedups_as_the_catalogue_measures(demo);
    assert_eq!(demo["status"], "done", "{}: {demo:#}", s.engine.name());
    assert_eq!(demo["agree"], "true", "{}: {demo:#}", s.engine.name());
    for row in demo["rows"].as_array().unwrap() {
        if row["status"] == "unavailable" {
            assert_unavailable_for_want_of_shared_memory(s, demo, row);
            continue;
        }
        assert_eq!(row["status"], "done", "{}: {demo:#}", s.engine.name());
        assert_eq!(row["result"], expected.to_string(), "{}: {}: {demo:#}", s.engine.name(), row["mode"]);
        assert!(row["ms"].as_f64().is_some_and(|ms| ms > 0.0), "{}: {demo:#}", s.engine.name());
        assert!(row["workers"].as_f64().is_some_and(|w| w >= 1.0), "{}: {demo:#}", s.engine.name());
    }
    assert_timelines(demo);
}

/// The speed-ups the page gives (`demoRun.speedups`: the table's, the export's and the quoted
/// figures') are those `make claims` and the Python twins compute: against the catalogue's
/// baseline mode, by `demos_wasm::catalogue::speedup`.
pub fn assert_speedups_as_the_catalogue_measures(demo: &Value) {
    let name = demo["name"].as_str().unwrap();
    let baseline = demos_wasm::catalogue::find(name).unwrap().baseline;
    assert_eq!(demo["baseline"], baseline, "{name}: the page measures speed-ups against another mode: {demo:#}");
    let runs = demo["runs"].as_object().unwrap();
    let baseline_ms = runs.get(baseline).and_then(|run| run["ms"].as_f64());
    for (mode, run) in runs {
        let expected = baseline_ms.zip(run["ms"].as_f64()).and_then(|(base, ms)| demos_wasm::catalogue::speedup(base, ms));
        let found = demo["speedups"][mode].as_f64();
        let same = match (expected, found) {
            (Some(expected), Some(found)) => (expected - found).abs() <= 1e-9 * expected.abs().max(1.0),
            (expected, found) => expected == found,
        };
        assert!(same, "{name}: {mode}'s speed-up is {found:?}, the catalogue's rule gives {expected:?}: {demo:#}");
    }
}

/// A row may be unavailable only where the engine shares no memory, and must then say why in
/// the reader's words: the browser's own lack, never a server setting that is right.
pub fn assert_unavailable_for_want_of_shared_memory(s: &Session, demo: &Value, row: &Value) {
    let text = row["text"].as_str().unwrap_or_default();
    assert!(!shares_memory(s.engine), "{}: {} unavailable on an isolated page: {demo:#}", s.engine.name(), row["mode"]);
    assert!(text.contains("this browser offers no SharedArrayBuffer, although the page is cross-origin isolated"), "{}: {text:?}", s.engine.name());
    assert!(!text.contains("server") && !text.contains("COOP"), "{}: blames the server: {text:?}", s.engine.name());
}

pub fn assert_timelines(demo: &Value) {
    let done = demo["rows"].as_array().unwrap().iter().filter(|r| r["status"] == "done").count();
    let timelines = demo["timelines"].as_array().unwrap();
    assert_eq!(timelines.len(), done, "one timeline per mode that ran: {demo:#}");
    for timeline in timelines {
        assert!(timeline["bars"].as_u64().unwrap() > 0, "{timeline:#}");
        assert!(timeline["summary"].as_str().is_some_and(|s| s.contains("lane")), "{timeline:#}");
    }
}

/// The events of mode `mode`'s run of the given kind, as (lane, start, end).
pub fn spans(demo: &Value, mode: &str, kind: &str) -> Vec<(u64, f64, f64)> {
    demo["runs"][mode]["events"]
        .as_array()
        .unwrap_or_else(|| panic!("no {mode} run: {demo:#}"))
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| (e["lane"].as_f64().unwrap() as u64, e["start"].as_f64().unwrap(), e["end"].as_f64().unwrap()))
        .collect()
}

/// The most spans in progress at one moment. Times are milliseconds since 1970 from each
/// worker's clock plus its own `timeOrigin`, and browsers coarsen clocks (Firefox to 20 µs steps
/// even on an isolated page): spans that touch may seem to overlap by a step or two of two clocks,
/// so 50 µs does not count.
pub fn most_at_once(spans: &[(u64, f64, f64)]) -> usize {
    const ROUNDING: f64 = 0.05;
    let mut edges: Vec<(f64, i32)> = spans.iter().flat_map(|&(_, start, end)| [(start + ROUNDING, 1), (end, -1)]).collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0, 0);
    for (_, step) in edges {
        now += step;
        most = most.max(now);
    }
    most as usize
}

pub fn timeline<'a>(demo: &'a Value, mode: &str) -> &'a Value {
    demo["timelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["header"].as_str().is_some_and(|h| h.starts_with(&format!("{mode} "))))
        .unwrap_or_else(|| panic!("no {mode} timeline: {demo:#}"))
}

/// "primes (demo-primes): sequential 12.0 ms, threads 6.1 ms, …", for the test's report.
pub fn timings(demo: &Value) -> String {
    let rows: Vec<String> = demo["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {:.1} ms", r["mode"].as_str().unwrap(), r["ms"].as_f64().unwrap_or(f64::NAN)))
        .collect();
    format!("{} ({}): {}", demo["name"].as_str().unwrap(), demo["id"].as_str().unwrap(), rows.join(", "))
}

/// Clicks the first element matching `css`.
pub async fn click(s: &Session, css: &str) {
    let element = s.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{}: no {css}: {e}", s.engine.name()));
    element.click().await.unwrap_or_else(|e| panic!("{}: cannot click {css}: {e}", s.engine.name()));
}

/// Types `value` into the first demo's control for the parameter `name`.
pub async fn set_input(s: &Session, name: &str, value: &str) {
    let input = s.client.find(Locator::Css(&format!("input[name={name}]"))).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

/// Presses Run, waits for mode `mode` to be running and presses Stop: the run must stop within
/// five seconds, that mode's row saying so.
pub async fn stop_while_running(s: &Session, mode: &str) {
    click(s, ".demo-run").await;
    let running = format!(r#"return document.querySelector('[data-mode="{mode}"]').dataset.status === 'running'"#);
    s.wait_until(&running, &format!("{mode} runs"), TIMEOUT).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    click(s, ".demo-stop").await;
    let stopped = format!(
        r#"const d = document.querySelector('[data-demo]');
        return d.dataset.status === 'idle' && d.querySelector('.demo-state').textContent === 'Stopped.'
          && d.querySelector('[data-mode="{mode}"]').dataset.status === 'stopped'"#
    );
    s.wait_until(&stopped, "Stop ends the run", Duration::from_secs(5)).await;
}

/// The text of the first demo's refusal of its controls' values.
pub async fn refusal(s: &Session) -> String {
    s.execute("return document.querySelector('.demo-invalid').textContent").await.as_str().unwrap_or_default().to_owned()
}

/// Switches the site between light and dark with the theme's own toggle (in every engine).
pub async fn toggle_theme(s: &Session) {
    click(s, "#theme-toggle").await;
}

/// Saves demo number `index` on the page as `target/e2e/<engine>/<name>.png`.
pub async fn screenshot_demo(s: &Session, index: usize, name: &str) {
    s.screenshot_of("figure.demo", index, name).await;
}

/// A part of the figure (`css`) alone, scrolled to the middle of the window; in WebKit, whose
/// pictures of one element come out shifted from it or fail in the phone's frame, the window.
pub(crate) async fn screenshot_of_part(s: &Session, css: &str, name: &str) {
    s.execute_with("document.querySelector(arguments[0]).scrollIntoView({ block: 'center' })", vec![css.into()]).await;
    if s.engine == Engine::WebKit {
        // Its window's picture lags the page by a frame or two.
        tokio::time::sleep(Duration::from_millis(500)).await;
        s.screenshot(name).await;
        return;
    }
    let part = s.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{}: no {css}: {e}", s.engine.name()));
    match part.screenshot().await {
        Ok(png) => std::fs::write(harness::browser::screenshot_dir(s.engine).join(format!("{name}.png")), png).unwrap(),
        Err(_) => {
            s.screenshot(name).await;
        }
    }
}
