//! `{{#demo-reference}}`: every demo and its parameters as Markdown, made from the demos'
//! own definitions (`demos_wasm::catalogue`), and the words that describe a parameter's
//! values, which demo blocks' messages use too.

use demos_wasm::catalogue::{self, ParamKind};

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
        out.push('\n');
    }
    out
}
