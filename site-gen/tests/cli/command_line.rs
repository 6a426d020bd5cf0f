//! What a command-line user expects beyond building: `check --message-format` for tools and
//! CI, `clean`, `build --open`, shell completions, and colour only where it can be seen.

use std::path::Path;
use std::time::{Duration, Instant};

use harness::fixture;
use serde_json::Value;

use crate::{book, run_in};

#[test]
fn check_lists_problems_as_json_lines() {
    let out = run_in(&fixture("broken-link"), &["check", ".", "--message-format", "json"]).expect_code(1);
    let lines: Vec<Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    let first = &lines[0];
    assert_eq!(first["file"], "content/intro.md");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(3), Some(42)));
    assert_eq!((first["end"]["line"].as_u64(), first["end"]["column"].as_u64()), (Some(3), Some(77)));
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "link to `guide/missing.md`: there is no content/guide/missing.md");
    assert_eq!(first["help"], "paths are relative to the chapter's own file, content/intro.md");
    assert_eq!(lines[1]["file"], "content/parts/more.md");
    // Only the count on the error output: the problems are listed once, on the output.
    assert_eq!(out.stderr, "2 errors found\n");
}

#[test]
fn check_names_files_from_the_current_folder_in_machine_formats() {
    let parent = fixture("broken-link");
    let parent = parent.parent().unwrap();
    let out = run_in(parent, &["check", "broken-link", "--message-format", "json"]).expect_code(1);
    let first: Value = serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["file"], "broken-link/content/intro.md");
}

#[test]
fn check_lists_problems_as_github_annotations() {
    let out = run_in(&fixture("broken-link"), &["check", ".", "--message-format", "github"]).expect_code(1);
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        [
            "::error file=content/intro.md,line=3,col=42,endLine=3,endColumn=77::link to `guide/missing.md`: there is no content/guide/missing.md%0Ahelp: paths are relative to the chapter's own file, content/intro.md",
            "::error file=content/parts/more.md,line=3,col=5,endLine=3,endColumn=26::link to `nowhere.md`: there is no content/guide/nowhere.md%0Ahelp: paths are relative to the chapter's own file, content/guide/chapter.md",
        ]
    );
}

#[test]
fn a_book_without_errors_gives_only_its_warnings_in_machine_formats() {
    // The fixture's only possible warning: the demo runtime, when it is not built here.
    let out = run_in(&fixture("basic"), &["check", ".", "--message-format", "json"]).expect_success();
    for line in out.stdout.lines() {
        let problem: Value = serde_json::from_str(line).unwrap();
        assert_eq!(problem["severity"], "warning", "{line}");
    }
    assert!(!out.stdout.contains("No problems found"), "{}", out.stdout);
    let out = run_in(&fixture("basic"), &["check", ".", "--message-format", "github"]).expect_success();
    assert!(out.stdout.lines().all(|l| l.starts_with("::warning file=")), "{}", out.stdout);
    assert_eq!(out.stderr, "");

    let out = run_in(&fixture("basic"), &["check", ".", "--message-format", "xml"]).expect_code(2);
    assert!(out.stderr.contains("possible values: human, json, github"), "{}", out.stderr);
}

#[test]
fn json_fields_come_in_a_fixed_order() {
    let out = run_in(&fixture("broken-link"), &["check", ".", "--message-format", "json"]).expect_code(1);
    assert!(out.stdout.starts_with(r#"{"file":"content/intro.md","line":3,"column":42,"end":{"line":3,"column":77},"severity":"error","message":"#), "{}", out.stdout);
}

#[test]
fn clean_removes_the_build_folder() {
    let book = book("basic");
    book.build();
    assert!(book.path().join("out/index.html").is_file());
    let out = book.run(&["clean"]).expect_success();
    assert_eq!(out.stdout, format!("Removed {}\n", book.path().join("out").display()));
    assert!(!book.path().join("out").exists());
    assert!(book.path().join("content/SUMMARY.md").is_file(), "the book stays");
    let again = book.run(&["clean", "."]).expect_success();
    assert!(again.stdout.starts_with("Nothing to remove: "), "{}", again.stdout);
}

#[test]
fn clean_removes_a_dest_dir_given_from_the_current_folder() {
    let book = book("basic");
    book.run(&["build", ".", "-d", "elsewhere/site"]).expect_success();
    assert!(book.path().join("elsewhere/site/index.html").is_file());
    book.run(&["clean", ".", "-d", "elsewhere/site"]).expect_success();
    assert!(!book.path().join("elsewhere/site").exists());
    assert!(book.path().join("elsewhere").is_dir(), "only the build folder goes");
}

#[test]
fn clean_refuses_folders_a_build_did_not_write() {
    let book = book("basic");
    book.write("out/notes.txt", "mine");
    let out = book.run(&["clean"]).expect_code(2);
    assert!(out.stderr.contains("refusing to remove"), "{}", out.stderr);
    assert!(out.stderr.contains("not written by site-gen (no .site-gen-output file"), "{}", out.stderr);
    assert_eq!(book.read("out/notes.txt"), "mine");

    let out = book.run(&["clean", ".", "-d", "content"]).expect_code(2);
    assert!(out.stderr.contains("refusing to remove"), "{}", out.stderr);
    assert!(book.path().join("content/SUMMARY.md").is_file());
}

#[test]
fn clean_waits_for_a_build_writing_the_folder() {
    let book = book("basic");
    book.build();
    // The lock a build holds while it writes: `.out.lock` beside `out`, held with flock(2).
    let lock_path = book.path().join(".out.lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    // SAFETY: a plain flock(2) on a file this test owns.
    assert_eq!(unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&lock), libc::LOCK_EX) }, 0);
    let cleaner = {
        let path = book.path().to_path_buf();
        std::thread::spawn(move || run_in(&path, &["clean"]))
    };
    std::thread::sleep(Duration::from_millis(500));
    assert!(book.path().join("out/index.html").is_file(), "not removed while the lock is held");
    // As a build lets go: the file removed while still locked, then unlocked.
    std::fs::remove_file(&lock_path).unwrap();
    drop(lock);
    let out = cleaner.join().unwrap().expect_success();
    assert!(out.stderr.contains("waiting for another site-gen"), "{}", out.stderr);
    assert!(!book.path().join("out").exists());
}

fn wait_for(path: &Path) -> String {
    let started = Instant::now();
    while !path.is_file() {
        assert!(started.elapsed() < Duration::from_secs(30), "{} never written", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn build_open_opens_the_built_index_page() {
    let book = book("basic");
    let browsers = tempfile::tempdir().unwrap();
    let browser = harness::cli::recording_browser(browsers.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["build", ".", "--open"])
        .env("BROWSER", &browser)
        .current_dir(book.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let opened = wait_for(&browsers.path().join("opened"));
    assert_eq!(opened, format!("{}\n", book.path().join("out/index.html").display()));
}

#[test]
fn a_browser_that_cannot_start_is_only_a_warning() {
    let book = book("basic");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["build", ".", "--open"])
        .env("BROWSER", "/nonexistent/browser")
        .current_dir(book.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("warning: could not open"), "{stderr}");
    assert!(book.path().join("out/index.html").is_file());
}

#[test]
fn completions_name_the_subcommands() {
    let out = run_in(Path::new("."), &["completions", "bash"]).expect_success();
    for command in ["build", "serve", "check", "clean", "init", "completions", "--message-format", "--poll"] {
        assert!(out.stdout.contains(command), "{command} missing from the bash completions");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = run_in(Path::new("."), &["completions", shell]).expect_success();
        assert!(out.stdout.contains("clean"), "{shell}");
    }
}

/// `site-gen build --deny-warnings` on a book with a broken link, with `args` and `env`: its error output.
fn denied_build(args: &[&str], env: &[(&str, &str)]) -> String {
    let book = book("broken-link");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["build", ".", "--deny-warnings"])
        .args(args)
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .current_dir(book.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn colour_only_when_asked() {
    let plain = denied_build(&[], &[]);
    assert!(!plain.contains('\x1b'), "piped: no colour\n{plain}");
    assert!(plain.contains("2 errors found"));
    assert_eq!(denied_build(&["--color", "never"], &[]), plain);
    assert_eq!(denied_build(&["--color=auto"], &[]), plain);

    let coloured = denied_build(&["--color", "always"], &[("NO_COLOR", "1")]);
    assert!(coloured.contains("\x1b["), "{coloured}");
    assert!(coloured.ends_with("2 errors found\n"), "{coloured}");
    let unstyled: String = strip_escapes(&coloured);
    assert_eq!(unstyled, plain, "the same text, only coloured");
}

/// `text` without its ANSI colour sequences (`ESC [ … m`).
fn strip_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        rest = after.find('m').map_or("", |m| &after[m + 1..]);
    }
    out.push_str(rest);
    out
}

/// `site-gen build --deny-warnings` on a book with a broken link, run on a terminal (a
/// pseudo-terminal from util-linux's `script`), with `env`: what the terminal showed.
fn denied_build_on_a_terminal(env: &[(&str, &str)]) -> Option<String> {
    let book = book("broken-link");
    let command = format!("'{}' build . --deny-warnings", env!("CARGO_BIN_EXE_site-gen"));
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .envs(env.iter().copied())
        .current_dir(book.path())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let Some(coloured) = denied_build_on_a_terminal(&[]) else {
        eprintln!("no `script` to make a terminal with: skipped");
        return;
    };
    assert!(coloured.contains("\x1b["), "{coloured}");
    assert!(coloured.contains("2 errors found"), "{coloured}");
    let plain = denied_build_on_a_terminal(&[("NO_COLOR", "1")]).unwrap();
    assert!(!plain.contains('\x1b') && plain.contains("2 errors found"), "{plain}");
    assert!(denied_build_on_a_terminal(&[("NO_COLOR", "")]).unwrap().contains("\x1b["), "an empty NO_COLOR is unset");
    let dumb = denied_build_on_a_terminal(&[("TERM", "dumb")]).unwrap();
    assert!(!dumb.contains('\x1b'), "{dumb}");
}
