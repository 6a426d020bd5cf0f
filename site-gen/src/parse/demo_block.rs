//! ```` ```demo ```` blocks: a TOML body naming a demo and its parameters, checked at
//! build time against the demos' own parameter definitions (`demos_wasm::catalogue`).
//!
//! ````text
//! ```demo
//! name = "primes"
//! n = 5000000
//! ```
//! ````
//!
//! Every problem (unknown demo, unknown parameter, wrong type, value out of range) is
//! reported with its span inside the block and the list of what would be valid.
//! [`spec_json`] hands the same definitions to the page (`data-spec`), whose controls and
//! address parameters are checked against them too.

use std::collections::BTreeMap;
use std::ops::Range;

use demos_wasm::catalogue::{self, DemoSpec, ParamKind, ParamSpec};
use demos_wasm::workload::Workload;
use serde_json::{json, Map, Value as Json};
use toml::Spanned;

use crate::load::demo_reference::describe_kind;
use crate::parse::predict_table::{check_prediction, Prediction, PREDICT_KEY};
use crate::parse::workload_block::{check_workload, STAGE_KEY};

/// A checked demo block: the demo and every parameter, with defaults filled in.
#[derive(Debug, Clone)]
pub struct DemoBlock {
    pub spec: &'static DemoSpec,
    /// Parameters as the page's runtime reads them (`data-params`). Parameters whose
    /// default is decided in the browser are present only when the author set them.
    pub params: Map<String, Json>,
    /// The questions asked before the run (`[predict]`), if any.
    pub predict: Option<Prediction>,
    /// The stages and settings of a `workload` block (its twin is made from them).
    pub workload: Option<Workload>,
}

/// A problem inside a block, with the byte span in the block's body it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockProblem {
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// The info string that marks a fenced code block as a demo.
pub const DEMO_INFO: &str = "demo";

/// The demo whose work the block describes in `[[stage]]` tables (`workload_block.rs`).
pub const WORKLOAD: &str = "workload";

/// The block's TOML, each key and value with its span in the block's body.
pub(crate) type Table = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// Parses and checks the body of a demo block. Returns every problem found.
pub fn parse_demo_block(body: &str) -> Result<DemoBlock, Vec<BlockProblem>> {
    let table: Table = toml::from_str(body).map_err(|e| {
        vec![BlockProblem {
            span: e.span().unwrap_or(0..body.len()),
            message: format!("this demo block is not valid TOML: {}", e.message().trim()),
            help: "write one `key = value` per line, such as `name = \"primes\"` and `n = 100000`".into(),
        }]
    })?;
    let spec = named_demo(&table, body).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let mut params = Map::new();
    let is_workload = spec.name == WORKLOAD;
    for (key, value) in &table {
        if key.get_ref() == "name" || key.get_ref() == PREDICT_KEY || (is_workload && key.get_ref() == STAGE_KEY) {
            continue;
        }
        match spec.params.iter().find(|p| p.name == key.get_ref()) {
            None => problems.push(BlockProblem {
                span: key.span(),
                message: format!("the `{}` demo has no parameter `{}`", spec.name, key.get_ref()),
                help: format!("valid parameters: {}", param_list(spec)),
            }),
            Some(param) => match check_value(param, value) {
                Ok(v) => {
                    params.insert(param.name.to_owned(), v);
                }
                Err(p) => problems.push(p),
            },
        }
    }
    for param in spec.params {
        if !params.contains_key(param.name) {
            if let Some(default) = default_value(param) {
                params.insert(param.name.to_owned(), default);
            }
        }
    }
    let workload = if is_workload { check_workload(body, &table, &mut params, &mut problems) } else { None };
    let predict = match table.iter().find(|(k, _)| k.get_ref() == PREDICT_KEY) {
        None => None,
        Some((key, value)) => match check_prediction(body, key.span(), value, spec, &chosen_modes(spec, &params)) {
            Ok(prediction) => Some(prediction),
            Err(found) => {
                problems.extend(found);
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(DemoBlock { spec, params, predict, workload })
}

/// The modes the block runs, in the catalogue's spelling: its `modes`, or every mode of the demo.
fn chosen_modes(spec: &DemoSpec, params: &Map<String, Json>) -> Vec<&'static str> {
    match params.get("modes").and_then(Json::as_array) {
        Some(list) => list.iter().filter_map(|m| spec.mode(m.as_str()?).map(|mode| mode.name)).collect(),
        None => spec.modes.iter().map(|mode| mode.name).collect(),
    }
}

/// The demo the block's `name` names.
fn named_demo(table: &Table, body: &str) -> Result<&'static DemoSpec, BlockProblem> {
    let Some((_, name_value)) = table.iter().find(|(k, _)| k.get_ref() == "name") else {
        return Err(BlockProblem {
            span: 0..body.trim_end().len(),
            message: "this demo block does not say which demo to show".into(),
            help: format!("add `name = \"…\"` with one of: {}", demo_names()),
        });
    };
    let Some(name) = name_value.get_ref().as_str() else {
        return Err(BlockProblem {
            span: name_value.span(),
            message: format!("`name` must be a string, not {}", type_name(name_value.get_ref())),
            help: format!("valid demos: {}", demo_names()),
        });
    };
    catalogue::find(name).ok_or_else(|| BlockProblem {
        span: name_value.span(),
        message: format!("unknown demo `{name}`"),
        help: format!("valid demos: {}", demo_names()),
    })
}

/// A parameter's value, checked against its definition: as the page reads it, or the
/// problem with it.
fn check_value(param: &ParamSpec, value: &Spanned<toml::Value>) -> Result<Json, BlockProblem> {
    check_param(param, value.get_ref()).map_err(|(message, help)| BlockProblem { span: value.span(), message, help })
}

/// A parameter's value, checked against its definition: as the page reads it, or the
/// problem with it and what would be valid (also for the parameters an inline claim names).
pub(crate) fn check_param(param: &ParamSpec, found: &toml::Value) -> Result<Json, (String, String)> {
    let problem = |message: String| (message, format!("`{}`: {} ({})", param.name, describe_kind(&param.kind), param.help));
    let name = param.name;
    let not = |what: &str| problem(format!("`{name}` must be {what}, not {}", type_name(found)));
    match &param.kind {
        ParamKind::Int { min, max, .. } => {
            let n = found.as_integer().ok_or_else(|| not("a whole number"))?;
            if n < *min || n > *max {
                return Err(problem(format!("`{name}` = {n} is out of range: it must be between {min} and {max}")));
            }
            Ok(json!(n))
        }
        ParamKind::Choice { allowed, .. } => {
            let choice = found.as_str().ok_or_else(|| not("a string"))?;
            if !allowed.contains(&choice) {
                return Err(problem(format!("`{name}` has an unknown choice `{choice}`")));
            }
            Ok(json!(choice))
        }
        ParamKind::Switch { .. } => found.as_bool().map(|on| json!(on)).ok_or_else(|| not("true or false")),
        ParamKind::Choices { allowed, .. } => {
            let list = found.as_array().ok_or_else(|| not("a list of strings"))?;
            check_choices(name, allowed, list).map(|chosen| json!(chosen)).map_err(problem)
        }
    }
}

/// A list of choices: at least one, each allowed, none twice.
fn check_choices<'v>(name: &str, allowed: &[&str], list: &'v [toml::Value]) -> Result<Vec<&'v str>, String> {
    if list.is_empty() {
        return Err(format!("`{name}` must name at least one choice"));
    }
    let mut chosen = Vec::new();
    for item in list {
        let Some(s) = item.as_str() else {
            return Err(format!("`{name}` must be a list of strings, but it holds {}", type_name(item)));
        };
        if !allowed.contains(&s) {
            return Err(format!("`{name}` has an unknown choice `{s}`"));
        }
        if chosen.contains(&s) {
            return Err(format!("`{name}` names `{s}` twice"));
        }
        chosen.push(s);
    }
    Ok(chosen)
}

fn default_value(param: &ParamSpec) -> Option<Json> {
    match &param.kind {
        ParamKind::Int { default, .. } => default.map(|d| json!(d)),
        ParamKind::Choice { default, .. } => Some(json!(default)),
        ParamKind::Switch { default } => Some(json!(default)),
        ParamKind::Choices { default, .. } => Some(json!(default)),
    }
}

/// The catalogue's entry for `spec` as the page's runtime reads it (`data-spec`): its modes,
/// the mode speed-ups are measured against, and every parameter's kind, bounds or choices,
/// default and help, so the page's controls and its `?demo.param=value` overrides are checked
/// against the same bounds as the book.
pub fn spec_json(spec: &DemoSpec) -> Json {
    let modes: Vec<Json> = spec.modes.iter().map(|mode| json!({ "name": mode.name, "about": mode.about })).collect();
    let params: Vec<Json> = spec
        .params
        .iter()
        .map(|param| {
            let mut entry = match &param.kind {
                ParamKind::Int { min, max, default } => json!({ "kind": "int", "min": min, "max": max, "default": default }),
                ParamKind::Choice { allowed, default } => json!({ "kind": "choice", "allowed": allowed, "default": default }),
                ParamKind::Switch { default } => json!({ "kind": "switch", "default": default }),
                ParamKind::Choices { allowed, default } => json!({ "kind": "choices", "allowed": allowed, "default": default }),
            };
            entry["name"] = json!(param.name);
            entry["label"] = json!(param.label);
            entry["help"] = json!(param.help);
            entry
        })
        .collect();
    json!({
        "name": spec.name,
        "title": spec.title,
        "summary": spec.summary,
        "agreement": spec.agreement,
        "baseline": spec.baseline,
        "modes": modes,
        "params": params,
    })
}

fn demo_names() -> String {
    catalogue::catalogue().iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
}

fn param_list(spec: &DemoSpec) -> String {
    let mut names: Vec<&str> = vec!["name"];
    names.extend(spec.params.iter().map(|p| p.name));
    names.join(", ")
}

pub(crate) fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "a whole number",
        toml::Value::Float(_) => "a decimal number",
        toml::Value::Boolean(_) => "true/false",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(body: &str) -> Vec<BlockProblem> {
        parse_demo_block(body).expect_err("expected problems")
    }

    #[test]
    fn minimal_block_gets_defaults() {
        let block = parse_demo_block("name = \"primes\"\n").unwrap();
        assert_eq!(block.spec.name, "primes");
        assert!(block.params.contains_key("n"));
        assert!(block.params.contains_key("modes"));
        assert!(!block.params.contains_key("workers"), "workers is decided in the browser");
    }

    #[test]
    fn author_values_are_kept() {
        let block =
            parse_demo_block("name = \"primes\"\nn = 20000\nworkers = 3\nmodes = [\"sequential\", \"async\"]\n")
                .unwrap();
        assert_eq!(block.params["n"], json!(20000));
        assert_eq!(block.params["workers"], json!(3));
        assert_eq!(block.params["modes"], json!(["sequential", "async"]));
    }

    #[test]
    fn unknown_demo_lists_valid_demos_and_points_at_the_name() {
        let body = "name = \"prims\"\n";
        let p = &problems(body)[0];
        assert_eq!(p.message, "unknown demo `prims`");
        assert!(p.help.contains("primes"), "{}", p.help);
        assert_eq!(&body[p.span.clone()], "\"prims\"");
    }

    #[test]
    fn missing_name_is_explained() {
        let p = &problems("n = 3\n")[0];
        assert!(p.message.contains("does not say which demo"), "{}", p.message);
        assert!(p.help.contains("primes"));
    }

    #[test]
    fn unknown_parameter_lists_valid_ones() {
        let body = "name = \"primes\"\nthreads = 4\n";
        let p = &problems(body)[0];
        assert_eq!(p.message, "the `primes` demo has no parameter `threads`");
        assert!(p.help.contains("valid parameters: name, n"), "{}", p.help);
        assert_eq!(&body[p.span.clone()], "threads");
    }

    #[test]
    fn wrong_type_says_what_is_expected() {
        let body = "name = \"primes\"\nn = \"lots\"\n";
        let p = &problems(body)[0];
        assert_eq!(p.message, "`n` must be a whole number, not a string");
        assert!(p.help.contains("a whole number from"), "{}", p.help);
        assert_eq!(&body[p.span.clone()], "\"lots\"");
    }

    #[test]
    fn out_of_range_gives_the_range() {
        let body = "name = \"primes\"\nworkers = 0\n";
        let p = &problems(body)[0];
        assert!(p.message.starts_with("`workers` = 0 is out of range: it must be between 1 and"), "{}", p.message);
        assert_eq!(&body[p.span.clone()], "0");
    }

    #[test]
    fn unknown_mode_is_refused() {
        let p = &problems("name = \"primes\"\nmodes = [\"gpu\"]\n")[0];
        assert!(p.message.contains("unknown choice `gpu`"), "{}", p.message);
        assert!(p.help.contains("\"sequential\""), "{}", p.help);
        let p = &problems("name = \"primes\"\nmodes = []\n")[0];
        assert!(p.message.contains("at least one"), "{}", p.message);
    }

    #[test]
    fn choices_and_switches_are_checked() {
        let block = parse_demo_block("name = \"gil\"\nwork = \"io\"\ngil = false\n").unwrap();
        assert_eq!(block.params["work"], json!("io"));
        assert_eq!(block.params["gil"], json!(false));
        let defaults = parse_demo_block("name = \"gil\"\n").unwrap();
        assert_eq!(defaults.params["work"], json!("cpu"));
        assert_eq!(defaults.params["gil"], json!(true));

        let body = "name = \"gil\"\nwork = \"disk\"\n";
        let p = &problems(body)[0];
        assert_eq!(p.message, "`work` has an unknown choice `disk`");
        assert!(p.help.contains("one of \"cpu\", \"io\""), "{}", p.help);
        assert_eq!(&body[p.span.clone()], "\"disk\"");

        let p = &problems("name = \"gil\"\ngil = \"yes\"\n")[0];
        assert_eq!(p.message, "`gil` must be true or false, not a string");
        let p = &problems("name = \"io-bound\"\ndistribution = 3\n")[0];
        assert_eq!(p.message, "`distribution` must be a string, not a whole number");
    }

    #[test]
    fn modes_are_checked_against_the_demo_own_modes() {
        let block = parse_demo_block("name = \"race\"\nmodes = [\"unsafe\", \"atomic\"]\n").unwrap();
        assert_eq!(block.params["modes"], json!(["unsafe", "atomic"]));
        let p = &problems("name = \"race\"\nmodes = [\"async\"]\n")[0];
        assert!(p.message.contains("unknown choice `async`"), "{}", p.message);
        assert!(p.help.contains("\"unsafe\""), "{}", p.help);
    }

    #[test]
    fn the_spec_carries_bounds_choices_and_modes() {
        let spec = spec_json(catalogue::find("io-bound").unwrap());
        assert_eq!(spec["name"], "io-bound");
        assert_eq!(spec["modes"][3]["name"], "async");
        assert_eq!(spec["baseline"], "sequential");
        assert_eq!(spec_json(catalogue::find("hybrid").unwrap())["baseline"], "async");
        let params = spec["params"].as_array().unwrap();
        let requests = params.iter().find(|p| p["name"] == "requests").unwrap();
        assert_eq!((requests["kind"].as_str(), requests["min"].as_i64()), (Some("int"), Some(1)));
        let distribution = params.iter().find(|p| p["name"] == "distribution").unwrap();
        assert_eq!(distribution["kind"], "choice");
        assert_eq!(distribution["allowed"], json!(["fixed", "uniform", "exponential"]));
        let gil = spec_json(catalogue::find("gil").unwrap());
        let switch = gil["params"].as_array().unwrap().iter().find(|p| p["name"] == "gil").unwrap().clone();
        assert_eq!(
            switch,
            json!({ "name": "gil", "label": "GIL", "kind": "switch", "default": true, "help": switch["help"] })
        );
        let workers = spec_json(catalogue::find("primes").unwrap())["params"][2].clone();
        assert_eq!((workers["name"].as_str(), workers["default"].is_null()), (Some("workers"), true));
    }

    #[test]
    fn every_problem_is_reported() {
        assert_eq!(problems("name = \"primes\"\nx = 1\ny = 2\nn = -5\n").len(), 3);
    }

    #[test]
    fn malformed_toml_points_into_the_block() {
        let body = "name = \"primes\"\nn = = 3\n";
        let p = &problems(body)[0];
        assert!(p.message.starts_with("this demo block is not valid TOML"), "{}", p.message);
        assert!(p.span.start >= 16, "{:?}", p.span);
    }
}
