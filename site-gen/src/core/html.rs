//! Writing HTML by hand: escaping for element text, attributes and addresses, and the ids
//! made from headings' text.

/// A heading's text as an id: lower case, letters and digits of any script kept,
/// spaces and dashes as single dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Escapes an address for use inside a double-quoted `href`.
pub fn escape_href(out: &mut String, s: &str) {
    let _ = pulldown_cmark_escape::escape_href(&mut *out, s);
}

/// Escapes text for use inside a double-quoted HTML attribute.
pub fn escape_attr(out: &mut String, s: &str) {
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
}

/// Escapes text for use as HTML element content.
pub fn escape_text(out: &mut String, s: &str) {
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut *out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_of_any_script() {
        assert_eq!(slug("Threads & the GIL — 2024"), "threads-the-gil-2024");
        assert_eq!(slug("并发 与 并行"), "并发-与-并行");
        assert_eq!(slug("  -- "), "");
    }

    #[test]
    fn escaping_for_text_attributes_and_addresses() {
        let mut out = String::new();
        escape_text(&mut out, "<a & \"b\">");
        escape_attr(&mut out, "|\"'<");
        escape_href(&mut out, "a b\"");
        assert_eq!(out, "&lt;a &amp; \"b\"&gt;|&quot;&#39;&lt;a%20b%22");
    }
}
