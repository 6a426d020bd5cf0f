//! The Python twins made for workload blocks run, on this machine's `python3`: for every block
//! of the `workloads` fixture book, its twin (as the build writes it) runs with the command line
//! the page shows plus `--json --trace`. Every mode must report the same total, the one the
//! browser's kernel counts for the stages' compute units ([`expected_total`]; a unit is checked
//! here against a count by another method), the speed-ups must go the way the workload's shape says, and the trace
//! must hold every stage of every item once.

use std::fs;

use demos_wasm::kernels::workload::{expected_total, unit_primes};
use demos_wasm::workload::Workload;
use serde_json::Value;
use site_gen::claims::FASTER;
use site_gen::demo_block::DemoBlock;
use site_gen::python_twin::generated_twin;

use crate::python::Run;
use crate::python_twins::{fixture_blocks, page_arguments, run_python, speedup_problems};

/// The row of `mode`'s wall time.
fn ms(rows: &[Value], mode: &str) -> Option<f64> {
    rows.iter().find(|row| row["mode"] == mode)?["ms"].as_f64()
}

/// What the shape of the fixture's workload in `file` says CPython shows: what does not hold.
fn direction_problems(file: &str, rows: &[Value]) -> Vec<String> {
    let sequential = ms(rows, "sequential").unwrap_or(f64::NAN);
    let speedup = |mode: &str| sequential / ms(rows, mode).unwrap_or(f64::NAN);
    let mut problems = Vec::new();
    let mut expect = |holds: bool, what: String| {
        if !holds {
            problems.push(what);
        }
    };
    match file {
        "backpressure.md" => {
            expect(speedup("threads") >= FASTER, format!("backpressure: threads {:.2}× sequential, not faster (the consumers' waits overlap)", speedup("threads")));
        }
        "blocking-in-async.md" => {
            let pool = ms(rows, "async").unwrap_or(f64::NAN) / ms(rows, "async-pool").unwrap_or(f64::NAN);
            expect(pool >= FASTER, format!("blocking call: async-pool {pool:.2}× async, not faster (the pool overlaps the blocking calls)"));
        }
        "lock-held-too-long.md" => {
            let threads = speedup("threads");
            expect((0.5..FASTER).contains(&threads), format!("lock held too long: threads {threads:.2}× sequential, not about the same (one computes at a time)"));
        }
        "fan-out.md" => {
            for mode in ["threads", "async"] {
                expect(speedup(mode) >= FASTER, format!("fan-out: {mode} {:.2}× sequential, not faster (the waits overlap)", speedup(mode)));
            }
        }
        other => expect(false, format!("no expected direction for the fixture chapter {other}: add one")),
    }
    problems
}

/// [`direction_problems`] of `rows`; when some do not hold, of a second run (the other tests
/// share the machine, and one run's times can be caught by their load).
fn settled_directions(file: &str, block: &DemoBlock, rows: &[Value]) -> Vec<String> {
    let problems = direction_problems(file, rows);
    if problems.is_empty() {
        return problems;
    }
    match twin_json(block, &["--json"]) {
        Ok(again) => direction_problems(file, again["rows"].as_array().map(Vec::as_slice).unwrap_or_default()),
        Err(e) => vec![e],
    }
}

/// What is wrong with the `"trace"` of a run of `workload`: per mode that ran, every stage of
/// every item once, within the mode's time, on one of its lanes.
fn trace_problems(workload: &Workload, json: &Value) -> Vec<String> {
    let rows = json["rows"].as_array().map(Vec::as_slice).unwrap_or_default();
    let Some(traces) = json["trace"].as_array() else { return vec!["no \"trace\" list".into()] };
    let mut problems = Vec::new();
    for (trace, row) in traces.iter().zip(rows.iter().filter(|row| !row["ms"].is_null())) {
        let mode = row["mode"].as_str().unwrap_or("?");
        let ms = row["ms"].as_f64().unwrap_or(0.0);
        let slack = if mode == "processes" { 2.0 } else { 0.01 };
        let most_lanes = match mode {
            "sequential" => 1,
            _ => u64::from(workload.concurrency) + u64::from(workload.has_producer()),
        };
        let spans = trace["spans"].as_array().map(Vec::as_slice).unwrap_or_default();
        let mut seen: Vec<(u64, u64)> = spans.iter().map(|s| (s["item"].as_u64().unwrap_or(u64::MAX), s["stage"].as_u64().unwrap_or(u64::MAX))).collect();
        seen.sort_unstable();
        let every: Vec<(u64, u64)> = (0..u64::from(workload.items)).flat_map(|item| (0..workload.stages.len() as u64).map(move |stage| (item, stage))).collect();
        if seen != every {
            problems.push(format!("{mode}: the spans are not every stage of every item once: {seen:?}"));
        }
        for span in spans {
            let (start, end) = (span["start"].as_f64().unwrap_or(f64::NAN), span["end"].as_f64().unwrap_or(f64::NAN));
            let lane_ok = span["lane"].as_u64().is_some_and(|lane| lane < most_lanes);
            if !(0.0 <= start && start <= end && end <= ms + slack && lane_ok) {
                problems.push(format!("{mode} ({ms} ms, lanes below {most_lanes}): {span}"));
            }
        }
    }
    if traces.len() != rows.iter().filter(|row| !row["ms"].is_null()).count() {
        problems.push(format!("{} traces for {} modes that ran", traces.len(), rows.len()));
    }
    problems
}

/// Runs the twin of `block` (written as the build writes it) with the page's arguments and
/// `extra`: the command line and what it did.
fn run_twin(block: &DemoBlock, extra: &[&str]) -> (String, Run) {
    let twin = generated_twin(block.spec, &block.params).expect("a twin is made for a workload block");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join(&twin.file);
    fs::write(&script, &twin.code).unwrap();
    let mut args = page_arguments(block);
    args.extend(extra.iter().map(|arg| (*arg).to_owned()));
    (format!("python3 {} {}", twin.file, args.join(" ")), run_python(&script, &args))
}

/// The JSON the twin of `block` printed, run with `extra`, or what went wrong.
fn twin_json(block: &DemoBlock, extra: &[&str]) -> Result<Value, String> {
    let (shown, run) = run_twin(block, extra);
    match run.status {
        Some(status) if status.success() && !run.stderr.contains("Traceback") => {
            serde_json::from_str(run.stdout.trim()).map_err(|e| format!("{shown}: printed no JSON ({e}):\n{}", run.stdout))
        }
        status => Err(format!("{shown}: exited with {status:?}:\n{}{}", run.stdout, run.stderr)),
    }
}

#[test]
fn every_workload_twin_runs_its_block_and_every_mode_computes_the_same_total() {
    let blocks = fixture_blocks("workloads");
    assert!(blocks.len() >= 4, "the workloads fixture book has {} blocks", blocks.len());
    let mut failures = Vec::new();
    // One at a time: the speed-ups are measured.
    for (file, block) in &blocks {
        let workload = block.workload.as_ref().expect("a workload block carries its workload");
        let json = match twin_json(block, &["--json", "--trace"]) {
            Ok(json) => json,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        let rows = json["rows"].as_array().map(Vec::as_slice).unwrap_or_default();
        let expected = expected_total(workload);
        let mut problems = Vec::new();
        let modes: Vec<&str> = rows.iter().filter_map(|row| row["mode"].as_str()).collect();
        let chosen: Vec<&str> = block.params["modes"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        if modes != chosen {
            problems.push(format!("rows for {modes:?}, not the block's modes {chosen:?}"));
        }
        for row in rows {
            if row["result"].as_u64() != Some(expected) {
                problems.push(format!("{}: total {}, but the stages' compute units give {expected}", row["mode"], row["result"]));
            }
        }
        problems.extend(speedup_problems("sequential", rows));
        problems.extend(settled_directions(file, block, rows));
        problems.extend(trace_problems(workload, &json));
        eprintln!("{file}: {}", json["rows"]);
        if !problems.is_empty() {
            failures.push(format!("{file}:\n  {}\n  {}", problems.join("\n  "), json["rows"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_unit_of_compute_is_the_one_the_contract_defines() {
    // Window 0 is 1,000,000 … 1,001,023; 1,000,003 is the first prime above a million.
    let low = 1_000_000;
    let by_sieve = (low..low + 1024).filter(|&n: &u32| (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)).count() as u64;
    assert_eq!(u64::from(unit_primes(0)), by_sieve);
    assert_eq!(unit_primes(64), unit_primes(0));
}

#[test]
fn a_workload_twin_refuses_what_its_block_would() {
    let blocks = fixture_blocks("workloads");
    let (_, fan_out) = blocks.iter().find(|(file, _)| file == "fan-out.md").expect("the fan-out workload");
    for (extra, says) in [
        (["--queue", "2"], "queue = 2 bounds a queue no producer fills"),
        (["--modes", "async-pool"], "async-pool differs from async only with a blocking stage"),
        (["--items", "1001"], "items = 1001 is out of range: it must be between 1 and 1000"),
    ] {
        let (shown, run) = run_twin(fan_out, &extra);
        assert_eq!(run.status.and_then(|status| status.code()), Some(2), "{shown}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(says) && !run.stderr.contains("Traceback"), "{shown}: {}", run.stderr);
    }
}
