//! The files a build writes besides the chapters' own pages: how `index.html` comes about
//! (the first chapter again, or a redirect to it), and the page for missing addresses.

use crate::core::fs::slash_path;
use crate::core::html::{encode_url_path, escape_attr};
use crate::load::book::Book;

/// The page served for addresses that do not exist.
pub const NOT_FOUND_PAGE: &str = "404.html";

/// How `index.html` comes about.
pub enum FrontPage {
    /// A chapter already is `index.html` (or the book is empty).
    Exists,
    /// The first chapter is at the top level: render it a second time as `index.html`.
    Copy,
    /// The first chapter is in a folder: `index.html` sends the reader there.
    Redirect(String),
}

/// How `index.html` comes about in `book`.
pub fn front_page(book: &Book) -> FrontPage {
    match book.chapters.first() {
        None => FrontPage::Exists,
        Some(_) if book.chapters.iter().any(|c| c.page == "index.html") => FrontPage::Exists,
        Some(first) if !first.page.contains('/') => FrontPage::Copy,
        Some(first) => FrontPage::Redirect(first.page.clone()),
    }
}

/// `index.html` for a book whose first chapter is in a folder: it sends the reader there.
pub fn redirect_html(target: &str) -> String {
    let mut href = String::new();
    escape_attr(&mut href, &encode_url_path(target));
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirecting…</title>\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\"></head>\
         <body><p><a href=\"{href}\">Continue to the first chapter</a></p></body></html>\n"
    )
}

/// The pages chapter `index` is written to: its own, and `index.html` as well when it is
/// the book's top-level first chapter.
pub fn chapter_page_paths(book: &Book, index: usize, front_page: &FrontPage) -> Vec<String> {
    let mut paths = vec![book.chapters[index].page.clone()];
    if index == 0 && matches!(front_page, FrontPage::Copy) {
        paths.push("index.html".to_owned());
    }
    paths
}


/// The book's Markdown for the page for missing addresses (`[output.html] input-404`,
/// default `404.md`), relative to the source folder, `/`-separated.
pub fn not_found_source(book: &Book) -> String {
    book.config.html.input_404.as_deref().map_or_else(|| "404.md".to_owned(), slash_path)
}
