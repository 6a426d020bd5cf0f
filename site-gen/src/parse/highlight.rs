//! Syntax highlighting of fenced code blocks at build time: the code becomes `<span>`s
//! with `hl-` classes named after the grammar's scopes (`hl-keyword`, `hl-string`…), and
//! the theme's style.css colours them for light and dark, so no highlighting script is
//! shipped to readers.
//!
//! Only the spans and classes that the site's stylesheets can select are written
//! ([`StyledScopes`]): a grammar names every token several times over (`hl-meta
//! hl-function-call hl-python` around `hl-variable hl-function hl-python`…), and writing
//! all of it would make the code blocks most of a page's weight.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;

use syntect::parsing::{BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::core::html::escape_text;

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

/// Which scopes of the grammars a site's stylesheets can select, and by which classes.
#[derive(Debug, Clone, Default)]
pub enum StyledScopes {
    /// Every scope, with every class: for stylesheets that select spans in ways this
    /// cannot follow (`[class^="hl-"]`, `:not(.hl-…)`).
    #[default]
    Everything,
    /// The compound selectors of `hl-` classes found in the stylesheets (each a set of
    /// class names without the prefix). `id` tells these selectors apart from others in the
    /// cache of each thread.
    Selected { compounds: Vec<BTreeSet<String>>, id: u64 },
}

/// Each scope's `class` attribute (`None`: no span), for the selectors with one id.
type ClassesOf = (u64, HashMap<Scope, Option<Rc<str>>>);

thread_local! {
    /// Each scope's `class` attribute, for the selectors last used on this thread (by id):
    /// a book's blocks name the same few hundred scopes over and over.
    static CLASSES: RefCell<ClassesOf> = RefCell::new((0, HashMap::new()));
}

/// Ids of [`StyledScopes::Selected`], from 1 (0 is [`StyledScopes::Everything`]).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl StyledScopes {
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

    /// The `class` attribute of a span for `scope` (remembered on this thread), or `None`
    /// when no selector can match it.
    fn cached_classes(&self, scope: Scope) -> Option<Rc<str>> {
        let id = match self {
            StyledScopes::Everything => 0,
            StyledScopes::Selected { id, .. } => *id,
        };
        CLASSES.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.0 != id {
                *cache = (id, HashMap::new());
            }
            cache.1.entry(scope).or_insert_with(|| self.classes(scope).map(Rc::from)).clone()
        })
    }

    /// The `class` attribute of a span for `scope`, or `None` when no selector can match it.
    fn classes(&self, scope: Scope) -> Option<String> {
        let name = scope.build_string();
        let atoms = name.split('.').filter(|a| !a.is_empty());
        let mut out = String::with_capacity(name.len() + 16);
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
        Some(out)
    }
}

/// The block's code as highlighted HTML (the inside of `<code>`), with the spans and
/// classes `styles` selects, or `None` when the language is not known (the caller then
/// shows the code as plain, escaped text).
pub fn highlight_code(language: &str, code: &str, styles: &StyledScopes) -> Option<String> {
    if code.len() > MAX_HIGHLIGHTED_BYTES {
        return None;
    }
    let grammar = grammar_for(language)?;
    let mut state = ParseState::new(grammar);
    let mut stack = ScopeStack::new();
    // A block names a few dozen scopes, most of them many times.
    let mut classes: HashMap<Scope, Option<Rc<str>>> = HashMap::with_capacity(64);
    let mut html = String::with_capacity(code.len() * 3);
    // For each scope on the stack: where its span starts and where its opening tag ends,
    // when it has one (a span still empty when its scope ends is taken back out).
    let mut open: Vec<Option<(usize, usize)>> = Vec::new();
    for line in LinesWithEndings::from(code) {
        // A grammar that fails on some input is not the reader's problem: show it plain.
        let ops = state.parse_line(line, syntaxes()).ok()?;
        let mut written = 0;
        for (at, op) in &ops {
            let at = (*at).min(line.len());
            if at > written {
                escape_text(&mut html, &line[written..at]);
                written = at;
            }
            stack
                .apply_with_hook(op, |basic, _| match basic {
                    BasicScopeStackOp::Push(scope) => match classes.entry(scope).or_insert_with(|| styles.cached_classes(scope)) {
                        Some(class) => {
                            let start = html.len();
                            html.push_str("<span class=\"");
                            html.push_str(class);
                            html.push_str("\">");
                            open.push(Some((start, html.len())));
                        }
                        None => open.push(None),
                    },
                    BasicScopeStackOp::Pop => match open.pop().flatten() {
                        Some((start, tag_end)) if html.len() == tag_end => html.truncate(start),
                        Some(_) => html.push_str("</span>"),
                        None => {}
                    },
                })
                .ok()?;
        }
        escape_text(&mut html, &line[written..]);
    }
    for span in open.into_iter().rev().flatten() {
        match span {
            (start, tag_end) if html.len() == tag_end => html.truncate(start),
            _ => html.push_str("</span>"),
        }
    }
    Some(html)
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
        let html = highlight_code("python", code, &styles).unwrap();
        assert!(html.contains("<span class=\"hl-keyword\">return</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-keyword hl-operator\">and</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-entity hl-name hl-function\">f</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-string\">"), "{html}");
        assert!(!html.contains("hl-meta") && !html.contains("hl-source") && !html.contains("hl-python"), "{html}");
        let everything = highlight_code("python", code, &StyledScopes::Everything).unwrap();
        assert!(everything.contains("hl-meta") && everything.contains("hl-source hl-python"), "{everything}");
        assert!(html.len() * 2 < everything.len(), "{} vs {}", html.len(), everything.len());
        // The same text either way.
        let text = |h: &str| h.split('<').map(|p| p.split_once('>').map_or(p, |(_, t)| t)).collect::<String>();
        assert_eq!(text(&html), text(&everything));
        assert_eq!(text(&html).replace("&#39;", "'"), code);
    }

    #[test]
    fn a_class_named_by_one_selector_is_written_only_where_that_selector_matches() {
        let css = ".hl-string { color: green }\n.hl-keyword.hl-operator.hl-logical.hl-python { color: red }\n.hl-keyword { color: blue }";
        let styles = StyledScopes::from_stylesheets([css]);
        let html = highlight_code("python", "x = 'a' and not b\n", &styles).unwrap();
        assert!(html.contains("<span class=\"hl-string\">"), "{html}");
        assert!(html.contains("<span class=\"hl-keyword hl-operator hl-logical hl-python\">and</span>"), "{html}");
        assert_eq!(html.matches("hl-python").count(), 2, "only the logical operators carry hl-python: {html}");
    }

    #[test]
    fn selectors_this_cannot_follow_keep_everything() {
        for css in ["[class^=\"hl-\"] { color: red }", "span:not(.hl-comment) { color: red }"] {
            assert!(matches!(StyledScopes::from_stylesheets([css]), StyledScopes::Everything), "{css}");
        }
    }

    #[test]
    fn the_theme_s_stylesheet_keeps_the_book_s_languages_coloured() {
        let css = include_str!("../../../theme/static/style.css");
        let styles = StyledScopes::from_stylesheets([css]);
        assert!(matches!(styles, StyledScopes::Selected { .. }));
        for (language, code, class) in [("rust", "fn main() { let x = 1; }\n", "hl-storage"), ("toml", "name = \"x\"\n", "hl-string")] {
            let html = highlight_code(language, code, &styles).unwrap();
            assert!(html.contains(&format!("class=\"{class}")), "{language}: {html}");
        }
    }

    #[test]
    fn code_is_escaped() {
        let html = highlight_code("html", "<script>alert('x') && 1</script>\n", &StyledScopes::Everything).unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;") && html.contains("&amp;&amp;"), "{html}");
    }

    #[test]
    fn unknown_and_plain_languages_are_not_highlighted() {
        assert!(highlight_code("nosuchlanguage", "x\n", &StyledScopes::Everything).is_none());
        assert!(highlight_code("text", "x\n", &StyledScopes::Everything).is_none());
        assert!(highlight_code("", "x\n", &StyledScopes::Everything).is_none());
        assert!(grammar_for("TXT").is_none());
    }

    #[test]
    fn grammars_are_loaded_once() {
        assert!(std::ptr::eq(syntaxes(), syntaxes()));
    }

    #[test]
    fn very_long_blocks_stay_plain() {
        let code = "x = 1\n".repeat(MAX_HIGHLIGHTED_BYTES / 6 + 1);
        assert!(highlight_code("python", &code, &StyledScopes::Everything).is_none());
    }
}
