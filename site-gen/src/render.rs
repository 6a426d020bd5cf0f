//! Chapter pages: a chapter's rendered Markdown placed in the theme's page template,
//! with the sidebar, previous/next links and the book's details.

use serde::Serialize;

use crate::book::{Book, Chapter};
use crate::diagnostic::Diagnostic;
use crate::markdown::{Heading, RenderedMarkdown};
use crate::nav::{path_to_root, prev_next, sidebar_html, PageLink};
use crate::theme::{tera_error_text, Theme, PAGE_TEMPLATE};

/// What the page template sees as `book`.
#[derive(Serialize)]
struct BookContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    authors: &'a [String],
    language: &'a str,
}

/// What the page template sees as `page`.
#[derive(Serialize)]
struct PageContext<'a> {
    /// `{{#title}}`, else the front matter's title, else the title in SUMMARY.md.
    title: &'a str,
    /// The front matter's description, else the book's.
    description: Option<&'a str>,
    /// The front matter's other keys.
    extra: &'a serde_json::Map<String, serde_json::Value>,
    /// "1.2." or empty.
    number: String,
    /// The page's path from the site's root.
    path: &'a str,
    /// The chapter's HTML (already safe: rendered from Markdown).
    content: &'a str,
    headings: &'a [Heading],
    /// The names of the demos on the page; the template loads the demo runtime when any.
    demos: &'a [&'static str],
}

/// A chapter's title: `{{#title}}`, else the front matter's title, else the title in SUMMARY.md.
pub fn page_title<'a>(chapter: &'a Chapter, markdown: &'a RenderedMarkdown) -> &'a str {
    markdown.title.as_deref().or(chapter.front.title.as_deref()).unwrap_or(&chapter.title)
}

/// Renders chapter `index` of `book` as a complete HTML page. `page_path` is where the
/// page is written: the chapter's own page, or `index.html` for a top-level first chapter.
pub fn render_page(
    theme: &Theme,
    book: &Book,
    index: usize,
    page_path: &str,
    markdown: &RenderedMarkdown,
) -> Result<String, Diagnostic> {
    let chapter = &book.chapters[index];
    // The front page (`index.html`) repeats a top-level chapter at the same depth, so
    // the chapter's own previous/next links hold there too.
    let (prev, next): (Option<PageLink>, Option<PageLink>) = prev_next(book, index);
    let mut context = tera::Context::new();
    context.insert(
        "book",
        &BookContext {
            title: book.title(),
            description: book.config.description.as_deref(),
            authors: &book.config.authors,
            language: &book.config.language,
        },
    );
    context.insert(
        "page",
        &PageContext {
            title: page_title(chapter, markdown),
            description: chapter.front.description.as_deref().or(book.config.description.as_deref()),
            extra: &chapter.front.extra,
            number: chapter.number_label().trim_end().to_owned(),
            path: page_path,
            content: &markdown.html,
            headings: &markdown.headings,
            demos: &markdown.demos,
        },
    );
    context.insert("root", &path_to_root(page_path));
    context.insert("sidebar", &sidebar_html(book, page_path));
    context.insert("prev", &prev);
    context.insert("next", &next);
    theme.tera.render(PAGE_TEMPLATE, &context).map_err(|e| {
        Diagnostic::error(
            format!("theme/templates/{PAGE_TEMPLATE}"),
            format!("rendering {} failed: {}", chapter.source.display(), tera_error_text(&e)),
        )
        .with_help("the page template can use `book`, `page`, `root`, `sidebar`, `prev` and `next`")
    })
}
