//! Minifying the theme's CSS with Lightning CSS: the stylesheet is parsed whole, its rules
//! minified, and printed without whitespace or comments. Nothing is lowered for older
//! browsers (no targets): what the author wrote is what browsers get, only shorter. A rule
//! it cannot read is a located error at the theme's file.

use std::path::Path;

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};

use crate::core::diagnostic::{line_start_offset, Diagnostic};

/// `text`, the stylesheet shown as `shown`, minified.
pub fn minify_css(shown: &Path, text: &str) -> Result<String, Diagnostic> {
    let cannot = |message: String| Diagnostic::error(shown, message);
    let mut sheet = StyleSheet::parse(text, ParserOptions::default()).map_err(|e| {
        let d = cannot(format!("this stylesheet cannot be read: {}", e.kind));
        match e.loc {
            Some(loc) => {
                let at = offset_of(text, loc.line as usize, loc.column as usize);
                d.at(text, at..at)
            }
            None => d,
        }
    })?;
    sheet.minify(MinifyOptions::default()).map_err(|e| cannot(format!("this stylesheet cannot be minified: {}", e.kind)))?;
    let printed = sheet
        .to_css(PrinterOptions { minify: true, ..PrinterOptions::default() })
        .map_err(|e| cannot(format!("this stylesheet cannot be minified: {}", e.kind)))?;
    Ok(printed.code)
}

/// The byte offset in `text` of Lightning CSS's `line` (from 0) and `column` (from 1, in
/// UTF-16 code units, as CSS parsers count).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = line_start_offset(text, line + 1);
    let mut units = 1;
    for (i, c) in text[start..].char_indices() {
        if units >= column || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_comments_go_and_rules_stay() {
        let css = "/* the page */\nbody {\n  color: #ff0000;\n  margin: 0px;\n}\n\n@media (max-width: 40rem) {\n  .a { display: none }\n}\n";
        let out = minify_css(Path::new("style.css"), css).unwrap();
        assert_eq!(out, "body{color:red;margin:0}@media (width<=40rem){.a{display:none}}");
    }

    #[test]
    fn modern_css_is_kept_as_written() {
        let css = ":root { color-scheme: light dark; }\n.a:has(> b) { color: light-dark(#000, #fff); }\n.b { & .c { inset: 0 } }\n";
        let out = minify_css(Path::new("style.css"), css).unwrap();
        assert!(out.contains(":has(>b)") && out.contains("light-dark(") && out.contains("inset:0"), "{out}");
    }

    #[test]
    fn an_unreadable_rule_is_an_error_at_its_line_and_column() {
        let css = "body { color: red; }\n\n..a { color: red; }\n";
        let d = minify_css(Path::new("theme/static/style.css"), css).unwrap_err();
        assert!(d.place().starts_with("theme/static/style.css:3:"), "{}", d.place());
        assert!(d.message.starts_with("this stylesheet cannot be read"), "{}", d.message);
    }

    #[test]
    fn columns_count_utf16_units() {
        assert_eq!(offset_of("ab\n€x", 1, 2), 6);
        assert_eq!(offset_of("ab", 5, 1), 2);
    }
}
