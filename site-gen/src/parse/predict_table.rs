//! A demo block's optional `[predict]` table: the questions the figure asks the reader before
//! the run, so they guess first and then see how this machine answers.
//!
//! ````text
//! ```demo
//! name = "primes"
//! [predict]
//! winner = true          # which of the block's modes will be fastest?
//! speedup = "threads"    # how many times faster than the baseline will threads be?
//! ```
//! ````
//!
//! Each question is checked against the block's own modes and the demo's baseline (the mode
//! speed-ups are measured against), with the span of what is wrong and what would be valid.
//! The page reads the result as JSON (`data-predict-ask`, see
//! `theme/static/demos/figure/predict-section.js`).

use std::collections::BTreeMap;
use std::ops::Range;

use demos_wasm::catalogue::DemoSpec;
use serde::Deserialize;
use serde_json::{json, Value as Json};
use toml::Spanned;

use crate::parse::demo_block::BlockProblem;

/// The key of the table in a demo block.
pub const PREDICT_KEY: &str = "predict";

/// The questions a `[predict]` table asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    /// Ask which of the block's modes will be fastest.
    pub winner: bool,
    /// Ask for a guess of this mode's speed-up over the demo's baseline.
    pub speedup: Option<&'static str>,
}

impl Prediction {
    /// The questions as the page reads them (`data-predict-ask`): `{"winner":true,"speedup":"threads"}`.
    pub fn to_json(&self) -> Json {
        let mut ask = json!({ "winner": self.winner });
        if let Some(mode) = self.speedup {
            ask["speedup"] = json!(mode);
        }
        ask
    }
}

/// The table's keys and values, each with its span in the block's body.
type Questions = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// Only the `[predict]` table of a block, read again with its inner spans.
#[derive(Deserialize)]
struct PredictOnly {
    predict: Option<Spanned<Questions>>,
}

/// The questions of the `[predict]` table of `body`, whose `predict` key is at `key_span`,
/// checked against `spec` and the block's chosen `modes`; or every problem with them.
pub fn check_prediction(
    body: &str,
    key_span: Range<usize>,
    value: &Spanned<toml::Value>,
    spec: &DemoSpec,
    modes: &[&'static str],
) -> Result<Prediction, Vec<BlockProblem>> {
    if !value.get_ref().is_table() {
        return Err(vec![BlockProblem {
            span: value.span(),
            message: format!("`predict` must be a table of questions, not {}", crate::parse::demo_block::type_name(value.get_ref())),
            help: format!("write `[predict]` on a line of its own after the parameters, then {}", question_list(spec, modes)),
        }]);
    }
    let questions = match toml::from_str::<PredictOnly>(body) {
        Ok(PredictOnly { predict: Some(table) }) => table.into_inner(),
        _ => return Err(vec![nothing_asked(key_span, spec, modes)]),
    };
    let mut prediction = Prediction { winner: false, speedup: None };
    let mut problems = Vec::new();
    for (key, value) in &questions {
        let outcome = match key.get_ref().as_str() {
            "winner" => winner(value, spec, modes).map(|ask| prediction.winner = ask),
            "speedup" => speedup(value, spec, modes).map(|mode| prediction.speedup = Some(mode)),
            other => Err(BlockProblem {
                span: key.span(),
                message: format!("`[predict]` has no question `{other}`"),
                help: match spec.param(other) {
                    // Every key after `[predict]` belongs to the table.
                    Some(_) => format!("`{other}` is a parameter of the demo: move it above `[predict]`"),
                    None => format!("valid questions: {}", question_list(spec, modes)),
                },
            }),
        };
        if let Err(problem) = outcome {
            problems.push(problem);
        }
    }
    if problems.is_empty() && !prediction.winner && prediction.speedup.is_none() {
        problems.push(nothing_asked(key_span, spec, modes));
    }
    if problems.is_empty() {
        Ok(prediction)
    } else {
        Err(problems)
    }
}

/// `winner = true`: which mode will be fastest. Needs two modes to choose from.
fn winner(value: &Spanned<toml::Value>, spec: &DemoSpec, modes: &[&str]) -> Result<bool, BlockProblem> {
    let problem = |message: String| BlockProblem {
        span: value.span(),
        message,
        help: format!("`winner = true` asks which of the block's modes ({}) will be fastest", quoted(modes)),
    };
    let Some(ask) = value.get_ref().as_bool() else {
        return Err(problem(format!("`winner` must be true or false, not {}", crate::parse::demo_block::type_name(value.get_ref()))));
    };
    if ask && modes.len() < 2 {
        return Err(BlockProblem {
            help: format!("add another of {} to `modes`, or leave `winner` out", quoted(&spec_modes(spec))),
            ..problem(format!("`winner` needs at least two modes to choose from, but this block runs only {}", quoted(modes)))
        });
    }
    Ok(ask)
}

/// `speedup = "<mode>"`: a guess of that mode's speed-up over the baseline, which the block must run too.
fn speedup(value: &Spanned<toml::Value>, spec: &DemoSpec, modes: &[&'static str]) -> Result<&'static str, BlockProblem> {
    let guessable = guessable_modes(spec, modes);
    let problem = |message: String| BlockProblem {
        span: value.span(),
        message,
        help: if guessable.is_empty() {
            format!("a speed-up is measured against `{}`: add it and another mode to `modes`, or leave `speedup` out", spec.baseline)
        } else {
            format!("`speedup` names one of the block's modes other than `{}`: {}", spec.baseline, quoted(&guessable))
        },
    };
    let Some(name) = value.get_ref().as_str() else {
        return Err(problem(format!("`speedup` must be a mode's name (a string), not {}", crate::parse::demo_block::type_name(value.get_ref()))));
    };
    if name == spec.baseline {
        return Err(problem(format!("`speedup` names `{name}`, the mode speed-ups are measured against: its speed-up is always 1×")));
    }
    let Some(mode) = modes.iter().find(|m| **m == name) else {
        let why = if spec.mode(name).is_some() { "which this block does not run" } else { "which the demo does not have" };
        return Err(problem(format!("`speedup` names the mode `{name}`, {why}")));
    };
    if !modes.contains(&spec.baseline) {
        return Err(BlockProblem {
            help: format!("add \"{}\" to `modes`, or leave `speedup` out", spec.baseline),
            ..problem(format!("the speed-up of `{name}` is measured against `{}`, which this block does not run", spec.baseline))
        });
    }
    Ok(mode)
}

fn nothing_asked(key_span: Range<usize>, spec: &DemoSpec, modes: &[&str]) -> BlockProblem {
    BlockProblem {
        span: key_span,
        message: "`[predict]` asks no question".into(),
        help: format!("valid questions: {}", question_list(spec, modes)),
    }
}

/// The questions, in an author's words, for this block.
fn question_list(spec: &DemoSpec, modes: &[&str]) -> String {
    let guessable = guessable_modes(spec, modes);
    let example = guessable.first().copied().unwrap_or("threads");
    format!(
        "`winner = true` (ask which mode will be fastest), `speedup = \"{example}\"` (ask for a guess of that mode's \
         speed-up over `{}`)",
        spec.baseline
    )
}

/// The block's modes a speed-up can be guessed for: every one but the baseline.
fn guessable_modes<'m>(spec: &DemoSpec, modes: &[&'m str]) -> Vec<&'m str> {
    modes.iter().copied().filter(|m| *m != spec.baseline).collect()
}

fn spec_modes(spec: &DemoSpec) -> Vec<&'static str> {
    spec.modes.iter().map(|m| m.name).collect()
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use crate::parse::demo_block::{parse_demo_block, BlockProblem};

    use super::*;

    fn problems(body: &str) -> Vec<BlockProblem> {
        parse_demo_block(body).expect_err("expected problems")
    }

    /// The one problem of `body`, and the text its span covers.
    fn only_problem(body: &str) -> (BlockProblem, &str) {
        let found = problems(body);
        assert_eq!(found.len(), 1, "{found:#?}");
        let span = found[0].span.clone();
        (found.into_iter().next().unwrap(), &body[span])
    }

    #[test]
    fn a_block_without_the_table_asks_nothing() {
        assert_eq!(parse_demo_block("name = \"primes\"\n").unwrap().predict, None);
    }

    #[test]
    fn both_questions_are_read() {
        let block = parse_demo_block("name = \"primes\"\nn = 20000\n[predict]\nwinner = true\nspeedup = \"threads\"\n").unwrap();
        assert_eq!(block.predict, Some(Prediction { winner: true, speedup: Some("threads") }));
        assert_eq!(block.params["n"], json!(20000), "the parameters above the table are kept");
        assert_eq!(block.predict.unwrap().to_json(), json!({ "winner": true, "speedup": "threads" }));
    }

    #[test]
    fn either_question_alone_is_enough() {
        let winner = parse_demo_block("name = \"io-bound\"\n[predict]\nwinner = true\n").unwrap().predict.unwrap();
        assert_eq!(winner.to_json(), json!({ "winner": true }));
        let speedup = parse_demo_block("name = \"gil\"\n[predict]\nspeedup = \"processes\"\n").unwrap().predict.unwrap();
        assert_eq!(speedup, Prediction { winner: false, speedup: Some("processes") });
        // An inline table is a table too.
        let inline = parse_demo_block("name = \"primes\"\npredict = { winner = true }\n").unwrap();
        assert!(inline.predict.unwrap().winner);
    }

    #[test]
    fn an_unknown_question_lists_the_valid_ones() {
        let (p, at) = only_problem("name = \"primes\"\n[predict]\nfastest = true\n");
        assert_eq!(p.message, "`[predict]` has no question `fastest`");
        assert_eq!(at, "fastest");
        assert!(p.help.contains("`winner = true`") && p.help.contains("`speedup = \"threads\"`"), "{}", p.help);
        assert!(p.help.contains("over `sequential`"), "{}", p.help);
    }

    #[test]
    fn a_parameter_below_the_table_is_told_to_move_up() {
        let (p, at) = only_problem("name = \"primes\"\n[predict]\nwinner = true\nn = 20000\n");
        assert_eq!(p.message, "`[predict]` has no question `n`");
        assert_eq!(at, "n");
        assert!(p.help.contains("move it above `[predict]`"), "{}", p.help);
    }

    #[test]
    fn wrong_types_say_what_is_expected() {
        let (p, at) = only_problem("name = \"primes\"\n[predict]\nwinner = \"yes\"\n");
        assert_eq!(p.message, "`winner` must be true or false, not a string");
        assert_eq!(at, "\"yes\"");
        let (p, at) = only_problem("name = \"primes\"\n[predict]\nspeedup = 3\n");
        assert_eq!(p.message, "`speedup` must be a mode's name (a string), not a whole number");
        assert_eq!(at, "3");
        assert!(p.help.contains("\"threads\", \"processes\", \"async\""), "{}", p.help);
        let (p, at) = only_problem("name = \"primes\"\npredict = true\n");
        assert_eq!(p.message, "`predict` must be a table of questions, not true/false");
        assert_eq!(at, "true");
        assert!(p.help.contains("`[predict]` on a line of its own"), "{}", p.help);
    }

    #[test]
    fn the_mode_must_be_one_the_block_runs_other_than_the_baseline() {
        let (p, at) = only_problem("name = \"primes\"\nmodes = [\"sequential\", \"processes\"]\n[predict]\nspeedup = \"threads\"\n");
        assert_eq!(p.message, "`speedup` names the mode `threads`, which this block does not run");
        assert_eq!(at, "\"threads\"");
        assert_eq!(p.help, "`speedup` names one of the block's modes other than `sequential`: \"processes\"");
        let (p, _) = only_problem("name = \"primes\"\n[predict]\nspeedup = \"gpu\"\n");
        assert_eq!(p.message, "`speedup` names the mode `gpu`, which the demo does not have");
        let (p, _) = only_problem("name = \"primes\"\n[predict]\nspeedup = \"sequential\"\n");
        assert!(p.message.contains("the mode speed-ups are measured against"), "{}", p.message);
        let (p, _) = only_problem("name = \"primes\"\nmodes = [\"threads\", \"async\"]\n[predict]\nspeedup = \"threads\"\n");
        assert_eq!(p.message, "the speed-up of `threads` is measured against `sequential`, which this block does not run");
        assert_eq!(p.help, "add \"sequential\" to `modes`, or leave `speedup` out");
    }

    #[test]
    fn a_winner_needs_two_modes() {
        let (p, at) = only_problem("name = \"primes\"\nmodes = [\"threads\"]\n[predict]\nwinner = true\n");
        assert_eq!(p.message, "`winner` needs at least two modes to choose from, but this block runs only \"threads\"");
        assert_eq!(at, "true");
        assert!(p.help.contains("\"sequential\", \"threads\""), "{}", p.help);
    }

    #[test]
    fn a_table_that_asks_nothing_is_refused_at_its_key() {
        let body = "name = \"primes\"\n[predict]\nwinner = false\n";
        let (p, at) = only_problem(body);
        assert_eq!(p.message, "`[predict]` asks no question");
        assert_eq!(at, "predict");
        let (p, _) = only_problem("name = \"primes\"\n[predict]\n");
        assert_eq!(p.message, "`[predict]` asks no question");
    }

    #[test]
    fn problems_in_the_table_and_the_parameters_are_all_reported() {
        let found = problems("name = \"primes\"\nn = 5\n[predict]\nwinner = 1\nguess = 2\n");
        assert_eq!(found.len(), 3, "{found:#?}");
    }
}
