//! The "render pages" step of a build: every chapter through the chapter step, a batch at
//! a time in parallel, each page written as soon as it is rendered; the print page written
//! chapter by chapter in between; then the page for missing addresses and the other files
//! the build generates.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::Path;

use rayon::prelude::*;

use crate::core::error::{Error, Result};
use crate::load::book::{Book, Chapter};
use crate::load::include::expand;
use crate::load::site_url::sitemap;
use crate::render::isolation::isolation_files;
use crate::render::nav::CONTENTS_SCRIPT;
use crate::render::page::{render_not_found_page, Page};
use crate::render::print::{PrintPage, PRINT_PAGE};
use crate::parse::markdown::ChapterHtml;
use crate::render::site_files::{redirect_html, FrontPage, NOT_FOUND_PAGE};
use crate::search::{index_chapters, Indexer};
use crate::write::staging::Staging;

use super::chapter::{not_found_markdown, render_chapter_with, ChapterOutput};
use super::chapter_cache::ChapterCache;
use super::Site;

/// Chapters rendered together before their part of the print page is written: enough to
/// keep every core busy, few enough that their HTML takes little memory.
const CHAPTERS_AT_ONCE: usize = 256;

/// What the "render pages" step made (the chapters' pages and the print page are already
/// written, when building).
pub(super) struct Pages {
    /// Every chapter's output, without its pages.
    pub chapters: Vec<ChapterOutput>,
    /// The book's own page for missing addresses, when it has one.
    pub not_found: Option<ChapterOutput>,
    /// The files to write besides the chapters' pages and the print page.
    pub generated: Vec<Page>,
    /// How many pages were rendered: the chapters' pages, `index.html`, the print page and
    /// the redirects.
    pub count: usize,
    /// True when any page embeds a demo.
    pub has_demos: bool,
}

/// Renders every page of `site`, writing the chapters' pages and the print page into
/// `staging` when building, and adding each batch of chapters to the search index
/// (`search`), whose files are written there too. Every chapter's problems are reported
/// together.
pub(super) fn render_pages(site: &Site, staging: Option<&Staging>, search: Option<&mut Indexer>, cache: Option<&ChapterCache>) -> Result<Pages> {
    let mut print = start_print_page(site, staging)?;
    let search = staging.zip(search).map(|(staging, indexer)| SearchOut { indexer, staging });
    let chapters = render_chapters(site, Out { staging, cache }, print.as_mut(), search);
    let not_found = not_found_markdown(&site.book, &site.styles);
    let ((chapters, mut count), not_found) = match (chapters, not_found) {
        (Ok(chapters), Ok(not_found)) => (chapters, not_found),
        (Err(Error::Content(mut problems)), not_found) => {
            problems.extend(not_found.err().unwrap_or_default());
            return Err(Error::Content(problems));
        }
        (Err(e), _) => return Err(e),
        (Ok(_), Err(problems)) => return Err(Error::Content(problems)),
    };
    if site.print_page.is_some() {
        count += 1;
    }
    if let Some(print) = print {
        print.finish(site)?;
    }
    let generated = generated_files(site, not_found.as_ref())?;
    if matches!(site.front_page, FrontPage::Redirect(_)) {
        count += 1;
    }
    count += site.redirects.len();
    let has_demos = chapters.iter().chain(&not_found).any(|c| !c.html.demos.is_empty());
    Ok(Pages { chapters, not_found, generated, count, has_demos })
}

/// Renders every chapter, a batch at a time; writes each chapter's pages into `out`, its
/// part of the print page into `print` (as soon as the chapters before it are in), and
/// adds it to the search index (`search`), after which its sections' text is dropped.
/// Returns the chapters' outputs (without their pages and text) and how many pages they
/// made.
fn render_chapters(
    site: &Site,
    out: Out,
    mut print: Option<&mut PrintOut>,
    mut search: Option<SearchOut>,
) -> Result<(Vec<ChapterOutput>, usize)> {
    let count = site.book.chapters.len();
    let mut chapters = Vec::with_capacity(count);
    let mut problems = Vec::new();
    let mut pages = 0;
    for start in (0..count).step_by(CHAPTERS_AT_ONCE) {
        let batch: Vec<Result<(ChapterOutput, usize)>> = (start..count.min(start + CHAPTERS_AT_ONCE))
            .into_par_iter()
            .map(|index| render_and_write_chapter(site, index, out))
            .collect();
        for result in batch {
            match result {
                Ok((mut output, written)) => {
                    pages += written;
                    let print_html = std::mem::take(&mut output.html.print_html);
                    if let Some(print) = print.as_deref_mut() {
                        print.push(print_html)?;
                    }
                    chapters.push(output);
                }
                Err(Error::Content(mut d)) => problems.append(&mut d),
                Err(e) => return Err(e),
            }
        }
        // A build with problems writes no index; the chapters rendered are then not all there.
        if let Some(search) = search.as_mut().filter(|_| problems.is_empty()) {
            search.add(&site.book.chapters[start..], &mut chapters[start..])?;
        }
    }
    if !problems.is_empty() {
        // The warnings of the chapters that were read come after the errors.
        problems.extend(chapters.iter().flat_map(|c: &ChapterOutput| c.html.warnings.iter().cloned()));
        return Err(Error::Content(problems));
    }
    Ok((chapters, pages))
}

/// Where the chapters' pages go (nothing is written when checking), and the chapter cache
/// they are read from and kept in, when building.
#[derive(Clone, Copy)]
struct Out<'a> {
    staging: Option<&'a Staging>,
    cache: Option<&'a ChapterCache<'a>>,
}

/// Chapter `index` through the chapter step, its pages written into `out` (when
/// building) and dropped; returns its output and how many pages it made.
fn render_and_write_chapter(site: &Site, index: usize, out: Out) -> Result<(ChapterOutput, usize)> {
    let mut output = render_chapter_with(site, index, out.cache).map_err(Error::Content)?;
    let pages = std::mem::take(&mut output.pages);
    if let Some(staging) = out.staging {
        for page in &pages {
            staging.write(&page.path, page.html.as_bytes())?;
        }
    }
    output.html.html = String::new();
    Ok((output, pages.len()))
}

/// The search index, made a batch of chapters at a time, its files written into the
/// staging folder as they are ready.
struct SearchOut<'a> {
    indexer: &'a mut Indexer,
    staging: &'a Staging,
}

impl SearchOut<'_> {
    /// Adds the chapters `outputs` (of `chapters`, in order) to the index, with the terms
    /// the chapter step read, and drops their sections' text and terms, which nothing else
    /// needs.
    fn add(&mut self, chapters: &[Chapter], outputs: &mut [ChapterOutput]) -> Result<()> {
        let known = outputs.iter_mut().map(|o| o.terms.take()).collect();
        let pairs: Vec<(&Chapter, &ChapterHtml)> = chapters.iter().zip(outputs.iter()).map(|(c, o)| (c, &o.html)).collect();
        let staging = self.staging;
        index_chapters(self.indexer, &pairs, known, &mut |file| staging.write(&file.path, file.text.as_bytes()))?;
        for output in outputs {
            output.html.sections = Vec::new();
        }
        Ok(())
    }
}

/// The print page, written chapter by chapter into its file in the staging folder.
struct PrintOut {
    page: PrintPage,
    file: BufWriter<File>,
    /// Every chapter's `{{#title}}`, when it has one: the print template needs them first.
    titles: Vec<Option<String>>,
}

/// Starts the print page, when the book has one. Without `staging` (checking) the
/// template is rendered, to report its problems, and the page is not written.
fn start_print_page(site: &Site, staging: Option<&Staging>) -> Result<Option<PrintOut>> {
    let Some(path) = site.print_page else { return Ok(None) };
    let book = &site.book;
    let titles: Vec<Option<String>> = book.chapters.par_iter().map(|c| directive_title(book, c)).collect();
    let page = PrintPage::new(&site.theme, book, &site.print, &as_strs(&titles))?;
    let Some(staging) = staging else { return Ok(None) };
    Ok(Some(PrintOut { page, file: staging.create(path)?, titles }))
}

impl PrintOut {
    /// Adds the next chapter's part of the page, and writes it.
    fn push(&mut self, html: String) -> Result<()> {
        self.page.push(html);
        self.page.write_ready(&mut self.file).map_err(|e| Error::io("write", Path::new(PRINT_PAGE), e))
    }

    /// Writes the rest of the page, once every chapter was pushed.
    fn finish(mut self, site: &Site) -> Result<()> {
        let rest = self.page.finish(&site.theme, &site.book, &site.print, &as_strs(&self.titles))?;
        let written = self.file.write_all(&rest).and_then(|()| self.file.flush());
        written.map_err(|e| Error::io("write", Path::new(PRINT_PAGE), e))
    }
}

fn as_strs(titles: &[Option<String>]) -> Vec<Option<&str>> {
    titles.iter().map(Option::as_deref).collect()
}

/// A chapter's `{{#title}}`, found without rendering it (problems are reported when it is).
fn directive_title(book: &Book, chapter: &Chapter) -> Option<String> {
    if !chapter.text[chapter.body_start..].contains("{{#") {
        return None;
    }
    let path = book.config.src_dir.join(&chapter.source);
    expand(&book.config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start).ok()?.title
}

/// The files the build writes besides the chapters' pages and the print page: the table of
/// contents (script and page), the sitemap, `CNAME`, the isolation files, the page for
/// missing addresses and the front page's redirect.
fn generated_files(site: &Site, not_found: Option<&ChapterOutput>) -> Result<Vec<Page>> {
    let book = &site.book;
    let html = &book.config.html;
    let mut files = Vec::new();
    if !book.chapters.iter().any(|c| c.page == NOT_FOUND_PAGE) {
        let base = html.site_url.as_ref().map_or("/", |s| s.path.as_str());
        let page = render_not_found_page(&site.theme, book, &site.nav, base, not_found.map(|n| &n.html))?;
        files.push(Page { path: NOT_FOUND_PAGE.to_owned(), html: page });
    }
    files.push(Page { path: CONTENTS_SCRIPT.to_owned(), html: site.nav.script() });
    if let Some(path) = site.contents_page {
        files.push(Page { path: path.to_owned(), html: site.nav.contents_page_html(book, site.assets.url("style.css").unwrap_or("static/style.css")) });
    }
    if let Some(xml) = html.site_url.as_ref().and_then(|s| sitemap(s, book.chapters.iter().map(|c| c.page.as_str()))) {
        files.push(Page { path: "sitemap.xml".to_owned(), html: xml });
    }
    if let Some(cname) = &html.cname {
        files.push(Page { path: "CNAME".to_owned(), html: format!("{cname}\n") });
    }
    files.extend(isolation_files(&site.assets));
    if let FrontPage::Redirect(target) = &site.front_page {
        files.push(Page { path: "index.html".to_owned(), html: redirect_html(target) });
    }
    files.extend(site.redirects.iter().map(|(path, html)| Page { path: path.clone(), html: html.clone() }));
    Ok(files)
}
