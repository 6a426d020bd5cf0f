//! Full-text search for the built book, run in the reader's browser by
//! `theme/static/search/` (its `engine.js`) over an index written beside the pages.
//!
//! A page loads only the search box and a small script; the index is fetched when the
//! reader first focuses the box or types, and then only the parts a query needs:
//!
//! - `search/meta.json`: the format version, a fingerprint of the build, how many
//!   sections there are, the first term of each shard of the term index, and the terms
//!   so common that a query skips them (see [`COMMON_MIN_SECTIONS`]);
//! - `search/terms-N.json`: the shards of the inverted index, `{"term": "postings"}`, cut
//!   in term order into files of about [`SHARD_BYTES`] so a word's shard (and, for the word
//!   being typed, the shards its completions spill into) is all a query fetches for it;
//!   postings are written compactly (see [`postings`]);
//! - `search/docs-N.json`: the sections' pages, titles and headings, [`DOCS_PER_FILE`]
//!   sections a file, fetched for the results shown;
//! - `search/text-N.json`: the sections' text, [`TEXTS_PER_FILE`] sections a file, fetched
//!   for the snippets of the results shown.
//!
//! A search result is a section: the text from one heading to the next, linked as
//! `page.html#heading-id`. Words are read in any script (see [`tokenise`]).

mod fnv;
mod index;
mod page_terms;
pub mod postings;
pub mod tokenise;

pub use index::{
    IndexFile, SearchIndex, SearchPage, COMMON_MIN_SECTIONS, DOCS_PER_FILE, FORMAT_VERSION, MAX_SNIPPET_TEXT, META_FILE,
    SEARCH_DIR, SHARD_BYTES, TEXTS_PER_FILE,
};

use crate::core::html::encode_url_path;
use crate::load::book::Book;
use crate::parse::markdown::ChapterHtml;
use crate::render::page::page_title;

/// Indexes every chapter of `book`; `chapters` holds each chapter's HTML (the HTML itself
/// is not needed: its headings and sections' text are), in the book's order.
pub fn index_book<'a>(book: &Book, chapters: impl IntoIterator<Item = &'a ChapterHtml>) -> SearchIndex {
    // Pages are found by their address: a file name with `#`, `?` or `%` in it is escaped.
    let addresses: Vec<String> = book.chapters.iter().map(|chapter| encode_url_path(&chapter.page)).collect();
    let pages: Vec<SearchPage<'_>> = book
        .chapters
        .iter()
        .zip(&addresses)
        .zip(chapters)
        .map(|((chapter, address), html)| SearchPage {
            path: address,
            title: page_title(chapter, html),
            headings: &html.headings,
            sections: &html.sections,
        })
        .collect();
    SearchIndex::build(&pages)
}
