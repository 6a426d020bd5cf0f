//! `book-bench sweep`: the Measuring chapter's sweep of workers, run as a reader runs it.
//! The book (the repository's, by default) is served by `site-gen serve`; in each engine the
//! chapter is opened, the primes demo under the heading "Sweeping the workers: Amdahl's law
//! from your own runs" found, its "Sweep workers" button pressed at the page's defaults, and
//! once the sweep is over its `[data-sweep]` rows and the figure's fit are read through the
//! DOM contract and printed as a table per engine, beside the machine line and the load average.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use harness::browser::{self, Engine};
use harness::{Session, SiteGen};
use serde_json::Value;

use crate::load_average;

/// The chapter and the heading the swept demo sits under.
const CHAPTER: &str = "measuring.html";
const HEADING: &str = "Sweeping the workers";

/// How long the page may take to offer the sweep button, and the sweep to start once pressed.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// The figure under the heading (the first `figure[data-demo]` after it), as `figure`, or what
/// is missing; `arguments[0]` is the heading's start.
const FIND_FIGURE: &str = r#"
const heading = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].find((h) => h.textContent.trim().startsWith(arguments[0]));
if (!heading) return { missing: `no heading starting "${arguments[0]}" on the page` };
const figure = [...document.querySelectorAll('figure[data-demo]')].find((f) => heading.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING);
if (!figure) return { missing: `no demo figure after the heading "${heading.textContent.trim()}"` };
"#;

/// What the figure shows: its sweep, its fit, its machine line, and the browser's cores.
const READ: &str = r#"
const number = (v) => v === undefined ? null : Number(v);
const button = figure.querySelector('[data-sweep-button]');
const warning = figure.querySelector('.demo-scaling-warning');
const error = figure.querySelector('.demo-error');
return {
  demo: figure.dataset.demo,
  status: figure.dataset.status ?? null,
  sweepStatus: figure.dataset.sweepStatus ?? null,
  mode: figure.dataset.sweepMode ?? null,
  fraction: number(figure.dataset.serialFraction),
  ceiling: figure.dataset.sweepCeiling ?? null,
  uneven: figure.hasAttribute('data-sweep-uneven'),
  button: button === null ? null : { hidden: button.hidden, text: button.textContent },
  error: error && !error.hidden ? error.textContent : null,
  warning: warning && !warning.hidden ? warning.textContent : null,
  machine: figure.querySelector('.demo-machine')?.textContent ?? null,
  cores: navigator.hardwareConcurrency ?? null,
  rows: [...figure.querySelectorAll('[data-sweep]')].map((r) => ({
    workers: number(r.dataset.workers), baselineMs: number(r.dataset.baselineMs),
    repeats: number(r.dataset.repeats), ms: number(r.dataset.ms),
    speedup: number(r.dataset.speedup), speedupMin: number(r.dataset.speedupMin), speedupMax: number(r.dataset.speedupMax),
    efficiency: number(r.dataset.efficiency), spread: number(r.dataset.spread),
  })),
};
"#;

/// Presses the figure's sweep button.
const PRESS: &str = "figure.querySelector('[data-sweep-button]').click(); return true;";

/// One worker count of a sweep, as its `[data-sweep]` row gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub workers: u32,
    pub repeats: u32,
    pub ms: f64,
    pub speedup: f64,
    pub speedup_min: f64,
    pub speedup_max: f64,
    pub efficiency: f64,
    /// (slowest − fastest) / median of the repeats.
    pub spread: f64,
}

/// One engine's finished sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Swept {
    pub engine: &'static str,
    /// The mode swept (threads, else processes) and the figure's demo.
    pub mode: String,
    pub demo: String,
    /// The baseline mode's median time, which every speed-up divides.
    pub baseline_ms: Option<f64>,
    pub rows: Vec<Row>,
    /// Amdahl's serial fraction fitted to the speed-ups, and the ceiling it implies (as the
    /// figure writes it: a number, or `Infinity`).
    pub fraction: Option<f64>,
    pub ceiling: Option<String>,
    /// The figure's warning when repeats varied by more than 10%.
    pub warning: Option<String>,
    pub cores: Option<u64>,
    pub machine: String,
}

/// Serves `book` into `<work>/sweep-site` and sweeps in each of `engines`; prints a table each.
pub fn sweep(site_gen: &Path, book: &Path, work: &Path, engines: &[Engine], timeout: Duration) -> Result<(), String> {
    if !site_gen.is_file() {
        return Err(format!("{} not found: build it with `cargo build --release -p concurrency-lab`", site_gen.display()));
    }
    let site = std::path::absolute(work.join("sweep-site")).map_err(|e| format!("{}: {e}", work.display()))?;
    let (_server, address) = SiteGen::at(site_gen).serve(book, &site);
    let url = format!("http://{address}/{CHAPTER}");
    let mut failed = Vec::new();
    for &engine in engines {
        let before = load_average();
        eprintln!("{}: {url}, sweeping the workers of the demo under \"{HEADING}…\"", engine.name());
        let started = Instant::now();
        let swept = browser::block_on(sweep_in(engine, &url, timeout));
        let after = load_average();
        match swept {
            Ok(swept) => {
                println!("{}", table(&swept));
                println!("Took {:.0} s. Load average (1, 5, 15 min): {before} before, {after} after.\n", started.elapsed().as_secs_f64());
            }
            Err(e) => {
                eprintln!("{}: {e}", engine.name());
                failed.push(engine.name());
            }
        }
    }
    match failed.is_empty() {
        true => Ok(()),
        false => Err(format!("the sweep failed in {}", failed.join(", "))),
    }
}

/// A fresh session of `engine`: the chapter opened, the sweep pressed and waited for.
async fn sweep_in(engine: Engine, url: &str, timeout: Duration) -> Result<Swept, String> {
    let session = Session::start(engine).await;
    let swept = press_and_wait(&session.client, url, timeout).await.map(|state| finished_sweep(engine, &state));
    session.end().await;
    swept?
}

async fn press_and_wait(client: &Client, url: &str, timeout: Duration) -> Result<Value, String> {
    client.goto(url).await.map_err(|e| format!("cannot open {url}: {e}"))?;
    let offered = |s: &Value| s["button"]["hidden"] == Value::Bool(false);
    wait_for(client, "the sweep button", READY_TIMEOUT, offered).await?;
    run_in_figure(client, PRESS).await?;
    let started = |s: &Value| !s["sweepStatus"].is_null();
    wait_for(client, "the sweep to start after its button was pressed", READY_TIMEOUT, started).await?;
    let over = |s: &Value| s["sweepStatus"] != "running";
    wait_for(client, "the sweep to finish", timeout, over).await
}

/// `body` run with `figure` set to the swept figure; an error when the page has no such figure.
async fn run_in_figure(client: &Client, body: &str) -> Result<Value, String> {
    let script = format!("{FIND_FIGURE}{body}");
    let value = client.execute(&script, vec![HEADING.into()]).await.map_err(|e| format!("the page's script failed: {e}"))?;
    match value["missing"].as_str() {
        Some(missing) => Err(missing.to_owned()),
        None => Ok(value),
    }
}

/// Reads the figure until `done` says so; its state then, or an error naming `what` and the
/// state last seen when `timeout` passes.
async fn wait_for(client: &Client, what: &str, timeout: Duration, done: impl Fn(&Value) -> bool) -> Result<Value, String> {
    let deadline = Instant::now() + timeout;
    loop {
        let state = run_in_figure(client, READ).await?;
        if done(&state) {
            return Ok(state);
        }
        if Instant::now() > deadline {
            return Err(format!("waited {} s for {what}; the figure shows: {state}", timeout.as_secs()));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The figure's state once its sweep is over, or why it did not finish.
fn finished_sweep(engine: Engine, state: &Value) -> Result<Swept, String> {
    let status = state["sweepStatus"].as_str().unwrap_or("");
    if status != "done" {
        let error = state["error"].as_str().unwrap_or("no message on the figure");
        return Err(format!("the sweep ended \"{status}\": {error}"));
    }
    let number = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let rows = state["rows"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    Ok(Swept {
        engine: engine.name(),
        mode: state["mode"].as_str().unwrap_or("?").to_owned(),
        demo: state["demo"].as_str().unwrap_or("?").to_owned(),
        baseline_ms: rows.first().and_then(|r| r["baselineMs"].as_f64()),
        rows: rows
            .iter()
            .map(|r| Row {
                workers: r["workers"].as_u64().unwrap_or(0) as u32,
                repeats: r["repeats"].as_u64().unwrap_or(0) as u32,
                ms: number(&r["ms"]),
                speedup: number(&r["speedup"]),
                speedup_min: number(&r["speedupMin"]),
                speedup_max: number(&r["speedupMax"]),
                efficiency: number(&r["efficiency"]),
                spread: number(&r["spread"]),
            })
            .collect(),
        fraction: state["fraction"].as_f64(),
        ceiling: state["ceiling"].as_str().map(str::to_owned),
        warning: state["warning"].as_str().map(str::to_owned),
        cores: state["cores"].as_u64(),
        machine: state["machine"].as_str().unwrap_or("no machine line").trim().to_owned(),
    })
}

/// One engine's sweep as a Markdown table, with its machine line and fit under it.
pub fn table(swept: &Swept) -> String {
    let baseline = swept.baseline_ms.map_or_else(|| "unknown".to_owned(), |ms| format!("{ms:.1} ms"));
    let mut out = format!("\n{}: the {} demo's sweep of workers, {} against the baseline (median {baseline})\n", swept.engine, swept.demo, swept.mode);
    let cores = swept.cores.map_or_else(|| "unknown".to_owned(), |c| c.to_string());
    out.push_str(&format!("navigator.hardwareConcurrency = {cores}; the figure's machine line: {}\n\n", swept.machine));
    out.push_str("| workers | runs | median | speed-up (min–max) | efficiency | spread of repeats |\n");
    out.push_str("|---:|---:|---:|---:|---:|---:|\n");
    for r in &swept.rows {
        out.push_str(&format!(
            "| {} | {} | {:.1} ms | {:.2}× ({:.2}–{:.2}) | {:.0}% | {:.0}% |\n",
            r.workers,
            r.repeats,
            r.ms,
            r.speedup,
            r.speedup_min,
            r.speedup_max,
            100.0 * r.efficiency,
            100.0 * r.spread
        ));
    }
    out.push_str(&format!("\nAmdahl's serial fraction, fitted: {}\n", fit_line(swept.fraction, swept.ceiling.as_deref())));
    if let Some(warning) = &swept.warning {
        out.push_str(&format!("The figure warns: {}\n", warning.trim()));
    }
    out
}

/// "13.7% (ceiling 7.3×)", or why there is no fit.
fn fit_line(fraction: Option<f64>, ceiling: Option<&str>) -> String {
    let Some(fraction) = fraction else { return "none (the sweep had no worker count above 1)".to_owned() };
    let ceiling = match ceiling.and_then(|c| c.parse::<f64>().ok()) {
        Some(c) if c.is_finite() => format!("{c:.1}×"),
        _ => "none: no serial part found".to_owned(),
    };
    format!("{:.1}% (ceiling {ceiling})", 100.0 * fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(workers: u32, ms: f64, speedup: f64) -> Row {
        Row { workers, repeats: 3, ms, speedup, speedup_min: speedup - 0.05, speedup_max: speedup + 0.05, efficiency: speedup / f64::from(workers), spread: 0.042 }
    }

    fn swept(fraction: Option<f64>, ceiling: Option<&str>) -> Swept {
        Swept {
            engine: "chromium",
            mode: "threads".into(),
            demo: "primes".into(),
            baseline_ms: Some(796.31),
            rows: vec![row(1, 812.34, 0.98), row(2, 450.0, 1.78)],
            fraction,
            ceiling: ceiling.map(str::to_owned),
            warning: None,
            cores: Some(2),
            machine: "Your machine: 2 logical cores · Chrome 140 · has shared memory.".into(),
        }
    }

    #[test]
    fn the_table_has_a_row_per_worker_count_and_the_fit_under_it() {
        let text = table(&swept(Some(0.137), Some("7.299270072992701")));
        assert!(text.contains("chromium: the primes demo's sweep of workers, threads against the baseline (median 796.3 ms)"), "{text}");
        assert!(text.contains("navigator.hardwareConcurrency = 2; the figure's machine line: Your machine: 2 logical cores"), "{text}");
        assert!(text.contains("| 1 | 3 | 812.3 ms | 0.98× (0.93–1.03) | 98% | 4% |"), "{text}");
        assert!(text.contains("| 2 | 3 | 450.0 ms | 1.78× (1.73–1.83) | 89% | 4% |"), "{text}");
        assert!(text.contains("Amdahl's serial fraction, fitted: 13.7% (ceiling 7.3×)"), "{text}");
        assert!(!text.contains("warns"), "{text}");
    }

    #[test]
    fn a_fit_without_serial_part_or_without_points_says_so() {
        assert_eq!(fit_line(Some(0.0), Some("Infinity")), "0.0% (ceiling none: no serial part found)");
        assert_eq!(fit_line(None, None), "none (the sweep had no worker count above 1)");
        let mut uneven = swept(Some(0.5), Some("2"));
        uneven.warning = Some("Repeats varied by more than 10%.".into());
        assert!(table(&uneven).contains("The figure warns: Repeats varied by more than 10%."));
    }

    #[test]
    fn an_unfinished_sweep_is_an_error_with_the_figure_s_message() {
        let state = serde_json::json!({ "sweepStatus": "error", "error": "sweep: the worker crashed" });
        assert_eq!(finished_sweep(Engine::Firefox, &state).unwrap_err(), "the sweep ended \"error\": sweep: the worker crashed");
    }
}
