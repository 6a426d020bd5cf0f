//! Everything a book's links may point at, gathered from the rendered site: every page
//! with its anchors, the source folder's files, the chapters SUMMARY.md lists, and the
//! files the build writes besides (the theme's static files, `404.html` …).

use crate::core::diagnostic::display_path;
use crate::core::error::Result;
use crate::core::fs::{files_under, is_hidden, relative, slash_path};
use crate::load::book::Book;
use crate::render::page::Page;
use crate::render::site_files::{not_found_source, FrontPage, NOT_FOUND_PAGE};
use crate::render::assets::Assets;

use super::links::LinkTargets;

/// What the site holds besides its chapters, for [`link_targets`].
pub struct SiteOutline<'a> {
    /// The theme's static files, as named in the site.
    pub assets: &'a Assets,
    pub front_page: &'a FrontPage,
    /// The print page's path, when the book has one.
    pub print_page: Option<&'a str>,
    /// The files the build writes besides the chapters' pages.
    pub generated: &'a [Page],
    /// The ids on the book's own page for missing addresses, when it has one (`404.md`).
    pub not_found_anchors: Option<&'a [String]>,
}

/// Everything the links of `book` may point at; `anchors[i]` are the ids chapter `i` has.
pub fn link_targets<'a>(book: &Book, anchors: impl IntoIterator<Item = &'a [String]>, site: &SiteOutline<'_>) -> Result<LinkTargets> {
    let config = &book.config;
    let files = files_under(&config.src_dir)?.into_iter().map(|f| relative(&config.src_dir, &f)).filter(|f| !is_hidden(f));
    let src_shown = slash_path(&display_path(&config.root, &config.src_dir));
    let mut targets = LinkTargets::new(&src_shown, files);
    for (chapter, anchors) in book.chapters.iter().zip(anchors) {
        targets.add_page(&slash_path(&chapter.source), &chapter.page, anchors.iter().cloned());
    }
    if let Some(anchors) = site.not_found_anchors {
        targets.add_page(&not_found_source(book), NOT_FOUND_PAGE, anchors.iter().cloned());
    }
    for link in book.summary.chapters() {
        if let Some(location) = &link.location {
            targets.add_listed(&slash_path(location));
        }
    }
    add_generated(&mut targets, book, site);
    Ok(targets)
}

/// The files the build writes that links may name: `index.html`, `404.html`, the print
/// page, the generated files, the theme's static files and the book's extra CSS and JS.
fn add_generated(targets: &mut LinkTargets, book: &Book, site: &SiteOutline<'_>) {
    match (site.front_page, book.chapters.first()) {
        (FrontPage::Copy, Some(first)) => targets.add_alias("index.html", &slash_path(&first.source)),
        _ => targets.add_generated("index.html"),
    }
    targets.add_generated(NOT_FOUND_PAGE);
    if let Some(path) = site.print_page {
        targets.add_generated(path);
    }
    for page in site.generated {
        targets.add_generated(&page.path);
    }
    for file in &site.assets.files {
        targets.add_generated(&file.path);
    }
    let html = &book.config.html;
    for file in html.additional_css.iter().chain(&html.additional_js) {
        targets.add_generated(&file.site_path);
    }
}
