//! Chapter pages: a chapter's rendered Markdown placed in the theme's page template,
//! with the sidebar, the page's own table of contents, previous/next links and the
//! book's details; and the page shown for addresses that do not exist (`404.html`), in
//! the same template.

use serde::Serialize;

use crate::load::book::{Book, Chapter};
use crate::core::diagnostic::Diagnostic;
use crate::parse::markdown::{Heading, ChapterHtml};
use crate::render::nav::{path_to_root, prev_next, Navigation, PageLink};
use crate::core::html::encode_url_path;
use crate::render::theme::{Theme, PAGE_TEMPLATE};
use crate::render::toc::page_toc_html;

/// One finished page.
pub struct Page {
    /// Relative to the site's root, `/`-separated.
    pub path: String,
    pub html: String,
}

/// What the page and print templates see as `book`.
#[derive(Serialize)]
pub struct BookContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    authors: &'a [String],
    language: &'a str,
    /// `ltr` or `rtl`, for `<html dir>`.
    text_direction: &'a str,
    /// `[output.html] git-repository-url`, linked from the top bar.
    git_repository_url: Option<&'a str>,
    /// `additional-css` and `additional-js`: URL paths from the site's root.
    additional_css: Vec<String>,
    additional_js: Vec<String>,
    /// `[output.html] content-security-policy`, escaped for a double-quoted attribute
    /// (quotes of the policy's own `'self'` kept); empty for none.
    content_security_policy: String,
}

impl<'a> BookContext<'a> {
    pub fn new(book: &'a Book) -> Self {
        let html = &book.config.html;
        let urls = |files: &[crate::load::config::BookFile]| files.iter().map(|f| encode_url_path(&f.site_path)).collect();
        BookContext {
            title: book.title(),
            description: book.config.description.as_deref(),
            authors: &book.config.authors,
            language: &book.config.language,
            text_direction: book.config.text_direction,
            git_repository_url: html.git_repository_url.as_deref(),
            additional_css: urls(&html.additional_css),
            additional_js: urls(&html.additional_js),
            content_security_policy: html
                .content_security_policy
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
        }
    }
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
    /// The "Edit this page" address, from `[output.html] edit-url-template`.
    edit_url: Option<String>,
    /// The page's full address, when `[output.html] site-url` is a full address.
    canonical_url: Option<String>,
}

/// A chapter's title: `{{#title}}`, else the front matter's title, else the title in SUMMARY.md.
pub fn page_title<'a>(chapter: &'a Chapter, markdown: &'a ChapterHtml) -> &'a str {
    markdown.title.as_deref().or(chapter.front.title.as_deref()).unwrap_or(&chapter.title)
}

/// Renders chapter `index` of `book` as a complete HTML page. `page_path` is where the
/// page is written: the chapter's own page, or `index.html` for a top-level first chapter.
/// `print_page` is the print page's path from the site's root, when there is one.
pub fn render_page(
    theme: &Theme,
    book: &Book,
    nav: &Navigation,
    index: usize,
    page_path: &str,
    markdown: &ChapterHtml,
    print_page: Option<&str>,
) -> Result<String, Diagnostic> {
    let chapter = &book.chapters[index];
    // The front page (`index.html`) repeats a top-level chapter at the same depth, so
    // the chapter's own previous/next links hold there too.
    let (prev, next): (Option<PageLink>, Option<PageLink>) = prev_next(book, index);
    let html = &book.config.html;
    let mut context = tera::Context::new();
    context.insert("book", &BookContext::new(book));
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
            edit_url: html.edit_url_template.as_ref().map(|t| edit_url(t, &chapter.shown)),
            canonical_url: html.site_url.as_ref().and_then(|s| s.page_url(&chapter.page)),
        },
    );
    context.insert("base", &None::<String>);
    let root = path_to_root(page_path);
    context.insert("print", &print_page.map(|p| format!("{root}{p}")));
    context.insert("toc", &page_toc_html(&markdown.headings));
    context.insert("root", &root);
    context.insert("sidebar", &nav.sidebar_html(page_path));
    context.insert("prev", &prev);
    context.insert("next", &next);
    theme.tera.render(PAGE_TEMPLATE, &context).map_err(|e| {
        let d = theme.template_error(PAGE_TEMPLATE, &format!("rendering {}", chapter.shown.display()), &e);
        let help = format!("{}; {TEMPLATE_HELP}", d.help.clone().unwrap_or_default());
        d.with_help(help)
    })
}

const TEMPLATE_HELP: &str = "the page template can use `book`, `page`, `root`, `base`, `sidebar`, `toc`, `print`, `prev` and `next`";

/// mdBook's edit link: `{path}` becomes the chapter's file from the book's root (`content/intro.md`).
fn edit_url(template: &str, shown: &std::path::Path) -> String {
    let path: Vec<String> = shown.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    template.replace("{path}", &encode_url_path(&path.join("/")))
}

/// The title of the page shown for addresses that do not exist.
pub const NOT_FOUND_TITLE: &str = "Page not found";

/// The page shown for addresses that do not exist, in the book's template. It may be
/// served at any depth, so its links resolve against `base` (the path the site is
/// published at, `/` by default) through `<base href>`, as mdBook does. `markdown` is the
/// book's own `404.md`, rendered; without one the page says what happened and links home.
pub fn render_not_found_page(
    theme: &Theme,
    book: &Book,
    nav: &Navigation,
    base: &str,
    markdown: Option<&ChapterHtml>,
) -> crate::core::error::Result<String> {
    let built_in;
    let (content, demos): (&str, &[&'static str]) = match markdown {
        Some(m) => (&m.html, &m.demos),
        None => {
            let mut html = format!("<h1>{NOT_FOUND_TITLE}</h1>\n<p>There is no page at this address: it may have moved, or the link that led here may be mistyped.</p>\n<p><a href=\"index.html\">Go to the start of ");
            crate::core::html::escape_text(&mut html, book.title());
            html.push_str("</a>, or pick a chapter from the list.</p>\n");
            built_in = html;
            (&built_in, &[])
        }
    };
    let mut context = tera::Context::new();
    context.insert("book", &BookContext::new(book));
    context.insert(
        "page",
        &PageContext {
            title: markdown.and_then(|m| m.title.as_deref()).unwrap_or(NOT_FOUND_TITLE),
            description: book.config.description.as_deref(),
            extra: &serde_json::Map::new(),
            number: String::new(),
            path: "404.html",
            content,
            headings: markdown.map_or(&[], |m| &m.headings),
            demos,
            edit_url: None,
            canonical_url: None,
        },
    );
    context.insert("base", &Some(base));
    context.insert("root", "");
    context.insert("print", &None::<String>);
    context.insert("toc", &page_toc_html(markdown.map_or(&[], |m| &m.headings)));
    context.insert("sidebar", &nav.sidebar_html("404.html"));
    context.insert("prev", &None::<PageLink>);
    context.insert("next", &None::<PageLink>);
    theme.tera.render(PAGE_TEMPLATE, &context).map_err(|e| {
        let d = theme.template_error(PAGE_TEMPLATE, "rendering the page for missing addresses (404.html)", &e);
        let help = format!("{}; {TEMPLATE_HELP}", d.help.clone().unwrap_or_default());
        d.with_help(help).into()
    })
}
