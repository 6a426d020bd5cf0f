//! Inline claims in the prose: `{{#claim DEMO MODE VERDICT [python=VERDICT] [PARAM=VALUE …]}}`,
//! found in a chapter's text and checked against the demos' catalogue (`demos_wasm::catalogue`).
//!
//! ```text
//! Threads share the work between cores {{#claim primes threads faster python=same}}.
//! Waiting threads let go of the lock {{#claim gil threads faster work=io}}.
//! ```
//!
//! A claim names a demo, one of its modes, and what that mode's run shows next to the demo's
//! baseline mode (the catalogue's `baseline`): a speed-up ([`Verdict::Faster`], `Same`,
//! `Slower`) or a count against the expected one (`Loses`, `Exact`). `python=` says what the
//! demo's CPython twin shows (for `make claims`); other `key=value` words are the demo's
//! parameters that the claim is about. Every problem (an unknown demo, mode, verdict or
//! parameter, a value out of range) is reported with its span in the claim and what is valid.
//! Whether the demo is on the same page is checked by [`super::page_claims`].

use std::ops::Range;

use demos_wasm::catalogue::{self, DemoSpec};
use serde_json::{Map, Value as Json};

use crate::parse::demo_block::{check_param, BlockProblem};

/// What opens a claim in the text.
pub const CLAIM_OPEN: &str = "{{#claim";
const CLAIM_CLOSE: &str = "}}";

/// A speed-up at least this large is "faster".
pub const FASTER: f64 = 1.25;
/// A speed-up below this is "slower"; from here up to [`FASTER`] it is "the same".
pub const SLOWER: f64 = 0.8;

/// What a claim expects of a mode's run, next to the demo's baseline mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A speed-up of at least [`FASTER`].
    Faster,
    /// A speed-up from [`SLOWER`] up to [`FASTER`].
    Same,
    /// A speed-up below [`SLOWER`].
    Slower,
    /// A count short of the expected one (updates were lost).
    Loses,
    /// Exactly the expected count.
    Exact,
}

impl Verdict {
    /// Every verdict, as written in a claim.
    pub const ALL: [Verdict; 5] = [Verdict::Faster, Verdict::Same, Verdict::Slower, Verdict::Loses, Verdict::Exact];

    /// The verdict written `word`, if there is one.
    pub fn named(word: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|verdict| verdict.name() == word)
    }

    /// The word a claim uses (`data-claim-expect`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Faster => "faster",
            Verdict::Same => "same",
            Verdict::Slower => "slower",
            Verdict::Loses => "loses",
            Verdict::Exact => "exact",
        }
    }

    /// Whether the verdict is about a count rather than a speed-up.
    pub fn is_count(self) -> bool {
        matches!(self, Verdict::Loses | Verdict::Exact)
    }

    /// Whether a speed-up of `speedup` bears the verdict out (a count verdict never is).
    pub fn holds_for_speedup(self, speedup: f64) -> bool {
        match self {
            Verdict::Faster => speedup >= FASTER,
            Verdict::Same => (SLOWER..FASTER).contains(&speedup),
            Verdict::Slower => speedup < SLOWER,
            Verdict::Loses | Verdict::Exact => false,
        }
    }

    /// Whether a final count of `result` where `expected` was due bears the verdict out (a
    /// speed-up verdict never is).
    pub fn holds_for_count(self, result: f64, expected: f64) -> bool {
        match self {
            Verdict::Loses => result < expected,
            Verdict::Exact => result == expected,
            _ => false,
        }
    }

    /// What the verdict expects of `mode`, in the reader's words: "threads ≥ 1.25× as fast as sequential".
    pub fn expectation(self, mode: &str, baseline: &str) -> String {
        match self {
            Verdict::Faster => format!("{mode} at least {FASTER}× as fast as {baseline}"),
            Verdict::Same => format!("{mode} about as fast as {baseline} ({SLOWER}× to {FASTER}×)"),
            Verdict::Slower => format!("{mode} slower than {baseline} (below {SLOWER}×)"),
            Verdict::Loses => format!("{mode} loses updates"),
            Verdict::Exact => format!("{mode} ends at exactly the expected count"),
        }
    }
}

/// A claim, checked against the catalogue.
#[derive(Debug, Clone)]
pub struct Claim {
    pub demo: &'static DemoSpec,
    pub mode: &'static str,
    pub expect: Verdict,
    /// What the demo's CPython twin shows, when the claim says.
    pub python: Option<Verdict>,
    /// The parameters the claim is about, as the page reads them (the rest are the demo's).
    pub params: Map<String, Json>,
}

/// A claim found in a text: where it stands (from `{{#claim` to `}}`), and the claim or
/// its problems (spans in the same text).
#[derive(Debug)]
pub struct FoundClaim {
    pub span: Range<usize>,
    pub claim: Result<Claim, Vec<BlockProblem>>,
}

/// Every claim in `text`, in order.
pub fn find_claims(text: &str) -> Vec<FoundClaim> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(CLAIM_OPEN) {
        let start = from + at;
        let inner = start + CLAIM_OPEN.len();
        from = inner;
        // `{{#claims…}}` and other words that begin the same are not claims.
        if !text[inner..].starts_with(|c: char| c.is_whitespace()) && !text[inner..].starts_with(CLAIM_CLOSE) {
            continue;
        }
        let Some(close) = text[inner..].find(CLAIM_CLOSE) else {
            found.push(FoundClaim { span: start..inner, claim: Err(vec![unclosed(start..inner)]) });
            break;
        };
        let end = inner + close + CLAIM_CLOSE.len();
        found.push(FoundClaim { span: start..end, claim: parse_claim(text, start, inner..inner + close) });
        from = end;
    }
    found
}

fn unclosed(span: Range<usize>) -> BlockProblem {
    BlockProblem {
        span,
        message: "this claim has no closing `}}`".into(),
        help: format!("write a claim on one paragraph, such as {}", EXAMPLE),
    }
}

const EXAMPLE: &str = "`{{#claim primes threads faster python=same}}`";

/// The words of the claim between `{{#claim` and `}}` (`inner`, a range of `text`), checked.
fn parse_claim(text: &str, start: usize, inner: Range<usize>) -> Result<Claim, Vec<BlockProblem>> {
    let words = words_of(text, inner.clone());
    let whole = start..inner.end + CLAIM_CLOSE.len();
    let (positional, named): (Vec<_>, Vec<_>) = words.into_iter().partition(|(word, _)| !word.contains('='));
    let [demo, mode, expect] = match positional.as_slice() {
        [demo, mode, expect] => [demo.clone(), mode.clone(), expect.clone()],
        [_, _, _, extra, ..] => return Err(vec![problem(extra.1.clone(), format!("this claim has a word too many: `{}`", extra.0), format!("a claim is a demo, a mode, a verdict and `key=value` words, such as {EXAMPLE}"))]),
        _ => return Err(vec![problem(whole, "this claim does not say which demo, mode and verdict it is about".into(), format!("write the demo, one of its modes and one of {}: {EXAMPLE}", verdict_list()))]),
    };
    let spec = catalogue::find(demo.0).ok_or_else(|| vec![problem(demo.1.clone(), format!("unknown demo `{}`", demo.0), format!("valid demos: {}", demo_names()))])?;
    let mut problems = Vec::new();
    let mode = spec.mode(mode.0).map(|m| m.name).ok_or_else(|| {
        problem(mode.1.clone(), format!("the `{}` demo has no mode `{}`", spec.name, mode.0), format!("its modes: {}", mode_names(spec)))
    });
    let expect = verdict(expect.0, expect.1.clone());
    let mut python = None;
    let mut params = Map::new();
    for (word, span) in named {
        let (key, value) = word.split_once('=').unwrap_or((word, ""));
        let value_span = span.start + key.len() + 1..span.end;
        if key == "python" {
            match verdict(value, value_span) {
                Ok(v) => python = Some(v),
                Err(p) => problems.push(p),
            }
            continue;
        }
        match claim_param(spec, key, value, span.start..span.start + key.len(), value_span) {
            Ok(v) => {
                params.insert(key.to_owned(), v);
            }
            Err(p) => problems.push(p),
        }
    }
    let (mode, expect) = match (mode, expect) {
        (Ok(mode), Ok(expect)) if problems.is_empty() => (mode, expect),
        (mode, expect) => {
            problems.splice(0..0, [mode.err(), expect.err()].into_iter().flatten());
            return Err(problems);
        }
    };
    Ok(Claim { demo: spec, mode, expect, python, params })
}

/// The words of `text` in `range`, each with its span.
fn words_of(text: &str, range: Range<usize>) -> Vec<(&str, Range<usize>)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text[range.clone()].char_indices().chain([(range.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((&text[range.start + s..range.start + i], range.start + s..range.start + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    words
}

fn verdict(word: &str, span: Range<usize>) -> Result<Verdict, BlockProblem> {
    Verdict::named(word).ok_or_else(|| problem(span, format!("unknown verdict `{word}`"), format!("valid verdicts: {}", verdict_list())))
}

/// A parameter the claim is about: the demo's own, checked as a demo block checks it. `modes`
/// is the demo block's to choose, not a claim's.
fn claim_param(spec: &DemoSpec, key: &str, value: &str, key_span: Range<usize>, value_span: Range<usize>) -> Result<Json, BlockProblem> {
    let Some(param) = spec.param(key).filter(|param| param.name != "modes") else {
        return Err(problem(key_span, format!("the `{}` demo has no parameter `{key}` a claim can name", spec.name), format!("valid: python=VERDICT, {}", param_names(spec))));
    };
    // Values are written bare (`work=io`, `tasks=1000`): read as TOML, a word is a string.
    let read = value.parse::<i64>().map(toml::Value::Integer).or_else(|_| value.parse::<bool>().map(toml::Value::Boolean)).unwrap_or_else(|_| toml::Value::String(value.to_owned()));
    check_param(param, &read).map_err(|(message, help)| problem(value_span, message, help))
}

fn problem(span: Range<usize>, message: String, help: String) -> BlockProblem {
    BlockProblem { span, message, help }
}

fn demo_names() -> String {
    catalogue::catalogue().iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
}

/// The modes of `spec`, comma-separated.
pub fn mode_names(spec: &DemoSpec) -> String {
    spec.modes.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
}

fn param_names(spec: &DemoSpec) -> String {
    let names: Vec<String> = spec.params.iter().filter(|p| p.name != "modes").map(|p| format!("{}=…", p.name)).collect();
    names.join(", ")
}

fn verdict_list() -> String {
    Verdict::ALL.map(Verdict::name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> Result<Claim, Vec<BlockProblem>> {
        let mut found = find_claims(text);
        assert_eq!(found.len(), 1, "{text}");
        found.remove(0).claim
    }

    fn problems(text: &str) -> Vec<BlockProblem> {
        one(text).expect_err("expected problems")
    }

    #[test]
    fn a_claim_names_demo_mode_verdict_and_python() {
        let text = "Shared {{#claim primes threads faster python=same}} here.";
        let found = find_claims(text);
        assert_eq!(&text[found[0].span.clone()], "{{#claim primes threads faster python=same}}");
        let claim = found.into_iter().next().unwrap().claim.unwrap();
        assert_eq!((claim.demo.name, claim.mode, claim.expect, claim.python), ("primes", "threads", Verdict::Faster, Some(Verdict::Same)));
        assert!(claim.params.is_empty());
    }

    #[test]
    fn params_are_read_by_their_kind() {
        let claim = one("{{#claim gil threads faster work=io}}").unwrap();
        assert_eq!(claim.params["work"], json!("io"));
        assert_eq!(claim.python, None);
        let claim = one("{{#claim async-scale async faster\n  python=faster tasks=1000}}").unwrap();
        assert_eq!(claim.params["tasks"], json!(1000));
        let claim = one("{{#claim gil threads same gil=true}}").unwrap();
        assert_eq!(claim.params["gil"], json!(true));
    }

    #[test]
    fn every_claim_of_a_text_is_found_and_others_are_not() {
        let found = find_claims("{{#claim race unsafe loses}} and {{#claims x}} and {{#claim race lock exact}}");
        let claims: Vec<_> = found.into_iter().map(|f| f.claim.unwrap()).map(|c| (c.mode, c.expect)).collect();
        assert_eq!(claims, [("unsafe", Verdict::Loses), ("lock", Verdict::Exact)]);
        assert!(find_claims("{{#include x}} {{#demo-reference}}").is_empty());
    }

    #[test]
    fn unknown_demo_mode_verdict_and_param_point_at_the_word() {
        let text = "{{#claim prims threads faster}}";
        let p = &problems(text)[0];
        assert_eq!((p.message.as_str(), &text[p.span.clone()]), ("unknown demo `prims`", "prims"));
        assert!(p.help.contains("primes, "), "{}", p.help);

        let text = "{{#claim primes gpu quicker}}";
        let p = problems(text);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].message.as_str(), &text[p[0].span.clone()]), ("the `primes` demo has no mode `gpu`", "gpu"));
        assert!(p[0].help.contains("sequential, threads, processes, async"), "{}", p[0].help);
        assert_eq!((p[1].message.as_str(), &text[p[1].span.clone()]), ("unknown verdict `quicker`", "quicker"));
        assert_eq!(p[1].help, "valid verdicts: faster, same, slower, loses, exact");

        let text = "{{#claim primes threads faster cores=4 python=quick}}";
        let p = problems(text);
        assert_eq!((p[0].message.as_str(), &text[p[0].span.clone()]), ("the `primes` demo has no parameter `cores` a claim can name", "cores"));
        assert!(p[0].help.contains("python=VERDICT, n=…"), "{}", p[0].help);
        assert_eq!((p[1].message.as_str(), &text[p[1].span.clone()]), ("unknown verdict `quick`", "quick"));
    }

    #[test]
    fn param_values_are_checked_against_the_catalogue() {
        let text = "{{#claim gil threads faster work=disk}}";
        let p = &problems(text)[0];
        assert_eq!((p.message.as_str(), &text[p.span.clone()]), ("`work` has an unknown choice `disk`", "disk"));
        let p = &problems("{{#claim primes threads faster n=5}}")[0];
        assert!(p.message.contains("out of range"), "{}", p.message);
        let p = &problems("{{#claim primes threads faster modes=threads}}")[0];
        assert!(p.message.contains("no parameter `modes`"), "{}", p.message);
    }

    #[test]
    fn missing_words_extra_words_and_no_closing_are_explained() {
        let p = &problems("{{#claim primes threads}}")[0];
        assert!(p.message.contains("does not say which demo, mode and verdict"), "{}", p.message);
        let text = "{{#claim primes threads faster quickly}}";
        let p = &problems(text)[0];
        assert_eq!(&text[p.span.clone()], "quickly");
        let text = "so {{#claim primes threads faster";
        let p = &problems(text)[0];
        assert_eq!((p.message.as_str(), &text[p.span.clone()]), ("this claim has no closing `}}`", "{{#claim"));
    }

    #[test]
    fn verdicts_follow_the_speed_up_and_the_count() {
        assert!(Verdict::Faster.holds_for_speedup(1.25) && !Verdict::Faster.holds_for_speedup(1.249));
        assert!(Verdict::Same.holds_for_speedup(0.8) && Verdict::Same.holds_for_speedup(1.2) && !Verdict::Same.holds_for_speedup(1.25));
        assert!(Verdict::Slower.holds_for_speedup(0.79) && !Verdict::Slower.holds_for_speedup(0.8));
        assert!(!Verdict::Loses.holds_for_speedup(0.5));
        assert!(Verdict::Loses.holds_for_count(10.0, 12.0) && !Verdict::Loses.holds_for_count(12.0, 12.0));
        assert!(Verdict::Exact.holds_for_count(12.0, 12.0) && !Verdict::Exact.holds_for_count(11.0, 12.0));
        assert!(!Verdict::Faster.holds_for_count(12.0, 12.0));
    }
}
