//! `book-bench`: generates books of 100, 1,000 and 5,000 pages and measures `site-gen`
//! building them — and mdBook and Hugo on the same pages, where installed — printing median
//! wall time, pages per second, peak memory, output size and the ratio to each peer.

mod generate;
mod measure;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::generate::{generate_book, generate_hugo_site};
use crate::measure::{folder_size, measure, median, Run};

#[derive(Parser)]
#[command(about = "Generates realistic books and measures static-site generators building them.")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a generated book (book.toml + content/) into OUT.
    Generate {
        #[arg(long, default_value_t = 1000)]
        pages: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        out: PathBuf,
    },
    /// Measure clean builds of generated books and print a table.
    Builds {
        /// Book sizes, in pages.
        #[arg(long, value_delimiter = ',', default_value = "100,1000,5000")]
        pages: Vec<usize>,
        /// Runs per tool and size (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The site-gen binary to measure.
        #[arg(long, default_value = "target/release/site-gen")]
        site_gen: PathBuf,
        /// Where generated books and outputs go.
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Cmd) -> Result<(), String> {
    match command {
        Cmd::Generate { pages, seed, out } => generate_book(&out, pages, seed).map_err(|e| format!("{}: {e}", out.display())),
        Cmd::Builds { pages, runs, site_gen, work } => builds(&pages, runs.max(1), &site_gen, &work),
    }
}

/// One tool's figures for one book size.
struct Figures {
    tool: &'static str,
    pages: usize,
    wall: Duration,
    peak_memory: u64,
    output: u64,
}

fn builds(sizes: &[usize], runs: usize, site_gen: &Path, work: &Path) -> Result<(), String> {
    if !site_gen.is_file() {
        return Err(format!("{} not found: build it with `cargo build --release -p site-gen`", site_gen.display()));
    }
    let mdbook = on_path("mdbook");
    let hugo = on_path("hugo");
    let mut rows = Vec::new();
    for &pages in sizes {
        let book = work.join(format!("book-{pages}"));
        if !book.join("content/SUMMARY.md").is_file() {
            eprintln!("generating a {pages}-page book in {}", book.display());
            generate_book(&book, pages, 1).map_err(|e| e.to_string())?;
        }
        let out = work.join(format!("out-site-gen-{pages}"));
        rows.push(repeat("site-gen", pages, runs, &out, || {
            let mut c = Command::new(site_gen);
            c.arg("build").arg(&book).arg("-d").arg(&out);
            c
        })?);
        if let Some(mdbook) = &mdbook {
            let out = work.join(format!("out-mdbook-{pages}"));
            rows.push(repeat("mdBook", pages, runs, &out, || {
                let mut c = Command::new(mdbook);
                c.arg("build").arg(&book).arg("-d").arg(std::path::absolute(&out).unwrap_or(out.clone()));
                c
            })?);
        }
        if let Some(hugo) = &hugo {
            let site = work.join(format!("hugo-{pages}"));
            if !site.join("hugo.toml").is_file() {
                generate_hugo_site(&site, pages, 1).map_err(|e| e.to_string())?;
            }
            let out = work.join(format!("out-hugo-{pages}"));
            rows.push(repeat("Hugo", pages, runs, &out, || {
                let mut c = Command::new(hugo);
                c.arg("--quiet").arg("-s").arg(&site).arg("-d").arg(std::path::absolute(&out).unwrap_or(out.clone()));
                c
            })?);
        }
    }
    print_table(&rows, runs, mdbook.is_some(), hugo.is_some());
    Ok(())
}

fn repeat(tool: &'static str, pages: usize, runs: usize, out: &Path, command: impl Fn() -> Command) -> Result<Figures, String> {
    let mut walls = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(out);
        let Run { wall, peak_memory } = measure(&mut command())?;
        walls.push(wall);
        peak = peak.max(peak_memory);
    }
    Ok(Figures { tool, pages, wall: median(walls), peak_memory: peak, output: folder_size(out) })
}

/// Clean-build targets: (pages, seconds).
const TARGETS: &[(usize, f64)] = &[(1000, 1.0), (5000, 5.0)];

fn print_table(rows: &[Figures], runs: usize, mdbook: bool, hugo: bool) {
    println!("\nClean builds, median of {runs} (peak memory is the largest of the runs)\n");
    println!("| pages | tool | wall | pages/s | peak memory | output | output/page | vs site-gen | target |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---|");
    for r in rows {
        let ours = rows.iter().find(|o| o.pages == r.pages && o.tool == "site-gen");
        let ratio = match ours {
            Some(o) if r.tool != "site-gen" => format!("{:.1}× slower", r.wall.as_secs_f64() / o.wall.as_secs_f64()),
            _ => "—".into(),
        };
        let target = match (r.tool, TARGETS.iter().find(|(p, _)| *p == r.pages)) {
            ("site-gen", Some((_, s))) => {
                let ok = r.wall.as_secs_f64() <= *s && (r.pages < 5000 || r.peak_memory < 300 << 20);
                format!("≤ {s} s{} — {}", if r.pages == 5000 { ", < 300 MiB" } else { "" }, if ok { "met" } else { "NOT met" })
            }
            _ => String::new(),
        };
        println!(
            "| {} | {} | {:.2} s | {:.0} | {:.0} MiB | {:.1} MiB | {:.1} KiB | {ratio} | {target} |",
            r.pages,
            r.tool,
            r.wall.as_secs_f64(),
            r.pages as f64 / r.wall.as_secs_f64(),
            r.peak_memory as f64 / (1 << 20) as f64,
            r.output as f64 / (1 << 20) as f64,
            r.output as f64 / 1024.0 / r.pages as f64,
        );
    }
    if !mdbook {
        println!("\nmdBook not installed (`cargo install mdbook` to compare).");
    }
    if !hugo {
        println!("Hugo not installed (`apt-get install hugo` to compare).");
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(name)).find(|p| p.is_file()))
}
