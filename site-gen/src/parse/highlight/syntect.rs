//! The syntect engine: Sublime Text grammars (syntect's own set plus two-face's) run on
//! Oniguruma, for every language tree-sitter has no grammar for here.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use syntect::parsing::{BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::{canonical_language, SpanWriter, StyledScopes};

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
    let token = canonical_language(language);
    if token.is_empty() {
        return None;
    }
    let found = syntaxes().find_syntax_by_token(&token)?;
    (found.name != "Plain Text").then_some(found)
}

/// Each scope's `class` attribute (`None`: no span), for the selectors with one id.
type ClassesOf = (u64, HashMap<Scope, Option<Rc<str>>>);

thread_local! {
    /// Each scope's `class` attribute, for the selectors last used on this thread (by id):
    /// a book's blocks name the same few hundred scopes over and over.
    static CLASSES: RefCell<ClassesOf> = RefCell::new((0, HashMap::new()));
}

/// The `class` attribute of a span for `scope` (remembered on this thread), or `None`
/// when no selector of `styles` can match it.
fn cached_classes(styles: &StyledScopes, scope: Scope) -> Option<Rc<str>> {
    let id = styles.id();
    CLASSES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.0 != id {
            *cache = (id, HashMap::new());
        }
        cache.1.entry(scope).or_insert_with(|| styles.classes(&scope.build_string()).map(Rc::from)).clone()
    })
}

/// The block's code highlighted by syntect, or `None` when it has no grammar for the
/// language (or the grammar fails on the code).
pub(super) fn highlight(language: &str, code: &str, styles: &StyledScopes) -> Option<String> {
    let grammar = grammar_for(language)?;
    let mut state = ParseState::new(grammar);
    let mut stack = ScopeStack::new();
    // A block names a few dozen scopes, most of them many times.
    let mut classes: HashMap<Scope, Option<Rc<str>>> = HashMap::with_capacity(64);
    let mut out = SpanWriter::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        // A grammar that fails on some input is not the reader's problem: show it plain.
        let ops = state.parse_line(line, syntaxes()).ok()?;
        let mut written = 0;
        for (at, op) in &ops {
            let at = (*at).min(line.len());
            if at > written {
                out.text(&line[written..at]);
                written = at;
            }
            stack
                .apply_with_hook(op, |basic, _| match basic {
                    BasicScopeStackOp::Push(scope) => {
                        let class = classes.entry(scope).or_insert_with(|| cached_classes(styles, scope));
                        out.push(class.as_deref());
                    }
                    BasicScopeStackOp::Pop => out.pop(),
                })
                .ok()?;
        }
        out.text(&line[written..]);
    }
    Some(out.finish())
}
