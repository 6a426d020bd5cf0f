//! Every demo's Python twin (`demos-wasm/python/<demo>.py`) runs, on this machine's `python3`.
//!
//! The twins are found by listing the folder, and each runs once per demo block of its demo in
//! the `demos` fixture book (the small parameters the browser tests use), with the command
//! line the page shows for that block plus `--json`. Each run must exit 0 within the time
//! limit and print the JSON the twins share: one row per chosen mode (a mode Python cannot run
//! is still listed, with `"ms": null` and a `"note"` saying why), and the same result in every
//! row that must agree (all but rows marked `"may_differ"`). Where a kernel of the browser's
//! demo knows the answer, the twin must find the same one.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use demos_wasm::catalogue::{self, ParamKind};
use demos_wasm::kernels::gil::{GilJob, Work};
use demos_wasm::kernels::pipeline::Pipeline;
use demos_wasm::kernels::primes;
use demos_wasm::kernels::requests::{Distribution, Requests};
use harness::{fixture, repo_root};
use serde_json::{Map, Value};
use site_gen::demo_block::{parse_demo_block, DemoBlock, WORKLOAD};
use site_gen::python_twin::command_line;

use crate::python::{self, each_at_once, TIME_LIMIT};

/// Every twin's path, by file name.
fn twins() -> Vec<PathBuf> {
    let dir = repo_root().join("demos-wasm/python");
    let mut scripts: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    scripts.sort();
    scripts
}

fn demo_name(script: &Path) -> String {
    script.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Every demo block in the fixture book `book`, checked as a build checks it, with its file's name.
pub(crate) fn fixture_blocks(book: &str) -> Vec<(String, DemoBlock)> {
    let content = fixture(book).join("content");
    let mut files: Vec<PathBuf> = fs::read_dir(&content).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    let mut blocks = Vec::new();
    for file in files.into_iter().filter(|path| path.extension().is_some_and(|ext| ext == "md")) {
        let markdown = fs::read_to_string(&file).unwrap();
        let mut body: Option<String> = None;
        for line in markdown.lines() {
            match (&mut body, line.trim()) {
                (None, "```demo") => body = Some(String::new()),
                (Some(text), "```") => {
                    let at = file.file_name().unwrap().to_string_lossy().into_owned();
                    let block = parse_demo_block(text).unwrap_or_else(|problems| panic!("{at}: {problems:?}"));
                    blocks.push((at, block));
                    body = None;
                }
                (Some(text), _) => {
                    text.push_str(line);
                    text.push('\n');
                }
                (None, _) => {}
            }
        }
    }
    blocks
}

/// Runs `python3 script args…` in a folder of its own.
pub(crate) fn run_python(script: &Path, args: &[String]) -> python::Run {
    let dir = tempfile::tempdir().unwrap();
    python::run_python(script, args, dir.path())
}

/// The arguments after `python3 <script>` in the command line the page shows for `block`.
pub(crate) fn page_arguments(block: &DemoBlock) -> Vec<String> {
    command_line(block.spec, &block.params).split(' ').skip(2).map(str::to_owned).collect()
}

fn int(params: &Map<String, Value>, name: &str) -> u32 {
    params[name].as_u64().unwrap_or_else(|| panic!("no whole number {name} in {params:?}")) as u32
}

/// The answer the browser's kernels give for `block`, where they know it.
fn known_answer(block: &DemoBlock, workers: u32) -> Option<u64> {
    let p = &block.params;
    match block.spec.name {
        "primes" => Some(primes::count_primes_below(int(p, "n"), int(p, "chunks"))),
        "io-bound" => Some(
            Requests {
                count: int(p, "requests"),
                mean_ms: int(p, "mean_ms"),
                distribution: Distribution::from_name(p["distribution"].as_str()?)?,
                seed: u64::from(int(p, "seed")),
            }
            .total_latency_ms(),
        ),
        "gil" => Some(
            GilJob {
                work: Work::from_name(p["work"].as_str()?)?,
                n: int(p, "n"),
                tasks: int(p, "tasks"),
                wait_ms: int(p, "wait_ms"),
                gil: true,
                switch_ms: 5.0,
            }
            .expected_total(),
        ),
        "race" => Some(u64::from(int(p, "increments")) * u64::from(workers)),
        "async-scale" => Some(u64::from(int(p, "tasks"))),
        "hybrid" => Some(
            Pipeline {
                items: int(p, "items"),
                fetch_ms: int(p, "fetch_ms"),
                store_ms: int(p, "store_ms"),
                chunk: int(p, "chunk"),
                seed: u64::from(int(p, "seed")),
            }
            .expected_checksum(),
        ),
        _ => None,
    }
}

/// Checks one run's JSON against the block it ran; returns what is wrong.
fn problems_with(block: &DemoBlock, json: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let spec = block.spec;
    if json["demo"] != spec.name {
        problems.push(format!("\"demo\" is {}, not {:?}", json["demo"], spec.name));
    }
    let Some(rows) = json["rows"].as_array() else {
        return vec!["no \"rows\" list".into()];
    };
    let chosen: Vec<&str> = match block.params.get("modes") {
        Some(Value::Array(modes)) => modes.iter().filter_map(Value::as_str).collect(),
        _ => spec.modes.iter().map(|mode| mode.name).collect(),
    };
    let modes: Vec<&str> = rows.iter().map(|row| row["mode"].as_str().unwrap_or("?")).collect();
    if modes != chosen {
        problems.push(format!(
            "the rows are for {modes:?}, not for the chosen modes {chosen:?} (a mode Python cannot run is listed with \"ms\": null and a \"note\")"
        ));
    }
    let mut agreeing = Vec::new();
    for row in rows {
        let mode = row["mode"].as_str().unwrap_or("?");
        if row["ms"].is_null() {
            if row["note"].as_str().is_none_or(str::is_empty) {
                problems.push(format!("{mode}: not run (\"ms\": null) without a \"note\" saying why"));
            }
            continue;
        }
        if row["ms"].as_f64().is_none_or(|ms| ms < 0.0) {
            problems.push(format!("{mode}: \"ms\" is {}, not a number of milliseconds", row["ms"]));
        }
        if row["workers"].as_u64().is_none_or(|workers| workers == 0) {
            problems.push(format!("{mode}: \"workers\" is {}", row["workers"]));
        }
        if row.get("speedup").is_none() || row["result"].is_null() {
            problems.push(format!("{mode}: no \"speedup\" or \"result\": {row}"));
        }
        if row["may_differ"] != Value::Bool(true) {
            agreeing.push((mode, row["result"].clone()));
        }
    }
    problems.extend(speedup_problems(spec.baseline, rows));
    if agreeing.windows(2).any(|pair| pair[0].1 != pair[1].1) {
        problems.push(format!("the modes disagree: {agreeing:?}"));
    }
    let workers = json["params"]["workers"].as_u64().unwrap_or(1) as u32;
    if let (Some(expected), Some((mode, found))) = (known_answer(block, workers), agreeing.first()) {
        if found.as_u64() != Some(expected) {
            problems.push(format!("{mode} found {found}, but the browser's kernel finds {expected}"));
        }
    }
    problems
}

/// Each row's `"speedup"` against the catalogue's `baseline` mode, as the page and `make claims`
/// measure it (`catalogue::speedup`, to the two decimals the twins print): what differs.
pub(crate) fn speedup_problems(baseline: &str, rows: &[Value]) -> Vec<String> {
    let baseline_ms = rows.iter().find(|row| row["mode"] == baseline).and_then(|row| row["ms"].as_f64());
    let mut problems = Vec::new();
    for row in rows {
        let expected = baseline_ms.zip(row["ms"].as_f64()).and_then(|(base, ms)| catalogue::speedup(base, ms));
        let same = match (expected, row["speedup"].as_f64()) {
            (None, None) => true,
            (Some(expected), Some(found)) => (expected - found).abs() <= 0.005 + 1e-9,
            _ => false,
        };
        if !same {
            problems.push(format!(
                "{}: \"speedup\" is {}, but against the catalogue's baseline mode {baseline:?} it is {expected:?}",
                row["mode"], row["speedup"]
            ));
        }
    }
    problems
}

#[test]
fn every_twin_runs_each_fixture_block_and_its_modes_agree() {
    let blocks = fixture_blocks("demos");
    let mut failures = Vec::new();
    let scripts = twins();
    assert!(!scripts.is_empty(), "no Python twins in demos-wasm/python");
    let mut runs = Vec::new();
    for script in &scripts {
        let name = demo_name(script);
        let before = runs.len();
        runs.extend(blocks.iter().filter(|(_, block)| block.spec.name == name).map(|(file, block)| (script, file, block)));
        if runs.len() == before {
            failures.push(format!("{name}.py: the demos fixture book has no `{name}` demo block to take small parameters from"));
        }
    }
    let failed = each_at_once(&runs, |&(script, file, block)| {
        let name = demo_name(script);
        let mut args = page_arguments(block);
        args.push("--json".into());
        let shown = format!("python3 {name}.py {}", args.join(" "));
        let started = Instant::now();
        let run = run_python(script, &args);
        let took = started.elapsed();
        let problems = match run.status {
            None => vec![format!("did not finish within {} s", TIME_LIMIT.as_secs())],
            Some(status) if !status.success() => vec![format!("exited with {status}")],
            Some(_) if run.stderr.contains("Traceback") => vec!["printed a traceback".into()],
            Some(_) => match serde_json::from_str::<Value>(run.stdout.trim()) {
                Err(e) => vec![format!("printed no JSON ({e})")],
                Ok(json) => {
                    eprintln!("{shown}  ({} ms)\n  {json}", took.as_millis());
                    problems_with(block, &json)
                }
            },
        };
        (!problems.is_empty()).then(|| {
            format!(
                "{shown} (block in fixtures/demos/content/{file}):\n  {}\n--- stdout ---\n{}--- stderr ---\n{}",
                problems.join("\n  "),
                run.stdout,
                run.stderr
            )
        })
    });
    failures.extend(failed.into_iter().flatten());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_twin_names_a_demo_and_every_demo_has_a_twin() {
    let names: Vec<String> = twins().iter().map(|script| demo_name(script)).collect();
    for name in &names {
        assert!(catalogue::find(name).is_some(), "demos-wasm/python/{name}.py: there is no demo `{name}` in the catalogue");
    }
    // A workload's twin is made for its block's stages (tests/cli/workload_twins.rs).
    for demo in catalogue::catalogue().iter().filter(|demo| demo.name != WORKLOAD) {
        assert!(
            names.iter().any(|name| name == demo.name),
            "the `{}` demo has no Python twin: add demos-wasm/python/{}.py",
            demo.name,
            demo.name
        );
    }
}

#[test]
fn every_twin_refuses_a_value_out_of_the_catalogue_bounds() {
    for script in twins() {
        let name = demo_name(&script);
        let Some(spec) = catalogue::find(&name) else { continue };
        let Some((param, max)) = spec.params.iter().find_map(|param| match param.kind {
            ParamKind::Int { max, .. } => Some((param.name, max)),
            _ => None,
        }) else {
            continue;
        };
        let run = run_python(&script, &[format!("--{param}"), (max + 1).to_string(), "--json".into()]);
        assert_eq!(run.status.and_then(|s| s.code()), Some(2), "{name}.py --{param} {}: {}{}", max + 1, run.stdout, run.stderr);
        assert!(run.stderr.contains(param) && !run.stderr.contains("Traceback"), "{name}.py: {}", run.stderr);
    }
}

/// The twins whose `--json --trace` says when each task ran (the figure's "Compare with
/// CPython"), and the parameter that says how many tasks a run has.
/// (The race's task is one worker's share of the additions.)
const TRACED: [(&str, &str); 5] = [("primes", "chunks"), ("gil", "tasks"), ("io-bound", "requests"), ("async-scale", "tasks"), ("race", "workers")];

/// What is wrong with the `"trace"` of a `--json --trace` run of `block` with `tasks` tasks: one
/// entry per mode that ran, each task once, every bar within the mode's wall time, on one of its
/// lanes, computing no longer than it lasted.
fn trace_problems(block: &DemoBlock, json: &Value, tasks: u64) -> Vec<String> {
    let Some(traces) = json["trace"].as_array() else {
        return vec!["no \"trace\" list".into()];
    };
    let rows: Vec<&Value> = json["rows"].as_array().map(|rows| rows.iter().filter(|row| !row["ms"].is_null()).collect()).unwrap_or_default();
    let modes = |list: &[&Value]| list.iter().map(|entry| entry["mode"].as_str().unwrap_or("?").to_owned()).collect::<Vec<_>>();
    let mut problems = Vec::new();
    if modes(&traces.iter().collect::<Vec<_>>()) != modes(&rows) {
        problems.push(format!("traces for {:?}, rows for {:?}", modes(&traces.iter().collect::<Vec<_>>()), modes(&rows)));
    }
    let workers = json["params"]["workers"].as_u64().unwrap_or(1);
    for (trace, row) in traces.iter().zip(&rows) {
        let mode = row["mode"].as_str().unwrap_or("?");
        let ms = row["ms"].as_f64().unwrap_or(0.0);
        // Worker processes' bars are read on the wall clock, the row's time on perf_counter.
        let slack = if trace["clock"] == "time" { 2.0 } else { 0.01 };
        let lanes = trace["lanes"].as_u64().unwrap_or(0);
        // async-scale starts a process per task.
        let most = match mode {
            "processes" if block.spec.name == "async-scale" => tasks,
            "threads" | "processes" | "unsafe" | "lock" => workers,
            _ => 1,
        };
        if lanes == 0 || lanes > most {
            problems.push(format!("{mode}: {lanes} lanes, with {most} at most"));
        }
        let events = trace["events"].as_array().map(Vec::as_slice).unwrap_or_default();
        let mut seen: Vec<u64> = events.iter().filter_map(|event| event["task"].as_u64()).collect();
        seen.sort_unstable();
        if seen != (0..tasks).collect::<Vec<_>>() {
            problems.push(format!("{mode}: the events are for tasks {seen:?}, not each of the {tasks} once"));
        }
        for event in events {
            let at = |key: &str| event[key].as_f64().unwrap_or(f64::NAN);
            let (start, end, cpu) = (at("start"), at("end"), at("cpu"));
            let within = 0.0 <= start && start <= end && end <= ms + slack;
            let lane_ok = event["lane"].as_u64().is_some_and(|lane| lane < lanes);
            let kind_ok = ["task", "wait", "task+wait"].contains(&event["kind"].as_str().unwrap_or("?"));
            // time.thread_time ticks more coarsely than perf_counter on some systems.
            let cpu_ok = cpu >= 0.0 && cpu <= end - start + 1.0;
            if !(within && lane_ok && kind_ok && cpu_ok) {
                problems.push(format!("{mode} ({ms} ms, {lanes} lanes): {event}"));
            }
        }
        let computed: f64 = events.iter().filter_map(|event| event["cpu"].as_f64()).sum();
        if block.spec.name == "gil" && block.params["work"] == "cpu" && mode == "threads" && computed > ms * 1.25 {
            problems.push(format!("threads computed {computed:.1} ms in {ms} ms: more than one at a time, under the GIL"));
        }
    }
    problems
}

#[test]
fn traced_twins_say_when_each_task_ran_and_plain_json_has_no_trace() {
    let blocks = fixture_blocks("demos");
    let runs: Vec<(&str, &str, &String, &DemoBlock)> = TRACED.iter()
        .flat_map(|&(name, count)| blocks.iter().filter(move |(_, block)| block.spec.name == name).map(move |(file, block)| (name, count, file, block)))
        .collect();
    assert!(runs.len() >= TRACED.len(), "the demos fixture book has no block for some of {TRACED:?}");
    let failed = each_at_once(&runs, |&(name, count, file, block)| {
        let script = repo_root().join(format!("demos-wasm/python/{name}.py"));
        let mut args = page_arguments(block);
        args.extend(["--json".into(), "--trace".into()]);
        let shown = format!("python3 {name}.py {} (block in fixtures/demos/content/{file})", args.join(" "));
        let run = run_python(&script, &args);
        let problems = match (run.status, serde_json::from_str::<Value>(run.stdout.trim())) {
            (Some(status), Ok(json)) if status.success() => {
                let mut problems = problems_with(block, &json);
                problems.extend(trace_problems(block, &json, u64::from(int(&block.params, count))));
                problems
            }
            _ => vec![format!("did not print JSON:\n{}{}", run.stdout, run.stderr)],
        };
        let plain = run_python(&script, &args[..args.len() - 1]);
        let plain = serde_json::from_str::<Value>(plain.stdout.trim()).map(|json| json.get("trace").is_none());
        (!problems.is_empty() || plain.as_ref().ok() != Some(&true))
            .then(|| format!("{shown}:\n  {}\n  without --trace, no \"trace\": {plain:?}", problems.join("\n  ")))
    });
    let failed: Vec<String> = failed.into_iter().flatten().collect();
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// The figure offers "Compare with CPython" (`TRACED_DEMOS` in `figure/cpython-trace.js`) for
/// exactly the twins that take `--trace`, and those are the ones tested above.
#[test]
fn the_figure_compares_with_exactly_the_twins_that_trace() {
    let module = fs::read_to_string(repo_root().join("theme/static/demos/figure/cpython-trace.js")).unwrap();
    let list = module.split("export const TRACED_DEMOS = [").nth(1).and_then(|rest| rest.split(']').next()).expect("TRACED_DEMOS in cpython-trace.js");
    let mut offered: Vec<String> = list.split(',').map(|name| name.trim().trim_matches('"').to_owned()).filter(|name| !name.is_empty()).collect();
    offered.sort();
    let mut tracing: Vec<String> = twins().iter()
        .filter(|script| fs::read_to_string(script).unwrap().contains("\"--trace\""))
        .map(|script| demo_name(script))
        .collect();
    tracing.sort();
    let mut tested: Vec<String> = TRACED.iter().map(|(name, _)| (*name).to_owned()).collect();
    tested.sort();
    assert_eq!(offered, tracing, "the figure's TRACED_DEMOS against the twins that take --trace");
    assert_eq!(tested, tracing, "TRACED here against the twins that take --trace");
}
