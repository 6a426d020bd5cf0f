//! `site-gen init` through the real binary: the new book checks and builds at once, and
//! no existing file is ever overwritten.

use crate::{empty, run_in};

#[test]
fn a_new_book_checks_and_builds() {
    let dir = empty();
    let out = dir.run(&["init", "my-book"]).expect_success();
    let stdout = &out.stdout;
    assert!(stdout.contains("Created my-book/book.toml"), "{stdout}");
    assert!(stdout.contains("Created my-book/content/SUMMARY.md"), "{stdout}");
    assert!(stdout.contains("Created my-book/content/introduction.md"), "{stdout}");

    let book = dir.path().join("my-book");
    assert!(dir.read("my-book/book.toml").contains("title = \"My book\""));
    let check = run_in(&book, &["check", "."]).expect_success();
    assert!(!check.stdout.contains("error"), "{}", check.stdout);

    run_in(&book, &["build", "."]).expect_success();
    let page = dir.read("my-book/book/introduction.html");
    assert!(page.contains(r#"data-demo="primes""#), "the first chapter has a live demo: {page}");
    assert!(book.join("book/index.html").is_file());
    assert!(book.join("book/404.html").is_file());
}

#[test]
fn init_takes_a_title_and_works_in_an_existing_empty_folder() {
    let dir = empty();
    dir.run(&["init", ".", "--title", "Threads \"and\" tasks"]).expect_success();
    let settings: toml::Table = toml::from_str(&dir.read("book.toml")).unwrap();
    assert_eq!(settings["book"]["title"].as_str(), Some("Threads \"and\" tasks"));
    dir.build();
    assert!(dir.read("book/introduction.html").contains("<title>Introduction · Threads &quot;and&quot; tasks</title>"));
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = empty();
    dir.write("content/SUMMARY.md", "# My own summary\n").write("notes.txt", "unrelated");

    let out = dir.run(&["init", "."]);
    assert_eq!(out.code(), Some(2), "an existing file is a usage error");
    let stderr = &out.stderr;
    assert!(stderr.contains("content/SUMMARY.md already exists; `site-gen init` never overwrites a file, so nothing was written"), "{stderr}");
    assert_eq!(dir.read("content/SUMMARY.md"), "# My own summary\n", "the file is intact");
    assert!(!dir.path().join("book.toml").exists(), "nothing else was written either");
    assert!(!dir.path().join("content/introduction.md").exists());
}
