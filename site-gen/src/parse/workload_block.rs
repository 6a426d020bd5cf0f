//! The stages of a `workload` demo block: each `[[stage]]` table read with its spans, the
//! whole checked by `demos_wasm::workload::Workload::check`, and every problem pointed at the
//! key it is about.
//!
//! ````text
//! ```demo
//! name = "workload"
//! queue = 4
//!
//! [[stage]]
//! kind = "wait"
//! on = "producer"
//! mean_ms = 5
//!
//! [[stage]]
//! kind = "compute"
//! units = 50
//! ```
//! ````
//!
//! The page receives the stages with every key filled in (`"stages"` in `data-params`), and
//! the block's modes leave out `async-pool` when no stage is a blocking call.

use std::ops::Range;

use demos_wasm::kernels::requests::Distribution;
use demos_wasm::workload::{self, Field, Stage, StageWork, Workload, KINDS, WORKLOAD_MODES};
use serde::Deserialize;
use serde_json::{json, Map, Value as Json};
use toml::Spanned;

use crate::parse::demo_block::{type_name, BlockProblem, Table};

/// The key of the stage tables in a block (`[[stage]]`).
pub const STAGE_KEY: &str = "stage";

/// The key of the stages in `data-params`.
pub const STAGES_PARAM: &str = "stages";

/// The mode that differs from `async` only for blocking calls.
const ASYNC_POOL: &str = "async-pool";

/// The `on` values, the default first.
const SIDES: [&str; 2] = ["consumer", "producer"];

/// Only the block's stage tables, read again with their inner spans.
#[derive(Deserialize)]
struct StagesOnly {
    stage: Option<Vec<Spanned<Table>>>,
}

/// A stage table read, with the spans its problems point at.
struct ReadStage {
    stage: Stage,
    /// The span of its `[[stage]]` header.
    header: Range<usize>,
    table: Table,
}

/// Reads and checks the stages of a workload block whose top-level keys are `top` and whose
/// parameters, as checked so far, are `params`: adds `stages` (and the default `modes`) to
/// `params`, or the problems to `problems`. Returns the workload when nothing is wrong.
pub fn check_workload(body: &str, top: &Table, params: &mut Map<String, Json>, problems: &mut Vec<BlockProblem>) -> Option<Workload> {
    let stages = read_stages(body, top, problems);
    default_modes(top, params, stages.as_deref(), problems);
    let stages = stages?;
    // The workload's rules are checked once every value is known and of its type.
    if !problems.is_empty() {
        return None;
    }
    let number = |key: &str| params.get(key).and_then(Json::as_u64).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let workload = Workload {
        items: number("items"),
        concurrency: number("concurrency"),
        queue: number("queue"),
        seed: number("seed"),
        stages: stages.iter().map(|read| read.stage).collect(),
    };
    let found = workload.check();
    if !found.is_empty() {
        problems.extend(found.into_iter().map(|p| BlockProblem { span: span_of(p.at, body, top, &stages), message: p.message, help: p.help }));
        return None;
    }
    params.insert(STAGES_PARAM.to_owned(), stages_json(&workload));
    Some(workload)
}

/// The stages as the page reads them: every key filled in.
pub fn stages_json(workload: &Workload) -> Json {
    let stages = workload.stages.iter().map(|stage| {
        let mut entry = json!({ "kind": stage.work.kind(), "on": if stage.producer { "producer" } else { "consumer" } });
        match stage.work {
            StageWork::Compute { units } | StageWork::Lock { units } => entry["units"] = json!(units),
            StageWork::Wait { mean_ms, distribution } => {
                entry["mean_ms"] = json!(mean_ms);
                entry["distribution"] = json!(distribution_name(distribution));
            }
            StageWork::Send { bytes } => entry["bytes"] = json!(bytes),
            StageWork::Blocking { ms } => entry["ms"] = json!(ms),
        }
        entry
    });
    Json::Array(stages.collect())
}

/// The name a block gives `distribution`.
fn distribution_name(distribution: Distribution) -> &'static str {
    match distribution {
        Distribution::Fixed => "fixed",
        Distribution::Uniform => "uniform",
        Distribution::Exponential => "exponential",
    }
}

/// The block's `modes` when it names none: all, but `async-pool` only with a blocking stage;
/// and `async-pool` named without one is a problem.
fn default_modes(top: &Table, params: &mut Map<String, Json>, stages: Option<&[ReadStage]>, problems: &mut Vec<BlockProblem>) {
    let has_blocking = stages.is_some_and(|stages| stages.iter().any(|read| matches!(read.stage.work, StageWork::Blocking { .. })));
    match top.iter().find(|(key, _)| key.get_ref() == "modes") {
        None => {
            let modes: Vec<&str> = WORKLOAD_MODES.iter().copied().filter(|mode| has_blocking || *mode != ASYNC_POOL).collect();
            params.insert("modes".to_owned(), json!(modes));
        }
        Some((_, value)) => {
            let names_pool = value.get_ref().as_array().is_some_and(|modes| modes.iter().any(|m| m.as_str() == Some(ASYNC_POOL)));
            if names_pool && stages.is_some() && !has_blocking {
                problems.push(BlockProblem {
                    span: value.span(),
                    message: "`modes` names `async-pool`, but no stage is a blocking call, so it would run exactly as `async`".into(),
                    help: "add a stage with `kind = \"blocking\"` and `ms = …`, or leave `async-pool` out of `modes`".into(),
                });
            }
        }
    }
}

/// Every `[[stage]]` table read as a stage, or `None` with the problems in `problems`.
fn read_stages(body: &str, top: &Table, problems: &mut Vec<BlockProblem>) -> Option<Vec<ReadStage>> {
    let Some((_, value)) = top.iter().find(|(key, _)| key.get_ref() == STAGE_KEY) else {
        problems.push(BlockProblem {
            span: 0..body.trim_end().len(),
            message: "this workload has no stages".into(),
            help: "add one `[[stage]]` table per stage after the parameters, such as `[[stage]]` then `kind = \"compute\"` and `units = 100`".into(),
        });
        return None;
    };
    let tables = match toml::from_str::<StagesOnly>(body) {
        Ok(StagesOnly { stage: Some(tables) }) if value.get_ref().as_array().is_some_and(|a| a.iter().all(toml::Value::is_table)) => tables,
        _ => {
            problems.push(BlockProblem {
                span: value.span(),
                message: format!("`stage` must be a list of tables, each written `[[stage]]`, not {}", type_name(value.get_ref())),
                help: format!("start each stage with a `[[stage]]` line after the parameters, then its keys; kinds: {}", kind_list()),
            });
            return None;
        }
    };
    let before = problems.len();
    let read: Vec<ReadStage> = tables
        .into_iter()
        .filter_map(|table| read_stage(header_of(body, table.span()), table.into_inner(), problems))
        .collect();
    (problems.len() == before).then_some(read)
}

/// One stage table: its kind, its side, and the keys its kind has.
fn read_stage(header: Range<usize>, table: Table, problems: &mut Vec<BlockProblem>) -> Option<ReadStage> {
    let Some(kind_value) = value(&table, "kind") else {
        problems.push(BlockProblem {
            span: header,
            message: "this stage does not say what it does".into(),
            help: format!("add `kind = \"…\"` with one of: {}", kind_list()),
        });
        return None;
    };
    let kind = match kind_value.get_ref().as_str() {
        Some(kind) if StageWork::keys_of(kind).is_some() => kind,
        found => {
            problems.push(BlockProblem {
                span: kind_value.span(),
                message: match found {
                    Some(kind) => format!("unknown stage kind `{kind}`"),
                    None => format!("`kind` must be a string, not {}", type_name(kind_value.get_ref())),
                },
                help: format!("valid kinds: {}", kind_list()),
            });
            return None;
        }
    };
    let keys = StageWork::keys_of(kind).unwrap_or(&[]);
    let before = problems.len();
    for key in table.keys() {
        let name = key.get_ref().as_str();
        if name != "kind" && name != "on" && !keys.contains(&name) {
            problems.push(BlockProblem {
                span: key.span(),
                message: format!("a {kind} stage has no key `{name}`"),
                help: format!("a {kind} stage's keys: {}", stage_keys(kind)),
            });
        }
    }
    let producer = side(value(&table, "on"), problems);
    let work = work_of(kind, &header, &table, problems);
    let stage = Stage { work: work?, producer: producer? };
    (problems.len() == before).then_some(ReadStage { stage, header, table })
}

/// What a stage of `kind` does, from its keys.
fn work_of(kind: &str, header: &Range<usize>, table: &Table, problems: &mut Vec<BlockProblem>) -> Option<StageWork> {
    let (size_key, min, max, what) = workload::size_of(kind)?;
    let Some(size_value) = value(table, size_key) else {
        problems.push(BlockProblem {
            span: header.clone(),
            message: format!("this {kind} stage has no `{size_key}`"),
            help: format!("add `{size_key} = …`: {what}, from {min} to {max}"),
        });
        return None;
    };
    let size = match size_value.get_ref().as_integer() {
        Some(n) => match u32::try_from(n) {
            Ok(n) => n,
            Err(_) => {
                problems.push(BlockProblem {
                    span: size_value.span(),
                    message: format!("a {kind} stage's `{size_key}` = {n} is out of range: it must be between {min} and {max}"),
                    help: format!("`{size_key}`: {what}"),
                });
                return None;
            }
        },
        None => {
            problems.push(BlockProblem {
                span: size_value.span(),
                message: format!("a {kind} stage's `{size_key}` must be a whole number, not {}", type_name(size_value.get_ref())),
                help: format!("`{size_key}`: {what}, from {min} to {max}"),
            });
            return None;
        }
    };
    Some(match kind {
        "compute" => StageWork::Compute { units: size },
        "lock" => StageWork::Lock { units: size },
        "send" => StageWork::Send { bytes: size },
        "blocking" => StageWork::Blocking { ms: size },
        _ => StageWork::Wait { mean_ms: size, distribution: distribution(value(table, "distribution"), problems)? },
    })
}

/// The value of `name` in `table`, with its span.
fn value<'t>(table: &'t Table, name: &str) -> Option<&'t Spanned<toml::Value>> {
    table.iter().find(|(key, _)| key.get_ref() == name).map(|(_, value)| value)
}

/// Whether a stage is the producer's, from its `on` (absent: a consumer's).
fn side(on: Option<&Spanned<toml::Value>>, problems: &mut Vec<BlockProblem>) -> Option<bool> {
    let Some(value) = on else { return Some(false) };
    match value.get_ref().as_str() {
        Some("producer") => Some(true),
        Some("consumer") => Some(false),
        found => {
            problems.push(BlockProblem {
                span: value.span(),
                message: match found {
                    Some(other) => format!("`on` has an unknown side `{other}`"),
                    None => format!("`on` must be a string, not {}", type_name(value.get_ref())),
                },
                help: format!(
                    "`on`: one of {} (the one producer makes each item before the consumers take it; default \"consumer\")",
                    quoted(&SIDES)
                ),
            });
            None
        }
    }
}

/// A wait stage's distribution (absent: fixed).
fn distribution(value: Option<&Spanned<toml::Value>>, problems: &mut Vec<BlockProblem>) -> Option<Distribution> {
    let Some(value) = value else { return Some(Distribution::Fixed) };
    let found = value.get_ref().as_str();
    if let Some(distribution) = found.and_then(Distribution::from_name) {
        return Some(distribution);
    }
    problems.push(BlockProblem {
        span: value.span(),
        message: match found {
            Some(other) => format!("`distribution` has an unknown choice `{other}`"),
            None => format!("`distribution` must be a string, not {}", type_name(value.get_ref())),
        },
        help: format!("`distribution`: one of {} (how the waits spread around `mean_ms`; default \"fixed\")", quoted(&Distribution::NAMES)),
    });
    None
}

/// The span a problem of `Workload::check` is about: its key's value, or where the key
/// would go when it is absent.
fn span_of(at: Field, body: &str, top: &Table, stages: &[ReadStage]) -> Range<usize> {
    let value_of = |table: &Table, name: &str| value(table, name).map(Spanned::span);
    match at {
        Field::Top(STAGE_KEY) => stages.first().map_or(0..body.trim_end().len(), |first| first.header.clone()),
        Field::Top(key) => value_of(top, key).or_else(|| value_of(top, "name")).unwrap_or(0..body.trim_end().len()),
        Field::Stage(index, key) => match stages.get(index) {
            Some(read) => value_of(&read.table, key).unwrap_or_else(|| read.header.clone()),
            None => 0..body.trim_end().len(),
        },
    }
}

/// The first line of a stage table's span in `body`: its `[[stage]]` header.
fn header_of(body: &str, span: Range<usize>) -> Range<usize> {
    let line = body.get(span.clone()).and_then(|text| text.find('\n')).unwrap_or(span.len());
    span.start..span.start + line
}

fn kind_list() -> String {
    KINDS.iter().map(|kind| format!("{kind} ({})", stage_keys(kind))).collect::<Vec<_>>().join(", ")
}

/// A kind's keys, as an author writes them: `kind`, `on`, then its own (the first required).
fn stage_keys(kind: &str) -> String {
    let own = StageWork::keys_of(kind).unwrap_or(&[]);
    let mut keys = vec!["kind".to_owned(), "on".to_owned()];
    keys.extend(own.iter().enumerate().map(|(i, key)| if i == 0 { format!("{key} (required)") } else { (*key).to_owned() }));
    keys.join(", ")
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use crate::parse::demo_block::{parse_demo_block, BlockProblem};
    use serde_json::json;

    const PIPELINE: &str = "name = \"workload\"\nitems = 30\nqueue = 4\n\n[[stage]]\nkind = \"wait\"\non = \"producer\"\nmean_ms = 3\n\n[[stage]]\nkind = \"compute\"\nunits = 20\n";

    fn problems(body: &str) -> Vec<BlockProblem> {
        parse_demo_block(body).expect_err("expected problems")
    }

    /// The one problem of `body`, and the text its span covers.
    fn problem(body: &str) -> (BlockProblem, &str) {
        let found = problems(body);
        assert_eq!(found.len(), 1, "{found:#?}");
        let p = found.into_iter().next().unwrap();
        let at = &body[p.span.clone()];
        (p, at)
    }

    #[test]
    fn a_workload_block_gives_the_page_its_stages_with_every_key() {
        let block = parse_demo_block(PIPELINE).unwrap();
        assert_eq!(
            block.params["stages"],
            json!([
                { "kind": "wait", "on": "producer", "mean_ms": 3, "distribution": "fixed" },
                { "kind": "compute", "on": "consumer", "units": 20 }
            ])
        );
        assert_eq!((block.params["items"].clone(), block.params["concurrency"].clone(), block.params["queue"].clone()), (json!(30), json!(4), json!(4)));
        assert_eq!(block.params["modes"], json!(["sequential", "threads", "processes", "async"]), "no blocking stage: no async-pool");
        let workload = block.workload.unwrap();
        assert_eq!((workload.items, workload.queue, workload.stages.len()), (30, 4, 2));
    }

    #[test]
    fn a_blocking_stage_brings_async_pool_into_the_default_modes() {
        let block = parse_demo_block("name = \"workload\"\n[[stage]]\nkind = \"blocking\"\nms = 5\n").unwrap();
        assert_eq!(block.params["modes"], json!(["sequential", "threads", "processes", "async", "async-pool"]));
        let (p, at) = problem("name = \"workload\"\nmodes = [\"async\", \"async-pool\"]\n[[stage]]\nkind = \"wait\"\nmean_ms = 5\n");
        assert!(p.message.contains("no stage is a blocking call"), "{}", p.message);
        assert_eq!(at, "[\"async\", \"async-pool\"]");
    }

    #[test]
    fn predict_asks_among_the_block_s_modes() {
        let block = parse_demo_block("name = \"workload\"\n[predict]\nwinner = true\n\n[[stage]]\nkind = \"compute\"\nunits = 5\n").unwrap();
        assert!(block.predict.unwrap().winner);
        let (p, _) = problem("name = \"workload\"\n[predict]\nspeedup = \"async-pool\"\n\n[[stage]]\nkind = \"compute\"\nunits = 5\n");
        assert!(p.help.contains("\"threads\"") && !p.help.contains("\"async-pool\""), "{}", p.help);
    }

    #[test]
    fn an_unknown_kind_lists_the_kinds_and_their_keys() {
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = \"sleep\"\n");
        assert_eq!(p.message, "unknown stage kind `sleep`");
        assert!(p.help.starts_with("valid kinds: compute (kind, on, units (required)), wait (kind, on, mean_ms (required), distribution)"), "{}", p.help);
        assert_eq!(at, "\"sleep\"");
    }

    #[test]
    fn a_key_the_kind_does_not_have_lists_its_keys() {
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = \"compute\"\nunits = 5\nms = 3\n");
        assert_eq!((p.message.as_str(), p.help.as_str()), ("a compute stage has no key `ms`", "a compute stage's keys: kind, on, units (required)"));
        assert_eq!(at, "ms");
    }

    #[test]
    fn a_missing_key_points_at_its_stage() {
        let body = "name = \"workload\"\n[[stage]]\nkind = \"send\"\n";
        let (p, at) = problem(body);
        assert_eq!(p.message, "this send stage has no `bytes`");
        assert_eq!(at, "[[stage]]");
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nunits = 3\n");
        assert_eq!(p.message, "this stage does not say what it does");
        assert_eq!(at, "[[stage]]");
    }

    #[test]
    fn wrong_types_and_values_say_what_is_expected() {
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = \"wait\"\nmean_ms = \"5\"\n");
        assert_eq!(p.message, "a wait stage's `mean_ms` must be a whole number, not a string");
        assert_eq!(at, "\"5\"");
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = \"wait\"\nmean_ms = 5\ndistribution = \"normal\"\n");
        assert_eq!(p.message, "`distribution` has an unknown choice `normal`");
        assert!(p.help.contains("\"fixed\", \"uniform\", \"exponential\""), "{}", p.help);
        assert_eq!(at, "\"normal\"");
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = \"compute\"\nunits = 5\non = \"both\"\n");
        assert_eq!(p.message, "`on` has an unknown side `both`");
        assert_eq!(at, "\"both\"");
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = 3\n");
        assert_eq!(p.message, "`kind` must be a string, not a whole number");
        assert_eq!(at, "3");
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = \"lock\"\nunits = -2\n");
        assert_eq!(p.message, "a lock stage's `units` = -2 is out of range: it must be between 1 and 5000");
        assert_eq!(at, "-2");
    }

    #[test]
    fn stage_must_be_tables() {
        let (p, at) = problem("name = \"workload\"\nstage = 3\n");
        assert_eq!(p.message, "`stage` must be a list of tables, each written `[[stage]]`, not a whole number");
        assert_eq!(at, "3");
        let (p, _) = problem("name = \"workload\"\nitems = 3\n");
        assert_eq!(p.message, "this workload has no stages");
    }

    #[test]
    fn the_workload_s_rules_point_at_the_key() {
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = \"compute\"\nunits = 0\n");
        assert_eq!(p.message, "a compute stage's `units` = 0 is out of range: it must be between 1 and 5000");
        assert_eq!(at, "0");
        let body = "name = \"workload\"\nqueue = 4\n[[stage]]\nkind = \"compute\"\nunits = 5\n";
        let (p, at) = problem(body);
        assert!(p.message.contains("no producer fills"), "{}", p.message);
        assert_eq!(at, "4");
        let body = "name = \"workload\"\n[[stage]]\nkind = \"compute\"\nunits = 5\n[[stage]]\nkind = \"wait\"\nmean_ms = 5\non = \"producer\"\n";
        let (p, at) = problem(body);
        assert_eq!(p.message, "a producer stage comes after a consumer stage");
        assert_eq!(at, "\"producer\"");
        let (p, at) = problem("name = \"workload\"\n[[stage]]\nkind = \"blocking\"\nms = 1000\n");
        assert!(p.message.starts_with("this workload would take about 40.0 s"), "{}", p.message);
        assert_eq!(at, "\"workload\"", "items is not written: the block's name");
    }
}
