//! `book-bench`: generates books of 100, 1,000 and 5,000 pages and measures `site-gen`
//! building them — and mdBook and Hugo on the same pages, where installed — printing median
//! wall time, pages per second, peak memory, output size, what a reader downloads to read
//! a page, and the ratio to each peer, each beside its target, then site-gen building each
//! book again with nothing changed (the warm build) and after a change to one chapter, and
//! building it with highlighting off (the limit). `serve`, `search` and `demos`
//! measure live reload, the first search query and the demos; `highlight` measures the
//! highlighter alone, with syntect and with tree-sitter; `pages` runs Lighthouse on every
//! page of the book and weighs each; `sweep` runs the Measuring chapter's sweep of workers in
//! each browser engine.

mod demo_speed;
mod highlight_speed;
mod lighthouse;
mod lighthouse_report;
mod live_reload;
mod measure;
mod pages;
mod reader;
mod search_download;
mod sweep;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::{Parser, Subcommand};
use harness::books::generated;
use harness::browser::Engine;

use crate::measure::{folder_size, measure, median, Run};
use crate::reader::{page_weight, PageWeight};

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
    /// Measure live reload: one chapter of a generated book edited under `site-gen serve`.
    Serve {
        /// Book size, in pages.
        #[arg(long, default_value_t = 1000)]
        pages: usize,
        /// Edits measured (the median and 90th percentile are reported).
        #[arg(long, default_value_t = 15)]
        edits: usize,
        #[arg(long, default_value = "target/release/site-gen")]
        site_gen: PathBuf,
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
    },
    /// Measure what a first search query downloads on a 5,000-page book (runs site-gen's
    /// ignored browser test `first_query_on_a_5000_page_book`).
    Search {
        #[arg(long, default_value = "cargo")]
        cargo: PathBuf,
        /// Build the test with the release profile (slower to build, faster to run).
        #[arg(long)]
        release: bool,
    },
    /// Measure the demos: kernels natively and in headless Chromium, the threads speed-up,
    /// workers' ready time and the runtime's size.
    Demos {
        /// Timed runs per kernel (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long, default_value = "target/release/site-gen")]
        site_gen: PathBuf,
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
        /// The built demo runtime (`make demos`).
        #[arg(long, default_value = "demos-wasm/pkg")]
        demos_dir: PathBuf,
    },
    /// Run Lighthouse (installed from npm at a pinned version when missing) on every page of
    /// the book as `site-gen serve` serves it, and print scores, metrics and page weights.
    Pages {
        #[arg(long, default_value = "target/release/site-gen")]
        site_gen: PathBuf,
        /// The book measured.
        #[arg(long, default_value = ".")]
        book: PathBuf,
        /// Where the site is built and the reports go (`<work>/lighthouse/<page>.json`).
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
        /// Where Lighthouse is installed (`<tools>/lighthouse`).
        #[arg(long, default_value = "target/tools")]
        tools: PathBuf,
        /// Seconds one page's Lighthouse run may take before it is stopped and reported failed.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Measure site-gen's highlighter alone on each sample of its highlighting tests, with
    /// syntect and with the engine books are built with (tree-sitter for Rust, Python,
    /// JavaScript and TOML).
    Highlight {
        /// Timed runs of about 200 ms per sample and engine (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The repository (its theme's style.css and site-gen's test samples are read).
        #[arg(long, default_value = ".")]
        repository: PathBuf,
    },
    /// Run the Measuring chapter's sweep of workers (the primes demo's "Sweep workers") in
    /// each engine, and print its speed-ups, efficiency and fitted serial fraction.
    Sweep {
        #[arg(long, default_value = "target/release/site-gen")]
        site_gen: PathBuf,
        /// The book served (its `measuring.md` chapter is the one swept).
        #[arg(long, default_value = ".")]
        book: PathBuf,
        /// Where the site is built (`<work>/sweep-site`).
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
        /// The engines, in order: chromium, firefox, webkit.
        #[arg(long, value_delimiter = ',', default_value = "chromium,firefox,webkit", value_parser = engine)]
        engines: Vec<Engine>,
        /// Seconds one engine's sweep may take before it is reported unfinished.
        #[arg(long, default_value_t = 900)]
        timeout: u64,
    },
}

/// An engine named on the command line.
fn engine(name: &str) -> Result<Engine, String> {
    Engine::from_name(name).ok_or_else(|| format!("unknown engine `{name}`: expected chromium, firefox or webkit"))
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
        Cmd::Generate { pages, seed, out } => generated(pages).seed(seed).write(&out).map_err(|e| format!("{}: {e}", out.display())),
        Cmd::Builds { pages, runs, site_gen, work } => builds(&pages, runs.max(1), &site_gen, &work),
        Cmd::Serve { pages, edits, site_gen, work } => live_reload::live_reload(&site_gen, &work, pages, edits.max(1)),
        Cmd::Search { cargo, release } => search_download::search_download(&cargo, release),
        Cmd::Demos { runs, site_gen, work, demos_dir } => demo_speed::demo_speed(&site_gen, &work, &demos_dir, runs),
        Cmd::Pages { site_gen, book, work, tools, timeout } => {
            pages::pages(&site_gen, &book, &work, &tools, Duration::from_secs(timeout.max(1)))
        }
        Cmd::Highlight { runs, repository } => highlight_speed::highlight_speed(&repository, runs.max(1)),
        Cmd::Sweep { site_gen, book, work, engines, timeout } => {
            sweep::sweep(&site_gen, &book, &work, &engines, Duration::from_secs(timeout.max(1)))
        }
    }
}

/// One tool's figures for one book size.
struct Figures {
    tool: &'static str,
    pages: usize,
    wall: Duration,
    cpu: Duration,
    peak_memory: u64,
    output: u64,
    /// What a reader downloads to read a typical chapter (gzip).
    weight: Option<PageWeight>,
}

/// A typical chapter of a generated book, as each tool writes it.
fn typical_page(tool: &str) -> &'static str {
    match tool {
        "Hugo" => "part000/page00001/index.html",
        _ => "part000/page00001.html",
    }
}

fn builds(sizes: &[usize], runs: usize, site_gen: &Path, work: &Path) -> Result<(), String> {
    if !site_gen.is_file() {
        return Err(format!("{} not found: build it with `cargo build --release -p concurrency-lab`", site_gen.display()));
    }
    let mdbook = on_path("mdbook");
    let hugo = on_path("hugo");
    let load_before = load_average();
    let mut rows = Vec::new();
    let mut warm = Vec::new();
    let mut aside = Vec::new();
    for &pages in sizes {
        let book = work.join(format!("book-{pages}"));
        if !book.join("content/SUMMARY.md").is_file() {
            eprintln!("generating a {pages}-page book in {}", book.display());
            generated(pages).seed(1).write(&book).map_err(|e| e.to_string())?;
        }
        let plain = work.join(format!("book-{pages}-plain"));
        if !plain.join("content/SUMMARY.md").is_file() {
            generated(pages).seed(1).write(&plain).map_err(|e| e.to_string())?;
            without_highlighting(&plain.join("content")).map_err(|e| e.to_string())?;
        }
        let out = work.join(format!("out-site-gen-{pages}"));
        let mut contenders = vec![
            Contender::new("site-gen", site_gen, &["build".as_ref(), book.as_os_str(), "-d".as_ref()], &out),
            Contender::new(NO_HIGHLIGHTING, site_gen, &["build".as_ref(), plain.as_os_str(), "-d".as_ref()], &work.join(format!("out-plain-{pages}"))),
        ];
        if let Some(mdbook) = &mdbook {
            contenders.push(Contender::new("mdBook", mdbook, &["build".as_ref(), book.as_os_str(), "-d".as_ref()], &work.join(format!("out-mdbook-{pages}"))));
        }
        if let Some(hugo) = &hugo {
            let site = work.join(format!("hugo-{pages}"));
            if !site.join("hugo.toml").is_file() {
                generated(pages).seed(1).write_hugo(&site).map_err(|e| e.to_string())?;
            }
            let args = ["--quiet".as_ref(), "-s".as_ref(), site.as_os_str(), "-d".as_ref()];
            contenders.push(Contender::new("Hugo", hugo, &args, &work.join(format!("out-hugo-{pages}"))));
        }
        rows.extend(alternate(pages, runs, &contenders, &mut aside)?);
        let again = || {
            let mut c = Command::new(site_gen);
            c.arg("build").arg(&book).arg("-d").arg(&out);
            c
        };
        let unchanged = warm_build(runs, again)?;
        warm.push((pages, unchanged, one_chapter_changed(runs, &book, again)?));
    }
    print_table(&rows, runs, &load_before, mdbook.is_some(), hugo.is_some());
    print_warm(&warm, runs);
    for old in aside {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}

/// A tool building a book: its row's name, its command, and the folder it writes (given
/// as its last argument).
struct Contender {
    tool: &'static str,
    program: PathBuf,
    args: Vec<std::ffi::OsString>,
    out: PathBuf,
}

impl Contender {
    fn new(tool: &'static str, program: &Path, args: &[&std::ffi::OsStr], out: &Path) -> Contender {
        let out = std::path::absolute(out).unwrap_or(out.to_path_buf());
        Contender { tool, program: program.to_path_buf(), args: args.iter().map(|a| a.to_os_string()).collect(), out }
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args).arg(&self.out);
        c
    }
}

/// Clean builds of the same pages by every contender, `runs` rounds of one build each, so
/// that a change in the machine's load falls on all of them alike; the figures of each.
fn alternate(pages: usize, runs: usize, contenders: &[Contender], aside: &mut Vec<PathBuf>) -> Result<Vec<Figures>, String> {
    let mut measured: Vec<Vec<Run>> = contenders.iter().map(|_| Vec::new()).collect();
    for round in 0..runs {
        for (contender, runs) in contenders.iter().zip(&mut measured) {
            move_aside(&contender.out, round, aside)?;
            runs.push(measure(&mut contender.command())?);
        }
    }
    let figures = contenders.iter().zip(measured).map(|(c, runs)| Figures {
        tool: c.tool,
        pages,
        wall: median(runs.iter().map(|r| r.wall).collect()),
        cpu: median(runs.iter().map(|r| r.cpu).collect()),
        peak_memory: runs.iter().map(|r| r.peak_memory).max().unwrap_or(0),
        output: folder_size(&c.out),
        weight: page_weight(&c.out, typical_page(c.tool)),
    });
    Ok(figures.collect())
}

/// Moves the last build's output `out` aside (into `aside`, deleted once every build is
/// measured) rather than deleting it: on a file system that will not reuse recently deleted
/// inodes (ext4 without a journal), creating thousands of files just after deleting
/// thousands costs the next build seconds of kernel time that belong to no build.
fn move_aside(out: &Path, round: usize, aside: &mut Vec<PathBuf>) -> Result<(), String> {
    if out.exists() {
        let old = out.with_extension(format!("old{round}"));
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old).map_err(|e| format!("{}: {e}", out.display()))?;
        aside.push(old);
    }
    Ok(())
}

/// The row of site-gen building the same pages with highlighting off: the limit of how
/// fast a build can be with the highlighter as it is now the rest of the build.
const NO_HIGHLIGHTING: &str = "site-gen, highlighting off";

/// Turns highlighting off in every chapter under `dir`: each code block's language becomes
/// `text` (the code, and so the pages' text, stays the same).
fn without_highlighting(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            without_highlighting(&path)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path)?;
            let plain: String = text
                .split_inclusive('\n')
                .map(|line| match line.strip_prefix("```") {
                    Some(rest) if !rest.trim().is_empty() => "```text\n",
                    _ => line,
                })
                .collect();
            std::fs::write(&path, plain)?;
        }
    }
    Ok(())
}

/// The median wall time of `runs` builds again with nothing changed, into the folder the
/// last clean build wrote (site-gen leaves it as it is).
fn warm_build(runs: usize, command: impl Fn() -> Command) -> Result<Duration, String> {
    let walls: Result<Vec<Duration>, String> = (0..runs).map(|_| measure(&mut command()).map(|r| r.wall)).collect();
    Ok(median(walls?))
}

/// The median wall time of `runs` builds after a change to one chapter of `book` (a
/// paragraph added to its first chapter, a different one each run), into the folder the
/// last build wrote; the chapter is put back as it was afterwards.
fn one_chapter_changed(runs: usize, book: &Path, command: impl Fn() -> Command) -> Result<Duration, String> {
    let chapter = book.join("content/part000/page00001.md");
    let original = std::fs::read_to_string(&chapter).map_err(|e| format!("{}: {e}", chapter.display()))?;
    let mut walls = Vec::new();
    for run in 0..runs {
        let changed = format!("{original}\nA paragraph added before build {run}.\n");
        std::fs::write(&chapter, changed).map_err(|e| format!("{}: {e}", chapter.display()))?;
        walls.push(measure(&mut command()).map(|r| r.wall));
    }
    std::fs::write(&chapter, original).map_err(|e| format!("{}: {e}", chapter.display()))?;
    let walls: Result<Vec<Duration>, String> = walls.into_iter().collect();
    Ok(median(walls?))
}

/// Warm-build target: at most this long for 1,000 pages with nothing changed.
const WARM_TARGET: Duration = Duration::from_millis(100);

fn print_warm(rows: &[(usize, Duration, Duration)], runs: usize) {
    println!("\nBuilds again (site-gen), median of {runs}: with nothing changed, and after a change to one chapter\n");
    println!("| pages | nothing changed | target | one chapter changed |");
    println!("|---:|---:|---|---:|");
    for (pages, unchanged, one_changed) in rows {
        let target = match *pages {
            1000 => format!("≤ 0.1 s {}", if *unchanged <= WARM_TARGET { "met" } else { "NOT met" }),
            _ => String::new(),
        };
        println!("| {pages} | {:.3} s | {target} | {:.3} s |", unchanged.as_secs_f64(), one_changed.as_secs_f64());
    }
}

/// Clean-build targets: (pages, seconds).
const TARGETS: &[(usize, f64)] = &[(1000, 1.0), (5000, 5.0)];

/// Peak memory allowed at 5,000 pages, and above.
const MEMORY_TARGET: u64 = 250 << 20;

/// A clean build is to take at most this share of Hugo's time on the same pages, from
/// [`HUGO_RATIO_FROM`] pages on (below that, starting up is most of either tool's time).
const HUGO_RATIO: f64 = 0.2;
const HUGO_RATIO_FROM: usize = 1000;

/// What a reader may download before reading a page (gzip).
const READING_TARGET: u64 = 50 * 1000;

fn print_table(rows: &[Figures], runs: usize, load_before: &str, mdbook: bool, hugo: bool) {
    println!("\nClean builds, median of {runs} (peak memory is the largest of the runs). \"cpu\" is processor time,");
    println!("user and system, on all cores. \"Read\" is what a reader downloads before reading a typical chapter");
    println!("(HTML, stylesheets, blocking scripts; gzip), \"later\" the scripts it defers (the sidebar's table of");
    println!("contents among them). The machine's load average (1, 5, 15 min): {load_before} before, {} after.\n", load_average());
    println!("| pages | tool | wall | cpu | pages/s | peak memory | output | output/page | read (gz) | later (gz) | vs site-gen | targets |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in rows {
        let ours = rows.iter().find(|o| o.pages == r.pages && o.tool == "site-gen");
        let ratio = match ours {
            Some(o) if r.tool == NO_HIGHLIGHTING => format!("site-gen takes {:.2}× this", o.wall.as_secs_f64() / r.wall.as_secs_f64()),
            Some(o) if r.tool != "site-gen" => format!("{:.1}× slower", r.wall.as_secs_f64() / o.wall.as_secs_f64()),
            _ => "—".into(),
        };
        let targets = if r.tool == "site-gen" { targets(r, rows) } else { String::new() };
        let kb = |b: u64| format!("{:.1} KB", b as f64 / 1000.0);
        println!(
            "| {} | {} | {:.2} s | {:.2} s | {:.0} | {:.0} MiB | {:.1} MiB | {:.1} KiB | {} | {} | {ratio} | {targets} |",
            r.pages,
            r.tool,
            r.wall.as_secs_f64(),
            r.cpu.as_secs_f64(),
            r.pages as f64 / r.wall.as_secs_f64(),
            r.peak_memory as f64 / (1 << 20) as f64,
            r.output as f64 / (1 << 20) as f64,
            r.output as f64 / 1024.0 / r.pages as f64,
            r.weight.map_or("—".into(), |w| kb(w.before_reading)),
            r.weight.map_or("—".into(), |w| kb(w.deferred)),
        );
    }
    if !mdbook {
        println!("\nmdBook not installed (`cargo install mdbook` to compare).");
    }
    if !hugo {
        println!("Hugo not installed (`apt-get install hugo` to compare).");
    }
    println!("Output per page is to stay at most Zola's, which is not measured here (no Zola on this machine).");
}

/// Each of site-gen's targets that applies to this row, with whether it is met.
fn targets(r: &Figures, rows: &[Figures]) -> String {
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    let mut out = Vec::new();
    if let Some((_, seconds)) = TARGETS.iter().find(|(p, _)| *p == r.pages) {
        out.push(format!("wall ≤ {seconds} s {}", verdict(r.wall.as_secs_f64() <= *seconds)));
    }
    if let Some(hugo) = rows.iter().find(|o| o.pages == r.pages && o.tool == "Hugo") {
        let ratio = r.wall.as_secs_f64() / hugo.wall.as_secs_f64();
        out.push(match r.pages >= HUGO_RATIO_FROM {
            true => format!("≤ {HUGO_RATIO}× Hugo's time: {ratio:.3}× {}", verdict(ratio <= HUGO_RATIO)),
            false => format!("{ratio:.3}× Hugo's time (the target is for {HUGO_RATIO_FROM} pages and more)"),
        });
    }
    if r.pages >= 5000 {
        out.push(format!("memory ≤ 250 MiB {}", verdict(r.peak_memory <= MEMORY_TARGET)));
    }
    if let Some(w) = r.weight {
        out.push(format!("read < 50 KB {}", verdict(w.before_reading < READING_TARGET)));
    }
    // Linear growth, against the largest book at least five times smaller: processor time
    // per page within 20% of that book's, and the memory each extra page costs.
    let smaller = rows.iter().filter(|o| o.tool == r.tool && o.pages * 5 <= r.pages).max_by_key(|o| o.pages);
    if let Some(s) = smaller {
        let per_page = |f: &Figures| f.cpu.as_secs_f64() / f.pages as f64;
        out.push(format!("cpu per page ×{:.2} of {} pages' {}", per_page(r) / per_page(s), s.pages, verdict(per_page(r) <= 1.2 * per_page(s))));
        let extra = r.peak_memory.saturating_sub(s.peak_memory) as f64 / (r.pages - s.pages) as f64;
        out.push(format!("{:.0} KiB memory per extra page", extra / 1024.0));
    }
    out.join("; ")
}

/// The machine's load averages over 1, 5 and 15 minutes, as /proc/loadavg gives them.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(|_| "unknown".into(), |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(name)).find(|p| p.is_file()))
}
