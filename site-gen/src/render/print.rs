//! The print page, `print.html`: every chapter in reading order on one page, each in a
//! section that starts a new printed page. Ids are made unique across the book by
//! prefixing them with the chapter's key (`basics--lists`), links between chapters point
//! at those sections, relative images and links are made relative to the site's root, and
//! each live demo is named, with a link to the page where it runs.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use crate::load::book::Book;
use crate::core::diagnostic::Diagnostic;
use crate::core::error::Result;
use crate::core::html::{encode_url_path, escape_attr, escape_text, percent_decode, slug};
use crate::parse::markdown::Placement;
use crate::render::page::BookContext;
use crate::render::theme::{tera_error_text, Theme, PRINT_TEMPLATE};

/// Where the print page is written.
pub const PRINT_PAGE: &str = "print.html";

/// Between a chapter's key and an id of its own.
const SEPARATOR: &str = "--";

/// Every chapter's key on the print page: its page's path as an id (`guide/nested.html`
/// → `guide-nested`), unique in the book.
pub struct PrintBook {
    keys: HashMap<String, String>,
}

impl PrintBook {
    pub fn new(book: &Book) -> PrintBook {
        let mut keys = HashMap::new();
        let mut used: HashMap<String, usize> = HashMap::new();
        for chapter in &book.chapters {
            let base = {
                let stem = chapter.page.strip_suffix(".html").unwrap_or(&chapter.page);
                let s = slug(&stem.replace('/', "-"));
                if s.is_empty() { "chapter".to_owned() } else { s }
            };
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let key = if *n == 1 { base } else { format!("{base}-{}", *n - 1) };
            keys.insert(chapter.page.clone(), key);
        }
        PrintBook { keys }
    }

    /// The key of the chapter whose page is `page`.
    pub fn key(&self, page: &str) -> Option<&str> {
        self.keys.get(page).map(String::as_str)
    }

    /// Every chapter's page and key, in the order of the pages' paths.
    pub fn keys_in_order(&self) -> Vec<(&str, &str)> {
        let mut keys: Vec<(&str, &str)> = self.keys.iter().map(|(page, key)| (page.as_str(), key.as_str())).collect();
        keys.sort_unstable();
        keys
    }

    /// The chapter at `page` placed on the print page.
    pub fn chapter<'a>(&'a self, page: &'a str) -> ChapterOnPrintPage<'a> {
        let key = self.key(page).unwrap_or("chapter");
        let address = encode_url_path(page);
        let dir = address.rfind('/').map(|i| address[..=i].to_owned()).unwrap_or_default();
        ChapterOnPrintPage { book: self, address, key, dir }
    }
}

/// One chapter on the print page: its ids, links, images and demos.
pub struct ChapterOnPrintPage<'a> {
    book: &'a PrintBook,
    /// The chapter's own page, as an address (`%XX` escapes where its file name needs them).
    address: String,
    key: &'a str,
    /// The folder of the chapter's page, as an address with a trailing `/`, or empty.
    dir: String,
}

impl Placement for ChapterOnPrintPage<'_> {
    fn id<'s>(&self, id: &'s str) -> Cow<'s, str> {
        Cow::Owned(format!("{}{SEPARATOR}{id}", self.key))
    }

    fn link<'s>(&self, dest: &'s str) -> Cow<'s, str> {
        if let Some(fragment) = dest.strip_prefix('#') {
            return Cow::Owned(format!("#{}{SEPARATOR}{fragment}", self.key));
        }
        if !is_relative(dest) {
            return Cow::Borrowed(dest);
        }
        let (path, fragment) = match dest.find('#') {
            Some(i) => (&dest[..i], Some(&dest[i + 1..])),
            None => (dest, None),
        };
        let Some(resolved) = resolve(&self.dir, path) else { return Cow::Borrowed(dest) };
        let page = if resolved.is_empty() || resolved.ends_with('/') { format!("{resolved}index.html") } else { resolved.clone() };
        match (self.book.key(&percent_decode(&page)), fragment) {
            (Some(key), Some(f)) if !f.is_empty() => Cow::Owned(format!("#{key}{SEPARATOR}{f}")),
            (Some(key), _) => Cow::Owned(format!("#{key}")),
            (None, Some(f)) => Cow::Owned(format!("{resolved}#{f}")),
            (None, None) => Cow::Owned(resolved),
        }
    }

    fn image<'s>(&self, src: &'s str) -> Cow<'s, str> {
        if !is_relative(src) || src.starts_with('#') {
            return Cow::Borrowed(src);
        }
        match resolve(&self.dir, src) {
            Some(resolved) => Cow::Owned(resolved),
            None => Cow::Borrowed(src),
        }
    }

    /// Paper cannot run a demo: its title and where it runs stand in for it.
    fn demo(&self, title: &str) -> Option<String> {
        let mut html = String::from("<figure class=\"demo-stand-in\">\n<figcaption>");
        escape_text(&mut html, title);
        html.push_str("</figcaption>\n<p>A live demo runs here on <a href=\"");
        escape_attr(&mut html, &self.address);
        html.push_str("\">the chapter's own page</a>.</p>\n</figure>\n");
        Some(html)
    }
}

/// A relative address: no scheme (`https:`, `mailto:`, `data:`…) and not from the host's root.
fn is_relative(dest: &str) -> bool {
    if dest.starts_with('/') || dest.is_empty() {
        return false;
    }
    let scheme_end = dest.find(':');
    let path_start = dest.find(['/', '?', '#']).unwrap_or(dest.len());
    !matches!(scheme_end, Some(i) if i < path_start)
}

/// `path` (relative to the folder `dir`) relative to the site's root, with `.` and `..`
/// resolved; `None` when it climbs above the root. A query (`?v=2`) is kept.
fn resolve(dir: &str, path: &str) -> Option<String> {
    let (path, query) = match path.find('?') {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, ""),
    };
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let trailing_slash = path.is_empty() || path.ends_with('/');
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if trailing_slash && !out.is_empty() {
        out.push('/');
    }
    out.push_str(query);
    Some(out)
}

/// One chapter as the print template sees it.
#[derive(Serialize)]
struct PrintChapter<'a> {
    /// The section's id.
    key: &'a str,
    title: &'a str,
    /// The chapter's HTML for the print page (already safe: rendered from Markdown).
    content: &'a str,
}

/// The print page's template rendered with `contents` as the chapters' HTML; `titles`
/// are the chapters' `{{#title}}`s, when they have one.
fn render_print_template(theme: &Theme, book: &Book, print: &PrintBook, titles: &[Option<&str>], contents: &[&str]) -> Result<String> {
    let chapters: Vec<PrintChapter<'_>> = book
        .chapters
        .iter()
        .zip(titles)
        .zip(contents)
        .map(|((c, title), content)| PrintChapter {
            key: print.key(&c.page).unwrap_or("chapter"),
            title: title.or(c.front.title.as_deref()).unwrap_or(&c.title),
            content,
        })
        .collect();
    let mut context = tera::Context::new();
    context.insert("book", &BookContext::new(book));
    context.insert("chapters", &chapters);
    context.insert("root", "");
    theme.tera.render(PRINT_TEMPLATE, &context).map_err(|e| {
        Diagnostic::error(format!("theme/templates/{PRINT_TEMPLATE}"), format!("rendering the print page failed: {}", tera_error_text(&e)))
            .with_help("the print template can use `book`, `chapters` (each with `key`, `title`, `content`) and `root`")
            .into()
    })
}

/// The print page, written chapter by chapter as the chapters are rendered, so that the
/// whole book is never held in memory: the template is rendered first with a marker in
/// place of each chapter's HTML, and each chapter's HTML then goes where its marker was.
/// A template that does not show each chapter's HTML once, in order and unescaped, is
/// rendered the ordinary way instead, once every chapter's HTML is there.
pub struct PrintPage {
    /// The template's text between the chapters: one more piece than chapters.
    pieces: Option<Vec<String>>,
    /// Every chapter's HTML so far, for a template that cannot be written in pieces.
    held: Vec<String>,
    out: Vec<u8>,
    next: usize,
}

impl PrintPage {
    /// Renders the print template for `book` with markers; `titles` are the chapters'
    /// `{{#title}}`s, when they have one.
    pub fn new(theme: &Theme, book: &Book, print: &PrintBook, titles: &[Option<&str>]) -> Result<PrintPage> {
        let markers: Vec<String> = (0..book.chapters.len()).map(marker).collect();
        let contents: Vec<&str> = markers.iter().map(String::as_str).collect();
        let skeleton = render_print_template(theme, book, print, titles, &contents)?;
        Ok(PrintPage { pieces: split_at_markers(&skeleton, &markers), held: Vec::new(), out: Vec::new(), next: 0 })
    }

    /// Adds the next chapter's print HTML; what is ready goes to `write`.
    pub fn push(&mut self, html: String) {
        match &self.pieces {
            Some(pieces) => {
                self.out.extend_from_slice(pieces[self.next].as_bytes());
                self.out.extend_from_slice(html.as_bytes());
            }
            None => self.held.push(html),
        }
        self.next += 1;
    }

    /// Takes the part of the page that is ready to be written.
    pub fn take_ready(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Writes the part of the page that is ready to `to`, keeping the room it took for the
    /// next chapter's.
    pub fn write_ready(&mut self, to: &mut impl std::io::Write) -> std::io::Result<()> {
        to.write_all(&self.out)?;
        self.out.clear();
        Ok(())
    }

    /// The rest of the page, once every chapter was pushed.
    pub fn finish(mut self, theme: &Theme, book: &Book, print: &PrintBook, titles: &[Option<&str>]) -> Result<Vec<u8>> {
        match self.pieces.take() {
            Some(mut pieces) => {
                let mut out = self.take_ready();
                out.extend_from_slice(pieces.pop().unwrap_or_default().as_bytes());
                Ok(out)
            }
            None => {
                let contents: Vec<&str> = self.held.iter().map(String::as_str).collect();
                Ok(render_print_template(theme, book, print, titles, &contents)?.into_bytes())
            }
        }
    }
}

/// Stands for chapter `i`'s HTML in the rendered template. It holds `<`, which escaping
/// would change: a template that escapes the HTML does not show the marker as it is.
fn marker(i: usize) -> String {
    format!("<site-gen-print-chapter {i}>")
}

/// `text` cut at each of `markers`, when each is there exactly once and in order.
fn split_at_markers(text: &str, markers: &[String]) -> Option<Vec<String>> {
    if text.matches("<site-gen-print-chapter ").count() != markers.len() {
        return None;
    }
    let mut pieces = Vec::with_capacity(markers.len() + 1);
    let mut rest = text;
    for m in markers {
        let at = rest.find(m.as_str())?;
        pieces.push(rest[..at].to_owned());
        rest = &rest[at + m.len()..];
    }
    pieces.push(rest.to_owned());
    Some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::ChapterHtml;

    /// Renders `print.html` from every chapter's print HTML, in reading order.
    fn render_print_page(theme: &Theme, book: &Book, print: &PrintBook, markdown: &[ChapterHtml]) -> Result<String> {
        let titles: Vec<Option<&str>> = markdown.iter().map(|m| m.title.as_deref()).collect();
        let contents: Vec<&str> = markdown.iter().map(|m| m.print_html.as_str()).collect();
        render_print_template(theme, book, print, &titles, &contents)
    }

    #[test]
    fn markers_split_the_page_only_when_each_is_there_once_in_order() {
        let markers = vec![marker(0), marker(1)];
        let page = format!("<main>{}<hr>{}</main>", markers[0], markers[1]);
        assert_eq!(split_at_markers(&page, &markers).unwrap(), ["<main>", "<hr>", "</main>"]);
        let twice = format!("{}{}{}", markers[0], markers[1], markers[1]);
        assert!(split_at_markers(&twice, &markers).is_none());
        let swapped = format!("{}{}", markers[1], markers[0]);
        assert!(split_at_markers(&swapped, &markers).is_none());
        assert!(split_at_markers("&lt;site-gen-print-chapter 0&gt;", &markers[..1]).is_none());
    }

    /// The print page written chapter by chapter is the page rendered whole, whatever the
    /// template: one that shows each chapter's HTML once, unescaped, is written in pieces,
    /// others (twice, escaped) are rendered the ordinary way.
    #[test]
    fn written_in_pieces_the_page_is_the_same_as_rendered_whole() {
        let templates = [
            None,
            Some("{% for c in chapters %}<h1>{{ c.title }}</h1>{{ c.content | safe }}<hr>{{ c.content | safe }}{% endfor %}"),
            Some("{% for c in chapters %}<pre>{{ c.content }}</pre>{% endfor %}"),
        ];
        for template in templates {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            std::fs::create_dir_all(root.join("content")).unwrap();
            std::fs::write(root.join("content/SUMMARY.md"), "- [One](one.md)\n- [Two](two.md)\n").unwrap();
            std::fs::write(root.join("content/one.md"), "# One\n").unwrap();
            std::fs::write(root.join("content/two.md"), "# Two\n").unwrap();
            let theme_dir = template.map(|t| {
                std::fs::create_dir_all(root.join("theme/templates")).unwrap();
                std::fs::write(root.join("theme/templates/print.html"), t).unwrap();
                root.join("theme")
            });
            let (config, _) = crate::load::config::Config::load(root).unwrap();
            let book = Book::load(config).unwrap();
            let mut theme = Theme::load(root, theme_dir.as_deref()).unwrap();
            let assets = crate::render::assets::Assets::prepare(&theme, root, std::path::Path::new("/nonexistent")).unwrap();
            assets.register(&mut theme.tera);
            let print = PrintBook::new(&book);
            let html = ["<p>1 & <b>one</b></p>", "<p>2</p>"];
            let titles = [Some("First"), None];
            let markdown: Vec<ChapterHtml> = html
                .iter()
                .zip(titles)
                .map(|(h, t)| ChapterHtml { print_html: (*h).to_owned(), title: t.map(str::to_owned), ..Default::default() })
                .collect();
            let whole = render_print_page(&theme, &book, &print, &markdown).unwrap();
            let mut page = PrintPage::new(&theme, &book, &print, &titles).unwrap();
            assert_eq!(page.pieces.is_some(), template.is_none(), "{template:?}");
            let mut out = Vec::new();
            for h in html {
                page.push(h.to_owned());
                out.append(&mut page.take_ready());
            }
            out.append(&mut page.finish(&theme, &book, &print, &titles).unwrap());
            assert_eq!(String::from_utf8(out).unwrap(), whole, "{template:?}");
        }
    }

    fn print_book(pages: &[&str]) -> PrintBook {
        let mut keys = HashMap::new();
        for p in pages {
            let stem = p.strip_suffix(".html").unwrap();
            keys.insert((*p).to_owned(), slug(&stem.replace('/', "-")));
        }
        PrintBook { keys }
    }

    #[test]
    fn ids_are_prefixed_with_the_chapter() {
        let book = print_book(&["basics.html", "guide/nested.html"]);
        assert_eq!(book.chapter("guide/nested.html").id("lists"), "guide-nested--lists");
        assert_eq!(book.chapter("basics.html").id("lists"), "basics--lists");
    }

    #[test]
    fn links_between_chapters_point_at_their_sections() {
        let book = print_book(&["basics.html", "guide/nested.html", "guide/index.html", "index.html"]);
        let nested = book.chapter("guide/nested.html");
        assert_eq!(nested.link("../basics.html"), "#basics");
        assert_eq!(nested.link("../basics.html#lists"), "#basics--lists");
        assert_eq!(nested.link("index.html"), "#guide-index");
        assert_eq!(nested.link("./"), "#guide-index");
        assert_eq!(nested.link("#here"), "#guide-nested--here");
        let basics = book.chapter("basics.html");
        assert_eq!(basics.link("guide/nested.html#x"), "#guide-nested--x");
        assert_eq!(basics.link("index.html"), "#index");
    }

    #[test]
    fn demos_are_named_with_a_link_to_where_they_run() {
        let book = print_book(&["guide/nested.html"]);
        let html = book.chapter("guide/nested.html").demo("Primes & threads").unwrap();
        assert!(html.contains("<figcaption>Primes &amp; threads</figcaption>"), "{html}");
        assert!(html.contains("href=\"guide/nested.html\""), "{html}");
        assert!(!html.contains("data-demo"), "no demo runs on the print page: {html}");
    }

    #[test]
    fn other_links_and_images_are_made_relative_to_the_root() {
        let book = print_book(&["guide/nested.html"]);
        let nested = book.chapter("guide/nested.html");
        assert_eq!(nested.image("images/dot.svg"), "guide/images/dot.svg");
        assert_eq!(nested.image("../images/dot.svg"), "images/dot.svg");
        assert_eq!(nested.image("./a/../b.png?v=2"), "guide/b.png?v=2");
        assert_eq!(nested.link("files/data.csv#row"), "guide/files/data.csv#row");
        for external in ["https://example.org/a.html", "mailto:a@b.c", "/abs.png", "data:image/png;base64,xx", "//cdn/x.js"] {
            assert_eq!(nested.link(external), external);
            assert_eq!(nested.image(external), external);
        }
        // Climbing above the root is left as written.
        assert_eq!(nested.image("../../x.png"), "../../x.png");
    }

    #[test]
    fn relative_means_no_scheme() {
        assert!(is_relative("a/b:c.png"));
        assert!(is_relative("x.html#a:b"));
        assert!(!is_relative("https://x"));
        assert!(!is_relative("tel:123"));
    }
}
