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

use std::path::{Path, PathBuf};
use std::process::ExitStatus;

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
    /// Where it ran.
    folder: PathBuf,
}

impl Run {
    /// Runs `site-gen ARGS` in `folder` (a fixture in place, say: for commands that write nothing).
    pub fn in_folder(site_gen: &SiteGen, args: &[&str], folder: &Path) -> Run {
        let output = site_gen.run(args, folder);
        Run {
            status: output.status,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            folder: folder.to_path_buf(),
        }
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
