//! `demo-claims`: runs every demo in headless Chromium and its Python twin in CPython, on this
//! machine, and prints per demo and mode the speed-ups each measured beside what the book
//! claims about it (its inline claims, `{{#claim …}}`, read by site-gen's library), and
//! whether both measurements bear each claim out.
//!
//! The browser figures come from a book of its own (one page per run: a demo with the
//! parameters of the demo block its claims are checked by on the book's page, the claims'
//! own put over them; every demo no claim names at its catalogue defaults), built and served
//! by `site-gen serve` and opened with `?autorun`; each figure's rows give their `data-ms`
//! and results. Each twin then runs with the command line that figure shows under
//! "The same in Python", so both run the same job with the same workers.

mod book;
mod browser;
mod claims;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::Parser;

use site_gen::python_twin::TWINS_DIR;

use crate::claims::{Measured, Run};

#[derive(Parser)]
#[command(about = "Measures every demo in headless Chromium and in CPython and compares both with the demo's claims.")]
struct Cli {
    /// The site-gen binary that builds and serves the claims book.
    #[arg(long, default_value = "target/release/site-gen")]
    site_gen: PathBuf,
    /// The book whose inline claims are checked (its folder, with book.toml).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Where the claims book and its site are written.
    #[arg(long, default_value = "target/claims")]
    out: PathBuf,
    /// The built demo runtime.
    #[arg(long, default_value = "demos-wasm/pkg")]
    demos_dir: PathBuf,
    /// The demos' Python twins.
    #[arg(long, default_value = "demos-wasm/python")]
    twins: PathBuf,
    /// The Python interpreter the twins run on.
    #[arg(long, default_value = "python3")]
    python: String,
    /// Only the runs of these demos (all when not given).
    #[arg(long, value_delimiter = ',')]
    demo: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match claims_table(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn claims_table(cli: &Cli) -> Result<(), String> {
    let (mut runs, book_claims) = claims::load(&cli.book)?;
    if !cli.demo.is_empty() {
        runs.retain(|run| cli.demo.contains(&run.demo));
    }
    if runs.is_empty() {
        return Err("no demo to run".into());
    }
    let demos_dir = absolute(&cli.demos_dir)?;
    let book = cli.out.join("book");
    book::write(&book, &runs, &demos_dir)?;

    let load_before = load_average();
    eprintln!("Running {} demo pages in headless Chromium…", runs.len());
    let pages: Vec<String> = (0..runs.len()).map(book::page_name).collect();
    let figures = browser::measure_pages(&absolute(&cli.site_gen)?, &book, &cli.out.join("site"), &pages)?;

    let site = cli.out.join("site");
    for (run, figure) in runs.iter().zip(figures) {
        let python = match &figure.command {
            Some(command) => run_twin(cli, &site, run, command)?,
            None => None,
        };
        claims::print_table(run, &run.heading(&book_claims), &figure.measured, python.as_ref(), figure.command.as_deref());
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let loads = [load_before, load_average()];
    println!("\nMachine: {cores} logical cores; load average {} before the runs, {} after.", show(loads[0]), show(loads[1]));
    if loads.iter().flatten().any(|&load| load > 0.5) {
        println!("Other work was using the cores: CPU-bound speed-ups are not to be trusted; run again on an idle machine.");
    }
    Ok(())
}

/// The one-minute load average (Linux), if the machine says.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

fn show(load: Option<f64>) -> String {
    load.map_or_else(|| "unknown".into(), |load| format!("{load:.2}"))
}

/// Runs the twin of `run`'s demo with the page's command line and `--json`: the demo's own
/// (in `--twins`), or the one the build made for the page's block (a workload's, in `site`).
fn run_twin(cli: &Cli, site: &Path, run: &Run, command: &str) -> Result<Option<Measured>, String> {
    let mut words = command.split_whitespace().skip(1);
    let Some(script) = words.next() else { return Ok(None) };
    let Some(path) = [cli.twins.join(script), site.join(TWINS_DIR).join(script)].into_iter().find(|path| path.is_file()) else {
        return Ok(None);
    };
    eprintln!("Running {command} …");
    let output = Command::new(&cli.python)
        .arg(&path)
        .args(words)
        .arg("--json")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.python))?;
    if !output.status.success() {
        return Err(format!(
            "{} ({}) failed with {}:\n{}",
            command,
            run.demo,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("{command} printed no JSON: {e}"))?;
    Ok(Some(Measured::from_python(&json)))
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))
}
