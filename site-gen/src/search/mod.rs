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
mod indexer;
mod page_terms;
pub mod postings;
pub mod tokenise;

pub use indexer::Indexer;
pub use page_terms::PageTerms;
pub use index::{
    Counts, IndexFile, SearchIndex, SearchPage, COMMON_MIN_SECTIONS, DOCS_PER_FILE, FORMAT_VERSION, MAX_SNIPPET_TEXT, META_FILE,
    SEARCH_DIR, SHARD_BYTES, TEXTS_PER_FILE,
};

use crate::core::html::encode_url_path;
use crate::load::book::{Book, Chapter};
use crate::parse::markdown::ChapterHtml;
use crate::render::page::page_title;

/// Indexes every chapter of `book` at once; `chapters` holds each chapter's HTML (the HTML
/// itself is not needed: its headings and sections' text are), in the book's order.
pub fn index_book<'a>(book: &Book, chapters: impl IntoIterator<Item = &'a ChapterHtml>) -> SearchIndex {
    let chapters: Vec<(&Chapter, &ChapterHtml)> = book.chapters.iter().zip(chapters).collect();
    with_search_pages(&chapters, SearchIndex::build)
}

/// Adds `chapters` (the book's next chapters, each with its HTML and, when they were kept
/// from the last build, its terms) to `indexer`, handing `write` the index files that are
/// then ready.
pub(crate) fn index_chapters(
    indexer: &mut Indexer,
    chapters: &[(&Chapter, &ChapterHtml)],
    known: Vec<Option<PageTerms>>,
    write: &mut impl FnMut(IndexFile) -> crate::core::error::Result<()>,
) -> crate::core::error::Result<()> {
    with_search_pages(chapters, |pages| indexer.add_pages_with(pages, known, write))
}

/// The terms search finds in `chapter` (with its HTML `html`), under the page title they
/// were read with: terms kept under another title are not this page's.
pub(crate) fn chapter_terms(chapter: &Chapter, html: &ChapterHtml) -> (String, PageTerms) {
    thread_local! {
        static SCRATCH: std::cell::RefCell<page_terms::Scratch> = std::cell::RefCell::default();
    }
    let collect = |pages: &[SearchPage<'_>]| SCRATCH.with_borrow_mut(|scratch| PageTerms::collect(&pages[0], scratch));
    let terms = with_search_pages(&[(chapter, html)], collect);
    (page_title(chapter, html).to_owned(), terms)
}

/// Calls `f` with `chapters` as search sees them. Pages are found by their address: a file
/// name with `#`, `?` or `%` in it is escaped.
fn with_search_pages<T>(chapters: &[(&Chapter, &ChapterHtml)], f: impl FnOnce(&[SearchPage<'_>]) -> T) -> T {
    let addresses: Vec<String> = chapters.iter().map(|(chapter, _)| encode_url_path(&chapter.page)).collect();
    let pages: Vec<SearchPage<'_>> = chapters
        .iter()
        .zip(&addresses)
        .map(|((chapter, html), address)| SearchPage {
            path: address,
            title: page_title(chapter, html),
            headings: &html.headings,
            sections: &html.sections,
        })
        .collect();
    f(&pages)
}
