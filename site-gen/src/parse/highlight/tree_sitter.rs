//! The tree-sitter engine, for Rust, Python, JavaScript and TOML: each grammar's parser and
//! highlights query (with a few patterns of our own, in `queries/`), its capture names mapped
//! onto the TextMate scopes syntect's grammars give the same tokens.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

use super::{canonical_language, SpanWriter, StyledScopes};

/// A language tree-sitter highlights here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Language {
    Rust,
    Python,
    JavaScript,
    Toml,
}

impl Language {
    #[cfg(test)]
    const ALL: [Language; 4] = [Language::Rust, Language::Python, Language::JavaScript, Language::Toml];

    /// The language for a fence's language name, if tree-sitter highlights it here.
    pub(super) fn for_name(language: &str) -> Option<Language> {
        match canonical_language(language).as_str() {
            "rust" | "rs" => Some(Language::Rust),
            "python" | "py" => Some(Language::Python),
            "js" => Some(Language::JavaScript),
            "toml" => Some(Language::Toml),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The last atom of the scopes written as capture names in our own queries.
    fn suffix(self) -> &'static str {
        match self {
            Language::Rust => ".rust",
            Language::Python => ".python",
            Language::JavaScript => ".js",
            Language::Toml => ".toml",
        }
    }

    /// The TextMate scope for a capture name of the grammar's own highlights query, as
    /// syntect's grammar names the same tokens (where the theme colours them); `None`
    /// for captures left uncoloured (plain variables, properties, punctuation; in Rust,
    /// every type name and call, which syntect's grammar leaves plain but for the prelude's:
    /// our query colours those).
    fn scope_of_capture(self, capture: &str) -> Option<&'static str> {
        let scope = match (self, capture) {
            (Language::Rust, "keyword") => "keyword.control.rust",
            (Language::Rust, "operator") => "keyword.operator.rust",
            (Language::Rust, "type.builtin") => "storage.type.primitive.rust",
            (Language::Rust, "function.method") => "support.function.rust",
            (Language::Rust, "function.macro") => "support.macro.rust",
            (Language::Rust, "comment") => "comment.line.rust",
            (Language::Rust, "comment.documentation") => "comment.line.documentation.rust",
            (Language::Rust, "variable.parameter") => "variable.parameter.rust",
            (Language::Rust, "variable.builtin") => "variable.language.rust",
            (Language::Rust, "label") => "storage.modifier.lifetime.rust",
            (Language::Rust, "string") => "string.quoted.rust",
            (Language::Rust, "escape") => "constant.character.escape.rust",
            (Language::Rust, "constant") => "constant.other.rust",
            (Language::Rust, "constant.builtin") => "constant.language.rust",

            (Language::Python, "keyword") => "keyword.control.python",
            (Language::Python, "operator") => "keyword.operator.python",
            (Language::Python, "type") => "support.type.python",
            (Language::Python, "function" | "function.method") => "variable.function.python",
            (Language::Python, "function.builtin") => "support.function.builtin.python",
            (Language::Python, "comment") => "comment.line.number-sign.python",
            (Language::Python, "string") => "string.quoted.python",
            (Language::Python, "escape") => "constant.character.escape.python",
            (Language::Python, "number") => "constant.numeric.python",
            (Language::Python, "constant") => "constant.other.python",
            (Language::Python, "constant.builtin") => "constant.language.python",

            (Language::JavaScript, "keyword") => "keyword.control.js",
            (Language::JavaScript, "operator") => "keyword.operator.js",
            (Language::JavaScript, "function" | "function.method") => "variable.function.js",
            (Language::JavaScript, "function.builtin") => "support.function.js",
            (Language::JavaScript, "constructor") => "support.class.js",
            (Language::JavaScript, "variable.parameter") => "variable.parameter.function.js",
            (Language::JavaScript, "variable.builtin") => "variable.language.js",
            (Language::JavaScript, "comment") => "comment.line.js",
            (Language::JavaScript, "string") => "string.quoted.js",
            (Language::JavaScript, "string.special") => "string.regexp.js",
            (Language::JavaScript, "punctuation.special") => "keyword.other.substitution.js",
            (Language::JavaScript, "number") => "constant.numeric.js",
            (Language::JavaScript, "constant") => "variable.other.constant.js",
            (Language::JavaScript, "constant.builtin") => "constant.language.js",


            _ => return None,
        };
        Some(scope)
    }

    /// The grammar, with its highlights query and ours after it (a later pattern wins on
    /// the same node), and its injections query where it has one.
    fn configuration(self) -> Result<HighlightConfiguration, tree_sitter::QueryError> {
        let (language, highlights, ours, injections, locals) = match self {
            Language::Rust => (
                tree_sitter_rust::LANGUAGE,
                tree_sitter_rust::HIGHLIGHTS_QUERY,
                include_str!("queries/rust.scm"),
                tree_sitter_rust::INJECTIONS_QUERY,
                "",
            ),
            Language::Python => {
                (tree_sitter_python::LANGUAGE, tree_sitter_python::HIGHLIGHTS_QUERY, include_str!("queries/python.scm"), "", "")
            }
            Language::JavaScript => (
                tree_sitter_javascript::LANGUAGE,
                tree_sitter_javascript::HIGHLIGHT_QUERY,
                include_str!("queries/javascript.scm"),
                // Without the injections query: it injects other languages only (regular
                // expressions, JSDoc, tagged templates), which are not highlighted here.
                "",
                // Without the locals query: with it, every use of a parameter is coloured as
                // the parameter, where syntect colours only its definition.
                "",
            ),
            // The grammar's own query is not used: ours is the whole of it.
            Language::Toml => (tree_sitter_toml_ng::LANGUAGE, "", include_str!("queries/toml.scm"), "", ""),
        };
        let query = format!("{highlights}\n{ours}");
        let mut config = HighlightConfiguration::new(language.into(), format!("{self:?}"), &query, injections, locals)?;
        let names: Vec<String> = config.query.capture_names().iter().map(|name| (*name).to_owned()).collect();
        // The grammar's captures that colour nothing here (punctuation, plain variables…)
        // are taken out of the query, so that matching them writes no event; not those our
        // own query names (to take a token's colour back), nor the injections' own.
        let named_by_ours = |name: &str| {
            let capture = format!("@{name}");
            ours.match_indices(&capture).any(|(at, _)| !ours[at + capture.len()..].starts_with(|c: char| c.is_alphanumeric() || "._-".contains(c)))
        };
        for name in &names {
            let colours_nothing = !name.ends_with(self.suffix()) && self.scope_of_capture(name).is_none();
            let internal = name.starts_with("injection.") || name.starts_with("local.") || name.starts_with('_');
            if colours_nothing && !internal && !named_by_ours(name) {
                config.query.disable_capture(name);
            }
        }
        config.configure(&names);
        Ok(config)
    }

    /// The scope of each capture name of `config`, by index.
    fn scopes(self, config: &HighlightConfiguration) -> Vec<Option<String>> {
        config
            .query
            .capture_names()
            .iter()
            .map(|name| match name.ends_with(self.suffix()) {
                // One of ours: the name is the scope.
                true => Some((*name).to_owned()),
                false => self.scope_of_capture(name).map(str::to_owned),
            })
            .collect()
    }
}

/// A language's configuration and the scope of each of its capture names.
struct Grammar {
    config: HighlightConfiguration,
    scopes: Vec<Option<String>>,
}

/// The grammars, each built on first use; `None` if its queries do not compile (the
/// language is then left to syntect; a test makes sure they do).
static GRAMMARS: [LazyLock<Option<Grammar>>; 4] = [
    LazyLock::new(|| grammar(Language::Rust)),
    LazyLock::new(|| grammar(Language::Python)),
    LazyLock::new(|| grammar(Language::JavaScript)),
    LazyLock::new(|| grammar(Language::Toml)),
];

fn grammar(language: Language) -> Option<Grammar> {
    let config = language.configuration().ok()?;
    let scopes = language.scopes(&config);
    Some(Grammar { config, scopes })
}

/// The class attributes of one language's captures, by index (`None`: no span), for the
/// selectors with one id.
type ClassesOf = (u64, [Option<Rc<[Option<Box<str>>]>>; 4]);

thread_local! {
    /// A highlighter per thread (it holds the parser and query cursors, reused block after
    /// block).
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
    /// Each language's class attributes, for the selectors last used on this thread.
    static CLASSES: RefCell<ClassesOf> = RefCell::new((0, Default::default()));
}

/// The class attribute of each capture of `language`, as `styles` selects them.
fn classes(language: Language, grammar: &Grammar, styles: &StyledScopes) -> Rc<[Option<Box<str>>]> {
    CLASSES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.0 != styles.id() {
            *cache = (styles.id(), Default::default());
        }
        cache.1[language.index()]
            .get_or_insert_with(|| grammar.scopes.iter().map(|scope| scope.as_deref().and_then(|scope| styles.classes(scope)).map(Box::from)).collect())
            .clone()
    })
}

/// The block's code highlighted by tree-sitter, or `None` when tree-sitter does not
/// highlight the language here (or fails on the code: the caller then falls back on
/// syntect). Code that does not parse is still highlighted: the parser recovers, and the
/// text around its errors keeps its colours.
pub(super) fn highlight(language: &str, code: &str, styles: &StyledScopes) -> Option<String> {
    let language = Language::for_name(language)?;
    highlight_as(language, code, styles)
}

fn highlight_as(language: Language, code: &str, styles: &StyledScopes) -> Option<String> {
    let grammar = GRAMMARS[language.index()].as_ref()?;
    let classes = classes(language, grammar, styles);
    HIGHLIGHTER.with(|highlighter| {
        let mut highlighter = highlighter.try_borrow_mut().ok()?;
        // Only the language itself is injected (Rust in its macros' token trees): the
        // capture indices of an injected layer are those of its own configuration.
        let injected = |name: &str| (Language::for_name(name) == Some(language)).then_some(&grammar.config);
        let events = highlighter.highlight(&grammar.config, code.as_bytes(), None, None, injected).ok()?;
        let mut out = SpanWriter::with_capacity(code.len() * 3);
        out.join_neighbours = true;
        for event in events {
            match event.ok()? {
                HighlightEvent::Source { start, end } => out.text(code.get(start..end)?),
                HighlightEvent::HighlightStart(capture) => out.push(classes.get(capture.0)?.as_deref()),
                HighlightEvent::HighlightEnd => out.pop(),
            }
        }
        Some(out.finish())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_and_query_compiles() {
        for language in Language::ALL {
            if let Err(error) = language.configuration() {
                panic!("{language:?}: {error}");
            }
            assert!(GRAMMARS[language.index()].is_some(), "{language:?}");
        }
    }

    #[test]
    fn every_capture_of_ours_names_a_scope_of_its_language() {
        for language in Language::ALL {
            let grammar = GRAMMARS[language.index()].as_ref().unwrap();
            let ours = grammar.config.query.capture_names().iter().filter(|name| name.ends_with(language.suffix())).count();
            assert!(ours > 0, "{language:?}");
            let coloured = grammar.scopes.iter().flatten().count();
            assert!(coloured >= ours, "{language:?}: {coloured} scopes");
        }
    }

    #[test]
    fn the_languages_and_their_aliases() {
        for (name, language) in [
            ("rust", Language::Rust),
            ("rs", Language::Rust),
            ("Python", Language::Python),
            ("py", Language::Python),
            ("python3", Language::Python),
            ("js", Language::JavaScript),
            ("javascript", Language::JavaScript),
            ("mjs", Language::JavaScript),
            ("toml", Language::Toml),
        ] {
            assert_eq!(Language::for_name(name), Some(language), "{name}");
        }
        for name in ["c", "bash", "json", "ts", "text", "", "md"] {
            assert_eq!(Language::for_name(name), None, "{name}");
        }
    }

    /// The text of highlighted HTML: tags taken out, the escapes undone.
    fn text_of(html: &str) -> String {
        let text: String =
            html.split('<').enumerate().map(|(i, part)| if i == 0 { part } else { part.split_once('>').map_or(part, |(_, t)| t) }).collect();
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
    }

    #[test]
    fn odd_code_keeps_its_exact_text() {
        let long_line = format!("x = [{}]\n", "1, ".repeat(20_000));
        let odd = [
            "",
            "\n",
            "\"unterminated string\n",
            "'''never closed\n\ndef f(:\n",
            "fn main( { let s = \"open; }}}}\n",
            "const x = `${ {{ ;\n/* never closed",
            "[table\nkey = = \"x\n[[",
            "@#$%^&*()_+{}|:<>?~`\u{1F980}\u{0}\t\r\n\u{200B}é\u{301}",
            "\r\n\r\n\t\t",
            "<script>alert('x') && 1</script>",
            long_line.as_str(),
        ];
        let styles = StyledScopes::from_stylesheets([include_str!("../../../../theme/static/style.css")]);
        for language in Language::ALL {
            for code in odd {
                for styles in [&StyledScopes::Everything, &styles] {
                    let html = highlight_as(language, code, styles).unwrap_or_else(|| panic!("{language:?}: {code:?}"));
                    assert_eq!(text_of(&html), code, "{language:?}");
                    assert!(!html.contains("<script>"), "{language:?}: {html}");
                }
            }
        }
    }

    #[test]
    fn spans_are_nested_and_never_empty() {
        let code = include_str!("../../../tests/fixtures/highlight/sample.rs");
        let html = highlight("rust", code, &StyledScopes::Everything).unwrap();
        assert!(!html.contains("\"></span>"), "{html}");
        let mut depth = 0i32;
        for (at, _) in html.match_indices('<') {
            if html[at..].starts_with("</span>") {
                depth -= 1;
            } else {
                depth += 1;
            }
            assert!(depth >= 0, "{html}");
        }
        assert_eq!(depth, 0);
    }

    #[test]
    fn rust_macros_are_highlighted_inside() {
        let html = highlight("rust", "println!(\"{}\", 1 + 2);\n", &StyledScopes::Everything).unwrap();
        assert!(html.contains("hl-support hl-macro"), "{html}");
        assert!(html.contains("<span class=\"hl-string hl-quoted hl-rust\">"), "{html}");
        assert!(html.contains("hl-constant hl-numeric hl-rust\">1</span>"), "{html}");
    }
}
