//! The claims (`claims.toml`), what a run measured, and the table that puts them side by side.

use std::collections::BTreeMap;
use std::path::Path;

use demos_wasm::catalogue;
use serde::Deserialize;
use serde_json::Value;

/// The words a claim may use, with what each means.
const DIRECTIONS: [&str; 5] = ["faster", "same", "slower", "loses", "exact"];
/// A speed-up at least this large is "faster"; below its inverse, "slower".
const FASTER: f64 = 1.25;
const SLOWER: f64 = 0.8;

/// One run of a demo and what each mode should show, in the browser and in CPython.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    pub demo: String,
    #[serde(default)]
    pub params: BTreeMap<String, toml::Value>,
    #[serde(default)]
    pub claim: String,
    /// The mode the others' speed-ups are measured against: the catalogue's, as on the page and
    /// in the demo's Python twin (not a setting of claims.toml).
    #[serde(skip)]
    pub baseline: String,
    #[serde(default)]
    pub browser: BTreeMap<String, String>,
    #[serde(default)]
    pub python: BTreeMap<String, String>,
}

impl Run {
    /// "gil (work = "io")", "primes".
    pub fn title(&self) -> String {
        if self.params.is_empty() {
            return self.demo.clone();
        }
        let params: Vec<String> = self.params.iter().map(|(key, value)| format!("{key} = {value}")).collect();
        format!("{} ({})", self.demo, params.join(", "))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimsFile {
    run: Vec<Run>,
}

/// The runs of `path`, checked against the catalogue, then every demo no run names, at its defaults.
pub fn load(path: &Path) -> Result<Vec<Run>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut runs = toml::from_str::<ClaimsFile>(&text).map_err(|e| format!("{}: {e}", path.display()))?.run;
    for run in &mut runs {
        let Some(spec) = catalogue::find(&run.demo) else {
            return Err(format!("{}: there is no demo `{}`", path.display(), run.demo));
        };
        run.baseline = spec.baseline.to_owned();
        for (mode, direction) in run.browser.iter().chain(&run.python) {
            if spec.mode(mode).is_none() || !DIRECTIONS.contains(&direction.as_str()) {
                return Err(format!(
                    "{}: `{}`: `{mode} = \"{direction}\"`: modes are {:?}, claims one of {DIRECTIONS:?}",
                    path.display(),
                    run.demo,
                    spec.modes.iter().map(|m| m.name).collect::<Vec<_>>()
                ));
            }
        }
    }
    for spec in catalogue::catalogue() {
        if !runs.iter().any(|run| run.demo == spec.name) {
            runs.push(Run {
                demo: spec.name.to_owned(),
                params: BTreeMap::new(),
                claim: String::from("(no claim in claims.toml)"),
                baseline: spec.baseline.to_owned(),
                browser: BTreeMap::new(),
                python: BTreeMap::new(),
            });
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

/// Whether `measured` bears out `direction` for `mode`: Some(true/false), or None when it
/// cannot tell (the mode did not run).
fn holds(direction: &str, measured: &Measured, mode: &str, baseline: &str) -> Option<bool> {
    let row = measured.mode(mode)?;
    match direction {
        "loses" | "exact" => {
            let (result, expected) = (row.result?, row.expected?);
            Some(if direction == "loses" { result < expected } else { result == expected })
        }
        _ => {
            let speedup = measured.speedup(mode, baseline)?;
            Some(match direction {
                "faster" => speedup >= FASTER,
                "slower" => speedup < SLOWER,
                _ => (SLOWER..FASTER).contains(&speedup),
            })
        }
    }
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

fn cell_claim(direction: Option<&String>, measured: Option<&Measured>, mode: &str, baseline: &str) -> (String, Option<bool>) {
    let Some(direction) = direction else { return ("—".into(), None) };
    let verdict = measured.and_then(|m| holds(direction, m, mode, baseline));
    let mark = match verdict {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "?",
    };
    (format!("{direction}: {mark}"), verdict)
}

/// Prints one run's table: per mode, both sides' wall times and speed-ups, each side's claim
/// and whether it held, and whether both did.
pub fn print_table(run: &Run, browser: &Measured, python: Option<&Measured>, command: Option<&str>) {
    println!("\n## {}\n\n{}\n", run.title(), run.claim);
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

    #[test]
    fn the_projects_claims_name_real_demos_modes_and_baselines() {
        let runs = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("claims.toml")).unwrap();
        assert!(runs.iter().any(|run| run.demo == "hybrid" && run.baseline == "async"));
        assert!(runs.iter().filter(|run| run.demo == "primes").all(|run| run.baseline == "sequential"));
        // Every claim is checked against the catalogue as it loads; the newer demos have theirs.
        for demo in ["ipc-cost", "async-scale", "hybrid"] {
            assert!(runs.iter().any(|run| run.demo == demo && !run.browser.is_empty()), "{demo} claims nothing");
        }
    }

    #[test]
    fn the_baseline_is_the_catalogue_s_not_a_claim_s() {
        let dir = tempfile_dir();
        let path = dir.join("claims.toml");
        std::fs::write(&path, "[[run]]\ndemo = \"hybrid\"\nbaseline = \"sequential\"\n").unwrap();
        let error = load(&path).err().unwrap();
        assert!(error.contains("unknown field `baseline`"), "{error}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("claims-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
