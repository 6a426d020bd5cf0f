//! The Python twin of a workload block: a CPython script made for its stages from one template
//! (`workload_twin.py`), which runs exactly that workload in every mode, as the page does.
//!
//! The script's name comes from its stages (`workload-1a2b3c4d.py`, from a hash of them), so a
//! build writes one script per description however many pages show it, and the same stages
//! always give the same name. Items, concurrency, queue bound, seed and modes are the script's
//! arguments, as for the other twins: the figure's command line gives the block's.

use demos_wasm::workload::{StageWork, MOST_CONCURRENCY, MOST_ITEMS};
use serde_json::Value as Json;
use xxhash_rust::xxh3::xxh3_64;

/// The script every workload twin is made from: `@STAGES@`, `@SCRIPT@` and the bounds are
/// filled in.
const TEMPLATE: &str = include_str!("workload_twin.py");

/// The file name of the twin of `stages` (as in `data-params`): `workload-<8 hex digits>.py`.
pub fn file_name(stages: &Json) -> String {
    let hash = xxh3_64(stages.to_string().as_bytes());
    format!("workload-{:08x}.py", hash >> 32)
}

/// The twin of the workload whose stages are `stages` (as in `data-params`).
pub fn script(stages: &Json) -> String {
    TEMPLATE
        .replace("@STAGES@", &python_stages(stages))
        .replace("@SCRIPT@", &file_name(stages))
        .replace("@MOST_ITEMS@", &MOST_ITEMS.to_string())
        .replace("@MOST_CONCURRENCY@", &MOST_CONCURRENCY.to_string())
}

/// The stages as a Python list of dicts, one stage a line, keys in the order a block writes
/// them: `kind`, `on`, then the kind's own.
fn python_stages(stages: &Json) -> String {
    let lines: Vec<String> = stages
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|stage| {
            let kind = stage["kind"].as_str().unwrap_or_default();
            let mut keys = vec!["kind", "on"];
            keys.extend(StageWork::keys_of(kind).unwrap_or_default());
            let pairs: Vec<String> =
                keys.iter().filter_map(|key| stage.get(*key).map(|value| format!("\"{key}\": {value}"))).collect();
            format!("    {{{}}},", pairs.join(", "))
        })
        .collect();
    format!("[\n{}\n]", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stages() -> Json {
        json!([
            { "kind": "wait", "on": "producer", "mean_ms": 3, "distribution": "fixed" },
            { "kind": "compute", "on": "consumer", "units": 20 }
        ])
    }

    #[test]
    fn the_name_comes_from_the_stages() {
        let name = file_name(&stages());
        assert!(name.starts_with("workload-") && name.ends_with(".py") && name.len() == "workload-12345678.py".len(), "{name}");
        assert_eq!(name, file_name(&stages()));
        assert_ne!(name, file_name(&json!([{ "kind": "compute", "on": "consumer", "units": 21 }])));
    }

    #[test]
    fn the_script_holds_its_stages_and_bounds() {
        let code = script(&stages());
        assert!(
            code.contains("STAGES = [\n    {\"kind\": \"wait\", \"on\": \"producer\", \"mean_ms\": 3, \"distribution\": \"fixed\"},\n    {\"kind\": \"compute\", \"on\": \"consumer\", \"units\": 20},\n]\n"),
            "{code}"
        );
        assert!(code.contains(&format!("python3 {} --items", file_name(&stages()))));
        assert!(code.contains("whole_number(\"items\", 1, 1000)") && code.contains("whole_number(\"concurrency\", 1, 32)"));
        assert!(!code.contains('@'), "every place is filled in");
    }
}
