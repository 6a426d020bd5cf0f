//! Link checking through the real binary: broken links, broken anchors and missing images
//! are listed by `check` as `file:line:column` (errors, exit 1), reported by `build` as
//! warnings, and made errors by `build --deny-warnings`, which then writes nothing.

mod common;

use common::{copy_fixture, fixture, problem_lines, read, site_gen, text};

#[test]
fn check_lists_broken_links_where_they_are_written() {
    let out = site_gen(&["check", "."], &fixture("broken-link"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert_eq!(
        problem_lines(&stdout),
        [
            "content/intro.md:3:42: error: link to `guide/missing.md`: there is no content/guide/missing.md",
            // Written in an included file: named at its own line, resolved from the chapter.
            "content/parts/more.md:3:5: error: link to `nowhere.md`: there is no content/guide/nowhere.md",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("(help: paths are relative to the chapter's own file, content/guide/chapter.md)"), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("2 errors found"), "{stderr}");
    assert!(!stderr.contains("example.org"), "web addresses are not checked: {stderr}");
}

#[test]
fn check_lists_broken_anchors_with_the_anchors_that_exist() {
    let out = site_gen(&["check", "."], &fixture("broken-anchor"));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert_eq!(
        problem_lines(&stdout),
        [
            "content/threads.md:5:9: error: link to `#pool`: this page has no heading or anchor `#pool`",
            "content/threads.md:5:30: error: link to `async.md#taskss`: content/async.md has no heading or anchor `#taskss`",
            "content/async.md:5:9: error: link to `threads.md#the-gil`: content/threads.md has no heading or anchor `#the-gil`",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("(help: did you mean `#tasks`?)"), "{stdout}");
    // Explicit ids, ids in raw HTML and footnotes are anchors too.
    assert!(stdout.contains("the anchors on that page are: #f, #gil, #raw-anchor, #threads"), "{stdout}");
}

#[test]
fn check_lists_missing_images() {
    let out = site_gen(&["check", "."], &fixture("missing-image"));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert_eq!(
        problem_lines(&stdout),
        [
            "content/pictures.md:5:1: error: image `images/missing.png`: there is no content/images/missing.png",
            "content/pictures.md:7:20: error: image `images/Diagram.SVG`: there is no content/images/Diagram.SVG",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("(help: did you mean `images/diagram.svg`?)"), "{stdout}");
}

#[test]
fn build_warns_about_broken_links_and_copies_the_images_that_exist() {
    let book = copy_fixture("missing-image");
    let out = site_gen(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning: content/pictures.md:5:1: image `images/missing.png`: there is no content/images/missing.png"), "{stderr}");
    assert!(stderr.contains("warning: content/pictures.md:7:20: image `images/Diagram.SVG`"), "{stderr}");
    let site = book.path().join("out");
    assert_eq!(read(site.join("images/diagram.svg")), read(book.path().join("content/images/diagram.svg")));
    assert!(site.join("images/deep/photo.svg").is_file(), "images in nested folders are copied");
    assert_eq!(read(site.join("files/data.csv")), "mode,ms\nthreads,12\n", "other files are copied as they are");
    let page = read(site.join("pictures.html"));
    assert!(page.contains(r#"<img src="images/deep/photo.svg" alt="a deeper one" width="10" height="10" />"#), "with its size: {page}");
    assert!(page.contains(r#"<img src="images/missing.png" alt="Missing" />"#), "what is missing has no size: {page}");
}

#[test]
fn deny_warnings_makes_broken_links_errors_and_writes_nothing() {
    let book = copy_fixture("broken-link");
    let out = site_gen(&["build", ".", "--deny-warnings"], book.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error: content/intro.md:3:42: link to `guide/missing.md`"), "{stderr}");
    assert!(stderr.contains("error: content/parts/more.md:3:5: link to `nowhere.md`"), "{stderr}");
    assert!(stderr.contains("2 errors found"), "{stderr}");
    assert!(!book.path().join("out").exists(), "a denied build writes nothing");

    let out = site_gen(&["build", "."], book.path());
    assert!(out.status.success(), "without the flag the build goes on: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("warning: content/intro.md:3:42"));
    // The link is still rewritten to the page it would be.
    assert!(read(book.path().join("out/intro.html")).contains(r#"href="guide/missing.html""#));
}

#[test]
fn books_without_problems_pass_deny_warnings() {
    let book = copy_fixture("mdbook-keys");
    let out = site_gen(&["build", ".", "--deny-warnings"], book.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = site_gen(&["check", "."], book.path());
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "No problems found.\n");
}

#[test]
fn the_repository_book_has_no_broken_links() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = site_gen(&["check", "."], repo);
    assert!(out.status.success(), "{}\n{}", text(&out.stdout), text(&out.stderr));
}
