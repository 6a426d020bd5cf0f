//! The `site-gen` command line: parses arguments, runs a command, reports problems and
//! exits 0 (success), 1 (problems in the book's files) or 2 (usage or I/O errors).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use site_gen::{Error, Result};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "site-gen",
    // The package's version, and whether the demo runtime is built in (see build.rs).
    version = env!("SITE_GEN_VERSION"),
    about = "Builds, checks and serves a book of Markdown chapters with live WebAssembly demos.",
    after_help = "Exit status: 0 on success, 1 when the book's files have problems, 2 on usage or I/O errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book into its build folder (`[build] build-dir`, default `book`).
    ///
    /// The previous build is replaced only when the whole build succeeds.
    Build {
        /// The book's root folder, holding book.toml.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the site here instead of the book's build-dir.
        #[arg(short = 'd', long = "dest-dir", value_name = "DEST")]
        dest: Option<PathBuf>,
        /// Treat warnings (broken links, unknown book.toml keys …) as errors: exit 1 and write nothing.
        #[arg(long)]
        deny_warnings: bool,
        /// Do not run the book's `[preprocessor.NAME]` commands.
        #[arg(long)]
        no_preprocessors: bool,
    },
    /// Build the book and serve it on http://HOST:PORT, cross-origin isolated.
    Serve {
        /// The book's root folder, holding book.toml.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(short = 'p', long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on; anything but a loopback address is reachable from other machines.
        #[arg(short = 'n', long = "hostname", default_value = "127.0.0.1")]
        host: String,
        /// Write the site here instead of the book's build-dir.
        #[arg(short = 'd', long = "dest-dir", value_name = "DEST")]
        dest: Option<PathBuf>,
    },
    /// Check the book without writing anything: SUMMARY.md, every chapter, every demo block
    /// and every internal link, anchor and image (web addresses are not fetched).
    ///
    /// Problems are listed as `file:line:column: message`; the exit status is 1 when there are any.
    Check {
        /// The book's root folder, holding book.toml.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Do not run the book's `[preprocessor.NAME]` commands.
        #[arg(long)]
        no_preprocessors: bool,
    },
    /// Create a new book (book.toml, content/SUMMARY.md and a first chapter) in DIR.
    ///
    /// DIR is created when missing. No file is ever overwritten: when any of the files
    /// already exists, nothing is written and the exit status is 2.
    Init {
        /// The new book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The book's title (default: from the folder's name).
        #[arg(long)]
        title: Option<String>,
    },
}

fn main() -> ExitCode {
    // Diagnostics for the curious: `RUST_LOG=site_gen=debug site-gen serve` (timings of
    // every rebuild, among others).
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Build { dir, dest, deny_warnings, no_preprocessors } => {
            let root = book_root(&dir)?;
            let options = site_gen::BuildOptions { deny_warnings, no_preprocessors };
            let report = site_gen::build_with(&root, dest.as_deref(), options)?;
            for w in &report.warnings {
                eprintln!("{}", w.annotated());
            }
            let total: std::time::Duration = report.steps.iter().map(|(_, d)| *d).sum();
            let steps: Vec<String> =
                report.steps.iter().map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1e3)).collect();
            println!(
                "Built {} pages into {} in {:.0} ms ({})",
                report.pages,
                report.out_dir.display(),
                total.as_secs_f64() * 1e3,
                steps.join(", ")
            );
            Ok(())
        }
        Command::Serve { dir, port, host, dest } => {
            let root = book_root(&dir)?;
            site_gen::serve::serve(&root, &site_gen::serve::ServeOptions { host, port, dest })
        }
        Command::Check { dir, no_preprocessors } => {
            let root = book_root(&dir)?;
            match site_gen::check_with(&root, site_gen::BuildOptions { no_preprocessors, ..Default::default() }) {
                Ok(warnings) => {
                    for w in &warnings {
                        println!("{w}");
                    }
                    print_compatibility(&warnings);
                    println!("No problems found{}.", if warnings.is_empty() { "" } else { " (warnings above)" });
                    Ok(())
                }
                Err(Error::Content(problems)) => {
                    for p in &problems {
                        println!("{p}");
                    }
                    print_compatibility(&problems);
                    Err(Error::Content(problems))
                }
                Err(e) => Err(e),
            }
        }
        Command::Init { dir, title } => {
            let written = site_gen::init(&dir, title.as_deref())?;
            for path in &written {
                println!("Created {}", path.display());
            }
            let shown = dir.display();
            println!("Read it with `site-gen serve {shown}`; check it with `site-gen check {shown}`.");
            Ok(())
        }
    }
}

/// `check`'s report of the mdBook features the book uses that have no effect here, if any.
fn print_compatibility(found: &[site_gen::diagnostic::Diagnostic]) {
    let report = site_gen::compatibility::compatibility_report(found);
    if !report.is_empty() {
        println!("\n{}\n", report.join("\n"));
    }
}

fn book_root(dir: &Path) -> Result<PathBuf> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!("{} is not a folder; give the book's root folder (the one with book.toml)", dir.display())));
    }
    std::path::absolute(dir).map_err(|e| Error::io("resolve", dir, e))
}
