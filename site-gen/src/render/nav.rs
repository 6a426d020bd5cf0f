//! The sidebar (the book's table of contents as links, rendered once per build and shared
//! by every page) and the previous/next links of a page.

use std::collections::HashMap;
use std::path::Path;

use crate::load::book::{number_label, Book};
use crate::core::html::{escape_attr, escape_text};
use crate::load::summary::SummaryItem;

/// A link to another page, relative to the current one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageLink {
    pub title: String,
    pub href: String,
}

/// The relative path from the page `page` (e.g. `a/b.html`) to the site's root: `""` or `"../"`.
pub fn path_to_root(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// The table of contents page, for readers without JavaScript: the sidebar shows it in a frame.
pub const CONTENTS_PAGE: &str = "toc.html";

/// The script that fills every page's sidebar with the table of contents.
pub const CONTENTS_SCRIPT: &str = "toc.js";

/// The book's navigation, rendered once per build: the table of contents is written to
/// one shared script ([`CONTENTS_SCRIPT`]) that each page loads (and the browser caches),
/// so a page's own HTML holds only a small box for it, whatever the size of the book.
#[derive(Debug, Clone)]
pub struct Navigation {
    /// The whole table of contents, links relative to the site's root, no page marked.
    contents: String,
    /// Changes whenever the table of contents does, so browsers fetch the new script.
    version: String,
    /// The page listing the contents, when the book has one (a chapter may take its place).
    contents_page: Option<&'static str>,
}

impl Navigation {
    /// The navigation of `book`; `contents_page` is whether [`CONTENTS_PAGE`] is written.
    pub fn new(book: &Book, contents_page: bool) -> Navigation {
        let pages = book.pages_by_source();
        let mut contents = String::with_capacity(64 + book.chapters.len() * 96);
        contents.push_str("<ol class=\"toc\">\n");
        write_items(&mut contents, &book.summary.items, &pages);
        contents.push_str("</ol>\n");
        let version = format!("{:08x}", fnv1a(contents.as_bytes()) as u32);
        Navigation { contents, version, contents_page: contents_page.then_some(CONTENTS_PAGE) }
    }

    /// The sidebar of the page `current` (a path from the site's root): a box that
    /// [`CONTENTS_SCRIPT`] fills with the table of contents, marking `current` with
    /// `aria-current="page"`; without JavaScript, a frame showing [`CONTENTS_PAGE`].
    pub fn sidebar_html(&self, current: &str) -> String {
        let root = path_to_root(current);
        let mut out = String::with_capacity(320);
        out.push_str("<div class=\"toc-box\" data-toc-root=\"");
        escape_attr(&mut out, &root);
        out.push_str("\" data-toc-page=\"");
        escape_attr(&mut out, current);
        out.push_str("\">");
        if let Some(page) = self.contents_page {
            out.push_str("<noscript><iframe class=\"toc-frame\" src=\"");
            escape_attr(&mut out, &root);
            out.push_str(page);
            out.push_str("\" title=\"Chapters\"></iframe></noscript>");
        }
        out.push_str("</div>\n<script src=\"");
        escape_attr(&mut out, &root);
        out.push_str(CONTENTS_SCRIPT);
        out.push_str("?v=");
        out.push_str(&self.version);
        out.push_str("\" defer></script>\n");
        out
    }

    /// [`CONTENTS_SCRIPT`]: the table of contents, and what puts it in each sidebar.
    pub fn script(&self) -> String {
        let contents = serde_json::to_string(&self.contents).unwrap_or_else(|_| "\"\"".to_owned());
        let mut out = String::with_capacity(contents.len() + TOC_SCRIPT.len() + 64);
        out.push_str("// The book's table of contents, for the sidebar of every page (written by site-gen).\n");
        out.push_str("var bookContents = ");
        out.push_str(&contents);
        out.push_str(";\n");
        out.push_str(TOC_SCRIPT);
        out
    }

    /// [`CONTENTS_PAGE`]: the table of contents alone, as the sidebar shows it, styled by
    /// `stylesheet` (a URL path from the site's root); links open in the page around the frame.
    pub fn contents_page_html(&self, book: &Book, stylesheet: &str) -> String {
        let mut out = String::with_capacity(self.contents.len() + 512);
        out.push_str("<!DOCTYPE html>\n<html lang=\"");
        escape_attr(&mut out, &book.config.language);
        out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Chapters · ");
        escape_text(&mut out, book.title());
        out.push_str("</title>\n<meta name=\"robots\" content=\"noindex\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<base target=\"_parent\">\n<link rel=\"stylesheet\" href=\"");
        escape_attr(&mut out, stylesheet);
        out.push_str("\">\n</head>\n<body class=\"sidebar sidebar-frame\">\n<nav aria-label=\"Chapters\">\n");
        out.push_str(&self.contents);
        out.push_str("</nav>\n</body>\n</html>\n");
        out
    }
}

/// What [`CONTENTS_SCRIPT`] runs: fills each box with the contents, links made relative
/// to the page, and marks the page's own link (and scrolls the sidebar to it).
const TOC_SCRIPT: &str = r#"(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-toc-page]");
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    var root = box.getAttribute("data-toc-root") || "";
    if (!/^(\.\.\/)*$/.test(root)) root = "";
    box.innerHTML = root ? bookContents.split(' href="').join(' href="' + root) : bookContents;
    var here = root + box.getAttribute("data-toc-page");
    var links = box.getElementsByTagName("a");
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("href") !== here) continue;
      var link = links[j];
      link.setAttribute("aria-current", "page");
      link.classList.add("active");
      var scroller = box.closest(".sidebar") || box.parentElement;
      var offset = link.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      if (offset > scroller.clientHeight * 0.8) scroller.scrollTop += offset - scroller.clientHeight / 3;
      break;
    }
  }
})();
"#;

/// FNV-1a: a short, stable fingerprint of the table of contents.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn write_items(out: &mut String, items: &[SummaryItem], pages: &HashMap<&Path, &str>) {
    for item in items {
        match item {
            SummaryItem::Separator => out.push_str("<li class=\"separator\" role=\"separator\"></li>\n"),
            SummaryItem::PartTitle(title) => {
                out.push_str("<li class=\"part-title\">");
                escape_text(out, title);
                out.push_str("</li>\n");
            }
            SummaryItem::Chapter(link) => {
                out.push_str("<li class=\"chapter\">");
                let label = number_label(link.number.as_deref());
                let page = link.location.as_deref().and_then(|l| pages.get(l).copied());
                match page {
                    Some(page) => {
                        out.push_str("<a href=\"");
                        escape_attr(out, page);
                        out.push_str("\">");
                    }
                    None => out.push_str("<span class=\"draft\" title=\"Not written yet\">"),
                }
                if !label.is_empty() {
                    out.push_str("<strong class=\"number\">");
                    escape_text(out, label.trim_end());
                    out.push_str("</strong> ");
                }
                escape_text(out, &link.title);
                out.push_str(if page.is_some() { "</a>" } else { "</span>" });
                if !link.nested.is_empty() {
                    out.push_str("\n<ol class=\"section\">\n");
                    write_items(out, &link.nested, pages);
                    out.push_str("</ol>\n");
                }
                out.push_str("</li>\n");
            }
        }
    }
}

/// The previous and next chapters of chapter `index`, linked relative to it.
pub fn prev_next(book: &Book, index: usize) -> (Option<PageLink>, Option<PageLink>) {
    let here = &book.chapters[index].page;
    let root = path_to_root(here);
    let link = |i: usize| {
        let c = &book.chapters[i];
        PageLink { title: format!("{}{}", c.number_label(), c.title), href: format!("{root}{}", c.page) }
    };
    let prev = index.checked_sub(1).map(link);
    let next = (index + 1 < book.chapters.len()).then(|| link(index + 1));
    (prev, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_paths() {
        assert_eq!(path_to_root("index.html"), "");
        assert_eq!(path_to_root("a/b.html"), "../");
        assert_eq!(path_to_root("a/b/c.html"), "../../");
    }
}
