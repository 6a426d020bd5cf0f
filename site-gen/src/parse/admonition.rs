//! GitHub-style admonitions: a blockquote that starts with `[!NOTE]`, `[!TIP]`,
//! `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` becomes a call-out with a title and an icon.

use pulldown_cmark::BlockQuoteKind;

/// The opening HTML of the call-out for `kind`: its box, icon and title.
pub fn open_html(kind: BlockQuoteKind) -> String {
    let (class, title) = name(kind);
    format!(
        "<div class=\"admonition admonition-{class}\">\n<p class=\"admonition-title\">\
         <svg class=\"admonition-icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\" focusable=\"false\">{}</svg>{title}</p>\n",
        icon(kind)
    )
}

/// The closing HTML of a call-out.
pub const CLOSE_HTML: &str = "</div>\n";

/// The class suffix and the title shown to readers.
pub fn name(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// A line drawing on a 16×16 grid, stroked in the title's colour (see style.css).
fn icon(kind: BlockQuoteKind) -> &'static str {
    match kind {
        // A circled "i".
        BlockQuoteKind::Note => r#"<circle cx="8" cy="8" r="6.25"/><path d="M8 7.25v3.75M8 4.9v.1"/>"#,
        // A light bulb.
        BlockQuoteKind::Tip => {
            r#"<path d="M5.75 11.25c0-1.5-2.25-2.5-2.25-5a4.5 4.5 0 0 1 9 0c0 2.5-2.25 3.5-2.25 5z"/><path d="M6.25 13.75h3.5"/>"#
        }
        // A speech bubble with "!".
        BlockQuoteKind::Important => {
            r#"<path d="M2.25 2.75h11.5v8.5h-6.5l-3 2.5v-2.5h-2z"/><path d="M8 5v3M8 9.9v.1"/>"#
        }
        // A triangle with "!".
        BlockQuoteKind::Warning => r#"<path d="M8 1.75 1.25 13.75h13.5z"/><path d="M8 6.25v3.5M8 11.65v.1"/>"#,
        // A stop sign with "!".
        BlockQuoteKind::Caution => {
            r#"<path d="M5.25 1.25h5.5l4 4v5.5l-4 4h-5.5l-4-4v-5.5z"/><path d="M8 4.75v4M8 10.9v.1"/>"#
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_title_an_icon_and_a_class() {
        for (kind, class, title) in [
            (BlockQuoteKind::Note, "note", "Note"),
            (BlockQuoteKind::Tip, "tip", "Tip"),
            (BlockQuoteKind::Important, "important", "Important"),
            (BlockQuoteKind::Warning, "warning", "Warning"),
            (BlockQuoteKind::Caution, "caution", "Caution"),
        ] {
            let html = open_html(kind);
            assert!(html.starts_with(&format!("<div class=\"admonition admonition-{class}\">")), "{html}");
            assert!(html.contains(&format!("</svg>{title}</p>")), "{html}");
            assert!(html.contains("aria-hidden=\"true\""), "the icon is decoration: {html}");
            assert!(html.contains("<path"), "{html}");
        }
    }
}
