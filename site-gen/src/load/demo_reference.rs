//! `{{#demo-reference}}`: every demo and its parameters as Markdown, made from the demos'
//! own definitions (`demos_wasm::catalogue`), then the questions a block's `[predict]` table
//! may ask; and the words that describe a parameter's values, which demo blocks' messages use too.

use demos_wasm::catalogue::{self, ParamKind};
use demos_wasm::kernels::requests::Distribution;
use demos_wasm::workload::{self, StageWork, KINDS};

/// "a whole number from 1 to 64", "a list of: sequential, threads".
pub fn describe_kind(kind: &ParamKind) -> String {
    match kind {
        ParamKind::Int { min, max, default } => {
            let d = match default {
                Some(d) => format!(", default {d}"),
                None => String::new(),
            };
            format!("a whole number from {min} to {max}{d}")
        }
        ParamKind::Choice { allowed, default } => {
            let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
            format!("one of {}, default \"{default}\"", quoted.join(", "))
        }
        ParamKind::Switch { default } => format!("true or false, default {default}"),
        ParamKind::Choices { allowed, .. } => {
            let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
            format!("a list of one or more of {}", quoted.join(", "))
        }
    }
}

/// Every demo and its parameters as Markdown, for `{{#demo-reference}}`: made from the
/// same definitions the build checks demo blocks against, so it cannot drift from them.
pub fn reference_markdown() -> String {
    let mut out = String::new();
    for spec in catalogue::catalogue() {
        out.push_str(&format!("### `{}`: {}\n\n{}\n\n", spec.name, spec.title, spec.summary));
        out.push_str("| parameter | what it sets | values |\n|---|---|---|\n");
        out.push_str(&format!("| `name` | which demo | `\"{}\"` |\n", spec.name));
        for param in spec.params {
            let values = describe_kind(&param.kind);
            let values = match &param.kind {
                ParamKind::Int { default: None, .. } => format!("{values}; by default, decided in the reader's browser"),
                _ => values,
            };
            out.push_str(&format!("| `{}` | {} | {} |\n", param.name, param.help.replace('|', "\\|"), values.replace('|', "\\|")));
        }
        out.push_str(&format!("\nSpeed-ups are measured against `{}`.\n\n", spec.baseline));
        if spec.name == "workload" {
            out.push_str(&stage_reference());
        }
    }
    out.push_str(&predict_reference());
    out
}

/// The `[[stage]]` tables of a `workload` block (checked by `parse::workload_block`), as Markdown.
fn stage_reference() -> String {
    let mut out = String::from(
        "A `workload` block describes its work in `[[stage]]` tables below its parameters, one per stage every \
         item passes through, in order (1 to 8). Each has a `kind` and an optional `on`: `\"producer\"` for the \
         stages one producer runs for each item before putting it in the queue (they come first), \
         `\"consumer\"` (the default) for those the consumers run. Without `modes`, a workload runs every \
         mode, but `async-pool` only when a stage is a blocking call.\n\n\
         | kind | what it does | keys |\n|---|---|---|\n",
    );
    for kind in KINDS {
        let Some((key, min, max, what)) = workload::size_of(kind) else { continue };
        let does = match *kind {
            "compute" => "computes, using the CPU",
            "wait" => "waits without using the CPU (simulated I/O)",
            "send" => "sends a message to the next stage (copied between processes)",
            "lock" => "takes the one lock every consumer shares and computes holding it",
            _ => "calls something that blocks its thread (in async code, the whole event loop)",
        };
        let mut keys = format!("`{key}`: {what}, from {min} to {max} (required)");
        if StageWork::keys_of(kind).is_some_and(|keys| keys.contains(&"distribution")) {
            let names: Vec<String> = Distribution::NAMES.iter().map(|name| format!("\"{name}\"")).collect();
            keys.push_str(&format!("; `distribution`: one of {}, default \"fixed\"", names.join(", ")));
        }
        out.push_str(&format!("| `{kind}` | {does} | {keys} |\n"));
    }
    out.push('\n');
    out
}

/// The keys of a block's `[predict]` table (checked by `parse::predict_table`), as Markdown.
fn predict_reference() -> String {
    let baselines: Vec<String> = catalogue::catalogue().iter().map(|spec| format!("`{}` for {}", spec.baseline, spec.name)).collect();
    format!(
        "### `[predict]`: ask the reader to guess first\n\n\
         A table below the parameters, asking at least one question. The figure shows the questions \
         before the run, then scores the reader's guess against their own machine.\n\n\
         | key | what it asks | values |\n|---|---|---|\n\
         | `winner` | which of the block's modes will be fastest | true or false, default false; needs two modes or more |\n\
         | `speedup` | how many times faster one mode will be than the demo's baseline | the name of one of the block's modes, \
         not the baseline ({}); the block must run the baseline too |\n\n",
        baselines.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_names_each_baseline_and_the_predict_keys() {
        let reference = reference_markdown();
        assert!(reference.contains("### `primes`: Counting primes"), "{reference}");
        assert!(reference.contains("Speed-ups are measured against `async`."), "hybrid's baseline: {reference}");
        assert!(reference.contains("### `[predict]`"), "{reference}");
        for key in ["| `winner` |", "| `speedup` |", "`sequential` for primes"] {
            assert!(reference.contains(key), "no {key}: {reference}");
        }
    }

    #[test]
    fn the_reference_describes_a_workload_s_stages() {
        let reference = reference_markdown();
        let stages = reference.split("### `workload`").nth(1).expect("the workload demo");
        for row in ["| `compute` |", "| `wait` |", "| `send` |", "| `lock` |", "| `blocking` |", "`[[stage]]`", "\"exponential\""] {
            assert!(stages.contains(row), "no {row}: {stages}");
        }
        assert!(stages.contains("`units`: units of work (one is about 0.11 ms), from 1 to 5000 (required)"), "{stages}");
    }
}
