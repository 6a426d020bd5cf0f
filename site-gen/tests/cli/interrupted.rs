//! Builds that do not run to their end alone: killed halfway (SIGINT, SIGKILL), two at once
//! into one folder, a disk that fills up, a build folder that cannot be written. The previous
//! site stays whole each time, the next build cleans up after a killed one, and two builds give
//! one complete site after the other.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use harness::books::generated;
use harness::{BookTest, Bounds};

use crate::bad_input::files_of;
use crate::{book, empty, site_gen};

/// A generated book of `pages` pages (its build folder `book/`), built once.
fn built_generated(pages: usize) -> BookTest {
    let book = empty();
    generated(pages).write(book.path()).unwrap();
    book.build();
    book
}

/// The hidden folders and files `site-gen` keeps beside the build folder `site` in `parent`.
fn leftovers(parent: &Path, site: &str) -> Vec<String> {
    let prefix = format!(".{site}.");
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&prefix))
        .collect();
    names.sort();
    names
}

/// Starts `site-gen build . --force` in `book` (a full build, even when nothing changed),
/// with SIGINT's default action, as in a terminal: a shell without job control starts the
/// commands it puts in the background with SIGINT ignored, and they pass that on.
fn start_build(book: &Path) -> Child {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(&site_gen().0);
    command.args(["build", ".", "--force"]).current_dir(book).stdout(Stdio::null()).stderr(Stdio::piped());
    // SAFETY: signal(2) is async-signal-safe, as code between fork and exec must be.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    command.spawn().unwrap()
}

/// Waits until the build `child` has written `pages` pages into its staging folder beside
/// `site` (in `parent`); returns the staging folder.
fn staged(child: &Child, parent: &Path, site: &str, pages: usize) -> PathBuf {
    let staging = parent.join(format!(".{site}.building-{}", child.id()));
    let started = Instant::now();
    loop {
        let written = std::fs::read_dir(&staging).map(|d| d.filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().starts_with("part")).count());
        if written.is_ok_and(|n| n >= pages) {
            return staging;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "no staging folder {} after two minutes", staging.display());
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_build_killed_halfway_leaves_the_previous_site_and_the_next_build_cleans_up() {
    for signal in [libc::SIGKILL, libc::SIGINT] {
        let book = built_generated(300);
        let site = files_of(&book.path().join("book"));
        book.append("content/part000/index.md", "\nAn edit the killed build never publishes.\n");
        let mut child = start_build(book.path());
        let staging = staged(&child, book.path(), "book", 1);
        // SAFETY: our own child, still running.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        assert!(status.code().is_none(), "killed by signal {signal}: {status}");
        assert!(staging.is_dir(), "the killed build leaves its staging folder");
        assert_eq!(files_of(&book.path().join("book")), site, "signal {signal}: the previous site is whole");

        let run = book.run_bounded(&["build", "."], &Bounds::default()).expect_clean_exit(&[0]);
        assert_eq!(leftovers(book.path(), "book"), Vec::<String>::new(), "signal {signal}: cleaned up\n{}", run.stderr);
        assert!(book.read("book/part000/index.html").contains("An edit the killed build never publishes."));
    }
}

#[test]
fn two_builds_into_one_folder_wait_in_turn_and_leave_one_complete_site() {
    let book = built_generated(300);
    let first = start_build(book.path());
    staged(&first, book.path(), "book", 1);
    // The second build reads the book after this: every page it writes has the new title.
    let toml = book.read("book.toml");
    book.write("book.toml", toml.replace("Generated book of 300 pages", "The second build"));
    let second = book.run_bounded(&["build", "."], &Bounds::default()).expect_clean_exit(&[0]);
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(
        second.stderr.contains(&format!("waiting for another site-gen (process {}) to finish writing", first_pid(&second.stderr))),
        "the second build says it waits:\n{}",
        second.stderr
    );
    let pages: Vec<(String, Vec<u8>)> = files_of(&book.path().join("book")).into_iter().filter(|(path, _)| path.ends_with(".html")).collect();
    assert!(pages.len() > 300, "{} pages", pages.len());
    for (path, html) in &pages {
        let html = String::from_utf8_lossy(html);
        assert!(!html.contains("Generated book of 300 pages"), "{path} is from the first build: a mix");
    }
    assert!(book.read("book/part000/index.html").contains("The second build"));
    assert_eq!(leftovers(book.path(), "book"), Vec::<String>::new());
}

/// The process id the waiting message names.
fn first_pid(stderr: &str) -> String {
    stderr.split("(process ").nth(1).and_then(|rest| rest.split(')').next()).unwrap_or("none").to_owned()
}

#[test]
fn a_full_disk_fails_the_build_with_exit_2_and_leaves_the_previous_site() {
    // A full disk without filling one: past RLIMIT_FSIZE every write fails ("File too large"),
    // as on a full disk ("No space left on device"); the same code path reports both.
    let book = book("basic");
    book.build();
    let site = files_of(&book.path().join("out"));
    book.append("content/basics.md", "\nA change that is never published.\n");
    let run = book.run_bounded(&["build", "."], &Bounds { file_size: Some(4096), ..Bounds::default() }).expect_clean_exit(&[2]);
    assert!(run.stderr.contains("File too large"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{} is as it was before this build", book.path().join("out").display())), "{}", run.stderr);
    assert_eq!(files_of(&book.path().join("out")), site);
    assert_eq!(leftovers(book.path(), "out"), Vec::<String>::new());
}

/// The same on a real full disk: a 2 MiB tmpfs mounted in a mount namespace of its own
/// (`unshare`), so that nothing outlives the test. Needs the right to mount (root, as in CI);
/// without it the test says why and does nothing.
#[test]
fn a_full_tmpfs_fails_the_build_with_exit_2_and_leaves_the_previous_site() {
    let book = book("basic");
    let work = tempfile::tempdir().unwrap();
    let mount = work.path().join("disk");
    let copy = work.path().join("before");
    std::fs::create_dir_all(&mount).unwrap();
    let script = format!(
        r#"mount -t tmpfs -o size=2m site-gen-test "{mount}" || exit 90
"{site_gen}" build . -d "{mount}/site" > /dev/null 2>&1 || exit 91
cp -a "{mount}/site" "{copy}"
head -c 3000000 /dev/urandom > content/images/big.bin
"{site_gen}" build . -d "{mount}/site" 2> "{work}/second.txt"
echo "exit=$?" >> "{work}/second.txt"
diff -r "{copy}" "{mount}/site" > /dev/null && echo "site=same" >> "{work}/second.txt"
ls -A "{mount}" > "{work}/left.txt""#,
        mount = mount.display(),
        site_gen = site_gen().0.display(),
        copy = copy.display(),
        work = work.path().display()
    );
    let ran = Command::new("unshare").args(["--mount", "--propagation", "private", "sh", "-c", &script]).current_dir(book.path()).output();
    let code = ran.as_ref().ok().and_then(|o| o.status.code());
    if code == Some(90) || code == Some(1) && ran.as_ref().is_ok_and(|o| String::from_utf8_lossy(&o.stderr).contains("unshare")) || ran.is_err() {
        let why = ran.map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).unwrap_or_else(|e| e.to_string());
        println!("skipped: this test needs to mount a tmpfs in a mount namespace of its own, which is not permitted here: {}", why.trim());
        return;
    }
    assert_eq!(code, Some(0), "{ran:?}");
    let second = std::fs::read_to_string(work.path().join("second.txt")).unwrap();
    assert!(second.contains("exit=2"), "{second}");
    assert!(second.contains("No space left on device"), "{second}");
    assert!(second.contains("is as it was before this build"), "{second}");
    assert!(second.contains("site=same"), "the previous site is whole: {second}");
    assert_eq!(std::fs::read_to_string(work.path().join("left.txt")).unwrap(), "site\n", "nothing left beside it");
}

#[test]
fn a_build_folder_that_cannot_be_written_fails_with_exit_2_and_leaves_the_previous_site() {
    use std::os::unix::fs::PermissionsExt;
    let book = book("basic");
    let parent = book.path().join("readonly");
    book.write("book.toml", book.read("book.toml").replace("build-dir = \"out\"", "build-dir = \"readonly/site\""));
    book.build();
    let site = files_of(&parent.join("site"));
    book.append("content/basics.md", "\nA change that is never published.\n");
    // Readable by the unprivileged user the build runs as when the tests run as root.
    std::fs::set_permissions(book.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = book.run_bounded(&["build", "."], &Bounds { unprivileged: true, ..Bounds::default() });
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = run.expect_clean_exit(&[2]);
    assert!(run.stderr.contains("Permission denied"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{} is as it was before this build", parent.join("site").display())), "{}", run.stderr);
    assert_eq!(files_of(&parent.join("site")), site);
    assert_eq!(leftovers(&parent, "site"), Vec::<String>::new());
}
