//! Every demo end to end in headless Chromium, on the `demos` fixture book (each demo with
//! small parameters): each page is opened with `?autorun`, and what the reader sees is checked
//! per demo — results that must agree do (against the kernels' own answers), the race's safe
//! modes are exact, the simulated GIL is never held by two threads at once, waits overlap where
//! they should, and every mode that ran has a timeline. Then the controls: Stop, a second run,
//! an out-of-range value refused in the page, parameters from the address, the export, keyboard
//! access to the timeline, a mode failing on purpose (`?demo-fail=<mode>`), and a page that is
//! not cross-origin isolated. Screenshots of every demo go to `target/e2e/demo-*.png`. The
//! ipc-cost and responsiveness demos have a test of their own (their log-log chart, their
//! frame meter), and so do the async-scale and hybrid demos (every mode, sizes refused above
//! their limits, the sweep figure, readable timelines at 100,000 tasks, the pipeline's overlap,
//! Stop and a forced error); the tests take turns, so only one browser runs at a time.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`make setup-test`) and the demo runtime
//! (`make demos`).

mod common;

use std::time::{Duration, Instant};

use common::{copy_fixture, ONE_BROWSER_AT_A_TIME, emulate_color_scheme, repo_root, screenshot_dir, serve, serve_plain, severe_log_entries, start_browser_with, wait_until};
use demos_wasm::kernels::gil::{GilJob, Work};
use demos_wasm::kernels::pipeline::Pipeline;
use demos_wasm::kernels::{payload, primes};
use demos_wasm::kernels::requests::{Distribution, Requests};
use fantoccini::{Client, Locator};
use serde_json::Value;

/// Resolved to 127.0.0.1 inside the browser, but not a secure context as `localhost` is.
const INSECURE_HOST: &str = "demos-fixture.lab.test";
const TIMEOUT: Duration = Duration::from_secs(120);


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
  rows: [...d.querySelectorAll('[data-mode]')].map(r => ({
    mode: r.dataset.mode,
    status: r.dataset.status,
    ms: r.dataset.ms === undefined ? null : Number(r.dataset.ms),
    result: r.dataset.result ?? null,
    workers: r.dataset.workers === undefined ? null : Number(r.dataset.workers),
    expected: r.dataset.expected ?? null,
    lost: r.dataset.lost ?? null,
    longestGap: r.dataset.longestGap === undefined ? null : Number(r.dataset.longestGap),
    smallestMs: r.dataset.smallestMs === undefined ? null : Number(r.dataset.smallestMs),
    largestMs: r.dataset.largestMs === undefined ? null : Number(r.dataset.largestMs),
    text: r.innerText,
  })),
  runs: Object.fromEntries(Object.entries(d.demoRun?.results ?? {}).map(([mode, run]) =>
    [mode, { total: run.total, events: run.events, bySize: run.bySize ?? null }])),
  timelines: [...d.querySelectorAll('.demo-timeline')].map(t => ({
    header: t.querySelector('.tl-header')?.textContent,
    lanes: [...t.querySelectorAll('.tl-label')].map(l => l.textContent),
    bars: t.querySelectorAll('.tl-bar').length,
    summary: t.querySelector('.demo-visually-hidden')?.textContent,
  })),
}));
"#;

/// Opens `url` and waits until no demo on it is idle or running; returns what `READ` reads.
async fn run_page(client: &Client, url: &str) -> Vec<Value> {
    client.goto(url).await.unwrap();
    wait_for_demos(client, url).await
}

async fn wait_for_demos(client: &Client, what: &str) -> Vec<Value> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let demos = read(client).await;
        assert!(!demos.is_empty(), "{what} has no demo");
        if demos.iter().all(|d| d["status"] == "done" || d["status"] == "error") {
            return demos;
        }
        assert!(Instant::now() < deadline, "the demos on {what} did not finish: {demos:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn read(client: &Client) -> Vec<Value> {
    client.execute(READ, vec![]).await.unwrap().as_array().unwrap().clone()
}

fn row<'a>(demo: &'a Value, mode: &str) -> &'a Value {
    demo["rows"].as_array().unwrap().iter().find(|r| r["mode"] == mode).unwrap_or_else(|| panic!("no {mode} row: {demo:#}"))
}

/// Every row ran and reported `expected`; the page says the modes agree; every mode has a
/// timeline with at least one bar.
fn assert_all_done_with(demo: &Value, expected: u64) {
    assert_eq!(demo["status"], "done", "{demo:#}");
    assert_eq!(demo["agree"], "true", "{demo:#}");
    for row in demo["rows"].as_array().unwrap() {
        assert_eq!(row["status"], "done", "{demo:#}");
        assert_eq!(row["result"], expected.to_string(), "{}: {demo:#}", row["mode"]);
        assert!(row["ms"].as_f64().is_some_and(|ms| ms > 0.0), "{demo:#}");
        assert!(row["workers"].as_f64().is_some_and(|w| w >= 1.0), "{demo:#}");
    }
    assert_timelines(demo);
}

fn assert_timelines(demo: &Value) {
    let done = demo["rows"].as_array().unwrap().iter().filter(|r| r["status"] == "done").count();
    let timelines = demo["timelines"].as_array().unwrap();
    assert_eq!(timelines.len(), done, "one timeline per mode that ran: {demo:#}");
    for timeline in timelines {
        assert!(timeline["bars"].as_u64().unwrap() > 0, "{timeline:#}");
        assert!(timeline["summary"].as_str().is_some_and(|s| s.contains("lane")), "{timeline:#}");
    }
}

/// The events of mode `mode`'s run of the given kind, as (lane, start, end).
fn spans(demo: &Value, mode: &str, kind: &str) -> Vec<(u64, f64, f64)> {
    demo["runs"][mode]["events"]
        .as_array()
        .unwrap_or_else(|| panic!("no {mode} run: {demo:#}"))
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| (e["lane"].as_f64().unwrap() as u64, e["start"].as_f64().unwrap(), e["end"].as_f64().unwrap()))
        .collect()
}

/// The most spans in progress at one moment. Times are milliseconds since 1970 as doubles, which
/// round to a quarter of a microsecond, and each worker adds its own `timeOrigin`: spans that
/// touch may seem to overlap by that much, so a hundredth of a millisecond does not count.
fn most_at_once(spans: &[(u64, f64, f64)]) -> usize {
    const ROUNDING: f64 = 0.01;
    let mut edges: Vec<(f64, i32)> = spans.iter().flat_map(|&(_, start, end)| [(start + ROUNDING, 1), (end, -1)]).collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0, 0);
    for (_, step) in edges {
        now += step;
        most = most.max(now);
    }
    most as usize
}

fn timeline<'a>(demo: &'a Value, mode: &str) -> &'a Value {
    demo["timelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["header"].as_str().is_some_and(|h| h.starts_with(&format!("{mode} "))))
        .unwrap_or_else(|| panic!("no {mode} timeline: {demo:#}"))
}

/// Saves a screenshot of demo number `index` on the page as `target/e2e/<name>.png`.
async fn screenshot_demo(client: &Client, index: usize, name: &str) {
    let demos = client.find_all(Locator::Css("figure.demo")).await.unwrap();
    let demo = &demos[index];
    client.execute("arguments[0].scrollIntoView({block: 'start'})", vec![serde_json::to_value(demo).unwrap()]).await.unwrap();
    let png = demo.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

fn demos_book() -> tempfile::TempDir {
    let pkg = repo_root().join("demos-wasm/pkg");
    for build in ["threads", "single"] {
        assert!(pkg.join(build).join("demos_wasm_bg.wasm").is_file(), "the demo runtime is not built: run `make demos`");
    }
    let book = copy_fixture("demos");
    let config = book.path().join("book.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let demos_dir = toml::Value::String(pkg.display().to_string());
    std::fs::write(&config, text.replace("\"demos-wasm/pkg\"", &demos_dir.to_string())).unwrap();
    book
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::await_holding_lock)]
async fn every_demo_runs_with_its_timeline_and_controls_in_chromium() {
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let book = demos_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    // The same site, by a name that is not a secure context (so not cross-origin isolated),
    // from a plain static host: `site-gen serve` answers loopback names only.
    let plain = serve_plain(&work.path().join("site")).await;
    let port = plain.rsplit(':').next().unwrap().to_owned();
    let rules = format!("--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1");
    let (_driver, client) = start_browser_with(&work.path().join("profile"), 1200, 1400, &[rules]).await;
    let base = format!("http://{address}");
    let mut report = Vec::new();

    // Primes: every mode counts π(300,000).
    let demos = run_page(&client, &format!("{base}/primes.html?autorun")).await;
    let primes = &demos[0];
    assert_all_done_with(primes, primes::count_primes_below(300_000, 16));
    assert_eq!(row(primes, "threads")["workers"], 2.0, "{primes:#}");
    assert_eq!(timeline(primes, "sequential")["lanes"], serde_json::json!(["worker"]), "{primes:#}");
    assert_eq!(timeline(primes, "processes")["lanes"], serde_json::json!(["worker 1", "worker 2"]), "{primes:#}");
    assert_eq!(timeline(primes, "async")["lanes"], serde_json::json!(["page thread"]), "{primes:#}");
    assert!(primes["machine"].as_str().unwrap().contains("has module workers, cross-origin isolation, SharedArrayBuffer, WebAssembly threads, Atomics.wait in workers"), "{primes:#}");
    screenshot_demo(&client, 0, "demo-primes").await;
    emulate_color_scheme(&client, "dark").await;
    screenshot_demo(&client, 0, "demo-primes-dark").await;
    emulate_color_scheme(&client, "").await;
    report.push(timings(primes));

    // The timeline from the keyboard: focusing a chart describes a bar; arrows move on.
    let details = client
        .execute(
            r#"const svg = document.querySelector('.demo-timeline svg');
               svg.focus();
               const first = document.querySelector('.demo-details').textContent;
               svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
               return [first, document.querySelector('.demo-details').textContent];"#,
            vec![],
        )
        .await
        .unwrap();
    let (first, second) = (details[0].as_str().unwrap(), details[1].as_str().unwrap());
    assert!(first.starts_with("sequential · worker · chunk ") && first.contains("primes"), "{first:?}");
    assert!(second.starts_with("sequential · worker · chunk ") && second != first, "{second:?}");

    // I/O: every mode waits for the same seeded latencies; async has them all in flight at once.
    let demos = run_page(&client, &format!("{base}/io-bound.html?autorun")).await;
    let io = &demos[0];
    let requests = Requests { count: 12, mean_ms: 20, distribution: Distribution::Uniform, seed: 7 };
    assert_all_done_with(io, requests.total_latency_ms());
    assert_eq!(most_at_once(&spans(io, "sequential", "wait")), 1, "one request at a time: {io:#}");
    assert!(most_at_once(&spans(io, "async", "wait")) >= 6, "async waits for the requests together: {io:#}");
    assert!(most_at_once(&spans(io, "threads", "wait")) <= 3, "three threads wait for at most three: {io:#}");
    screenshot_demo(&client, 0, "demo-io-bound").await;
    report.push(timings(io));

    // The GIL: the same primes either way; with the GIL on, no two threads hold it at once, and
    // it changes hands; I/O waits still overlap.
    let demos = run_page(&client, &format!("{base}/gil.html?autorun")).await;
    let (cpu, io) = (&demos[0], &demos[1]);
    let cpu_job = GilJob { work: Work::Cpu, n: 400_000, tasks: 8, wait_ms: 40, gil: true, switch_ms: 2.0 };
    assert_all_done_with(cpu, cpu_job.expected_total());
    let holds = spans(cpu, "threads", "hold");
    assert_eq!(most_at_once(&holds), 1, "two threads held the GIL at once: {holds:?}");
    let mut by_start = holds.clone();
    by_start.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert!(by_start.windows(2).any(|pair| pair[0].0 != pair[1].0), "the GIL never changed hands: {holds:?}");
    assert_eq!(timeline(cpu, "threads")["lanes"][0], "GIL", "{cpu:#}");
    let io_job = GilJob { work: Work::Io, tasks: 6, wait_ms: 30, ..cpu_job };
    assert_all_done_with(io, io_job.expected_total());
    assert!(most_at_once(&spans(io, "threads", "wait")) >= 2, "I/O waits overlap despite the GIL: {io:#}");
    screenshot_demo(&client, 1, "demo-gil-io").await;
    // Pointing at a bar of the GIL lane shows who held it, next to the bar.
    let tooltip = client
        .execute(
            r#"document.querySelector('figure.demo').scrollIntoView();
               const threads = [...document.querySelectorAll('figure.demo')[0].querySelectorAll('.demo-timeline')]
                 .find(t => t.querySelector('.tl-header').textContent.startsWith('threads '));
               threads.querySelectorAll('rect.tl-hold')[3].dispatchEvent(new PointerEvent('pointermove', { bubbles: true }));
               const tip = document.querySelector('figure.demo .demo-tooltip');
               return tip.hidden ? null : tip.textContent;"#,
            vec![],
        )
        .await
        .unwrap();
    assert!(tooltip.as_str().is_some_and(|t| t.starts_with("threads · GIL, held by thread ")), "{tooltip}");
    let png = client.find(Locator::Css("figure.demo")).await.unwrap().screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("demo-gil-cpu.png"), png).unwrap();
    report.push(timings(cpu));
    report.push(timings(io));

    // The race: every safe mode is exact; the unsafe one can only lose updates, and says how many.
    let demos = run_page(&client, &format!("{base}/race.html?autorun")).await;
    let race = &demos[0];
    assert_eq!(race["status"], "done", "{race:#}");
    assert_eq!(race["agree"], "true", "{race:#}");
    for mode in ["sequential", "lock", "atomic", "processes"] {
        assert_eq!(row(race, mode)["result"], "600000", "{mode}: {race:#}");
    }
    let unsafe_row = row(race, "unsafe");
    let (counted, lost) = (unsafe_row["result"].as_str().unwrap(), unsafe_row["lost"].as_str().unwrap());
    assert_eq!(counted.parse::<u64>().unwrap() + lost.parse::<u64>().unwrap(), 600_000, "{race:#}");
    assert_timelines(race);
    screenshot_demo(&client, 0, "demo-race").await;
    report.push(format!("{}; unsafe lost {lost} of 600000 updates", timings(race)));

    let errors = severe_log_entries(&client).await;
    assert!(errors.is_empty(), "the demo pages logged errors: {errors:#?}");

    // Stop: a long run stops at once; the next run works.
    client.goto(&format!("{base}/primes.html?primes.n=20000000")).await.unwrap();
    wait_until(&client, "return document.querySelector('.demo-run') !== null", "the demo is built", TIMEOUT).await;
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    let running = r#"return document.querySelector('[data-mode="sequential"]').dataset.status === 'running'"#;
    wait_until(&client, running, "the first mode runs", TIMEOUT).await;
    client.find(Locator::Css(".demo-stop")).await.unwrap().click().await.unwrap();
    let stopped = r#"const d = document.querySelector('[data-demo]');
        return d.dataset.status === 'idle' && d.querySelector('.demo-state').textContent === 'Stopped.'
          && d.querySelector('[data-mode="sequential"]').dataset.status === 'stopped'"#;
    wait_until(&client, stopped, "Stop ends the run", Duration::from_secs(5)).await;
    let n = client.find(Locator::Css("input[name=n]")).await.unwrap();
    n.clear().await.unwrap();
    n.send_keys("10000").await.unwrap();
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    let demos = wait_for_demos(&client, "the run after Stop").await;
    assert_all_done_with(&demos[0], 1_229);

    // Out of range in the page: refused with a message, nothing runs.
    n.clear().await.unwrap();
    n.send_keys("5").await.unwrap();
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    let refusal = client.execute("return document.querySelector('.demo-invalid').textContent", vec![]).await.unwrap();
    assert!(refusal.as_str().unwrap().contains("must be a whole number from 1,000 to 20,000,000"), "{refusal}");
    assert_eq!(read(&client).await[0]["status"], "done");

    // Parameters from the address; unknown or refused ones are explained; the export's link
    // reopens the page with the same parameters.
    let url = format!("{base}/primes.html?autorun&primes.n=1000&primes.chunks=4&primes.workers=3&primes.bogus=1&primes.modes=sequential,processes");
    let demos = run_page(&client, &url).await;
    let primes = &demos[0];
    assert_all_done_with(primes, 168);
    assert_eq!(primes["rows"].as_array().unwrap().len(), 2, "{primes:#}");
    assert_eq!(row(primes, "processes")["workers"], 3.0, "{primes:#}");
    assert!(primes["notice"].as_str().is_some_and(|n| n.contains("ignored ?primes.bogus")), "{primes:#}");
    let export = client
        .execute("const e = document.querySelector('[data-demo]').demoExport; return [e.markdown(), e.json(), e.link()]", vec![])
        .await
        .unwrap();
    let markdown = export[0].as_str().unwrap();
    assert!(markdown.contains("| Mode | Wall time (ms) | Speed-up | Workers | Primes found |"), "{markdown}");
    assert!(markdown.contains("| processes | ") && markdown.contains("| 168 |"), "{markdown}");
    let json: Value = serde_json::from_str(export[1].as_str().unwrap()).unwrap();
    assert_eq!((json["demo"].as_str(), json["params"]["n"].as_u64(), json["agree"].as_bool()), (Some("primes"), Some(1000), Some(true)));
    assert_eq!(json["results"][1]["result"], 168);
    let link = export[2].as_str().unwrap();
    assert!(link.contains("primes.n=1000") && link.contains("primes.modes=sequential%2Cprocesses") && link.ends_with("#demo-primes"), "{link}");
    assert!(!link.contains("autorun") && !link.contains("bogus"), "{link}");
    let (page, fragment) = link.split_once('#').unwrap();
    client.goto(&format!("{page}&autorun#{fragment}")).await.unwrap();
    let demos = wait_for_demos(&client, link).await;
    assert_all_done_with(&demos[0], 168);

    // A mode failing on purpose: its row and the demo say error; the other modes still run.
    let demos = run_page(&client, &format!("{base}/primes.html?autorun&demo-fail=processes&primes.n=10000")).await;
    let failed = &demos[0];
    assert_eq!(failed["status"], "error", "{failed:#}");
    assert_eq!(row(failed, "processes")["status"], "error", "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("processes: Rust panic: failing on purpose")), "{failed:#}");
    for mode in ["sequential", "threads", "async"] {
        assert_eq!(row(failed, mode)["result"], "1229", "{failed:#}");
    }
    let errors = severe_log_entries(&client).await;
    assert!(errors.iter().all(|e| e.contains("failing on purpose")), "unexpected errors: {errors:#?}");

    // Not cross-origin isolated: what needs shared memory says why, the rest runs.
    let demos = run_page(&client, &format!("http://{INSECURE_HOST}:{port}/io-bound.html?autorun")).await;
    let io = &demos[0];
    assert_eq!(io["status"], "done", "{io:#}");
    for mode in ["sequential", "threads"] {
        let unavailable = row(io, mode);
        assert_eq!(unavailable["status"], "unavailable", "{io:#}");
        assert!(unavailable["text"].as_str().unwrap().contains("not cross-origin isolated"), "{io:#}");
    }
    for mode in ["processes", "async"] {
        assert_eq!(row(io, mode)["result"], requests.total_latency_ms().to_string(), "{io:#}");
    }
    assert!(io["machine"].as_str().unwrap().contains("not cross-origin isolated"), "{io:#}");
    let demos = run_page(&client, &format!("http://{INSECURE_HOST}:{port}/race.html?autorun")).await;
    let race = &demos[0];
    assert_eq!((row(race, "sequential")["result"].as_str(), row(race, "processes")["result"].as_str()), (Some("600000"), Some("600000")));
    assert_eq!(row(race, "unsafe")["status"], "unavailable", "{race:#}");
    screenshot_demo(&client, 0, "demo-race-not-isolated").await;

    // A phone's width: the timelines fit.
    client.set_window_size(390, 1400).await.unwrap();
    let demos = run_page(&client, &format!("{base}/gil.html?autorun")).await;
    assert_eq!(demos[0]["status"], "done");
    let overflow = client
        .execute("return [...document.querySelectorAll('.demo-timeline svg')].every(s => s.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)", vec![])
        .await
        .unwrap();
    assert_eq!(overflow, Value::Bool(true), "a timeline is wider than the phone's screen");
    screenshot_demo(&client, 0, "demo-gil-phone").await;

    println!("demos fixture, wall times in headless Chromium:\n{}", report.join("\n"));
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::await_holding_lock)]
async fn the_scale_and_pipeline_demos_run_refuse_and_stop_in_chromium() {
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let book = demos_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    let (_driver, client) = start_browser_with(&work.path().join("profile"), 1200, 1400, &[]).await;
    let base = format!("http://{address}");
    let mut report = Vec::new();

    // Async scale: forty tasks in every mode, swept from ten; a hundred thousand on the event loop
    // alone, the pool and the workers refusing with their reasons.
    let demos = run_page(&client, &format!("{base}/async-scale.html?autorun")).await;
    let (small, large) = (&demos[0], &demos[1]);
    assert_all_done_with(small, 40);
    assert_eq!(row(small, "processes")["workers"], 40.0, "one worker per task: {small:#}");
    assert_eq!(row(small, "threads")["workers"], 8.0, "{small:#}");
    assert!(most_at_once(&spans(small, "async", "wait")) >= 30, "async has the tasks in flight together: {small:#}");
    assert!(most_at_once(&spans(small, "threads", "wait")) <= 8, "eight threads wait for at most eight: {small:#}");
    assert_eq!(timeline(small, "async")["lanes"], serde_json::json!(["page thread"]), "{small:#}");
    let worker_lanes = timeline(small, "processes")["lanes"].as_array().unwrap().clone();
    assert!(worker_lanes.len() <= 16 && worker_lanes[0] == "worker 1–3", "forty workers in groups: {worker_lanes:?}");
    let figure = client
        .execute(
            r#"const d = document.querySelectorAll('[data-demo]')[0];
               return { sizes: [...d.querySelectorAll('.demo-sweep-table tbody tr')].map(r => Number(r.dataset.n)),
                        lines: d.querySelectorAll('.demo-sweep-chart .sw-mode').length,
                        points: d.querySelectorAll('.demo-sweep-chart .sw-point').length,
                        startup: d.querySelector('[data-mode="processes"]').dataset.startupMs,
                        memory: d.querySelector('[data-mode="processes"]').dataset.memoryBytes,
                        pageMemory: d.querySelector('[data-mode="async"]').dataset.memoryBytes,
                        heap: d.demoRun.results.async.extra.heapBytes ?? null };"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(figure["sizes"], serde_json::json!(demos_wasm::kernels::scale::sweep_sizes(40)), "{figure}");
    assert_eq!((figure["lines"].as_u64(), figure["points"].as_u64()), (Some(3), Some(6)), "{figure}");
    assert!(figure["startup"].as_str().and_then(|s| s.parse::<f64>().ok()).is_some_and(|ms| ms > 0.0), "{figure}");
    // Every worker's whole WebAssembly memory (at least a 64 KiB page each), in the Memory column.
    assert!(figure["memory"].as_str().and_then(|s| s.parse::<f64>().ok()).is_some_and(|b| b >= 40.0 * 65_536.0), "{figure}");
    assert!(figure["pageMemory"].as_str().and_then(|s| s.parse::<f64>().ok()).is_some(), "{figure}");
    assert!(figure["heap"].as_f64().is_some(), "Chromium says how the page's heap grew: {figure}");
    screenshot_demo(&client, 0, "demo-async-scale").await;
    report.push(timings(small));

    assert_eq!(large["status"], "done", "{large:#}");
    assert_eq!(large["agree"], "true", "{large:#}");
    assert_eq!(row(large, "async")["result"], "100000", "{large:#}");
    for (mode, why) in [("threads", "4 threads blocked by 100000 tasks"), ("processes", "at most 10 (max_processes)")] {
        let refused = row(large, mode);
        assert_eq!(refused["status"], "refused", "{large:#}");
        assert!(refused["text"].as_str().unwrap().contains(why), "{mode}: {large:#}");
    }
    let timelines = large["timelines"].as_array().unwrap();
    assert_eq!(timelines.len(), 1, "only the mode that ran has a timeline: {large:#}");
    let bars = timelines[0]["bars"].as_u64().unwrap();
    assert!((1..=320).contains(&bars), "100,000 tasks drawn as at most 320 bars, not {bars}");
    assert!(timelines[0]["summary"].as_str().unwrap().contains("100000 tasks"), "{large:#}");
    screenshot_demo(&client, 1, "demo-async-scale-100k").await;
    report.push(timings(large));

    // Hybrid: every mode stores every item once; the CPU stage runs one item at a time on the
    // page, on two workers beside the page's fetches otherwise.
    let demos = run_page(&client, &format!("{base}/hybrid.html?autorun")).await;
    let hybrid = &demos[0];
    let job = Pipeline { items: 8, fetch_ms: 20, store_ms: 10, chunk: 20_000, seed: 2 };
    assert_all_done_with(hybrid, job.expected_checksum());
    assert_eq!(timeline(hybrid, "async")["lanes"], serde_json::json!(["page thread: I/O", "page thread: CPU"]), "{hybrid:#}");
    assert_eq!(
        timeline(hybrid, "async-processes")["lanes"],
        serde_json::json!(["page thread: I/O", "worker 1", "worker 2"]),
        "{hybrid:#}"
    );
    assert_eq!(most_at_once(&spans(hybrid, "async", "task")), 1, "the page computes one item at a time: {hybrid:#}");
    assert!(most_at_once(&spans(hybrid, "async-processes", "task")) <= 2, "{hybrid:#}");
    assert!(most_at_once(&spans(hybrid, "async-processes", "fetch")) >= 4, "the fetches are in flight together: {hybrid:#}");
    for mode in ["async", "threads", "async-processes"] {
        assert_eq!(spans(hybrid, mode, "store").len(), 8, "{mode}: {hybrid:#}");
    }
    screenshot_demo(&client, 0, "demo-hybrid").await;
    report.push(timings(hybrid));

    let errors = severe_log_entries(&client).await;
    assert!(errors.is_empty(), "the demo pages logged errors: {errors:#?}");

    // Stop, in the middle of starting a worker per task and of a long pipeline; the next run works.
    for (page, stop_mode, bigger) in [
        ("async-scale", "processes", "async-scale.modes=processes&async-scale.tasks=64&async-scale.max_processes=64&async-scale.mean_ms=1000"),
        // (Not the async mode: its CPU stages keep the page's thread busy, so the test's own
        // scripts would wait behind them, while a reader's click, which is input, gets in between
        // two items.)
        ("hybrid", "async-processes", "hybrid.modes=async-processes&hybrid.items=200&hybrid.chunk=200000"),
    ] {
        client.goto(&format!("{base}/{page}.html?{bigger}")).await.unwrap();
        wait_until(&client, "return document.querySelector('.demo-run') !== null", "the demo is built", TIMEOUT).await;
        client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
        let running = format!(r#"return document.querySelector('[data-mode="{stop_mode}"]').dataset.status === 'running'"#);
        wait_until(&client, &running, "the first mode runs", TIMEOUT).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        client.find(Locator::Css(".demo-stop")).await.unwrap().click().await.unwrap();
        let stopped = format!(
            r#"const d = document.querySelector('[data-demo]');
               return d.dataset.status === 'idle' && d.querySelector('.demo-state').textContent === 'Stopped.'
                 && d.querySelector('[data-mode="{stop_mode}"]').dataset.status === 'stopped'"#
        );
        wait_until(&client, &stopped, &format!("Stop ends the {page} run"), Duration::from_secs(5)).await;
    }
    client.goto(&format!("{base}/hybrid.html")).await.unwrap();
    wait_until(&client, "return document.querySelector('.demo-run') !== null", "the demo is built", TIMEOUT).await;
    let items = client.find(Locator::Css("input[name=items]")).await.unwrap();
    items.clear().await.unwrap();
    items.send_keys("3").await.unwrap();
    let chunk = client.find(Locator::Css("input[name=chunk]")).await.unwrap();
    chunk.clear().await.unwrap();
    chunk.send_keys("5000").await.unwrap();
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    let demos = wait_for_demos(&client, "the hybrid run after Stop").await;
    let small_job = Pipeline { items: 3, chunk: 5_000, ..job };
    assert_all_done_with(&demos[0], small_job.expected_checksum());

    // Out of range in the page: refused with a message, nothing runs.
    client.goto(&format!("{base}/async-scale.html")).await.unwrap();
    wait_until(&client, "return document.querySelector('.demo-run') !== null", "the demo is built", TIMEOUT).await;
    let tasks = client.find(Locator::Css("input[name=tasks]")).await.unwrap();
    tasks.clear().await.unwrap();
    tasks.send_keys("200000").await.unwrap();
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    // A run waits for its turn (the page's demos warming up first), then refuses.
    wait_until(&client, "return document.querySelector('.demo-invalid').textContent !== ''", "the refusal", TIMEOUT).await;
    let refusal = client.execute("return document.querySelector('.demo-invalid').textContent", vec![]).await.unwrap();
    assert!(refusal.as_str().unwrap().contains("must be a whole number from 10 to 100,000"), "{refusal}");
    assert_eq!(read(&client).await[0]["status"], "idle");

    // A mode failing on purpose: its row and the demo say error; the other modes still run.
    let demos = run_page(&client, &format!("{base}/async-scale.html?autorun&demo-fail=threads")).await;
    let failed = &demos[0];
    assert_eq!(failed["status"], "error", "{failed:#}");
    assert_eq!(row(failed, "threads")["status"], "error", "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("threads: Rust panic: failing on purpose")), "{failed:#}");
    for mode in ["async", "processes"] {
        assert_eq!(row(failed, mode)["result"], "40", "{failed:#}");
    }
    let demos = run_page(&client, &format!("{base}/hybrid.html?autorun&demo-fail=async-processes")).await;
    let failed = &demos[0];
    assert_eq!(row(failed, "async-processes")["status"], "error", "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("async-processes: Rust panic: failing on purpose")), "{failed:#}");
    for mode in ["async", "threads"] {
        assert_eq!(row(failed, mode)["result"], job.expected_checksum().to_string(), "{failed:#}");
    }
    let errors = severe_log_entries(&client).await;
    assert!(errors.iter().all(|e| e.contains("failing on purpose")), "unexpected errors: {errors:#?}");

    println!("demos fixture, wall times in headless Chromium:\n{}", report.join("\n"));
    client.close().await.unwrap();
}

fn timings(demo: &Value) -> String {
    let rows: Vec<String> = demo["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {:.1} ms", r["mode"].as_str().unwrap(), r["ms"].as_f64().unwrap_or(f64::NAN)))
        .collect();
    format!("{} ({}): {}", demo["name"].as_str().unwrap(), demo["id"].as_str().unwrap(), rows.join(", "))
}

/// The async-scale and hybrid demos at the catalogue's default parameters, printed (not checked:
/// times depend on the machine). Run with
/// `cargo test -p site-gen --test browser_demos defaults -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measures for a few seconds; run by hand"]
#[allow(clippy::await_holding_lock)]
async fn the_scale_and_pipeline_demos_at_their_defaults() {
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let book = demos_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    let (_driver, client) = start_browser_with(&work.path().join("profile"), 1200, 2400, &[]).await;
    let base = format!("http://{address}");
    let mut lines = Vec::new();
    for (page, query) in [
        ("async-scale", "async-scale.tasks=1000&async-scale.mean_ms=50&async-scale.seed=1&async-scale.workers=16&async-scale.max_processes=64&async-scale-2.modes=async"),
        ("hybrid", "hybrid.items=24&hybrid.fetch_ms=40&hybrid.chunk=60000&hybrid.store_ms=20&hybrid.seed=1"),
    ] {
        let demos = run_page(&client, &format!("{base}/{page}.html?autorun&{query}")).await;
        for demo in &demos {
            lines.push(format!("{}: {}", timings(demo), demo["agreement"].as_str().unwrap_or("")));
            for r in demo["rows"].as_array().unwrap() {
                lines.push(format!("  {}", r["text"].as_str().unwrap().replace(['\n', '\t'], " | ")));
            }
        }
        let sweep = client
            .execute("return [...document.querySelectorAll('.demo-sweep-table')].map(t => t.innerText.replace(/\\t/g, ' | '))", vec![])
            .await
            .unwrap();
        for table in sweep.as_array().unwrap() {
            lines.push(table.as_str().unwrap().to_owned());
        }
        screenshot_demo(&client, 0, &format!("demo-{page}-defaults")).await;
    }
    println!("{}", lines.join("\n"));
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::await_holding_lock)]
async fn ipc_cost_and_responsiveness_run_with_their_charts_in_chromium() {
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let book = demos_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    // The same site, by a name that is not a secure context (so not cross-origin isolated),
    // from a plain static host: `site-gen serve` answers loopback names only.
    let plain = serve_plain(&work.path().join("site")).await;
    let port = plain.rsplit(':').next().unwrap().to_owned();
    let rules = format!("--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1");
    let (_driver, client) = start_browser_with(&work.path().join("profile"), 1200, 1400, &[rules]).await;
    let base = format!("http://{address}");
    let mut report = Vec::new();

    // ipc-cost: every mode's worker received the same bytes (checksums from the kernel); each
    // mode timed every size; the log-log chart has a line per mode and a point per size.
    let sizes = payload::sizes(1, 1024, 6);
    let demos = run_page(&client, &format!("{base}/ipc-cost.html?autorun")).await;
    let ipc = &demos[0];
    assert_all_done_with(ipc, payload::expected_total(&sizes));
    for mode in ["copy", "transfer", "shared"] {
        let by_size = ipc["runs"][mode]["bySize"].as_array().unwrap_or_else(|| panic!("{mode}: {ipc:#}"));
        let bytes: Vec<u64> = by_size.iter().map(|s| s["bytes"].as_u64().unwrap()).collect();
        assert_eq!(bytes, sizes.iter().map(|&b| u64::from(b)).collect::<Vec<_>>(), "{mode}");
        assert!(by_size.iter().all(|s| s["times"].as_array().unwrap().len() == 3 && s["medianMs"].as_f64().unwrap() > 0.0), "{mode}: {by_size:#?}");
        let row = row(ipc, mode);
        assert!(row["smallestMs"].as_f64().is_some() && row["largestMs"].as_f64().is_some(), "{row:#}");
        // One outlined bar per round trip on the page's lane, one bar per message on the worker's.
        assert_eq!(timeline(ipc, mode)["lanes"], serde_json::json!(["page thread", "worker"]), "{ipc:#}");
        assert_eq!(spans(ipc, mode, "wait").len(), sizes.len() * 4, "{mode}");
        assert_eq!(spans(ipc, mode, "task").len(), sizes.len() * 4, "{mode}");
    }
    let chart = client
        .execute(
            r#"const c = document.querySelector('.demo-round-trips');
               return { hidden: c.hidden, lines: [...c.querySelectorAll('.rt-mode')].map(g => [g.getAttribute('class'), g.querySelectorAll('circle').length]),
                        titles: [...c.querySelectorAll('.rt-title')].map(t => t.textContent),
                        ticks: [...c.querySelectorAll('.rt-tick')].map(t => t.textContent) };"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(chart["hidden"], false, "{chart:#}");
    assert_eq!(
        chart["lines"],
        serde_json::json!([["rt-mode demo-mode-copy", 6], ["rt-mode demo-mode-transfer", 6], ["rt-mode demo-mode-shared", 6]]),
        "{chart:#}"
    );
    assert!(chart["titles"].to_string().contains("payload size") && chart["titles"].to_string().contains("round trip"), "{chart:#}");
    assert!(chart["ticks"].to_string().contains("\"1 KB\"") && chart["ticks"].to_string().contains("\"1 MB\""), "{chart:#}");
    screenshot_demo(&client, 0, "demo-ipc-cost").await;
    emulate_color_scheme(&client, "dark").await;
    screenshot_demo(&client, 0, "demo-ipc-cost-dark").await;
    emulate_color_scheme(&client, "").await;
    report.push(format!("{}; {}", timings(ipc), medians(ipc)));

    // Responsiveness: every mode counts π(300,000); each row has its longest frame gap; the
    // timeline has a lane of frame gaps next to the count's lane.
    let demos = run_page(&client, &format!("{base}/responsiveness.html?autorun")).await;
    let responsive = &demos[0];
    assert_all_done_with(responsive, primes::count_primes_below(300_000, 30));
    for mode in ["blocking", "yielding", "worker"] {
        assert!(row(responsive, mode)["longestGap"].as_f64().is_some_and(|gap| gap > 0.0), "{responsive:#}");
        let lanes = &timeline(responsive, mode)["lanes"];
        let count_lane = if mode == "worker" { "worker" } else { "page thread" };
        assert_eq!(*lanes, serde_json::json!([count_lane, "frames"]), "{responsive:#}");
    }
    // The blocking mode holds the page's thread for the whole count, so no frame can come
    // between its start and its end: its longest gap covers at least its wall time.
    let blocking = row(responsive, "blocking");
    assert!(blocking["longestGap"].as_f64().unwrap() >= blocking["ms"].as_f64().unwrap() - 0.1, "{responsive:#}");
    let meter = client.execute("return document.querySelector('.demo-frame-meter').dataset.longestGap ?? null", vec![]).await.unwrap();
    assert!(meter.as_str().is_some_and(|gap| gap.parse::<f64>().is_ok()), "{meter}");
    screenshot_demo(&client, 0, "demo-responsiveness").await;
    emulate_color_scheme(&client, "dark").await;
    screenshot_demo(&client, 0, "demo-responsiveness-dark").await;
    emulate_color_scheme(&client, "").await;
    report.push(format!("{}; {}", timings(responsive), gaps(responsive)));

    let errors = severe_log_entries(&client).await;
    assert!(errors.is_empty(), "the demo pages logged errors: {errors:#?}");

    // Stop during the largest copies: the run stops at once; the next run works.
    client.goto(&format!("{base}/ipc-cost.html?ipc-cost.min_kb=65536&ipc-cost.max_kb=65536&ipc-cost.repeats=25")).await.unwrap();
    stop_while_running(&client, "copy").await;
    set_input(&client, "min_kb", "1").await;
    set_input(&client, "max_kb", "4").await;
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    let demos = wait_for_demos(&client, "the ipc-cost run after Stop").await;
    assert_all_done_with(&demos[0], payload::expected_total(&payload::sizes(1, 4, 6)));
    // Out of range in the page: more than 64 MB is refused with a message, nothing runs.
    set_input(&client, "max_kb", "100000").await;
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    let refusal = client.execute("return document.querySelector('.demo-invalid').textContent", vec![]).await.unwrap();
    assert!(refusal.as_str().unwrap().contains("largest (KB) (max_kb) must be a whole number from 1 to 65,536"), "{refusal}");
    assert_eq!(read(&client).await[0]["status"], "done");

    // Stop while the count yields on the page's thread: the next chunk sees it and stops.
    client.goto(&format!("{base}/responsiveness.html?responsiveness.n=5000000&responsiveness.chunks=4096&responsiveness.modes=yielding,worker")).await.unwrap();
    stop_while_running(&client, "yielding").await;
    let readout = "return document.querySelector('.demo-frame-readout').textContent.includes('— yielding:')";
    wait_until(&client, readout, "the frame meter stops with the run", Duration::from_secs(5)).await;
    let meter_stopped = client.execute("return document.querySelector('.demo-frame-readout').textContent", vec![]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let still = client.execute("return document.querySelector('.demo-frame-readout').textContent", vec![]).await.unwrap();
    assert_eq!(meter_stopped, still, "the frame meter stops with the run");
    set_input(&client, "n", "6000000").await;
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    let refusal = client.execute("return document.querySelector('.demo-invalid').textContent", vec![]).await.unwrap();
    assert!(refusal.as_str().unwrap().contains("must be a whole number from 1,000 to 5,000,000"), "{refusal}");

    // A mode failing on purpose: its row and the demo say error; the other modes still run.
    let demos = run_page(&client, &format!("{base}/ipc-cost.html?autorun&demo-fail=transfer")).await;
    let failed = &demos[0];
    assert_eq!((failed["status"].as_str(), row(failed, "transfer")["status"].as_str()), (Some("error"), Some("error")), "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("transfer: Rust panic: failing on purpose")), "{failed:#}");
    for mode in ["copy", "shared"] {
        assert_eq!(row(failed, mode)["result"], payload::expected_total(&sizes).to_string(), "{failed:#}");
    }
    let demos = run_page(&client, &format!("{base}/responsiveness.html?autorun&demo-fail=worker")).await;
    let failed = &demos[0];
    assert_eq!((failed["status"].as_str(), row(failed, "worker")["status"].as_str()), (Some("error"), Some("error")), "{failed:#}");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("worker: Rust panic: failing on purpose")), "{failed:#}");
    for mode in ["blocking", "yielding"] {
        assert_eq!(row(failed, mode)["result"], primes::count_primes_below(300_000, 30).to_string(), "{failed:#}");
    }
    let errors = severe_log_entries(&client).await;
    assert!(errors.iter().all(|e| e.contains("failing on purpose")), "unexpected errors: {errors:#?}");

    // Not cross-origin isolated: sharing memory says why; copying and transferring still run.
    let demos = run_page(&client, &format!("http://{INSECURE_HOST}:{port}/ipc-cost.html?autorun")).await;
    let ipc = &demos[0];
    assert_eq!((ipc["status"].as_str(), ipc["agree"].as_str()), (Some("done"), Some("true")), "{ipc:#}");
    let shared = row(ipc, "shared");
    assert_eq!(shared["status"], "unavailable", "{ipc:#}");
    assert!(shared["text"].as_str().unwrap().contains("not cross-origin isolated"), "{ipc:#}");
    for mode in ["copy", "transfer"] {
        assert_eq!(row(ipc, mode)["result"], payload::expected_total(&sizes).to_string(), "{ipc:#}");
    }
    screenshot_demo(&client, 0, "demo-ipc-cost-not-isolated").await;

    // A phone's width: the chart, the meter and the timelines fit.
    client.set_window_size(390, 1400).await.unwrap();
    for page in ["ipc-cost", "responsiveness"] {
        let demos = run_page(&client, &format!("{base}/{page}.html?autorun")).await;
        assert_eq!(demos[0]["status"], "done");
        let overflow = client
            .execute("return [...document.querySelectorAll('.demo svg')].every(s => s.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)", vec![])
            .await
            .unwrap();
        assert_eq!(overflow, Value::Bool(true), "{page}: a chart is wider than the phone's screen");
        screenshot_demo(&client, 0, &format!("demo-{page}-phone")).await;
    }

    println!("ipc-cost and responsiveness, in headless Chromium:\n{}", report.join("\n"));
    client.close().await.unwrap();
}

/// "copy 1 KB 0.1 ms … 1 MB 2.0 ms; transfer …": each mode's median round trip per size.
fn medians(demo: &Value) -> String {
    let modes: Vec<String> = demo["runs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(mode, run)| {
            let sizes: Vec<String> = run["bySize"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| format!("{} KB {:.3} ms", s["bytes"].as_u64().unwrap() / 1024, s["medianMs"].as_f64().unwrap()))
                .collect();
            format!("{mode}: {}", sizes.join(", "))
        })
        .collect();
    modes.join("; ")
}

/// "blocking 312.0 ms, …": each mode's longest frame gap.
fn gaps(demo: &Value) -> String {
    let rows: Vec<String> = demo["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} longest frame gap {:.1} ms", r["mode"].as_str().unwrap(), r["longestGap"].as_f64().unwrap_or(f64::NAN)))
        .collect();
    rows.join(", ")
}

/// Not a check: runs ipc-cost and responsiveness with the catalogue's default parameters and
/// prints the figures (`cargo test -p site-gen --test browser_demos defaults -- --ignored --nocapture`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::await_holding_lock)]
#[ignore = "a measurement at the default parameters, not a check; takes a minute"]
async fn ipc_cost_and_responsiveness_at_their_defaults() {
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let book = demos_book();
    let work = tempfile::tempdir().unwrap();
    let (_server, address) = serve(book.path(), &work.path().join("site"));
    let (_driver, client) = start_browser_with(&work.path().join("profile"), 1200, 1400, &[]).await;
    let base = format!("http://{address}");
    let defaults = |demo: &str| -> String {
        let spec = demos_wasm::find(demo).unwrap();
        spec.params
            .iter()
            .filter_map(|param| match param.kind {
                demos_wasm::ParamKind::Int { default: Some(value), .. } => Some(format!("&{demo}.{}={value}", param.name)),
                _ => None,
            })
            .collect()
    };
    let ipc = &run_page(&client, &format!("{base}/ipc-cost.html?autorun{}", defaults("ipc-cost"))).await[0];
    assert_eq!(ipc["status"], "done", "{ipc:#}");
    screenshot_demo(&client, 0, "demo-ipc-cost-defaults").await;
    let responsive = &run_page(&client, &format!("{base}/responsiveness.html?autorun{}", defaults("responsiveness"))).await[0];
    assert_eq!(responsive["status"], "done", "{responsive:#}");
    screenshot_demo(&client, 0, "demo-responsiveness-defaults").await;
    println!("{}\n{}", timings(ipc), medians(ipc));
    println!("{}\n{}", timings(responsive), gaps(responsive));
    client.close().await.unwrap();
}

/// Runs the demo on the page, waits for mode `mode` to be running and presses Stop: the run
/// must stop within five seconds, that mode's row saying so.
async fn stop_while_running(client: &Client, mode: &str) {
    wait_until(client, "return document.querySelector('.demo-run') !== null", "the demo is built", TIMEOUT).await;
    client.find(Locator::Css(".demo-run")).await.unwrap().click().await.unwrap();
    let running = format!(r#"return document.querySelector('[data-mode="{mode}"]').dataset.status === 'running'"#);
    wait_until(client, &running, &format!("{mode} runs"), TIMEOUT).await;
    client.find(Locator::Css(".demo-stop")).await.unwrap().click().await.unwrap();
    let stopped = format!(
        r#"const d = document.querySelector('[data-demo]');
        return d.dataset.status === 'idle' && d.querySelector('.demo-state').textContent === 'Stopped.'
          && d.querySelector('[data-mode="{mode}"]').dataset.status === 'stopped'"#
    );
    wait_until(client, &stopped, "Stop ends the run", Duration::from_secs(5)).await;
}

/// Types `value` into the demo's control for the parameter `name`.
async fn set_input(client: &Client, name: &str, value: &str) {
    let input = client.find(Locator::Css(&format!("input[name={name}]"))).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}
