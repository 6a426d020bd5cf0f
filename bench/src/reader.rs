//! What a reader downloads to read one page: the page's HTML with the stylesheets and
//! scripts it names, each as a server sends it (gzip), split into what is needed before
//! the text shows (HTML, stylesheets, scripts that block the page) and what is deferred.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Compressed bytes a reader downloads for one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageWeight {
    /// The HTML, its stylesheets and the scripts that block it.
    pub before_reading: u64,
    /// Scripts loaded with `defer`, `async` or as modules: not needed to read.
    pub deferred: u64,
}

/// The weight of the page `page` (a path inside the site folder `site`), or `None` when
/// the page is not there. Files named but missing count for nothing.
pub fn page_weight(site: &Path, page: &str) -> Option<PageWeight> {
    let path = site.join(page);
    let html = std::fs::read_to_string(&path).ok()?;
    let dir = path.parent().unwrap_or(site).to_path_buf();
    let mut weight = PageWeight { before_reading: gzip_size(html.as_bytes()), deferred: 0 };
    for tag in tags(&html, "<link") {
        if attribute(tag, "rel").is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case("stylesheet"))) {
            weight.before_reading += attribute(tag, "href").map_or(0, |href| file_size(site, &dir, href));
        }
    }
    for tag in tags(&html, "<script") {
        let Some(src) = attribute(tag, "src") else { continue };
        let deferred = has_attribute(tag, "defer") || has_attribute(tag, "async") || attribute(tag, "type") == Some("module");
        let size = file_size(site, &dir, src);
        if deferred {
            weight.deferred += size;
        } else {
            weight.before_reading += size;
        }
    }
    Some(weight)
}

/// The size of `bytes` compressed with gzip at the default level.
pub fn gzip_size(bytes: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |v| v.len() as u64)
}

/// The compressed size of the local file `href` names (relative to `dir`, or to the
/// site's root when it starts with `/`); 0 for other sites' files and missing files.
fn file_size(site: &Path, dir: &Path, href: &str) -> u64 {
    if href.contains("://") || href.starts_with("//") || href.starts_with("data:") {
        return 0;
    }
    let href = href.split(['?', '#']).next().unwrap_or(href);
    let path: PathBuf = match href.strip_prefix('/') {
        Some(from_root) => site.join(from_root),
        None => dir.join(href),
    };
    std::fs::read(path).map_or(0, |bytes| gzip_size(&bytes))
}

/// The text of each tag starting with `start` (up to its `>`).
fn tags<'a>(html: &'a str, start: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.match_indices(start).filter_map(move |(at, _)| {
        let rest = &html[at..];
        let next = rest.as_bytes().get(start.len()).copied();
        matches!(next, Some(b' ' | b'\n' | b'\t' | b'>')).then(|| &rest[..rest.find('>').unwrap_or(rest.len())])
    })
}

/// The value of `name="…"` (or `'…'`) in `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    for quote in ['"', '\''] {
        let pattern = format!(" {name}={quote}");
        if let Some(at) = tag.find(&pattern) {
            let value = &tag[at + pattern.len()..];
            return value.find(quote).map(|end| &value[..end]);
        }
    }
    None
}

fn has_attribute(tag: &str, name: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '>').any(|word| word == name || word.starts_with(&format!("{name}=")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_page_its_styles_and_blocking_scripts_before_reading() {
        let site = tempfile_dir();
        std::fs::create_dir_all(site.join("static")).unwrap();
        std::fs::create_dir_all(site.join("a")).unwrap();
        std::fs::write(site.join("static/style.css"), "body { color: red }\n".repeat(50)).unwrap();
        std::fs::write(site.join("static/theme.js"), "var x = 1;\n").unwrap();
        std::fs::write(site.join("toc.js"), "var toc = 2;\n".repeat(100)).unwrap();
        let html = "<html><head><link rel=\"stylesheet\" href=\"../static/style.css\"><script src=\"../static/theme.js\"></script>\
                    <link rel=\"icon\" href=\"../favicon.svg\"></head><body><script src=\"../toc.js?v=1\" defer></script>\
                    <script src=\"https://cdn.example/x.js\"></script></body></html>";
        std::fs::write(site.join("a/page.html"), html).unwrap();
        let weight = page_weight(&site, "a/page.html").unwrap();
        let css = gzip_size(&std::fs::read(site.join("static/style.css")).unwrap());
        let js = gzip_size(b"var x = 1;\n");
        assert_eq!(weight.before_reading, gzip_size(html.as_bytes()) + css + js);
        assert_eq!(weight.deferred, gzip_size(&std::fs::read(site.join("toc.js")).unwrap()));
        assert!(page_weight(&site, "missing.html").is_none());
        std::fs::remove_dir_all(&site).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("book-bench-reader-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
