//! What a build writes for a book of many pages: at most two files a page (the search
//! index's files included; the build cache beside them is not part of the site), and no print page when `[output.html.print] enable = false`.

use std::path::Path;

use harness::books::generated;
use harness::BookTest;

use crate::bad_input::files_of;
use crate::empty;

/// The generated book of `pages` chapters, built; returns the book and its site's files.
fn built(pages: usize, book_toml_extra: &str) -> (BookTest, Vec<String>) {
    let book = empty();
    generated(pages).write(book.path()).unwrap();
    book.append("book.toml", book_toml_extra);
    book.build();
    let files = files_of(&book.path().join("book"));
    // The build cache (the manifest and one entry a chapter) is not part of the site.
    let site = files.into_iter().map(|(path, _)| path).filter(|path| !path.starts_with(".site-gen-cache/"));
    (book, site.collect())
}

fn chapters(book: &Path) -> usize {
    files_of(&book.join("content")).iter().filter(|(path, _)| path.ends_with(".md") && !path.ends_with("SUMMARY.md")).count()
}

#[test]
fn a_book_of_many_pages_gets_at_most_two_files_a_page() {
    let (book, files) = built(600, "");
    let pages = chapters(book.path());
    let index = files.iter().filter(|f| f.starts_with("search/")).count();
    assert!(files.len() <= 2 * pages, "{} files for {pages} pages ({index} of them the search index)", files.len());
    assert!(files.iter().any(|f| f == "print.html"), "the print page is on by default");
}

#[test]
fn the_print_page_can_be_turned_off() {
    let (_, files) = built(20, "\n[output.html.print]\nenable = false\n");
    assert!(!files.iter().any(|f| f == "print.html"), "{files:?}");
    assert!(files.iter().any(|f| f == "part000/page00001.html"), "{files:?}");
}
