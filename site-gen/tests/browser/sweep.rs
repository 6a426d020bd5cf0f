//! The sweep of workers, 1 → N, on the primes page of the `demos` fixture book (small
//! parameters), in every engine: `?sweep=workers` starts it; it ends with a `[data-sweep]` row per
//! worker count, each run at least three times, speed-ups above 0, efficiency = speed-up / workers,
//! Amdahl's serial fraction (`data-serial-fraction`) in [0, 1] with a sentence giving its ceiling,
//! a warning exactly when the repeats vary by more than 10%, and two charts. The mode swept is
//! threads where the browser shares memory, else processes. Stop ends a sweep, and the button
//! starts another. The fit itself is checked on made-up speed-ups, by importing the page's own
//! module. Screenshots: `target/e2e/<engine>/sweep-*.png`.

use harness::Session;
use serde_json::Value;

use crate::page::*;
use crate::phones::{phone_problems, MEASURE};
use crate::sites;

/// What the first demo's sweep shows.
const READ_SWEEP: &str = r#"
const d = document.querySelector('[data-demo]');
const number = (v) => v === undefined ? null : Number(v);
return {
  status: d.dataset.status,
  sweepStatus: d.dataset.sweepStatus ?? null,
  mode: d.dataset.sweepMode ?? null,
  param: d.dataset.sweepParam ?? null,
  fraction: number(d.dataset.serialFraction),
  ceiling: d.dataset.sweepCeiling ?? null,
  uneven: d.hasAttribute('data-sweep-uneven'),
  error: d.querySelector('.demo-error')?.hidden === false ? d.querySelector('.demo-error').textContent : null,
  button: d.querySelector('[data-sweep-button]')?.textContent ?? null,
  workersInput: number(d.querySelector('input[name=workers]')?.value),
  caption: d.querySelector('.demo-scaling-caption')?.textContent ?? '',
  fit: d.querySelector('.demo-scaling-fit')?.textContent ?? '',
  warning: d.querySelector('.demo-scaling-warning')?.hidden === false ? d.querySelector('.demo-scaling-warning').textContent : null,
  rows: [...d.querySelectorAll('[data-sweep]')].map((r) => ({
    param: r.dataset.param, value: number(r.dataset.value), workers: number(r.dataset.workers),
    repeats: number(r.dataset.repeats), ms: number(r.dataset.ms), speedup: number(r.dataset.speedup),
    speedupMin: number(r.dataset.speedupMin), speedupMax: number(r.dataset.speedupMax),
    efficiency: number(r.dataset.efficiency), spread: number(r.dataset.spread),
    baselineSpread: number(r.dataset.baselineSpread),
  })),
  charts: [...d.querySelectorAll('.demo-scaling-chart')].map((svg) => ({
    whiskers: svg.querySelectorAll('.sc-whisker').length, points: svg.querySelectorAll('.sc-point').length,
    ideal: svg.querySelectorAll('.sc-ideal').length, fit: svg.querySelectorAll('.sc-fit').length,
    label: svg.getAttribute('aria-label'),
  })),
  modeRows: d.querySelectorAll('[data-mode]').length,
};
"#;

/// The page's own sweep-math.js, imported beside the runner, on made-up speed-ups: each case
/// gives the fitted fraction (or what else it checks) and what it should be.
const MATH: &str = r#"
const runner = [...document.scripts].find((s) => /\/runner\.[^/]*js$|\/runner\.js$/.test(s.src));
return import(new URL('figure/sweep-math.js', runner.src).href).then((math) => {
const exact = [0, 0.05, 0.137, 0.5, 0.9].map((f) => ({
  name: `Amdahl f = ${f}`, want: f,
  got: math.amdahlFit([1, 2, 3, 4, 6, 8].map((p) => ({ workers: p, speedup: math.amdahl(f, p) }))).fraction,
}));
const slower = math.amdahlFit([{ workers: 1, speedup: 0.9 }, { workers: 2, speedup: 0.8 }]);
const point = math.scalingPoint(4, [10, 12, 11], [40, 44, 42]);
return [
  ...exact,
  // Slower with more workers: f above 1, held to 1 (a ceiling of 1×).
  { name: 'clamped to 1', want: 1, got: slower.fraction },
  { name: 'clamped says so', want: 1, got: slower.clamped ? 1 : 0 },
  // One worker pins Amdahl's line: nothing to fit.
  { name: 'one worker only', want: -1, got: math.amdahlFit([{ workers: 1, speedup: 1 }]).fraction ?? -1 },
  { name: 'ceiling 1/f', want: 1 / 0.137, got: math.amdahlFit([{ workers: 2, speedup: math.amdahl(0.137, 2) }]).ceiling },
  { name: 'median', want: 11, got: point.ms },
  { name: 'speed-up: baseline median / median', want: 42 / 11, got: point.speedup },
  { name: 'fastest repeat', want: 42 / 10, got: point.speedupMax },
  { name: 'efficiency: speed-up / workers', want: 42 / 11 / 4, got: point.efficiency },
  { name: 'spread: (max - min) / median', want: 2 / 11, got: point.spread },
  { name: 'values to 12', want: '1,2,3,4,5,6,7,8,12', got: math.sweepValues(12).join(',') },
];
});
"#;

pub async fn sweep_of_workers(s: &Session) {
    let site = sites::demos();
    let url = site.url("primes.html?sweep=workers");
    s.goto(&url).await;
    let sweep = wait_for_sweep(s).await;
    check_sweep(s, &sweep);
    let fraction = sweep["fraction"].as_f64().unwrap();
    let speedups: Vec<String> = sweep["rows"].as_array().unwrap().iter()
        .map(|r| format!("{}: {:.2}× ({:.0}%)", r["workers"], r["speedup"].as_f64().unwrap(), 100.0 * r["efficiency"].as_f64().unwrap()))
        .collect();
    println!("{}: primes sweep ({}): serial fraction {fraction:.4}, ceiling {}; {}; uneven repeats: {}",
        s.engine.name(), sweep["mode"], sweep["ceiling"], speedups.join(", "), sweep["uneven"]);

    check_math(s).await;
    screenshot_demo(s, 0, "sweep-primes").await;
    screenshot_of_part(s, ".demo-scaling", "sweep-primes-section").await;

    // At a phone's size: nothing sideways, every control big enough to touch.
    s.open_as_phone(&url).await;
    let sweep = wait_for_sweep(s).await;
    check_sweep(s, &sweep);
    let measured = s.execute(MEASURE).await;
    assert_eq!(measured["width"], 390, "{}: not a phone's width: {measured:#}", s.engine.name());
    let problems = phone_problems("primes (sweep)", &measured);
    screenshot_demo(s, 0, "sweep-primes-phone").await;
    screenshot_of_part(s, ".demo-scaling-charts", "sweep-primes-phone-charts").await;
    screenshot_of_part(s, ".demo-scaling-table", "sweep-primes-phone-table").await;
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
    assert!(problems.is_empty(), "{}: the sweep at a phone's size:\n{}", s.engine.name(), problems.join("\n"));

    open_demo(s, &site.url("primes.html")).await;
    stop_and_sweep_again(s).await;
    sweep_of_chunks(s).await;
    every_demo_with_workers_sweeps(s).await;
}


/// The button: Stop during a sweep ends it at once ("stopped", the demo idle, no error), and the
/// button sweeps again from the start on fresh workers.
async fn stop_and_sweep_again(s: &Session) {
    let engine = s.engine.name();
    s.execute("document.querySelector('[data-sweep-button]').click()").await;
    s.wait_until("return document.querySelector('[data-demo]').dataset.sweepStatus === 'running'", "the sweep starting from its button", TIMEOUT).await;
    s.execute("document.querySelector('.demo-stop').click()").await;
    let sweep = wait_for_sweep(s).await;
    // A sweep of these sizes may end before Stop lands; it must not fail either way.
    assert!(sweep["sweepStatus"] == "stopped" || sweep["sweepStatus"] == "done", "{engine}: {sweep:#}");
    if sweep["sweepStatus"] == "stopped" {
        assert_eq!(sweep["status"], "idle", "{engine}: {sweep:#}");
    }
    assert!(sweep["error"].is_null(), "{engine}: {sweep:#}");
    println!("{engine}: Stop during a sweep: the sweep {}", sweep["sweepStatus"]);
    s.execute("document.querySelector('[data-sweep-button]').click()").await;
    s.wait_until("return document.querySelector('[data-demo]').dataset.sweepStatus === 'running'", "the sweep starting again", TIMEOUT).await;
    let sweep = wait_for_sweep(s).await;
    check_sweep(s, &sweep);
}

/// `?sweep=chunks`: another parameter, at values halving from the page's (16): the same mode at
/// the page's 2 workers, against the baseline at each value; efficiency over those 2 workers; no
/// serial fraction (Amdahl needs the workers swept).
async fn sweep_of_chunks(s: &Session) {
    let engine = s.engine.name();
    s.goto(&sites::demos().url("primes.html?sweep=chunks")).await;
    let sweep = wait_for_sweep(s).await;
    assert_eq!(sweep["sweepStatus"], "done", "{engine}: {sweep:#}");
    assert_eq!(sweep["param"], "chunks", "{engine}: {sweep:#}");
    assert!(sweep["fraction"].is_null(), "{engine}: no serial fraction without workers swept: {sweep:#}");
    let rows = sweep["rows"].as_array().unwrap();
    let values: Vec<u64> = rows.iter().map(|r| r["value"].as_f64().unwrap() as u64).collect();
    assert_eq!(values, [2, 4, 8, 16], "{engine}: {sweep:#}");
    for row in rows {
        assert_eq!(row["param"], "chunks", "{engine}: {row:#}");
        assert_eq!(row["workers"], 2.0, "{engine}: {row:#}");
        assert!(row["repeats"].as_f64().unwrap() >= 3.0, "{engine}: {row:#}");
        let speedup = row["speedup"].as_f64().unwrap();
        assert!(speedup > 0.0 && (row["efficiency"].as_f64().unwrap() - speedup / 2.0).abs() <= 2e-6, "{engine}: {row:#}");
    }
    let uneven = rows.iter().any(|r| r["spread"].as_f64().unwrap() > 0.1 || r["baselineSpread"].as_f64().unwrap() > 0.1);
    assert_eq!(sweep["uneven"], uneven, "{engine}: the warning, and the spreads: {sweep:#}");
    assert!(sweep["fit"].as_str().unwrap().contains("only to a sweep of workers"), "{engine}: {sweep:#}");
    assert!(sweep["caption"].as_str().unwrap().starts_with("chunks 2 → 16"), "{engine}: {sweep:#}");
    screenshot_of_part(s, ".demo-scaling", "sweep-primes-chunks").await;
}

/// The other demos with workers and a threads or processes mode sweep them too (race has only
/// processes among its parallel modes; hybrid only threads, so not in WebKit); the rest have no
/// sweep button.
async fn every_demo_with_workers_sweeps(s: &Session) {
    let engine = s.engine.name();
    for (page, mode) in [("io-bound", None), ("gil", None), ("hybrid", None), ("race", Some("processes"))] {
        s.goto(&sites::demos().url(&format!("{page}.html?sweep=workers"))).await;
        if page == "hybrid" && !shares_memory(s.engine) {
            // Its only mode a sweep could use is threads: no button, and the address's sweep says why not.
            s.wait_until("return /^Not swept: this browser cannot run threads/.test(document.querySelector('.demo-state')?.textContent ?? '')",
                "hybrid saying it cannot sweep", TIMEOUT).await;
            let hidden = s.execute("return document.querySelector('[data-sweep-button]').hidden").await;
            assert_eq!(hidden, true, "{engine}: hybrid offers a sweep it cannot run");
            continue;
        }
        let sweep = wait_for_sweep(s).await;
        assert_eq!(sweep["sweepStatus"], "done", "{engine}: {page}: {sweep:#}");
        let expected = mode.unwrap_or(if shares_memory(s.engine) { "threads" } else { "processes" });
        assert_eq!(sweep["mode"], expected, "{engine}: {page}: {sweep:#}");
        assert!(sweep["rows"].as_array().unwrap().len() >= 2, "{engine}: {page}: {sweep:#}");
    }
    for page in ["async-scale", "ipc-cost", "responsiveness"] {
        open_demo(s, &sites::demos().url(&format!("{page}.html"))).await;
        let buttons = s.execute("return document.querySelectorAll('[data-sweep-button]').length").await;
        assert_eq!(buttons, 0, "{engine}: {page} has nothing to sweep");
    }
}

/// Waits until the first demo's sweep is over; returns what it shows.
async fn wait_for_sweep(s: &Session) -> Value {
    s.wait_until(
        "const d = document.querySelector('[data-demo]'); return d !== null && ['done', 'error', 'stopped'].includes(d.dataset.sweepStatus)",
        "the sweep of workers", TIMEOUT).await;
    s.execute(READ_SWEEP).await
}

fn check_sweep(s: &Session, sweep: &Value) {
    let engine = s.engine.name();
    assert_eq!(sweep["sweepStatus"], "done", "{engine}: {sweep:#}");
    assert_eq!(sweep["status"], "done", "{engine}: {sweep:#}");
    assert!(sweep["error"].is_null(), "{engine}: {sweep:#}");
    let expected_mode = if shares_memory(s.engine) { "threads" } else { "processes" };
    assert_eq!(sweep["mode"], expected_mode, "{engine}: {sweep:#}");
    assert_eq!(sweep["param"], "workers", "{engine}: {sweep:#}");
    // The results table is left alone: its four rows are the only ones with data-mode.
    assert_eq!(sweep["modeRows"], 4, "{engine}: {sweep:#}");

    // 1 → N, N the demo's workers (2 in the fixture), at least 2.
    let top = sweep["workersInput"].as_f64().unwrap().max(2.0) as u64;
    assert_eq!(sweep["button"], format!("Sweep workers 1 → {top}"), "{engine}: {sweep:#}");
    let rows = sweep["rows"].as_array().unwrap();
    let workers: Vec<u64> = rows.iter().map(|r| r["workers"].as_f64().unwrap() as u64).collect();
    assert_eq!(workers, (1..=top).collect::<Vec<_>>(), "{engine}: a row per worker count: {sweep:#}");
    for row in rows {
        assert_eq!(row["param"], "workers", "{engine}: {row:#}");
        assert_eq!(row["value"], row["workers"], "{engine}: {row:#}");
        assert!(row["repeats"].as_f64().unwrap() >= 3.0, "{engine}: at least three repeats: {row:#}");
        assert!(row["ms"].as_f64().unwrap() > 0.0, "{engine}: {row:#}");
        let speedup = row["speedup"].as_f64().unwrap();
        assert!(speedup > 0.0, "{engine}: {row:#}");
        assert!(row["speedupMin"].as_f64().unwrap() <= speedup && speedup <= row["speedupMax"].as_f64().unwrap(), "{engine}: {row:#}");
        let efficiency = row["efficiency"].as_f64().unwrap();
        let expected = speedup / row["workers"].as_f64().unwrap();
        assert!((efficiency - expected).abs() <= 2e-6, "{engine}: efficiency {efficiency} is not speed-up / workers ({expected}): {row:#}");
    }
    let fraction = sweep["fraction"].as_f64().unwrap_or(-1.0);
    assert!((0.0..=1.0).contains(&fraction), "{engine}: serial fraction {fraction}: {sweep:#}");
    let fit = sweep["fit"].as_str().unwrap();
    assert!(fit.contains("least squares of 1/speed-up against 1/workers") && fit.contains("serial fraction"), "{engine}: {fit}");
    if fraction > 0.0 && fraction < 1.0 {
        assert!(fit.contains("at most") && fit.contains("× faster"), "{engine}: the fit names no ceiling: {fit}");
    }
    let caption = sweep["caption"].as_str().unwrap();
    assert!(caption.contains(expected_mode) && caption.contains("against sequential") && caption.contains("3 times"), "{engine}: {caption}");

    // The warning shows when, and only when, repeats varied by more than 10%.
    let uneven = rows.iter().any(|r| r["spread"].as_f64().unwrap() > 0.1) || rows[0]["baselineSpread"].as_f64().unwrap() > 0.1;
    assert_eq!(sweep["uneven"], !sweep["warning"].is_null(), "{engine}: {sweep:#}");
    assert_eq!(sweep["uneven"], uneven, "{engine}: the warning, and the spreads: {sweep:#}");
    if let Some(warning) = sweep["warning"].as_str() {
        assert!(warning.contains("more than 10%"), "{engine}: {warning}");
    }

    // Two charts, speed-up and efficiency: a point and a whisker per worker count, the ideal,
    // and on the speed-up chart Amdahl's curve.
    let charts = sweep["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 2, "{engine}: {sweep:#}");
    for chart in charts {
        assert_eq!(chart["points"], rows.len(), "{engine}: {chart:#}");
        assert_eq!(chart["whiskers"], rows.len(), "{engine}: {chart:#}");
        assert_eq!(chart["ideal"], 1, "{engine}: {chart:#}");
    }
    assert_eq!(charts[0]["fit"], 1, "{engine}: {sweep:#}");
}

async fn check_math(s: &Session) {
    let cases = s.execute(MATH).await;
    let mut wrong = Vec::new();
    for case in cases.as_array().unwrap() {
        let ok = match (&case["want"], &case["got"]) {
            (Value::Number(want), Value::Number(got)) => (want.as_f64().unwrap() - got.as_f64().unwrap()).abs() <= 1e-6,
            (want, got) => want == got,
        };
        if !ok {
            wrong.push(format!("{}: want {}, got {}", case["name"], case["want"], case["got"]));
        }
    }
    assert!(wrong.is_empty(), "{}: sweep-math.js:\n{}", s.engine.name(), wrong.join("\n"));
}
