//! Link checking through the real binary: broken links, broken anchors and missing images
//! are listed by `check` as `file:line:column` (errors, exit 1), reported by `build` as
//! warnings, and made errors by `build --deny-warnings`, which then writes nothing.

use harness::{fixture, repo_root};

use crate::{book, run_in};

/// `check` lists each problem as `file:line:column: error: …` on standard output, with help,
/// and shows each at its place in the source on standard error.
#[test]
fn check_lists_broken_links_where_they_are_written() {
    let out = run_in(&fixture("broken-link"), &["check", "."]).expect_code(1);
    // The second link is written in an included file: named at its own line, resolved from the
    // chapter that includes it.
    insta::assert_snapshot!("check_broken_link", out.redacted());
    assert!(!out.stderr.contains("example.org"), "web addresses are not checked: {}", out.stderr);
}

/// Explicit ids, ids in raw HTML and footnotes are anchors too.
#[test]
fn check_lists_broken_anchors_with_the_anchors_that_exist() {
    let out = run_in(&fixture("broken-anchor"), &["check", "."]).expect_code(1);
    insta::assert_snapshot!("check_broken_anchor", out.redacted());
}

#[test]
fn check_lists_missing_images() {
    let out = run_in(&fixture("missing-image"), &["check", "."]).expect_code(1);
    insta::assert_snapshot!("check_missing_image", out.redacted());
}

#[test]
fn build_warns_about_broken_links_and_copies_the_images_that_exist() {
    let book = book("missing-image");
    let stderr = book.build().stderr;
    assert!(stderr.contains("warning: content/pictures.md:5:1: image `images/missing.png`: there is no content/images/missing.png"), "{stderr}");
    assert!(stderr.contains("warning: content/pictures.md:7:20: image `images/Diagram.SVG`"), "{stderr}");
    assert_eq!(book.read("out/images/diagram.svg"), book.read("content/images/diagram.svg"));
    assert!(book.path().join("out/images/deep/photo.svg").is_file(), "images in nested folders are copied");
    assert_eq!(book.read("out/files/data.csv"), "mode,ms\nthreads,12\n", "other files are copied as they are");
    let page = book.read("out/pictures.html");
    assert!(page.contains(r#"<img src="images/deep/photo.svg" alt="a deeper one" width="10" height="10" />"#), "with its size: {page}");
    assert!(page.contains(r#"<img src="images/missing.png" alt="Missing" />"#), "what is missing has no size: {page}");
}

#[test]
fn deny_warnings_makes_broken_links_errors_and_writes_nothing() {
    let book = book("broken-link");
    let stderr = book.run(&["build", ".", "--deny-warnings"]).expect_code(1).stderr;
    assert!(stderr.contains("error: content/intro.md:3:42: link to `guide/missing.md`"), "{stderr}");
    assert!(stderr.contains("error: content/parts/more.md:3:5: link to `nowhere.md`"), "{stderr}");
    assert!(stderr.contains("2 errors found"), "{stderr}");
    assert!(!book.path().join("out").exists(), "a denied build writes nothing");

    let out = book.run(&["build", "."]);
    assert!(out.status.success(), "without the flag the build goes on: {}", out.stderr);
    assert!(out.stderr.contains("warning: content/intro.md:3:42"));
    // The link is still rewritten to the page it would be.
    assert!(book.read("out/intro.html").contains(r#"href="guide/missing.html""#));
}

#[test]
fn books_without_problems_pass_deny_warnings() {
    let book = book("mdbook-keys");
    book.run(&["build", ".", "--deny-warnings"]).expect_success();
    let out = book.check().expect_success();
    assert_eq!(out.stdout, "No problems found.\n");
}

#[test]
fn the_repository_book_has_no_broken_links() {
    run_in(&repo_root(), &["check", "."]).expect_success();
}
