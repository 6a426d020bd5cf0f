//! The one chapter step, shared by `build`, `check` and `serve`: a chapter's text with its
//! directives expanded (`{{#include}}` and the others), read as Markdown (demo blocks
//! checked against the catalogue, code highlighted), made into its pages and its part of
//! the print page ([`render_chapter`]); then its links checked against the whole site
//! ([`ChapterOutput::broken_links`]).
//!
//! A build renders every chapter first and checks the links once every page's anchors are
//! known; `serve` runs both for an edited chapter at once. The chapter's text comes from
//! [`Book::load`](crate::load::book::Book::load), or, while serving, from
//! [`Book::read_chapter_again`](crate::load::book::Book::read_chapter_again): either way
//! through the same reading, with the same size limit.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::links::{check_page_links, LinkTargets};
use crate::core::diagnostic::{display_path, Diagnostic, Severity};
use crate::core::error::Error;
use crate::core::fs::{read_text, slash_path};
use crate::load::book::{Book, Chapter};
use crate::load::include::{expand, Expanded};
use crate::parse::highlight::StyledScopes;
use crate::parse::markdown::{markdown_to_html_with, parse_chapter, ChapterHtml, MarkdownOptions, PagePlace};
use crate::render::nav::path_to_root;
use crate::render::page::{page_title, render_page, Page};
use crate::render::site_files::{chapter_page_paths, not_found_source};
use crate::search::{chapter_terms, PageTerms};

use super::chapter_cache::ChapterCache;
use super::Site;

/// What the chapter step makes of one chapter.
pub(crate) struct ChapterOutput {
    /// The chapter's pages: its own, and `index.html` too when it is the front page.
    pub pages: Vec<Page>,
    /// The chapter's HTML (for its own page and the print page) and what was learned while
    /// making it: title, headings, sections' text, demos, links and anchors.
    pub html: ChapterHtml,
    /// Where each part of the chapter's expanded text came from (the text itself dropped),
    /// to point problems with its links at the file they are written in.
    pub source_map: Expanded,
    /// The files the chapter pulls in with `{{#include}}`, as absolute paths.
    pub included: Vec<PathBuf>,
    /// The terms search finds in the chapter, when they were read with the chapter cache
    /// (kept there, or read back from it); otherwise the search index reads them itself.
    pub terms: Option<PageTerms>,
}

/// The chapter step: chapter `index` of `site`'s book, its directives expanded, read as
/// Markdown and rendered into its pages. Problems are returned all together, each at the
/// file, line and column it came from.
pub(crate) fn render_chapter(site: &Site, index: usize) -> Result<ChapterOutput, Vec<Diagnostic>> {
    render_chapter_with(site, index, None)
}

/// [`render_chapter`], reading the chapter's HTML back from `cache` when it was kept there,
/// and keeping it there when it is made.
pub(crate) fn render_chapter_with(site: &Site, index: usize, cache: Option<&ChapterCache>) -> Result<ChapterOutput, Vec<Diagnostic>> {
    let book = &site.book;
    let chapter = &book.chapters[index];
    let path = book.config.src_dir.join(&chapter.source);
    let expanded = expand(&book.config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start)?;
    let place = PagePlace { root: path_to_root(&chapter.page), folder: path.parent().map(Path::to_path_buf) };
    let cached = cache.map(|cache| (cache, cache.key(chapter, &place, &expanded)));
    let (html, terms) = match cached.as_ref().and_then(|(cache, key)| cache.get(key)) {
        Some((html, (title, terms))) => {
            let terms = (title == page_title(chapter, &html)).then_some(terms);
            (html, terms)
        }
        None => {
            let document = parse_chapter(&expanded, &site.styles, &place, MarkdownOptions::of(&book.config.html))?;
            let html = document.into_chapter_html(Some(&site.print.chapter(&chapter.page)), expanded.title.clone());
            let terms = cached.as_ref().map(|(cache, key)| {
                let terms = chapter_terms(chapter, &html);
                cache.put(key, &html, &terms);
                terms.1
            });
            (html, terms)
        }
    };
    let pages = render_chapter_pages(site, index, &html)?;
    let included = included_files(book, chapter, &expanded);
    let mut source_map = expanded;
    source_map.forget_text();
    Ok(ChapterOutput { pages, html, source_map, included, terms })
}

impl ChapterOutput {
    /// The links and images of `chapter` (this output's chapter) that point at nothing in
    /// `targets`, as warnings at the link.
    pub fn broken_links(&self, targets: &LinkTargets, chapter: &Chapter) -> Vec<Diagnostic> {
        broken_links(targets, &slash_path(&chapter.source), self)
    }
}

/// What `output`, the Markdown file `from` (relative to the source folder,
/// `/`-separated), has that mdBook lets pass and `check` refuses, as warnings: directives
/// left as text, and links and images that point at nothing in `targets`.
pub(crate) fn broken_links(targets: &LinkTargets, from: &str, output: &ChapterOutput) -> Vec<Diagnostic> {
    let mut found = output.source_map.warnings.clone();
    found.extend(check_page_links(targets, from, &output.html.links, &output.source_map, Severity::Warning));
    found
}

/// Chapter `index`'s pages, its HTML placed in the page template.
fn render_chapter_pages(site: &Site, index: usize, html: &ChapterHtml) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    for path in chapter_page_paths(&site.book, index, &site.front_page) {
        match render_page(&site.theme, &site.book, &site.nav, index, &path, html, site.print_page) {
            Ok(page) => pages.push(Page { path, html: page }),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(pages)
    } else {
        Err(problems)
    }
}

/// The files other than the chapter's own that its expanded text came from.
fn included_files(book: &Book, chapter: &Chapter, expanded: &Expanded) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for segment in &expanded.segments {
        let file = book.config.root.join(&segment.file);
        if segment.file != chapter.shown && !files.contains(&file) {
            files.push(file);
        }
    }
    files
}

/// The book's own page for missing addresses (`[output.html] input-404`, default
/// `404.md`) through the same expansion and Markdown as a chapter, when it has one.
pub(crate) fn not_found_markdown(book: &Book, styles: &StyledScopes) -> Result<Option<ChapterOutput>, Vec<Diagnostic>> {
    let config = &book.config;
    let path = config.src_dir.join(not_found_source(book));
    let shown = display_path(&config.root, &path);
    let text: Arc<str> = match read_text(&config.root, &path) {
        Ok(Some(text)) => text.into(),
        Ok(None) => return Ok(None),
        Err(Error::Content(d)) => return Err(d),
        Err(e) => return Err(vec![Diagnostic::error(shown, e.to_string())]),
    };
    let expanded = expand(&config.root, &path, &shown, text, 0)?;
    let mut html = markdown_to_html_with(&expanded, styles, MarkdownOptions::of(&book.config.html))?;
    html.title = expanded.title.clone();
    let mut source_map = expanded;
    source_map.forget_text();
    Ok(Some(ChapterOutput { pages: Vec::new(), html, source_map, included: Vec::new(), terms: None }))
}
