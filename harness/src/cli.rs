//! The `site-gen` command line run on a book, as an author runs it, so that a test reads as
//! "this book, this command, this output":
//!
//! ```no_run
//! # let site_gen = harness::SiteGen::at("site-gen");
//! let book = harness::BookTest::fixture(&site_gen, "basic");
//! book.write("content/demo.md", "```demo\nname = \"fibonacci\"\n```\n");
//! let run = book.run(&["check", "."]).expect_code(1);
//! assert_eq!(run.problems(), ["content/demo.md:2:8: error: unknown demo `fibonacci`"]);
//! ```
//!
//! What a run printed can be compared whole with a snapshot ([`Run::redacted`] takes out the
//! book's temporary folder; [`article`] cuts a page down to its chapter).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::books::{copy_fixture, copy_tree, read};
use crate::server::SiteGen;

/// A book in a temporary folder of its own, and the `site-gen` binary to run on it.
pub struct BookTest {
    site_gen: SiteGen,
    dir: TempDir,
}

impl BookTest {
    /// A copy of the fixture book `name` (`site-gen/tests/fixtures/<name>`).
    pub fn fixture(site_gen: &SiteGen, name: &str) -> Self {
        Self { site_gen: site_gen.clone(), dir: copy_fixture(name) }
    }

    /// An empty folder.
    pub fn empty(site_gen: &SiteGen) -> Self {
        Self { site_gen: site_gen.clone(), dir: tempfile::tempdir().expect("a temporary folder") }
    }

    /// Another copy of this book as it is now, a build's output included: to break many
    /// copies of one built book.
    pub fn duplicate(&self) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        copy_tree(self.path(), dir.path());
        Self { site_gen: self.site_gen.clone(), dir }
    }

    /// The book's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` into the book's file `path` (its folders made when missing).
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Self {
        let file = self.path().join(path);
        std::fs::create_dir_all(file.parent().expect("a file in the book")).unwrap();
        std::fs::write(&file, contents).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        self
    }

    /// Adds `text` at the end of the book's file `path`.
    pub fn append(&self, path: &str, text: &str) -> &Self {
        let before = self.read(path);
        self.write(path, before + text)
    }

    /// Removes the book's file `path`.
    pub fn remove(&self, path: &str) -> &Self {
        let file = self.path().join(path);
        std::fs::remove_file(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        self
    }

    /// The text of the book's file `path` (a source, or a built page: `out/basics.html`).
    pub fn read(&self, path: &str) -> String {
        read(self.path().join(path))
    }

    /// Runs `site-gen ARGS` in the book's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::in_folder(&self.site_gen, args, self.path())
    }

    /// Runs `site-gen ARGS` in the book's folder within `bounds`: killed when it runs too
    /// long, failing to allocate past its memory, as a test of hostile input wants.
    pub fn run_bounded(&self, args: &[&str], bounds: &Bounds) -> Run {
        Run::bounded(&self.site_gen, args, self.path(), bounds)
    }

    /// `site-gen build .`, which must succeed.
    #[track_caller]
    pub fn build(&self) -> Run {
        self.run(&["build", "."]).expect_success()
    }

    /// `site-gen check .`, whatever it finds.
    pub fn check(&self) -> Run {
        self.run(&["check", "."])
    }
}

/// What one run of `site-gen` did.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// How long it took, and the most memory it held (resident, KiB; 0 when not measured).
    pub elapsed: Duration,
    pub peak_kib: u64,
    /// Killed for running past its time ([`Bounds::time`]).
    pub timed_out: bool,
    /// Where it ran.
    folder: PathBuf,
}

/// What a run of `site-gen` is allowed, and as whom it runs.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// Killed (`SIGKILL`) when still running after this long.
    pub time: Duration,
    /// Its address space: an allocation past it fails (and the process aborts).
    pub memory: u64,
    /// The largest file it may write (`RLIMIT_FSIZE`): a write past it fails with "File too
    /// large", as a full disk makes writes fail, without needing a disk to fill.
    pub file_size: Option<u64>,
    /// Run as `nobody` when the tests run as root, so that file permissions apply to it (root
    /// writes into a read-only folder).
    pub unprivileged: bool,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { time: Duration::from_secs(60), memory: 4 << 30, file_size: None, unprivileged: false }
    }
}

impl Bounds {
    /// The default bounds with `time`.
    pub fn time(time: Duration) -> Self {
        Bounds { time, ..Bounds::default() }
    }
}

impl Run {
    /// Runs `site-gen ARGS` in `folder` (a fixture in place, say: for commands that write nothing).
    pub fn in_folder(site_gen: &SiteGen, args: &[&str], folder: &Path) -> Run {
        let started = Instant::now();
        let output = site_gen.run(args, folder);
        Run {
            status: output.status,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            elapsed: started.elapsed(),
            peak_kib: 0,
            timed_out: false,
            folder: folder.to_path_buf(),
        }
    }

    /// Runs `site-gen ARGS` in `folder` within `bounds`, measuring its time and peak memory.
    pub fn bounded(site_gen: &SiteGen, args: &[&str], folder: &Path, bounds: &Bounds) -> Run {
        let mut command = std::process::Command::new(&site_gen.0);
        command.args(args).current_dir(folder).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        bounds.apply(&mut command);
        let started = Instant::now();
        // Reaped below with wait4(2), which also reports its peak memory.
        #[allow(clippy::zombie_processes)]
        let mut child = command.spawn().unwrap_or_else(|e| panic!("{}: {e}", site_gen.0.display()));
        let pid = child.id() as libc::pid_t;
        let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_end(&mut bytes);
                }
                String::from_utf8_lossy(&bytes).into_owned()
            })
        };
        let stdout = read(child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
        let stderr = read(child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
        let mut timed_out = false;
        let (status, usage) = loop {
            let mut status = 0;
            // SAFETY: rusage is plain data; wait4 writes it and the status for our own child.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
            if reaped == pid {
                break (status, usage);
            }
            if !timed_out && started.elapsed() > bounds.time {
                timed_out = true;
                // SAFETY: our own child, not reaped yet.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let elapsed = started.elapsed();
        Run {
            status: std::os::unix::process::ExitStatusExt::from_raw(status),
            stdout: stdout.join().unwrap_or_default(),
            stderr: stderr.join().unwrap_or_default(),
            elapsed,
            peak_kib: usage.ru_maxrss.max(0) as u64,
            timed_out,
            folder: folder.to_path_buf(),
        }
    }

    /// Fails unless it ended on its own (not killed for its time), exited with one of `codes`,
    /// and printed no sign of a panic; returns the run.
    #[track_caller]
    pub fn expect_clean_exit(self, codes: &[i32]) -> Self {
        assert!(!self.timed_out, "site-gen was killed after {:?}\n{}", self.elapsed, self.output());
        assert!(
            self.code().is_some_and(|c| codes.contains(&c)),
            "site-gen's exit status {} (expected one of {codes:?})\n{}",
            self.status,
            self.output()
        );
        assert!(!self.stderr.contains("panicked") && !self.stderr.contains("overflowed its stack"), "{}", self.output());
        self
    }

    /// `took 1.2 s, at most 45 MiB resident`.
    pub fn figures(&self) -> String {
        format!("took {:.2} s, at most {} MiB resident", self.elapsed.as_secs_f64(), self.peak_kib / 1024)
    }

    /// The exit code (`None` when a signal ended it).
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// Fails unless `site-gen` exited 0.
    #[track_caller]
    pub fn expect_success(self) -> Self {
        assert!(self.status.success(), "site-gen exited with {}\n{}", self.status, self.output());
        self
    }

    /// Fails unless `site-gen` exited with `code`.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(self.code(), Some(code), "site-gen's exit code\n{}", self.output());
        self
    }

    /// The lines of `check`'s output that report problems (`file:line:column: …`), help cut off.
    pub fn problems(&self) -> Vec<String> {
        problem_lines(&self.stdout)
    }

    /// Standard output then standard error, the folder it ran in written `[BOOK]`: the same
    /// text on every machine, for a snapshot.
    pub fn redacted(&self) -> String {
        let mut text = self.stdout.clone();
        if !self.stderr.is_empty() {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&self.stderr);
        }
        let folder = self.folder.display().to_string();
        let real = std::fs::canonicalize(&self.folder).map(|p| p.display().to_string()).unwrap_or_else(|_| folder.clone());
        text.replace(&real, "[BOOK]").replace(&folder, "[BOOK]")
    }

    fn output(&self) -> String {
        format!("--- stdout ---\n{}--- stderr ---\n{}", self.stdout, self.stderr)
    }
}

impl Bounds {
    /// Sets the limits on `command`, to take effect in the child.
    pub fn apply(&self, command: &mut std::process::Command) {
        use std::os::unix::process::CommandExt as _;
        let (memory, file_size) = (self.memory, self.file_size);
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(move || {
                let limit = |resource, value: u64| {
                    let l = libc::rlimit { rlim_cur: value as libc::rlim_t, rlim_max: value as libc::rlim_t };
                    if libc::setrlimit(resource, &l) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                };
                limit(libc::RLIMIT_AS, memory)?;
                if let Some(size) = file_size {
                    limit(libc::RLIMIT_FSIZE, size)?;
                    // A write past the limit fails with EFBIG instead of killing the process.
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                }
                Ok(())
            });
        }
        if self.unprivileged && unsafe { libc::geteuid() } == 0 {
            // std drops root's supplementary groups with the uid.
            command.uid(NOBODY).gid(NOBODY);
        }
    }
}

/// The user and group `nobody` runs as (Debian's 65534).
pub const NOBODY: u32 = 65534;

/// The lines of `check`'s output that report problems (`file:line:column: …`), help cut off.
pub fn problem_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(|l| l.split(" (help: ").next().unwrap().to_owned())
        .collect()
}

/// A built page's chapter: the HTML inside `<article class="chapter">`, without what every page
/// has around it (navigation, scripts with their build's version).
#[track_caller]
pub fn article(page: &str) -> &str {
    let start = page.find("<article class=\"chapter\">").unwrap_or_else(|| panic!("no <article class=\"chapter\"> in {page}"));
    let end = start + page[start..].find("</article>").unwrap_or_else(|| panic!("no </article> in {page}"));
    page[start + "<article class=\"chapter\">".len()..end].trim()
}

/// A `$BROWSER` for `--open`: a script in `dir` that writes down what it was asked to open,
/// a line each, in `opened` next to it.
pub fn recording_browser(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("browser.sh");
    let opened = dir.join("opened");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}
