//! `site-gen init` through the real binary: the new book checks and builds at once, and
//! no existing file is ever overwritten.

use crate::{read, site_gen, text};

#[test]
fn a_new_book_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = site_gen(&["init", "my-book"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Created my-book/book.toml"), "{stdout}");
    assert!(stdout.contains("Created my-book/content/SUMMARY.md"), "{stdout}");
    assert!(stdout.contains("Created my-book/content/introduction.md"), "{stdout}");

    let book = dir.path().join("my-book");
    assert!(read(book.join("book.toml")).contains("title = \"My book\""));
    let check = site_gen(&["check", "."], &book);
    assert!(check.status.success(), "{}", text(&check.stdout));
    assert!(!text(&check.stdout).contains("error"), "{}", text(&check.stdout));

    let build = site_gen(&["build", "."], &book);
    assert!(build.status.success(), "{}", text(&build.stderr));
    let page = read(book.join("book/introduction.html"));
    assert!(page.contains(r#"data-demo="primes""#), "the first chapter has a live demo: {page}");
    assert!(book.join("book/index.html").is_file());
    assert!(book.join("book/404.html").is_file());
}

#[test]
fn init_takes_a_title_and_works_in_an_existing_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = site_gen(&["init", ".", "--title", "Threads \"and\" tasks"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let settings: toml::Table = toml::from_str(&read(dir.path().join("book.toml"))).unwrap();
    assert_eq!(settings["book"]["title"].as_str(), Some("Threads \"and\" tasks"));
    let build = site_gen(&["build", "."], dir.path());
    assert!(build.status.success(), "{}", text(&build.stderr));
    assert!(read(dir.path().join("book/introduction.html")).contains("<title>Introduction · Threads &quot;and&quot; tasks</title>"));
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/SUMMARY.md"), "# My own summary\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "unrelated").unwrap();

    let out = site_gen(&["init", "."], dir.path());
    assert_eq!(out.status.code(), Some(2), "an existing file is a usage error");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("content/SUMMARY.md already exists; `site-gen init` never overwrites a file, so nothing was written"), "{stderr}");
    assert_eq!(read(dir.path().join("content/SUMMARY.md")), "# My own summary\n", "the file is intact");
    assert!(!dir.path().join("book.toml").exists(), "nothing else was written either");
    assert!(!dir.path().join("content/introduction.md").exists());
}
