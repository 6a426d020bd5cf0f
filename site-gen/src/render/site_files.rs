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

/// An old page of `[output.html.redirect]`: where it now is, and where its `#fragment`s are.
type OldPage<'a> = (Option<&'a str>, Vec<(String, &'a str)>);

/// The redirect pages of `[output.html.redirect]`, as mdBook writes them: for each old
/// path that is not a page of the book, a page that sends the reader to its new address,
/// `#fragment`s of the old page to theirs. Returns the pages and what is wrong with the
/// entries that make none (as warnings, for `book.toml`).
pub fn redirect_pages(book: &Book) -> (Vec<(String, String)>, Vec<String>) {
    let mut combined: std::collections::BTreeMap<&str, OldPage<'_>> = Default::default();
    for (from, to) in &book.config.html.redirects {
        match from.rsplit_once('#') {
            Some((page, fragment)) => combined.entry(page).or_default().1.push((format!("#{fragment}"), to)),
            None => combined.entry(from).or_default().0 = Some(to),
        }
    }
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    for (from, (to, fragments)) in combined {
        if book.chapters.iter().any(|c| c.page == from) {
            if to.is_some() {
                problems.push(format!("redirect `/{from}` is a page of the book, so it is left out"));
            }
            continue;
        }
        match to {
            Some(to) => pages.push((from.to_owned(), mdbook_redirect_html(to, &fragments))),
            None => problems.push(format!("redirect `/{from}` has only `#fragment` entries, so no page is written for it")),
        }
    }
    (pages, problems)
}

/// mdBook's redirect page: a refresh to `url`, and a script for the old page's fragments.
fn mdbook_redirect_html(url: &str, fragments: &[(String, &str)]) -> String {
    let mut href = String::new();
    escape_attr(&mut href, url);
    let map: serde_json::Map<String, serde_json::Value> =
        fragments.iter().map(|(from, to)| (from.clone(), serde_json::Value::String((*to).to_owned()))).collect();
    // `</` cannot end the script early: the map is JSON with `<` escaped.
    let map = serde_json::Value::Object(map).to_string().replace('<', "\\u003c");
    let url_js = serde_json::Value::String(url.to_owned()).to_string().replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n    <title>Redirecting...</title>\n    \
         <meta http-equiv=\"refresh\" content=\"0; URL={href}\">\n    <link rel=\"canonical\" href=\"{href}\">\n  </head>\n  <body>\n      \
         <p>Redirecting to... <a href=\"{href}\">{href}</a>.</p>\n\n<script>\n    \
         // This handles redirects that involve fragments.\n    \
         document.addEventListener('DOMContentLoaded', function() {{\n        const fragmentMap = {map};\n        \
         const fragment = window.location.hash;\n        if (fragment) {{\n            let redirectUrl = {url_js};\n            \
         const target = fragmentMap[fragment];\n            if (target) {{\n                redirectUrl = new URL(target, window.location.href).href;\n            \
         }} else {{\n                let url = new URL(redirectUrl, window.location.href);\n                url.hash = window.location.hash;\n                \
         redirectUrl = url.href;\n            }}\n            window.location.replace(redirectUrl);\n        }}\n    }});\n</script>\n  </body>\n</html>\n"
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
