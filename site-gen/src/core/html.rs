//! Writing HTML by hand: escaping for element text, attributes and addresses, the ids made
//! from headings' text, and paths as URLs (`%XX` escapes made and read).

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

/// A heading's text as an id, exactly as mdBook makes it (so that links into a book keep
/// working): trimmed, lower case, letters, digits, `_` and `-` kept, every white space a
/// `-`, everything else dropped. Hyphens are not collapsed: `Concatenating with + or
/// format!` is `concatenating-with--or-format`.
pub fn heading_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
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

/// Percent-encodes a `/`-separated path for use in a URL: letters, digits, `-._~/` and the
/// sub-delimiters that are safe in a path stay as they are; everything else (spaces,
/// `#`, `?`, `%`, non-ASCII) is encoded as UTF-8 bytes.
pub fn encode_url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; the text as written when they do not make UTF-8.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
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
    fn paths_as_urls_and_back() {
        assert_eq!(encode_url_path("a b/hash#tag?.html"), "a%20b/hash%23tag%3F.html");
        assert_eq!(encode_url_path("100%/über.html"), "100%25/%C3%BCber.html");
        assert_eq!(encode_url_path("guide/a-b_c.~(1).html"), "guide/a-b_c.~(1).html");
        for path in ["a b/hash#tag?.html", "100%/über.html", "日本語.html"] {
            assert_eq!(percent_decode(&encode_url_path(path)), path);
        }
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
        assert_eq!(percent_decode("%C3%BC"), "ü");
        assert_eq!(percent_decode("%ff"), "%ff", "not UTF-8: as written");
    }

    #[test]
    fn heading_ids_are_mdbooks() {
        assert_eq!(heading_id("Concatenating with the + Operator or the format! Macro"), "concatenating-with-the--operator-or-the-format-macro");
        assert_eq!(heading_id(" Threads & the GIL — 2024 "), "threads--the-gil--2024");
        assert_eq!(heading_id("并发 与 并行"), "并发-与-并行");
        assert_eq!(heading_id("Über `async`-io_x"), "über-async-io_x");
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
