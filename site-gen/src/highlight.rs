//! Syntax highlighting of fenced code blocks at build time: the code becomes `<span>`s
//! with `hl-` classes named after the grammar's scopes (`hl-keyword`, `hl-string`…), and
//! the theme's style.css colours them for light and dark, so no highlighting script is
//! shipped to readers.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The prefix of every class the highlighter writes.
pub const CLASS_PREFIX: &str = "hl-";

/// Blocks longer than this are shown plain: highlighting them would slow the build for
/// little gain, and a generated listing that long is not read closely.
const MAX_HIGHLIGHTED_BYTES: usize = 256 * 1024;

/// The grammars: syntect's own set plus the ones the bat project curates (TOML,
/// TypeScript, Dockerfile…). Loaded once per process, on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// The grammars, loaded on first use.
pub fn syntaxes() -> &'static SyntaxSet {
    &SYNTAXES
}

/// The language named by a fenced block's info string: its first word, so that
/// `rust,ignore` and `python title="x"` name Rust and Python.
pub fn language_of(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or("")
}

/// The grammar for a language name or file extension as authors write them after the
/// fence (`py`, `python`, `js`, `sh`, `console`, `toml`…); none for plain text or an
/// unknown name.
pub fn grammar_for(language: &str) -> Option<&'static SyntaxReference> {
    let language = language.trim().to_ascii_lowercase();
    let token = match language.as_str() {
        "" | "text" | "txt" | "plain" | "plaintext" | "output" => return None,
        "shell" | "console" | "terminal" | "shellsession" | "sh-session" => "bash",
        "py3" | "python3" => "python",
        "javascript" | "node" | "mjs" | "cjs" => "js",
        "typescript" => "ts",
        "jsonc" | "json5" => "json",
        "xhtml" => "html",
        "markdown" | "mdown" => "md",
        "c++" => "cpp",
        "yml" => "yaml",
        other => other,
    };
    let found = syntaxes().find_syntax_by_token(token)?;
    (found.name != "Plain Text").then_some(found)
}

/// The block's code as highlighted HTML (the inside of `<code>`), or `None` when the
/// language is not known (the caller then shows the code as plain, escaped text).
pub fn highlight(language: &str, code: &str) -> Option<String> {
    if code.len() > MAX_HIGHLIGHTED_BYTES {
        return None;
    }
    let grammar = grammar_for(language)?;
    let mut html = ClassedHTMLGenerator::new_with_class_style(
        grammar,
        syntaxes(),
        ClassStyle::SpacedPrefixed { prefix: CLASS_PREFIX },
    );
    for line in LinesWithEndings::from(code) {
        // A grammar that fails on some input is not the reader's problem: show it plain.
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_s_languages_are_highlighted() {
        let samples = [
            ("python", "def f(x):\n    return 'a'  # note\n", "hl-keyword"),
            ("py", "import os\n", "hl-keyword"),
            ("rust", "fn main() { let x = 1; }\n", "hl-storage"),
            ("js", "const x = () => \"s\";\n", "hl-string"),
            ("javascript", "function f() { return 1; }\n", "hl-keyword"),
            ("toml", "[package]\nname = \"x\"\n", "hl-string"),
            ("sh", "echo $HOME | grep x\n", "hl-variable"),
            ("bash", "for i in 1 2; do echo $i; done\n", "hl-keyword"),
            ("shell", "export A=1\n", "hl-storage"),
            ("console", "ls -la\n", "hl-source"),
            ("json", "{\"a\": [1, true]}\n", "hl-constant"),
            ("html", "<p class=\"x\">Hi</p>\n", "hl-entity"),
            ("markdown", "# Title\n\n*em*\n", "hl-markup"),
            ("md", "- item\n", "hl-markup"),
        ];
        for (language, code, class) in samples {
            let html = highlight(language, code).unwrap_or_else(|| panic!("{language} is not highlighted"));
            assert!(html.contains(&format!("class=\"{class}")) || html.contains(&format!(" {class}")), "{language}: {html}");
        }
    }

    #[test]
    fn code_is_escaped() {
        let html = highlight("html", "<script>alert('x') && 1</script>\n").unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;") && html.contains("&amp;&amp;"), "{html}");
    }

    #[test]
    fn unknown_and_plain_languages_are_not_highlighted() {
        assert!(highlight("nosuchlanguage", "x\n").is_none());
        assert!(highlight("text", "x\n").is_none());
        assert!(highlight("", "x\n").is_none());
        assert!(grammar_for("TXT").is_none());
    }

    #[test]
    fn info_strings_name_their_language_first() {
        assert_eq!(language_of("rust,ignore"), "rust");
        assert_eq!(language_of("python title=\"a.py\""), "python");
        assert_eq!(language_of(""), "");
    }

    #[test]
    fn grammars_are_loaded_once() {
        assert!(std::ptr::eq(syntaxes(), syntaxes()));
    }

    #[test]
    fn very_long_blocks_stay_plain() {
        let code = "x = 1\n".repeat(MAX_HIGHLIGHTED_BYTES / 6 + 1);
        assert!(highlight("python", &code).is_none());
    }
}
