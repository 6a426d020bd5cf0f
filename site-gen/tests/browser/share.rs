//! "Share this run" on the primes page of the `demos` fixture book, in every engine: after a run
//! the button gives a link of at most 2 KB whose fragment (`#run=…`) decodes, with the page's own
//! `figure/share-codec.js`, to the rows the table shows. Opening the link shows that run alone
//! (`data-shared="loaded"`, a ghost bar per mode with `data-shared-mode` and `data-shared-ms`, a
//! timeline labelled with the shared machine); after Run, the reader's rows and timelines beside
//! it. A damaged link, one from a newer version and one for another figure say why they cannot be
//! shown (`data-shared="invalid"`) and Run still works; a new fragment in the same tab is read
//! again. Screenshots:
//! `target/e2e/<engine>/share-*.png`.

use harness::Session;
use serde_json::Value;

use crate::page::*;
use crate::phones::{phone_problems, MEASURE};
use crate::sites;

/// The page's codec, imported beside the runner: decodes the link's fragment and compares it
/// with the results table's rows (their data-* attributes).
const ROUND_TRIP: &str = r#"
const link = arguments[0];
const runner = [...document.scripts].find((s) => /\/runner\.[^/]*js$|\/runner\.js$/.test(s.src));
return import(new URL('figure/share-codec.js', runner.src).href).then(async (codec) => {
  const d = document.querySelector('[data-demo]');
  const rows = [...d.querySelectorAll('[data-mode]')];
  const value = codec.shareValue(new URL(link).hash);
  const { share, error } = await codec.decodeShare(value, { demo: d.dataset.demo, figure: 'primes', modes: rows.map((r) => r.dataset.mode) });
  if (error) return { error, value: value?.slice(0, 40) };
  const problems = [];
  for (const r of rows) {
    const got = share.rows.find((row) => row.mode === r.dataset.mode);
    if (!got) { problems.push(`${r.dataset.mode}: not in the link`); continue; }
    if (got.status !== r.dataset.status) problems.push(`${r.dataset.mode}: status ${got.status} != ${r.dataset.status}`);
    if (r.dataset.ms !== undefined && got.ms !== Number(r.dataset.ms)) problems.push(`${r.dataset.mode}: ms ${got.ms} != ${r.dataset.ms}`);
    if (r.dataset.workers !== undefined && got.workers !== Number(r.dataset.workers)) problems.push(`${r.dataset.mode}: workers ${got.workers} != ${r.dataset.workers}`);
    if (r.dataset.result !== undefined && String(got.result) !== r.dataset.result) problems.push(`${r.dataset.mode}: result ${got.result} != ${r.dataset.result}`);
  }
  const ran = rows.filter((r) => r.dataset.ms !== undefined).map((r) => r.dataset.mode);
  for (const mode of ran) {
    const timeline = share.timelines.find((t) => t.mode === mode);
    if (!timeline || timeline.events.length === 0) problems.push(`${mode}: no timeline in the link`);
  }
  if (!/ · /.test(share.machine)) problems.push(`machine line: ${share.machine}`);
  return { problems, packing: value.split('.')[2], rows: share.rows, bars: share.timelines.reduce((n, t) => n + t.events.length, 0) };
});
"#;

/// What the figure shows of a shared run.
const READ_SHARED: &str = r#"
const d = document.querySelector('[data-demo]');
const note = d.querySelector('.demo-shared-note');
return {
  shared: d.dataset.shared ?? null,
  status: d.dataset.status,
  note: note && !note.hidden ? note.textContent : null,
  ghosts: [...d.querySelectorAll('[data-shared-mode]')].map((g) => ({ mode: g.dataset.sharedMode, ms: Number(g.dataset.sharedMs) })),
  caption: d.querySelector('.demo-bar-shared-caption')?.textContent ?? null,
  label: d.querySelector('.demo-shared-block:not([hidden]) .demo-shared-label')?.textContent ?? null,
  own: d.querySelectorAll('.demo-timelines:not(.demo-timelines-shared):not([hidden]) .demo-timeline').length,
  sharedTimelines: d.querySelectorAll('.demo-shared-block:not([hidden]) .demo-timeline').length,
  rows: [...d.querySelectorAll('[data-mode]')].map((r) => ({ mode: r.dataset.mode, status: r.dataset.status, ms: r.dataset.ms ?? null })),
};
"#;

pub async fn share_a_run(s: &Session) {
    let engine = s.engine.name();
    let site = sites::demos();
    run_page(s, &site.url("primes.html?autorun")).await;
    let hidden = s.execute("return document.querySelector('[data-share]').hidden").await;
    assert_eq!(hidden, false, "{engine}: no Share button after a run");
    click(s, "[data-share]").await;
    s.wait_until("return document.querySelector('[data-share-link]')?.dataset.shareBytes !== undefined", "the shared link", TIMEOUT).await;
    let field = s.execute(
        "const f = document.querySelector('[data-share-link]'); \
         return { link: f.value, bytes: Number(f.dataset.shareBytes), hidden: f.hidden, readOnly: f.readOnly, \
                  status: document.querySelector('.demo-share-status').textContent };",
    ).await;
    let link = field["link"].as_str().unwrap().to_owned();
    let bytes = field["bytes"].as_u64().unwrap();
    assert_eq!(bytes as usize, link.len(), "{engine}: {field:#}");
    assert!(bytes <= 2048, "{engine}: the link is {bytes} bytes: {link}");
    assert_eq!(field["hidden"], false, "{engine}: {field:#}");
    assert_eq!(field["readOnly"], true, "{engine}: {field:#}");
    assert!(field["status"].as_str().unwrap().contains(&format!("{bytes} characters")), "{engine}: {field:#}");
    assert!(link.contains("#run=1.primes."), "{engine}: {link}");
    assert!(!link.contains("autorun"), "{engine}: {link}");

    let decoded = s.execute_with(ROUND_TRIP, vec![Value::String(link.clone())]).await;
    assert!(decoded["error"].is_null(), "{engine}: the link does not decode: {decoded:#}");
    assert!(decoded["problems"].as_array().unwrap().is_empty(), "{engine}: the link and the table differ: {decoded:#}");
    // Every engine here compresses (CompressionStream "deflate-raw").
    assert_eq!(decoded["packing"], "z", "{engine}: {decoded:#}");
    println!("{engine}: shared link at the primes page's defaults: {bytes} bytes, {} bars", decoded["bars"]);
    let shared_rows: Vec<(String, f64)> = decoded["rows"].as_array().unwrap().iter()
        .filter(|r| !r["ms"].is_null())
        .map(|r| (r["mode"].as_str().unwrap().to_owned(), r["ms"].as_f64().unwrap()))
        .collect();
    assert!(!shared_rows.is_empty(), "{engine}: {decoded:#}");

    // The link alone: the shared run, and a note to press Run.
    open_demo(s, &link).await;
    s.wait_until("return document.querySelector('[data-demo]').dataset.shared !== undefined", "the shared run", TIMEOUT).await;
    let shown = s.execute(READ_SHARED).await;
    assert_eq!(shown["shared"], "loaded", "{engine}: {shown:#}");
    check_ghosts(engine, &shown, &shared_rows);
    assert!(shown["note"].as_str().unwrap_or("").contains("press Run to compare with yours"), "{engine}: {shown:#}");
    assert_eq!(shown["own"], 0, "{engine}: {shown:#}");
    assert!(shown["sharedTimelines"].as_u64().unwrap() >= 1, "{engine}: {shown:#}");
    assert!(shown["label"].as_str().unwrap_or("").starts_with("Shared run · "), "{engine}: {shown:#}");
    screenshot_demo(s, 0, "share-loaded").await;

    // Run: the reader's rows and timelines beside the shared run's, on one scale.
    click(s, ".demo-run").await;
    wait_for_demos(s, "primes with a shared run").await;
    let shown = s.execute(READ_SHARED).await;
    assert_eq!(shown["shared"], "loaded", "{engine}: {shown:#}");
    check_ghosts(engine, &shown, &shared_rows);
    for row in shown["rows"].as_array().unwrap() {
        assert!(row["status"] != "done" || !row["ms"].is_null(), "{engine}: {shown:#}");
    }
    assert!(shown["rows"].as_array().unwrap().iter().any(|r| r["status"] == "done"), "{engine}: {shown:#}");
    assert!(shown["own"].as_u64().unwrap() >= 1, "{engine}: no timeline of the reader's run: {shown:#}");
    assert!(shown["sharedTimelines"].as_u64().unwrap() >= 1, "{engine}: {shown:#}");
    assert!(shown["note"].as_str().unwrap_or("").starts_with("Beside your run"), "{engine}: {shown:#}");
    screenshot_demo(s, 0, "share-compared").await;
    screenshot_of_part(s, ".demo-timeline-section", "share-compared-timelines").await;

    // At a phone's size.
    s.open_as_phone(&link).await;
    s.wait_until("return document.querySelector('[data-demo]')?.dataset.shared === 'loaded'", "the shared run on a phone", TIMEOUT).await;
    click(s, ".demo-run").await;
    wait_for_demos(s, "primes with a shared run on a phone").await;
    click(s, "[data-share]").await;
    s.wait_until("return document.querySelector('[data-share-link]')?.dataset.shareBytes !== undefined", "the shared link on a phone", TIMEOUT).await;
    let measured = s.execute(MEASURE).await;
    let problems = phone_problems("primes (shared run)", &measured);
    screenshot_demo(s, 0, "share-phone").await;
    screenshot_of_part(s, ".demo-chart", "share-phone-chart").await;
    screenshot_of_part(s, ".demo-share", "share-phone-link").await;
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
    assert!(problems.is_empty(), "{engine}: a shared run at a phone's size:\n{}", problems.join("\n"));

    // Links that cannot be shown say so, and the page works as usual.
    let (page, value) = link.split_once("#run=").unwrap();
    let data = value.rsplit('.').next().unwrap();
    let damaged = format!("{page}#run={}", value.replace(data, &format!("{}Zm9v", &data[..data.len() / 2])));
    for (what, url, says) in [
        ("damaged", damaged, "damaged"),
        ("future", format!("{page}#run=9.primes.z.{data}"), "newer version"),
        ("another figure", format!("{page}#run=1.gil.z.{data}"), "another figure"),
        ("not base64", format!("{page}#run=1.primes.z.%3Cscript%3E"), "damaged"),
    ] {
        s.goto("about:blank").await;
        open_demo(s, &url).await;
        s.wait_until("return document.querySelector('[data-demo]').dataset.shared !== undefined", "the shared run's verdict", TIMEOUT).await;
        let shown = s.execute(READ_SHARED).await;
        assert_eq!(shown["shared"], "invalid", "{engine}: {what}: {shown:#}");
        let note = shown["note"].as_str().unwrap_or("");
        assert!(note.contains("cannot be shown") && note.contains(says), "{engine}: {what}: {shown:#}");
        assert!(shown["ghosts"].as_array().unwrap().is_empty(), "{engine}: {what}: {shown:#}");
        if what == "damaged" {
            screenshot_demo(s, 0, "share-invalid").await;
            click(s, ".demo-run").await;
            let demos = wait_for_demos(s, "primes after a damaged link").await;
            assert_eq!(demos[0]["status"], "done", "{engine}: {demos:#?}");
            let shown = s.execute(READ_SHARED).await;
            assert!(shown["own"].as_u64().unwrap() >= 1 && shown["sharedTimelines"] == 0, "{engine}: {shown:#}");
        }
    }

    // A link pasted into the same tab changes only the fragment: the page reads it again.
    s.execute_with("location.hash = arguments[0]", vec![Value::String(format!("run={value}"))]).await;
    s.wait_until("return document.querySelector('[data-demo]').dataset.shared === 'loaded'", "the shared run after the fragment changed", TIMEOUT).await;
    let shown = s.execute(READ_SHARED).await;
    check_ghosts(engine, &shown, &shared_rows);
    assert!(shown["note"].as_str().unwrap_or("").contains("press Run"), "{engine}: {shown:#}");

    // A run shared from another browser, with a mode this one may not run (threads, in WebKit):
    // its bar is shown all the same, named, and its timeline drawn.
    s.execute(ELSEWHERE).await;
    s.wait_until("return document.querySelectorAll('[data-shared-mode]').length === 4", "a run shared from another browser", TIMEOUT).await;
    let threads = s.execute(
        "const g = document.querySelector('[data-shared-mode=threads]'); \
         return { label: g.querySelector('.demo-bar-label').textContent, shown: g.querySelector('.demo-bar').getClientRects().length > 0, \
                  timeline: [...document.querySelectorAll('.demo-shared-block .tl-header')].some((h) => h.textContent.startsWith('threads · 2 lanes')) };",
    ).await;
    let expected = if shares_memory(s.engine) { "shared" } else { "threads (shared)" };
    assert_eq!(threads["label"], expected, "{engine}: {threads:#}");
    assert_eq!(threads["shown"], true, "{engine}: {threads:#}");
    assert_eq!(threads["timeline"], true, "{engine}: {threads:#}");
    screenshot_of_part(s, ".demo-chart", "share-elsewhere-chart").await;
    // A shared bar's details say what it is (a link's bar may be several tasks merged).
    let details = s.execute(
        "document.querySelector('.demo-shared-block svg').focus(); \
         return document.querySelector('.demo-shared-block .demo-details').textContent;",
    ).await;
    assert!(details.as_str().unwrap_or("").starts_with("threads · thread 1 · a bar of the shared run: "), "{engine}: {details}");
}

/// Puts in the page's fragment a run made up as another browser would share it, every mode
/// with a time and threads with a timeline of two lanes.
const ELSEWHERE: &str = r#"
const runner = [...document.scripts].find((s) => /\/runner\.[^/]*js$|\/runner\.js$/.test(s.src));
return import(new URL('figure/share-codec.js', runner.src).href).then(async (codec) => {
  const row = (mode, ms, workers) => ({ mode, status: 'done', ms, workers, result: 25997 });
  const events = [0, 1].flatMap((lane) => [0, 1, 2].map((i) => ({ lane, start: 100 + i * 5, end: 104 + i * 5, kind: 'task', task: i })));
  const payload = codec.sharePayload({
    demo: 'primes', figure: 'primes', params: {},
    rows: [row('sequential', 30, 1), row('threads', 16, 2), row('processes', 18, 2), row('async', 33, 1)],
    results: new Map([['threads', { startedAt: 100, endedAt: 116, ms: 16, events }]]),
    machine: '8 logical cores · Chrome 150 · has everything',
  });
  location.hash = `run=${await codec.encodeShare(payload)}`;
});
"#;

/// The ghost bars are the shared run's modes and times.
fn check_ghosts(engine: &str, shown: &Value, shared: &[(String, f64)]) {
    let ghosts: Vec<(String, f64)> = shown["ghosts"].as_array().unwrap().iter()
        .map(|g| (g["mode"].as_str().unwrap().to_owned(), g["ms"].as_f64().unwrap()))
        .collect();
    assert_eq!(ghosts, shared, "{engine}: ghost bars: {shown:#}");
    assert!(shown["caption"].as_str().unwrap_or("").contains("shared run"), "{engine}: {shown:#}");
}
