//! A fenced code block as mdBook writes it: the info string's first word is the language
//! (`language-rust`), the words after it (`ignore`, `should_panic`, `editable`,
//! `edition2021`…) are kept as classes, and in Rust blocks the lines that start with `# `
//! (or are only `#`) are hidden lines — shown by the page's "show hidden lines" toggle,
//! and kept for rustdoc — while `##` stands for a line that starts with `#`.

use crate::core::html::{escape_attr, escape_text};
use crate::parse::highlight::{self, StyledScopes};

/// A fenced block's info string read as mdBook reads it: the language, then classes.
pub fn info_classes(info: &str) -> (&str, Vec<&str>) {
    let mut words = info.split([' ', '\t', ',']).filter(|w| !w.is_empty());
    let language = words.next().unwrap_or("");
    (language, words.collect())
}

/// The HTML of a fenced code block with info string `info`: highlighted when the language
/// is known, plain escaped text otherwise; hidden lines of Rust blocks wrapped in
/// `<span class="boring">`.
pub fn code_block_html(info: &str, code: &str, styles: &StyledScopes) -> String {
    let (language, extra) = info_classes(info);
    let (code, hidden) = if language == "rust" { hide_rust_lines(code) } else { (code.to_owned(), Vec::new()) };
    let highlighted = highlight::highlight_code(language, &code, styles);
    let mut out = String::with_capacity(code.len() * 2 + 64);
    out.push_str(if highlighted.is_some() { "<pre class=\"highlight\"><code" } else { "<pre><code" });
    if !language.is_empty() {
        out.push_str(" class=\"language-");
        escape_attr(&mut out, language);
        for class in &extra {
            out.push(' ');
            escape_attr(&mut out, class);
        }
        out.push('"');
    }
    out.push('>');
    let inner = highlighted.unwrap_or_else(|| {
        let mut plain = String::with_capacity(code.len() + 16);
        escape_text(&mut plain, &code);
        plain
    });
    if hidden.iter().any(|h| *h) {
        out.push_str(&wrap_hidden_lines(&inner, &hidden));
    } else {
        out.push_str(&inner);
    }
    out.push_str("</code></pre>\n");
    out
}

/// Rust code with its hidden-line markers taken out, and which lines were hidden:
/// `# x` and `#` alone are hidden (the text kept is the indentation and `x`); `##x` is
/// the visible line `#x`; `#[attr]` and `#!` stay as they are.
pub fn hide_rust_lines(code: &str) -> (String, Vec<bool>) {
    let mut out = String::with_capacity(code.len());
    let mut hidden = Vec::new();
    for line in code.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        let indent = &body[..body.len() - body.trim_start().len()];
        let rest = &body[indent.len()..];
        let mut is_hidden = false;
        match rest.strip_prefix('#') {
            Some(after) if after.starts_with('#') => {
                out.push_str(indent);
                out.push_str(after);
            }
            Some(after) if after.is_empty() || after.starts_with(' ') => {
                out.push_str(indent);
                out.push_str(after.strip_prefix(' ').unwrap_or(after));
                is_hidden = true;
            }
            _ => out.push_str(body),
        }
        out.push_str(newline);
        hidden.push(is_hidden);
    }
    (out, hidden)
}

/// Wraps the lines of `html` (highlighted or escaped code, whose only tags are `<span …>`
/// and `</span>`) marked in `hidden` in `<span class="boring">`, closing and reopening the
/// highlighting spans around it so the markup stays well nested.
pub fn wrap_hidden_lines(html: &str, hidden: &[bool]) -> String {
    let mut out = String::with_capacity(html.len() + hidden.len() * 32);
    let mut open: Vec<&str> = Vec::new();
    let mut line = 0;
    let mut in_boring = false;
    let mut rest = html;
    let start_line = |out: &mut String, open: &[&str], line: usize, in_boring: &mut bool| {
        if hidden.get(line).copied().unwrap_or(false) {
            out.extend(open.iter().map(|_| "</span>"));
            out.push_str("<span class=\"boring\">");
            out.extend(open.iter().copied());
            *in_boring = true;
        }
    };
    start_line(&mut out, &open, line, &mut in_boring);
    while !rest.is_empty() {
        if rest.starts_with("</span>") {
            open.pop();
            out.push_str("</span>");
            rest = &rest[7..];
        } else if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            open.push(&rest[..end]);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let end = rest.find(['<', '\n']).unwrap_or(rest.len());
            let take = if end < rest.len() && rest.as_bytes()[end] == b'\n' { end + 1 } else { end.max(1) };
            out.push_str(&rest[..take]);
            let newline = rest[..take].ends_with('\n');
            rest = &rest[take..];
            if newline {
                if in_boring {
                    out.extend(open.iter().map(|_| "</span>"));
                    out.push_str("</span>");
                    out.extend(open.iter().copied());
                    in_boring = false;
                }
                line += 1;
                if !rest.is_empty() {
                    start_line(&mut out, &open, line, &mut in_boring);
                }
            }
        }
    }
    if in_boring {
        out.extend(open.iter().map(|_| "</span>"));
        out.push_str("</span>");
        out.extend(open.iter().copied());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_give_the_language_and_classes() {
        assert_eq!(info_classes("rust,ignore"), ("rust", vec!["ignore"]));
        assert_eq!(info_classes("rust, edition2021 should_panic"), ("rust", vec!["edition2021", "should_panic"]));
        assert_eq!(info_classes(""), ("", vec![]));
    }

    #[test]
    fn hidden_lines_as_mdbook_reads_them() {
        let (code, hidden) = hide_rust_lines("# use x;\n#\nfn main() {\n    # let a = 1;\n    ##[allow]\n    #[derive(Debug)]\n}");
        assert_eq!(code, "use x;\n\nfn main() {\n    let a = 1;\n    #[allow]\n    #[derive(Debug)]\n}");
        assert_eq!(hidden, [true, true, false, true, false, false, false]);
    }

    #[test]
    fn hidden_lines_are_wrapped_with_the_highlighting_nested() {
        let html = wrap_hidden_lines("<span class=\"a\">x\ny</span>\nz\n", &[false, true, false]);
        assert_eq!(html, "<span class=\"a\">x\n</span><span class=\"boring\"><span class=\"a\">y</span>\n</span>z\n");
    }

    #[test]
    fn blocks_keep_their_attributes_and_hide_lines() {
        let html = code_block_html("rust,ignore", "# fn hidden() {}\nfn shown() {}\n", &StyledScopes::Everything);
        assert!(html.starts_with("<pre class=\"highlight\"><code class=\"language-rust ignore\">"), "{html}");
        assert!(html.contains("<span class=\"boring\">") && html.contains("hidden"), "{html}");
        let plain = code_block_html("nosuch editable", "<x>\n", &StyledScopes::Everything);
        assert_eq!(plain, "<pre><code class=\"language-nosuch editable\">&lt;x&gt;\n</code></pre>\n");
    }
}
