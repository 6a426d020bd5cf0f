//! What the link checker needs of a chapter, noted while it is read: every link and image
//! with where it is written, and the ids that raw HTML defines.

use std::ops::Range;

/// A link or an image written in a chapter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkRef {
    /// The destination as written (`other.md#part`, `images/a.png`).
    pub dest: String,
    pub image: bool,
    /// Where the link is in the chapter's expanded text (see [`Expanded`](crate::load::include::Expanded)).
    pub span: Range<usize>,
}

/// The ids in a piece of raw HTML (`id="…"`, and `name="…"` of old-style anchors).
pub fn html_ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    for attribute in ["id", "name"] {
        let mut from = 0;
        while let Some(found) = html[from..].find(attribute) {
            let start = from + found;
            from = start + attribute.len();
            let before_ok = start > 0 && bytes[start - 1].is_ascii_whitespace();
            let rest = html[from..].trim_start();
            let Some(value) = rest.strip_prefix('=') else { continue };
            if !before_ok {
                continue;
            }
            let value = value.trim_start();
            let id = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => value[1..].split(quote).next().unwrap_or(""),
                _ => value.split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or(""),
            };
            if !id.is_empty() {
                out.push(id.to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_raw_html() {
        assert_eq!(html_ids(r#"<a name="old"></a><span id='x' data-id="no">"#), ["x", "old"]);
        assert_eq!(html_ids("<div id=bare>"), ["bare"]);
        assert!(html_ids("<p>valid = yes</p>").is_empty());
    }
}
