//! The book's public address (`[output.html] site-url`): canonical page URLs, the
//! sitemap, and the base the 404 page's links resolve against.
//!
//! mdBook accepts a bare path (`site-url = "/my-book/"`), which is all the 404 page needs;
//! canonical URLs, `og:url` and `sitemap.xml` need a full address (`https://example.org/my-book/`).

use crate::core::html::encode_url_path;

/// Where the book is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl {
    /// The full address, ending in `/`, when one was given.
    pub absolute: Option<String>,
    /// The path part, starting and ending with `/` (just `/` at the server's root).
    pub path: String,
}

impl SiteUrl {
    /// Reads `https://host/path/`, `http://…` or `/path/`; a missing final `/` is added.
    /// The error says what was wrong, in the author's words.
    pub fn parse(text: &str) -> Result<SiteUrl, String> {
        let text = text.trim();
        let bad_char = |s: &str| s.chars().find(|c| c.is_whitespace() || matches!(c, '?' | '#' | '"' | '<' | '>'));
        let scheme = ["https://", "http://"].into_iter().find(|s| text.len() > s.len() && text[..s.len()].eq_ignore_ascii_case(s));
        if let Some(scheme) = scheme {
            let rest = &text[scheme.len()..];
            let host_end = rest.find('/').unwrap_or(rest.len());
            let (host, path) = rest.split_at(host_end);
            if host.is_empty() {
                return Err(format!("`{text}` has no host name"));
            }
            if let Some(c) = bad_char(rest) {
                return Err(format!("`{text}` contains {c:?}, which has no place in the book's address"));
            }
            let path = with_slashes(path);
            let scheme = scheme.to_ascii_lowercase();
            Ok(SiteUrl { absolute: Some(format!("{scheme}{host}{path}")), path })
        } else if text.starts_with('/') && !text.starts_with("//") {
            if let Some(c) = bad_char(text) {
                return Err(format!("`{text}` contains {c:?}, which has no place in the book's address"));
            }
            Ok(SiteUrl { absolute: None, path: with_slashes(text) })
        } else {
            Err(format!("`{text}` is neither a full address nor a path"))
        }
    }

    /// The canonical URL of `page` (a path from the site's root, such as `guide/index.html`),
    /// when the full address is known. `index.html` pages are named by their folder.
    pub fn page_url(&self, page: &str) -> Option<String> {
        let base = self.absolute.as_deref()?;
        let page = if page == "index.html" {
            ""
        } else {
            page.strip_suffix("/index.html").map_or(page, |dir| &page[..dir.len() + 1])
        };
        Some(format!("{base}{}", encode_url_path(page)))
    }
}

fn with_slashes(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    }
}

/// `sitemap.xml` listing `pages` (paths from the site's root), or `None` without a full address.
pub fn sitemap<'p>(site: &SiteUrl, pages: impl IntoIterator<Item = &'p str>) -> Option<String> {
    site.absolute.as_ref()?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        let url = site.page_url(page)?;
        xml.push_str("  <url><loc>");
        crate::core::html::escape_text(&mut xml, &url);
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_addresses_and_paths() {
        let s = SiteUrl::parse("https://example.org/lab").unwrap();
        assert_eq!(s.absolute.as_deref(), Some("https://example.org/lab/"));
        assert_eq!(s.path, "/lab/");
        let s = SiteUrl::parse("HTTP://example.org").unwrap();
        assert_eq!(s.absolute.as_deref(), Some("http://example.org/"));
        assert_eq!(s.path, "/");
        let s = SiteUrl::parse("/my-book").unwrap();
        assert_eq!((s.absolute, s.path.as_str()), (None, "/my-book/"));
        assert_eq!(SiteUrl::parse("/").unwrap().path, "/");
    }

    #[test]
    fn malformed_addresses_say_why() {
        assert!(SiteUrl::parse("example.org/lab").unwrap_err().contains("neither a full address nor a path"));
        assert!(SiteUrl::parse("https:///lab").unwrap_err().contains("no host"));
        assert!(SiteUrl::parse("https://example.org/a b").unwrap_err().contains("' '"));
        assert!(SiteUrl::parse("//example.org/").is_err());
    }

    #[test]
    fn page_urls_name_index_pages_by_their_folder() {
        let s = SiteUrl::parse("https://example.org/lab/").unwrap();
        assert_eq!(s.page_url("index.html").unwrap(), "https://example.org/lab/");
        assert_eq!(s.page_url("guide/index.html").unwrap(), "https://example.org/lab/guide/");
        assert_eq!(s.page_url("guide/threads.html").unwrap(), "https://example.org/lab/guide/threads.html");
        assert_eq!(s.page_url("über uns.html").unwrap(), "https://example.org/lab/%C3%BCber%20uns.html");
        assert_eq!(SiteUrl::parse("/lab/").unwrap().page_url("a.html"), None);
    }

    #[test]
    fn sitemap_lists_every_page() {
        let s = SiteUrl::parse("https://example.org/").unwrap();
        let xml = sitemap(&s, ["index.html", "a&b.html"]).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"), "{xml}");
        assert!(xml.contains("<url><loc>https://example.org/</loc></url>"), "{xml}");
        assert!(xml.contains("<loc>https://example.org/a&amp;b.html</loc>"), "{xml}");
        assert!(xml.ends_with("</urlset>\n"));
        assert_eq!(sitemap(&SiteUrl::parse("/x/").unwrap(), ["a.html"]), None);
    }
}
