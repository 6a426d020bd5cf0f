//! The sidebar (the book's table of contents as links) and the previous/next links of a page.

use std::collections::HashMap;
use std::path::Path;

use crate::book::{number_label, Book};
use crate::markdown::{escape_attr, escape_text};
use crate::summary::SummaryItem;

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

/// The sidebar's HTML for the page `current` (marked with `aria-current="page"`).
pub fn sidebar_html(book: &Book, current: &str) -> String {
    let pages = book.pages_by_source();
    let root = path_to_root(current);
    let mut out = String::with_capacity(4096);
    out.push_str("<ol class=\"toc\">\n");
    write_items(&mut out, &book.summary.items, &pages, &root, current);
    out.push_str("</ol>\n");
    out
}

fn write_items(out: &mut String, items: &[SummaryItem], pages: &HashMap<&Path, &str>, root: &str, current: &str) {
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
                        escape_attr(out, root);
                        escape_attr(out, page);
                        out.push('"');
                        if page == current {
                            out.push_str(" aria-current=\"page\" class=\"active\"");
                        }
                        out.push('>');
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
                    write_items(out, &link.nested, pages, root, current);
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
