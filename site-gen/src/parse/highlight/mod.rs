//! Syntax highlighting of fenced code blocks at build time: the code becomes `<span>`s
//! with `hl-` classes named after TextMate scopes (`hl-keyword`, `hl-string`…), and the
//! theme's style.css colours them for light and dark, so no highlighting script is
//! shipped to readers.
//!
//! Two engines write the same classes: tree-sitter ([`tree_sitter`]) for the languages
//! books use most (Rust, Python, JavaScript, TOML), whose parsers are several times faster,
//! and syntect ([`syntect`], Sublime Text grammars) for every other language. The
//! tree-sitter grammars' capture names are mapped onto the scopes syntect's grammars give
//! the same tokens, so the theme colours a block the same whichever engine wrote it.
//!
//! Only the spans and classes that the site's stylesheets can select are written
//! ([`StyledScopes`]): a grammar names every token several times over (`hl-meta
//! hl-function-call hl-python` around `hl-variable hl-function hl-python`…), and writing
//! all of it would make the code blocks most of a page's weight.

mod syntect;
mod tree_sitter;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::core::hash::Digest;

/// The prefix of every class the highlighter writes.
pub const CLASS_PREFIX: &str = "hl-";

/// Blocks longer than this are shown plain: highlighting them would slow the build for
/// little gain, and a generated listing that long is not read closely.
const MAX_HIGHLIGHTED_BYTES: usize = 256 * 1024;

/// Which highlighter writes a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// tree-sitter where it has a grammar for the language, syntect for the others: what
    /// books are built with.
    Preferred,
    /// syntect for every language (the tests compare the two engines with it).
    Syntect,
}

/// Which scopes of the grammars a site's stylesheets can select, and by which classes.
#[derive(Debug, Clone, Default)]
pub enum StyledScopes {
    /// Every scope, with every class: for stylesheets that select spans in ways this
    /// cannot follow (`[class^="hl-"]`, `:not(.hl-…)`).
    #[default]
    Everything,
    /// The compound selectors of `hl-` classes found in the stylesheets (each a set of
    /// class names without the prefix). `id` tells these selectors apart from others in the
    /// caches of each thread.
    Selected { compounds: Vec<BTreeSet<String>>, id: u64 },
}

/// Ids of [`StyledScopes::Selected`], from 1 (0 is [`StyledScopes::Everything`]).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl StyledScopes {
    /// Adds to `digest` what tells these scopes apart from others (the compound selectors,
    /// not the `id`, which differs from one run to the next).
    pub fn add_to(&self, digest: &mut Digest) {
        match self {
            StyledScopes::Everything => {
                digest.add(b"every scope");
            }
            StyledScopes::Selected { compounds, .. } => {
                for compound in compounds {
                    digest.add(compound.iter().map(String::as_str).collect::<Vec<_>>().join(".").as_bytes());
                }
            }
        }
    }

    /// What `stylesheets` (the text of CSS files, or of templates with `<style>`) select.
    /// A span is written for a scope when some compound selector (`.hl-keyword.hl-operator`)
    /// can match the scope's classes, with just the classes of the selectors that match; this
    /// renders the same as every span with every class would.
    pub fn from_stylesheets<'a>(stylesheets: impl IntoIterator<Item = &'a str>) -> StyledScopes {
        let mut compounds: BTreeSet<BTreeSet<String>> = BTreeSet::new();
        for css in stylesheets {
            for (at, _) in css.match_indices(CLASS_PREFIX) {
                let before = css[..at].chars().next_back();
                match before {
                    // A custom property (`--hl-keyword`, `var(--hl-keyword)`).
                    Some('-') => continue,
                    Some('.') => {}
                    // An attribute selector, or something else this cannot follow.
                    _ => return StyledScopes::Everything,
                }
                let is_selector_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
                let start = css[..at].rfind(|c: char| !is_selector_char(c)).map_or(0, |i| i + 1);
                let end = css[at..].find(|c: char| !is_selector_char(c)).map_or(css.len(), |i| at + i);
                if css[..start].ends_with(":not(") {
                    return StyledScopes::Everything;
                }
                let compound: BTreeSet<String> =
                    css[start..end].split('.').filter_map(|class| class.strip_prefix(CLASS_PREFIX)).map(str::to_owned).collect();
                if !compound.is_empty() {
                    compounds.insert(compound);
                }
            }
        }
        StyledScopes::Selected { compounds: compounds.into_iter().collect(), id: NEXT_ID.fetch_add(1, Ordering::Relaxed) }
    }

    /// What tells these selectors apart in the caches of each thread (0 for everything).
    fn id(&self) -> u64 {
        match self {
            StyledScopes::Everything => 0,
            StyledScopes::Selected { id, .. } => *id,
        }
    }

    /// The `class` attribute of a span for the dotted scope name `scope`
    /// (`keyword.operator.logical.python`: one class per atom), or `None` when no selector
    /// can match it.
    pub(crate) fn classes(&self, scope: &str) -> Option<String> {
        let atoms = scope.split('.').filter(|a| !a.is_empty());
        let mut out = String::with_capacity(scope.len() + 16);
        let push = |atom: &str| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(CLASS_PREFIX);
            out.push_str(atom);
        };
        match self {
            StyledScopes::Everything => atoms.for_each(push),
            StyledScopes::Selected { compounds, .. } => {
                // Only the classes of the selectors that match the scope: the span then
                // matches exactly the selectors it would with every class (a selector that
                // matches these also matches all of them, and each that matches all of them
                // names only these).
                let all: BTreeSet<&str> = atoms.clone().collect();
                let kept: BTreeSet<&str> = compounds
                    .iter()
                    .filter(|c| c.iter().all(|class| all.contains(class.as_str())))
                    .flatten()
                    .map(String::as_str)
                    .collect();
                if kept.is_empty() {
                    return None;
                }
                atoms.filter(|a| kept.contains(*a)).for_each(push);
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

/// The block's code as highlighted HTML (the inside of `<code>`), with the spans and
/// classes `styles` selects, or `None` when the language is not known (the caller then
/// shows the code as plain, escaped text).
pub fn highlight_code(language: &str, code: &str, styles: &StyledScopes) -> Option<String> {
    highlight_code_with(Engine::Preferred, language, code, styles)
}

/// [`highlight_code`] by the given engine.
pub fn highlight_code_with(engine: Engine, language: &str, code: &str, styles: &StyledScopes) -> Option<String> {
    if code.len() > MAX_HIGHLIGHTED_BYTES {
        return None;
    }
    if engine == Engine::Preferred {
        if let Some(html) = tree_sitter::highlight(language, code, styles) {
            return Some(html);
        }
    }
    syntect::highlight(language, code, styles)
}

/// The language name authors write after the fence, lowercased and with its common
/// aliases folded (`py3` → `python`, `javascript` → `js`, `console` → `bash`…), as the
/// grammars are looked up by it; empty for plain text.
fn canonical_language(language: &str) -> String {
    let language = language.trim().to_ascii_lowercase();
    let token = match language.as_str() {
        "" | "text" | "txt" | "plain" | "plaintext" | "output" => "",
        "shell" | "console" | "terminal" | "shellsession" | "sh-session" => "bash",
        "py3" | "python3" => "python",
        "javascript" | "node" | "mjs" | "cjs" => "js",
        "typescript" => "ts",
        "jsonc" | "json5" => "json",
        "xhtml" => "html",
        "markdown" | "mdown" => "md",
        "c++" => "cpp",
        "yml" => "yaml",
        _ => return language,
    };
    token.to_owned()
}

/// Spans written while walking a block, closed in order; a span still empty when it
/// ends is taken back out. Shared by both engines.
#[derive(Default)]
struct SpanWriter {
    html: String,
    /// For each open scope: where its span starts and where its opening tag ends, when it
    /// has one.
    open: Vec<Option<(usize, usize)>>,
    /// Whether a span that opens right where one with the same class closed continues it
    /// (`println` and `!` in one span), and a span inside one with the same class is left
    /// out: tree-sitter captures neighbouring tokens apart where a grammar's regular
    /// expression takes them together, and a token inside a node of the same colour. Off
    /// for syntect, whose output stays as it was.
    join_neighbours: bool,
    /// The span closed last, when nothing has been written since: where it starts, where
    /// its opening tag ends, and where its closing tag starts.
    closed: Option<(usize, usize, usize)>,
}

impl SpanWriter {
    fn with_capacity(bytes: usize) -> SpanWriter {
        SpanWriter { html: String::with_capacity(bytes), open: Vec::new(), join_neighbours: false, closed: None }
    }

    /// Opens a scope, with a span when it has a class.
    fn push(&mut self, class: Option<&str>) {
        let closed = self.closed.take();
        let Some(class) = class else {
            self.open.push(None);
            return;
        };
        if self.join_neighbours && self.open.iter().rev().flatten().next().is_some_and(|&(start, tag_end)| self.class_of(start, tag_end) == class) {
            self.open.push(None);
            return;
        }
        if let Some((start, tag_end, close)) = closed.filter(|_| self.join_neighbours) {
            if close + "</span>".len() == self.html.len() && self.class_of(start, tag_end) == class {
                self.html.truncate(close);
                self.open.push(Some((start, tag_end)));
                return;
            }
        }
        let start = self.html.len();
        self.html.push_str("<span class=\"");
        self.html.push_str(class);
        self.html.push_str("\">");
        self.open.push(Some((start, self.html.len())));
    }

    /// The class of the span whose opening tag is at `start..tag_end`.
    fn class_of(&self, start: usize, tag_end: usize) -> &str {
        &self.html[start + "<span class=\"".len()..tag_end - "\">".len()]
    }

    /// Closes the innermost open scope.
    fn pop(&mut self) {
        match self.open.pop().flatten() {
            Some((start, tag_end)) if self.html.len() == tag_end => self.html.truncate(start),
            Some((start, tag_end)) => {
                self.closed = Some((start, tag_end, self.html.len()));
                self.html.push_str("</span>");
            }
            None => {}
        }
    }

    /// Code text, escaped.
    fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.closed = None;
        }
        crate::core::html::escape_text(&mut self.html, text);
    }

    /// The HTML, every span still open closed.
    fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.pop();
        }
        self.html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_stylesheets_give_the_same_digest_in_every_run() {
        let hex = |styles: &StyledScopes| {
            let mut digest = Digest::default();
            styles.add_to(&mut digest);
            digest.hex()
        };
        let css = ".hl-keyword { } .hl-entity.hl-name.hl-function { }";
        let (once, again) = (StyledScopes::from_stylesheets([css]), StyledScopes::from_stylesheets([css]));
        assert_eq!(hex(&once), hex(&again), "the ids differ, the digests do not");
        assert_ne!(hex(&once), hex(&StyledScopes::from_stylesheets([".hl-keyword { }"])));
        assert_ne!(hex(&once), hex(&StyledScopes::Everything));
    }

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
            let html = highlight_code(language, code, &StyledScopes::Everything).unwrap_or_else(|| panic!("{language} is not highlighted"));
            assert!(html.contains(&format!("class=\"{class}")) || html.contains(&format!(" {class}")), "{language}: {html}");
        }
    }

    #[test]
    fn only_what_the_stylesheets_select_is_written() {
        let css = ":root { --hl-keyword: red; } .hl-keyword, .hl-string { color: var(--hl-keyword); }\n\
                   .hl-keyword.hl-operator { color: inherit; }\npre.highlight .hl-entity.hl-name.hl-function:hover { x: y }";
        let styles = StyledScopes::from_stylesheets([css]);
        let StyledScopes::Selected { compounds, .. } = &styles else { panic!("{styles:?}") };
        assert_eq!(compounds.len(), 4, "{compounds:?}");
        let code = "def f(x):\n    return 'a' and x\n";
        for engine in [Engine::Preferred, Engine::Syntect] {
            let html = highlight_code_with(engine, "python", code, &styles).unwrap();
            assert!(html.contains("<span class=\"hl-keyword\">return</span>"), "{html}");
            assert!(html.contains("<span class=\"hl-keyword hl-operator\">and</span>"), "{html}");
            assert!(html.contains("<span class=\"hl-entity hl-name hl-function\">f</span>"), "{html}");
            assert!(html.contains("<span class=\"hl-string\">"), "{html}");
            assert!(!html.contains("hl-meta") && !html.contains("hl-source") && !html.contains("hl-python"), "{html}");
            let everything = highlight_code_with(engine, "python", code, &StyledScopes::Everything).unwrap();
            assert!(everything.contains("hl-python"), "{everything}");
            assert!(html.len() < everything.len(), "{} vs {}", html.len(), everything.len());
            // The same text either way.
            let text = |h: &str| h.split('<').map(|p| p.split_once('>').map_or(p, |(_, t)| t)).collect::<String>();
            assert_eq!(text(&html), text(&everything));
            assert_eq!(text(&html).replace("&#39;", "'"), code);
        }
        // syntect's grammars name many more scopes than the theme colours.
        let everything = highlight_code_with(Engine::Syntect, "python", code, &StyledScopes::Everything).unwrap();
        let html = highlight_code_with(Engine::Syntect, "python", code, &styles).unwrap();
        assert!(everything.contains("hl-meta") && everything.contains("hl-source hl-python"), "{everything}");
        assert!(html.len() * 2 < everything.len(), "{} vs {}", html.len(), everything.len());
    }

    #[test]
    fn a_class_named_by_one_selector_is_written_only_where_that_selector_matches() {
        let css = ".hl-string { color: green }\n.hl-keyword.hl-operator.hl-logical.hl-python { color: red }\n.hl-keyword { color: blue }";
        let styles = StyledScopes::from_stylesheets([css]);
        for engine in [Engine::Preferred, Engine::Syntect] {
            let html = highlight_code_with(engine, "python", "x = 'a' and not b\n", &styles).unwrap();
            assert!(html.contains("<span class=\"hl-string\">"), "{html}");
            assert!(html.contains("<span class=\"hl-keyword hl-operator hl-logical hl-python\">and</span>"), "{html}");
            assert_eq!(html.matches("hl-python").count(), 2, "only the logical operators carry hl-python: {html}");
        }
    }

    #[test]
    fn classes_come_from_a_dotted_scope_name() {
        let styles = StyledScopes::from_stylesheets([".hl-keyword { } .hl-entity.hl-name.hl-function { }"]);
        assert_eq!(styles.classes("keyword.control.flow.python").as_deref(), Some("hl-keyword"));
        assert_eq!(styles.classes("entity.name.function.rust").as_deref(), Some("hl-entity hl-name hl-function"));
        assert_eq!(styles.classes("entity.name.struct.rust"), None);
        assert_eq!(styles.classes(""), None);
        assert_eq!(StyledScopes::Everything.classes("string.quoted.double").as_deref(), Some("hl-string hl-quoted hl-double"));
        assert_eq!(StyledScopes::Everything.classes(""), None);
    }

    #[test]
    fn selectors_this_cannot_follow_keep_everything() {
        for css in ["[class^=\"hl-\"] { color: red }", "span:not(.hl-comment) { color: red }"] {
            assert!(matches!(StyledScopes::from_stylesheets([css]), StyledScopes::Everything), "{css}");
        }
    }

    #[test]
    fn the_theme_s_stylesheet_keeps_the_book_s_languages_coloured() {
        let css = include_str!("../../../../theme/static/style.css");
        let styles = StyledScopes::from_stylesheets([css]);
        assert!(matches!(styles, StyledScopes::Selected { .. }));
        for engine in [Engine::Preferred, Engine::Syntect] {
            for (language, code, class) in [("rust", "fn main() { let x = 1; }\n", "hl-storage"), ("toml", "name = \"x\"\n", "hl-string")] {
                let html = highlight_code_with(engine, language, code, &styles).unwrap();
                assert!(html.contains(&format!("class=\"{class}")), "{engine:?} {language}: {html}");
            }
        }
    }

    #[test]
    fn code_is_escaped() {
        for (language, code) in [("html", "<script>alert('x') && 1</script>\n"), ("js", "if (a < b && c > d) x = '<script>';\n")] {
            let html = highlight_code(language, code, &StyledScopes::Everything).unwrap();
            assert!(!html.contains("<script>"), "{html}");
            assert!(html.contains("&lt;") && html.contains("&amp;&amp;"), "{html}");
        }
    }

    #[test]
    fn unknown_and_plain_languages_are_not_highlighted() {
        for engine in [Engine::Preferred, Engine::Syntect] {
            assert!(highlight_code_with(engine, "nosuchlanguage", "x\n", &StyledScopes::Everything).is_none());
            assert!(highlight_code_with(engine, "text", "x\n", &StyledScopes::Everything).is_none());
            assert!(highlight_code_with(engine, "", "x\n", &StyledScopes::Everything).is_none());
        }
        assert!(syntect::grammar_for("TXT").is_none());
    }

    #[test]
    fn grammars_are_loaded_once() {
        assert!(std::ptr::eq(syntect::syntaxes(), syntect::syntaxes()));
    }

    #[test]
    fn neighbouring_and_nested_spans_of_one_class_are_joined_when_asked() {
        for (join, expected) in [
            (true, "<span class=\"hl-a\">x!</span><span class=\"hl-b\">y</span> <span class=\"hl-b\">z.</span>&lt;"),
            (false, "<span class=\"hl-a\">x</span><span class=\"hl-a\">!</span><span class=\"hl-b\">y</span> <span class=\"hl-b\">z<span class=\"hl-b\">.</span></span>&lt;"),
        ] {
            let mut out = SpanWriter::with_capacity(64);
            out.join_neighbours = join;
            for (class, text) in [(Some("hl-a"), "x"), (Some("hl-a"), "!"), (None, ""), (Some("hl-b"), "y")] {
                out.push(class);
                out.text(text);
                out.pop();
            }
            out.text(" ");
            out.push(Some("hl-b"));
            out.text("z");
            out.push(Some("hl-c"));
            out.pop();
            out.push(Some("hl-b"));
            out.text(".");
            out.pop();
            out.pop();
            out.text("<");
            out.push(Some("hl-d"));
            assert_eq!(out.finish(), expected);
        }
    }

    #[test]
    fn very_long_blocks_stay_plain() {
        for language in ["python", "rust", "js", "toml", "c"] {
            let code = "x = 1\n".repeat(MAX_HIGHLIGHTED_BYTES / 6 + 1);
            assert!(highlight_code(language, &code, &StyledScopes::Everything).is_none(), "{language}");
            let code = "x = 1\n".repeat(MAX_HIGHLIGHTED_BYTES / 6);
            assert!(highlight_code(language, &code, &StyledScopes::Everything).is_some(), "{language}");
        }
    }
}
