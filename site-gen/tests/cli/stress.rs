//! Books at the sizes `cargo test` leaves out for time: 10,000 chapters, a chapter of two
//! million lines, a single line just under the 16 MiB limit, 200,000 broken links in one
//! chapter. Each must build within its bounds; each prints its time and peak memory.
//! `make stress` runs them: `cargo test -p concurrency-lab --test cli --test serve -- --ignored`.

use std::time::Duration;

use harness::books::generated;
use harness::{BookTest, Bounds};

use crate::{book, empty};

/// Minutes and gigabytes: what a large book may take at most, in a debug build.
fn large() -> Bounds {
    Bounds { time: Duration::from_secs(30 * 60), memory: 16 << 30, ..Bounds::default() }
}

fn build_and_report(book: &BookTest, what: &str) {
    let run = book.run_bounded(&["build", "."], &large()).expect_clean_exit(&[0]);
    println!("{what}: {}", run.figures());
}

#[test]
#[ignore = "slow: builds a book of 10,000 chapters (minutes in a debug build); make stress"]
fn ten_thousand_chapters() {
    let book = empty();
    generated(10_000).write(book.path()).unwrap();
    build_and_report(&book, "10,000 chapters");
    let pages = std::fs::read_dir(book.path().join("book/part199")).unwrap().count();
    assert_eq!(pages, 50, "the last part's pages");
}

#[test]
#[ignore = "slow: a chapter of two million lines; make stress"]
fn a_chapter_of_two_million_lines() {
    let book = book("basic");
    let lines: String = (0..2_000_000).map(|i| if i % 2 == 0 { "- item\n" } else { "  more\n" }).collect();
    assert!(lines.len() < 16 << 20);
    book.write("content/basics.md", format!("# Basics\n\n{lines}"));
    build_and_report(&book, "a chapter of 2,000,000 lines");
    assert!(book.read("out/basics.html").matches("<li>").count() >= 1_000_000);
}

#[test]
#[ignore = "slow: a chapter that is one line of almost 16 MiB; make stress"]
fn a_chapter_of_one_line_just_under_the_limit() {
    let book = book("basic");
    let word = "concurrency ";
    let line = word.repeat(((16 << 20) - 64) / word.len());
    book.write("content/basics.md", format!("# Basics\n\n{line}\n"));
    build_and_report(&book, "a chapter of one line of 16 MiB");
}

#[test]
#[ignore = "slow: 200,000 broken links in one chapter; make stress"]
fn two_hundred_thousand_broken_links() {
    let book = book("basic");
    book.write("content/basics.md", "# Basics\n\n".to_owned() + &"[gone](preface.md#nowhere)\n".repeat(200_000));
    let run = book.run_bounded(&["build", "."], &large()).expect_clean_exit(&[0]);
    assert_eq!(run.stderr.matches("has no heading or anchor `#nowhere`").count(), 200_000);
    println!("200,000 broken links in one chapter: {}", run.figures());
}
