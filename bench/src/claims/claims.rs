//! The book's inline claims (`{{#claim …}}`, read by site-gen's library), gathered into runs of
//! the demos, what a run measured, and the table that puts them side by side.

use std::collections::BTreeMap;
use std::path::Path;

use demos_wasm::catalogue;
use serde_json::Value;
use site_gen::claims::{book_claims, BookClaim, Verdict};
use site_gen::demo_block::WORKLOAD;

/// One run of a demo, with every parameter it runs with, and what the book's claims say each
/// mode shows, in the browser and in CPython.
pub struct Run {
    pub demo: String,
    /// The parameters of the run: the page's demo block's, with the claims' own over them
    /// (none: the catalogue's defaults).
    pub params: BTreeMap<String, toml::Value>,
    /// The claims the run checks, each as "content/threads.md:290: threads about as fast as …".
    pub claims: Vec<String>,
    /// The mode the others' speed-ups are measured against: the catalogue's, as on the page and
    /// in the demo's Python twin.
    pub baseline: String,
    pub browser: BTreeMap<String, Verdict>,
    pub python: BTreeMap<String, Verdict>,
}

impl Run {
    /// "gil (work = "io")", "primes": the demo and the parameters its claims name.
    pub fn title(&self, named: &[String]) -> String {
        let params: Vec<String> = self.params.iter().filter(|(key, _)| named.contains(key)).map(|(key, value)| format!("{key} = {value}")).collect();
        if params.is_empty() {
            return self.demo.clone();
        }
        format!("{} ({})", self.demo, params.join(", "))
    }

    /// The parameters the claims of this run name.
    pub fn heading(&self, claims: &[BookClaim]) -> String {
        let named: Vec<String> = claims
            .iter()
            .filter(|claim| claim.demo == self.demo)
            .flat_map(|claim| claim.params.keys().cloned())
            .collect();
        self.title(&named)
    }
}

/// Whether the demo `name` runs with no parameters at all: every demo but a workload, whose
/// stages only a chapter describes.
fn runs_at_defaults(name: &str) -> bool {
    name != WORKLOAD
}

/// The book's claims in `root`, gathered into one run per demo and parameters, then every
/// demo of the catalogue no claim names, at its defaults (a workload runs only where a
/// chapter's block describes one and a claim is about it).
pub fn load(root: &Path) -> Result<(Vec<Run>, Vec<BookClaim>), String> {
    let claims = book_claims(root).map_err(|e| format!("the book in {}: {e}", root.display()))?;
    let mut runs = runs_of(&claims)?;
    for spec in catalogue::catalogue().iter().filter(|spec| runs_at_defaults(spec.name)) {
        if !runs.iter().any(|run| run.demo == spec.name) {
            runs.push(Run {
                demo: spec.name.to_owned(),
                params: BTreeMap::new(),
                claims: vec![String::from("(no claim in the book)")],
                baseline: spec.baseline.to_owned(),
                browser: BTreeMap::new(),
                python: BTreeMap::new(),
            });
        }
    }
    Ok((runs, claims))
}

/// One run per demo and parameters, in the book's order, each with the claims about it.
pub fn runs_of(claims: &[BookClaim]) -> Result<Vec<Run>, String> {
    let mut runs: Vec<Run> = Vec::new();
    for claim in claims {
        let params = claim
            .run_params
            .iter()
            .map(|(key, value)| Ok((key.clone(), toml::Value::try_from(value).map_err(|e| format!("`{key}` = {value}: {e}"))?)))
            .collect::<Result<BTreeMap<_, _>, String>>()?;
        let index = match runs.iter().position(|run| run.demo == claim.demo && run.params == params) {
            Some(index) => index,
            None => {
                runs.push(Run {
                    demo: claim.demo.to_owned(),
                    params,
                    claims: Vec::new(),
                    baseline: claim.baseline.to_owned(),
                    browser: BTreeMap::new(),
                    python: BTreeMap::new(),
                });
                runs.len() - 1
            }
        };
        let run = &mut runs[index];
        let python = claim.python.map(|v| format!(" (CPython: {})", v.name())).unwrap_or_default();
        run.claims.push(format!("{}:{}: {}{python}", claim.file.display(), claim.line, claim.expectation));
        run.browser.insert(claim.mode.to_owned(), claim.expect);
        if let Some(python) = claim.python {
            run.python.insert(claim.mode.to_owned(), python);
        }
    }
    Ok(runs)
}

/// The JSON value as a number, if it is one.
fn number(value: &Value) -> Option<f64> {
    value.as_f64()
}

/// One mode's measurement.
pub struct ModeResult {
    pub mode: String,
    pub ms: Option<f64>,
    pub result: Option<f64>,
    pub expected: Option<f64>,
    pub note: Option<String>,
}

/// What one side (the browser or CPython) measured, mode by mode.
pub struct Measured {
    pub rows: Vec<ModeResult>,
}

impl Measured {
    /// From the page's rows (`data-ms`, `data-result`, `data-expected`).
    pub fn from_rows(rows: &[Value]) -> Self {
        let rows = rows
            .iter()
            .map(|row| ModeResult {
                mode: row["mode"].as_str().unwrap_or("?").to_owned(),
                ms: if row["status"] == "done" { number(&row["ms"]) } else { None },
                result: number(&row["result"]),
                expected: number(&row["expected"]),
                note: row["note"].as_str().map(str::to_owned).or_else(|| {
                    (row["status"] != "done").then(|| row["status"].as_str().unwrap_or("?").to_owned())
                }),
            })
            .collect();
        Self { rows }
    }

    /// From a twin's `--json` output.
    pub fn from_python(json: &Value) -> Self {
        let rows = json["rows"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|row| ModeResult {
                mode: row["mode"].as_str().unwrap_or("?").to_owned(),
                ms: number(&row["ms"]),
                result: number(&row["result"]),
                expected: number(&row["expected"]),
                note: row["note"].as_str().map(str::to_owned),
            })
            .collect();
        Self { rows }
    }

    fn mode(&self, mode: &str) -> Option<&ModeResult> {
        self.rows.iter().find(|row| row.mode == mode)
    }

    /// How many times faster `mode` ran than `baseline`.
    fn speedup(&self, mode: &str, baseline: &str) -> Option<f64> {
        catalogue::speedup(self.mode(baseline)?.ms?, self.mode(mode)?.ms?)
    }
}

/// Whether `measured` bears out `verdict` for `mode`: Some(true/false), or None when it
/// cannot tell (the mode did not run).
fn holds(verdict: Verdict, measured: &Measured, mode: &str, baseline: &str) -> Option<bool> {
    let row = measured.mode(mode)?;
    if verdict.is_count() {
        return Some(verdict.holds_for_count(row.result?, row.expected?));
    }
    Some(verdict.holds_for_speedup(measured.speedup(mode, baseline)?))
}

fn cell_ms(row: Option<&ModeResult>) -> String {
    match row {
        Some(ModeResult { ms: Some(ms), .. }) => format!("{ms:.0}"),
        Some(ModeResult { note: Some(_), .. }) => "n/a".into(),
        _ => "—".into(),
    }
}

fn cell_speedup(measured: &Measured, mode: &str, baseline: &str) -> String {
    measured.speedup(mode, baseline).map(|s| format!("{s:.2}×")).unwrap_or_else(|| "—".into())
}

fn cell_claim(verdict: Option<&Verdict>, measured: Option<&Measured>, mode: &str, baseline: &str) -> (String, Option<bool>) {
    let Some(&verdict) = verdict else { return ("—".into(), None) };
    let held = measured.and_then(|m| holds(verdict, m, mode, baseline));
    let mark = match held {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "?",
    };
    (format!("{}: {mark}", verdict.name()), held)
}

/// Prints one run's table: per mode, both sides' wall times and speed-ups, each side's claim
/// and whether it held, and whether both did.
pub fn print_table(run: &Run, title: &str, browser: &Measured, python: Option<&Measured>, command: Option<&str>) {
    println!("\n## {title}\n");
    for claim in &run.claims {
        println!("- {claim}");
    }
    println!();
    if run.baseline != "sequential" {
        println!("Speed-ups are against the {} mode.\n", run.baseline);
    }
    println!("Python: {}\n", command.map(|c| format!("`{c}`")).unwrap_or_else(|| "no twin".into()));
    println!("| mode | browser ms | browser speed-up | Python ms | Python speed-up | browser claim | Python claim | both agree |");
    println!("|---|---:|---:|---:|---:|---|---|---|");
    let mut modes: Vec<&str> = browser.rows.iter().map(|row| row.mode.as_str()).collect();
    for row in python.map(|p| p.rows.as_slice()).unwrap_or(&[]) {
        if !modes.contains(&row.mode.as_str()) {
            modes.push(&row.mode);
        }
    }
    let mut notes = Vec::new();
    for mode in modes {
        let baseline = run.baseline.as_str();
        let (browser_claim, browser_holds) = cell_claim(run.browser.get(mode), Some(browser), mode, baseline);
        let (python_claim, python_holds) = cell_claim(run.python.get(mode), python, mode, baseline);
        let both = match (browser_holds, python_holds) {
            (Some(false), _) | (_, Some(false)) => "NO",
            (Some(true), Some(true)) => "yes",
            (Some(true), None) | (None, Some(true)) => "one side",
            (None, None) => "—",
        };
        let python_row = python.and_then(|p| p.mode(mode));
        if let Some(note) = python_row.and_then(|row| row.note.as_deref()) {
            notes.push(format!("Python {mode}: {note}"));
        }
        let race = |row: Option<&ModeResult>| match row {
            Some(ModeResult { result: Some(r), expected: Some(e), .. }) if r < e => format!(" (lost {:.0})", e - r),
            _ => String::new(),
        };
        println!(
            "| {mode} | {}{} | {} | {}{} | {} | {browser_claim} | {python_claim} | {both} |",
            cell_ms(browser.mode(mode)),
            race(browser.mode(mode)),
            cell_speedup(browser, mode, baseline),
            cell_ms(python_row),
            race(python_row),
            python.map(|p| cell_speedup(p, mode, baseline)).unwrap_or_else(|| "—".into()),
        );
    }
    for note in notes {
        println!("\n{note}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value as Json};

    /// A claim: demo, a parameter it names, mode, browser verdict, CPython verdict.
    type Claimed = (&'static str, Option<(&'static str, &'static str)>, &'static str, &'static str, Option<&'static str>);

    /// Every claim `make claims` checked before the claims moved into the book's text.
    const CLAIMED: [Claimed; 18] = [
        ("primes", None, "threads", "faster", Some("same")),
        ("primes", None, "processes", "faster", Some("faster")),
        ("primes", None, "async", "same", Some("same")),
        ("io-bound", None, "threads", "faster", Some("faster")),
        ("io-bound", None, "processes", "faster", Some("faster")),
        ("io-bound", None, "async", "faster", Some("faster")),
        ("gil", Some(("work", "cpu")), "threads", "same", Some("same")),
        ("gil", Some(("work", "cpu")), "processes", "faster", Some("faster")),
        ("gil", Some(("work", "io")), "threads", "faster", Some("faster")),
        ("gil", Some(("work", "io")), "processes", "faster", Some("faster")),
        ("race", None, "unsafe", "loses", Some("loses")),
        ("race", None, "lock", "exact", Some("exact")),
        ("race", None, "atomic", "exact", None),
        ("race", None, "processes", "exact", Some("exact")),
        ("ipc-cost", None, "transfer", "faster", Some("faster")),
        ("ipc-cost", None, "shared", "faster", Some("faster")),
        ("async-scale", Some(("tasks", "1000")), "async", "faster", Some("faster")),
        ("hybrid", None, "async-processes", "faster", Some("faster")),
    ];

    #[test]
    fn the_book_makes_every_claim_the_claims_file_made() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let (runs, _) = load(&root).unwrap();
        for (demo, param, mode, browser, python) in &CLAIMED {
            let run = runs.iter().find(|run| {
                run.demo == *demo && run.browser.contains_key(*mode) && param.is_none_or(|(key, value)| run.params.get(key).is_some_and(|v| v.to_string().trim_matches('"') == value))
            });
            let run = run.unwrap_or_else(|| panic!("the book has no claim {demo} {mode} {param:?}"));
            assert_eq!(run.browser[*mode].name(), *browser, "{demo} {mode}");
            assert_eq!(run.python.get(*mode).map(|v| v.name()), *python, "{demo} {mode} in CPython");
        }
        assert!(runs.iter().any(|run| run.demo == "hybrid" && run.baseline == "async"));
        assert!(runs.iter().filter(|run| run.demo == "primes").all(|run| run.baseline == "sequential"));
        for spec in catalogue::catalogue().iter().filter(|spec| runs_at_defaults(spec.name)) {
            assert!(runs.iter().any(|run| run.demo == spec.name), "{} does not run", spec.name);
        }
    }

    fn claim(demo: &'static str, mode: &'static str, run_params: Map<String, Json>) -> BookClaim {
        BookClaim {
            file: "content/a.md".into(),
            line: 3,
            demo,
            mode,
            baseline: "sequential",
            expect: Verdict::Faster,
            python: None,
            params: Map::new(),
            run_params,
            expectation: format!("{mode} at least 1.25× as fast as sequential"),
        }
    }

    #[test]
    fn claims_about_the_same_run_are_one_run() {
        let cpu = json!({ "work": "cpu", "n": 1000 }).as_object().unwrap().clone();
        let io = json!({ "work": "io", "n": 1000 }).as_object().unwrap().clone();
        let runs = runs_of(&[claim("gil", "threads", cpu.clone()), claim("gil", "processes", cpu), claim("gil", "threads", io)]).unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].browser.keys().collect::<Vec<_>>(), ["processes", "threads"]);
        assert_eq!(runs[0].claims[0], "content/a.md:3: threads at least 1.25× as fast as sequential");
        assert_eq!(runs[1].params["work"], toml::Value::String("io".into()));
    }

    #[test]
    fn a_verdict_holds_by_the_book_s_rule() {
        let measured = Measured::from_rows(&[
            json!({ "mode": "sequential", "status": "done", "ms": 100.0 }),
            json!({ "mode": "threads", "status": "done", "ms": 50.0 }),
            json!({ "mode": "unsafe", "status": "done", "ms": 50.0, "result": 9.0, "expected": 10.0 }),
        ]);
        assert_eq!(holds(Verdict::Faster, &measured, "threads", "sequential"), Some(true));
        assert_eq!(holds(Verdict::Same, &measured, "threads", "sequential"), Some(false));
        assert_eq!(holds(Verdict::Loses, &measured, "unsafe", "sequential"), Some(true));
        assert_eq!(holds(Verdict::Exact, &measured, "unsafe", "sequential"), Some(false));
        assert_eq!(holds(Verdict::Faster, &measured, "async", "sequential"), None);
    }
}
