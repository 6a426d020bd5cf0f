//! The `site-gen` command line: parses arguments, runs a command, reports problems and
//! exits 0 (success), 1 (problems in the book's files) or 2 (usage or I/O errors).

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser, Subcommand};
use site_gen::{Error, Result};

use cli::report::{ColorChoice, MessageFormat};

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
    /// Colour in the annotated problems on the error output: `auto` when it is a terminal
    /// and NO_COLOR is not set.
    #[arg(long, value_name = "WHEN", global = true, default_value = "auto")]
    color: ColorChoice,
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
        /// Open the built site's first page in the browser ($BROWSER when set).
        #[arg(long)]
        open: bool,
        /// Build everything, even when nothing changed since the last build.
        #[arg(long)]
        force: bool,
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
        /// Open the served site in the browser ($BROWSER when set) once it is listening.
        #[arg(long)]
        open: bool,
        /// Notice changes by looking at the book's files every so often, for file systems
        /// that send no change events (network shares, some VM and container mounts).
        #[arg(long)]
        poll: bool,
        /// How often to look for changes with --poll, in milliseconds.
        #[arg(long, value_name = "MS", default_value_t = site_gen::serve::POLL_INTERVAL.as_millis() as u64, requires = "poll",
              value_parser = clap::value_parser!(u64).range(10..=60_000))]
        poll_interval: u64,
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
        /// How to list the problems: `human` (file:line:column: message), `json` (one object a
        /// line) or `github` (GitHub Actions annotations).
        #[arg(long, value_name = "FORMAT", default_value = "human")]
        message_format: MessageFormat,
    },
    /// Remove the build folder (`[build] build-dir`, or DEST), only if a build wrote it.
    ///
    /// A folder without the `.site-gen-output` file every build writes is never removed
    /// (exit status 2); a build writing the folder at the time finishes first.
    Clean {
        /// The book's root folder, holding book.toml.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Remove this build folder instead of the book's build-dir.
        #[arg(short = 'd', long = "dest-dir", value_name = "DEST")]
        dest: Option<PathBuf>,
    },
    /// Print a completion script for SHELL on the output.
    ///
    /// For example `site-gen completions bash > ~/.local/share/bash-completion/completions/site-gen`,
    /// or `site-gen completions zsh > ~/.zfunc/_site-gen`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
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
    let colour = cli.color.for_stderr();
    // `check` in a format for tools has listed the problems on its output already.
    let listed = matches!(cli.command, Command::Check { message_format, .. } if message_format != MessageFormat::Human);
    match run(cli.command, colour) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                Error::Content(problems) if listed => eprintln!("{}", cli::report::errors_found(problems.iter())),
                _ => eprintln!("{}", cli::report::error_text(&e, colour)),
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// The warnings of a build and its line of timings.
fn print_build(report: &site_gen::BuildReport, colour: bool) {
    for w in &report.warnings {
        eprintln!("{}", cli::report::annotated(w, colour));
    }
    let total: std::time::Duration = report.steps.iter().map(|(_, d)| *d).sum();
    let steps: Vec<String> = report.steps.iter().map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1e3)).collect();
    let (ms, steps) = (total.as_secs_f64() * 1e3, steps.join(", "));
    if report.up_to_date {
        let (pages, out) = (report.pages, report.out_dir.display());
        println!("Up to date: nothing changed since the last build ({pages} pages) in {out}, checked in {ms:.0} ms ({steps})");
    } else {
        let reused = match report.chapters_reused {
            0 => String::new(),
            1 => "1 chapter unchanged, read back from the last build; ".to_owned(),
            n => format!("{n} chapters unchanged, read back from the last build; "),
        };
        println!("Built {} pages into {} in {ms:.0} ms ({reused}{steps})", report.pages, report.out_dir.display());
    }
}

fn run(command: Command, colour: bool) -> Result<()> {
    match command {
        Command::Build { dir, dest, deny_warnings, no_preprocessors, open, force } => {
            let root = book_root(&dir)?;
            let options = site_gen::BuildOptions { deny_warnings, no_preprocessors, force };
            let report = site_gen::build_with(&root, dest.as_deref(), options)?;
            print_build(&report, colour);
            if open {
                cli::browser::open(report.out_dir.join("index.html").as_os_str());
            }
            Ok(())
        }
        Command::Serve { dir, port, host, dest, open, poll, poll_interval } => {
            let root = book_root(&dir)?;
            let watch = if poll {
                site_gen::serve::WatchMode::Poll(Duration::from_millis(poll_interval))
            } else {
                site_gen::serve::WatchMode::Events
            };
            let on_listening = open.then_some(cli::browser::open_address as fn(&str));
            let options = site_gen::serve::ServeOptions { host, port, dest, watch, on_listening };
            site_gen::serve::serve(&root, &options)
        }
        Command::Check { dir, no_preprocessors, message_format } => {
            let root = book_root(&dir)?;
            let checked = site_gen::check_with(&root, site_gen::BuildOptions { no_preprocessors, ..Default::default() });
            if message_format != MessageFormat::Human {
                let problems: &[site_gen::diagnostic::Diagnostic] = match &checked {
                    Ok(warnings) => warnings,
                    Err(Error::Content(problems)) => problems,
                    Err(_) => &[],
                };
                for line in cli::report::machine_lines(problems, message_format, &dir) {
                    println!("{line}");
                }
                return checked.map(|_| ());
            }
            match checked {
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
        Command::Clean { dir, dest } => {
            let root = book_root(&dir)?;
            match site_gen::clean(&root, dest.as_deref())? {
                site_gen::Cleaned::Removed(path) => println!("Removed {}", path.display()),
                site_gen::Cleaned::Missing(path) => println!("Nothing to remove: {} does not exist", path.display()),
            }
            Ok(())
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "site-gen", &mut std::io::stdout());
            Ok(())
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
