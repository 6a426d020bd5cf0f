//! The demos' Python twins: for each demo, a CPython script that runs the same experiment
//! (`demos-wasm/python/<demo>.py`), shown under the demo as "The same in Python".
//!
//! A page holds only the twin's command line and a link to the script: the build writes each
//! script once into [`TWINS_DIR`], beside its highlighted HTML ([`highlighted_json`]), which
//! the page fetches when the reader first opens the twin (`theme/static/demos/figure/python-twin.js`).
//! A script is some 20 KB of text, and hundreds of highlighted spans on every page that
//! shows its demo would make the page many times heavier for a part most readers never open.
//!
//! The scripts are built into `site-gen` from that one folder (as the default theme is), so
//! every page shows the scripts of the `site-gen` that built it and a build needs nothing
//! outside the book. A script is found by its file name; a demo without one shows no Python
//! part. That every demo has a twin, and that every twin runs, is checked by the project's
//! tests (`tests/cli/python_twins.rs`), not by a book's `check`: an author cannot add one.
//!
//! A `workload` block's twin is made for its stages instead ([`workload_twin`]): the page
//! that shows it carries it ([`GeneratedTwin`]) and the build writes it beside the others.

use std::collections::BTreeMap;

use demos_wasm::catalogue::{DemoSpec, ParamKind};
use include_dir::{include_dir, Dir};
use serde_json::{Map, Value as Json};

use crate::core::html::{escape_attr, escape_text};
use crate::parse::demo_block::WORKLOAD;
use crate::parse::highlight::{highlight_code, StyledScopes};
use crate::parse::workload_block::STAGES_PARAM;
use crate::parse::workload_twin;

static SCRIPTS: Dir<'static> = include_dir!("$SITE_GEN_PYTHON");

/// The command that runs a twin: what the page shows before the script's arguments.
pub const PYTHON: &str = "python3";

/// Where the build writes the twins, from the site's root: `primes.py`, and beside it
/// `primes.py.json`, its highlighted HTML ([`highlighted_json`]). (JSON rather than an
/// `.html` file: a fragment is not a page, for hosts, crawlers or `serve`'s reload script.)
pub const TWINS_DIR: &str = "static/python";

/// Every twin, by demo name: `primes` → the text of `primes.py`.
pub fn scripts() -> BTreeMap<&'static str, &'static str> {
    SCRIPTS
        .files()
        .filter_map(|file| {
            let name = file.path().to_str()?.strip_suffix(".py")?;
            Some((name, file.contents_utf8()?))
        })
        .collect()
}

/// The file name a twin is shown and downloaded as: `primes.py`.
pub fn file_name(name: &str) -> String {
    format!("{name}.py")
}

/// A twin made for one demo block (a workload's), to be written with the others.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GeneratedTwin {
    pub file: String,
    pub code: String,
}

/// The twin made for the block of `spec` with `params`, when its demo's twin is made per block.
pub fn generated_twin(spec: &DemoSpec, params: &Map<String, Json>) -> Option<GeneratedTwin> {
    let stages = workload_stages(spec, params)?;
    Some(GeneratedTwin { file: workload_twin::file_name(stages), code: workload_twin::script(stages) })
}

/// The file name of the twin of the block of `spec` with `params`: the demo's (`primes.py`),
/// or the one made for the block (`workload-1a2b3c4d.py`).
pub fn script_name(spec: &DemoSpec, params: &Map<String, Json>) -> String {
    match workload_stages(spec, params) {
        Some(stages) => workload_twin::file_name(stages),
        None => file_name(spec.name),
    }
}

/// The stages of a workload block, which its twin is made for.
fn workload_stages<'p>(spec: &DemoSpec, params: &'p Map<String, Json>) -> Option<&'p Json> {
    params.get(STAGES_PARAM).filter(|_| spec.name == WORKLOAD)
}

/// The file the page fetches for the twin `file` (`primes.py`) of the script `code`:
/// `{"script": "primes.py", "html": "<span class=…"}`, the script highlighted.
pub fn highlighted_json(file: &str, code: &str, styles: &StyledScopes) -> String {
    serde_json::json!({ "script": file, "html": highlighted(code, styles) }).to_string()
}

/// A twin's script highlighted, with the spans and classes the site's stylesheets select
/// (as the chapters' code blocks): the inside of its `<code>`.
pub fn highlighted(code: &str, styles: &StyledScopes) -> String {
    highlight_code("python", code, styles).unwrap_or_else(|| {
        let mut plain = String::new();
        escape_text(&mut plain, code);
        plain
    })
}

/// The command line that runs the twin of `spec` with `params` (as in `data-params`):
/// `python3 primes.py --n 5000000 --chunks 64`. Parameters the page decides (workers) are left
/// out when not given, and `--modes` when every mode is chosen. The page's script keeps the
/// same rules for the values the reader sets (`theme/static/demos/figure/python-twin.js`): the
/// browser tests hold the two equal, and the cli tests run every twin with this command.
pub fn command_line(spec: &DemoSpec, params: &Map<String, Json>) -> String {
    let mut words = vec![PYTHON.to_owned(), script_name(spec, params)];
    for param in spec.params {
        let Some(value) = params.get(param.name) else { continue };
        let shown = match (&param.kind, value) {
            (ParamKind::Choices { allowed, .. }, Json::Array(chosen)) => {
                if chosen.len() == allowed.len() {
                    continue;
                }
                chosen.iter().filter_map(Json::as_str).collect::<Vec<_>>().join(",")
            }
            (_, Json::String(text)) => text.clone(),
            (_, other) => other.to_string(),
        };
        words.push(format!("--{}", param.name));
        words.push(shown);
    }
    words.join(" ")
}

/// "The same in Python" for a demo figure on a page whose way to the site's root is `root`
/// (`""`, `"../"`): a disclosure with the command line and a link to the script, or nothing
/// when the demo has no twin. It works without JavaScript; the page adds the copy buttons,
/// shows the highlighted script once opened, and keeps the command in step with the controls.
pub fn twin_html(spec: &DemoSpec, params: &Map<String, Json>, root: &str) -> Option<String> {
    let file = script_name(spec, params);
    if workload_stages(spec, params).is_none() {
        SCRIPTS.get_file(&file)?;
    }
    let mut out = String::with_capacity(1024);
    out.push_str("<details class=\"demo-python\" data-script=\"");
    escape_attr(&mut out, &file);
    out.push_str("\">\n<summary>The same in Python</summary>\n<div class=\"demo-python-body\">\n");
    out.push_str("<p class=\"demo-python-intro\">The same experiment in CPython, standard library only: save the script as <code>");
    escape_text(&mut out, &file);
    out.push_str("</code> and run it with the parameters above.</p>\n");
    out.push_str("<div class=\"demo-python-run\"><pre class=\"demo-python-command\"><code>");
    escape_text(&mut out, &command_line(spec, params));
    out.push_str("</code></pre></div>\n<div class=\"demo-python-tools\"><a class=\"demo-python-download\" href=\"");
    escape_attr(&mut out, &format!("{root}{TWINS_DIR}/{file}"));
    out.push_str("\" download=\"");
    escape_attr(&mut out, &file);
    out.push_str("\">Download ");
    escape_text(&mut out, &file);
    out.push_str("</a></div>\n</div>\n</details>\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use demos_wasm::catalogue;
    use serde_json::json;

    fn params(value: Json) -> Map<String, Json> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn the_twins_are_found_by_demo_name() {
        assert!(scripts().get("primes").is_some_and(|code| code.contains("def count_primes_in")));
        assert!(!scripts().contains_key("no-such-demo"));
        assert!(scripts().keys().all(|name| !name.contains('/')));
    }

    #[test]
    fn the_command_line_has_the_parameters_in_catalogue_order() {
        let primes = catalogue::find("primes").unwrap();
        let all = json!({ "n": 5_000_000, "chunks": 64, "modes": ["sequential", "threads", "processes", "async"] });
        assert_eq!(command_line(primes, &params(all)), "python3 primes.py --n 5000000 --chunks 64");
        let some = json!({ "modes": ["sequential", "threads"], "workers": 2, "chunks": 8, "n": 1000 });
        assert_eq!(command_line(primes, &params(some)), "python3 primes.py --n 1000 --chunks 8 --workers 2 --modes sequential,threads");
        let gil = catalogue::find("gil").unwrap();
        let choices = json!({ "work": "io", "gil": false, "switch_ms": 2 });
        assert_eq!(command_line(gil, &params(choices)), "python3 gil.py --work io --gil false --switch_ms 2");
    }

    #[test]
    fn a_workload_block_shows_the_twin_made_for_its_stages() {
        let workload = catalogue::find("workload").unwrap();
        let stages = json!([{ "kind": "compute", "on": "consumer", "units": 3 }]);
        let block = params(json!({ "items": 10, "concurrency": 2, "queue": 0, "seed": 1, "modes": ["sequential", "threads"], "stages": stages }));
        let script = workload_twin::file_name(&stages);
        assert_eq!(script_name(workload, &block), script);
        assert_eq!(command_line(workload, &block), format!("python3 {script} --items 10 --concurrency 2 --queue 0 --seed 1 --modes sequential,threads"));
        let twin = generated_twin(workload, &block).unwrap();
        assert_eq!(twin.file, script);
        assert!(twin.code.contains("\"units\": 3}"), "{}", twin.code);
        let html = twin_html(workload, &block, "").unwrap();
        assert!(html.contains(&format!("href=\"static/python/{script}\" download=\"{script}\"")), "{html}");
        assert_eq!(generated_twin(catalogue::find("primes").unwrap(), &block), None, "only a workload's twin is made per block");
    }

    #[test]
    fn the_figure_part_holds_the_command_and_a_link_to_the_script() {
        let primes = catalogue::find("primes").unwrap();
        let html = twin_html(primes, &params(json!({ "n": 1000 })), "../").unwrap();
        assert!(html.starts_with("<details class=\"demo-python\" data-script=\"primes.py\">"), "{html}");
        assert!(html.contains("<summary>The same in Python</summary>"));
        assert!(html.contains("<code>python3 primes.py --n 1000</code>"), "{html}");
        assert!(
            html.contains("<a class=\"demo-python-download\" href=\"../static/python/primes.py\" download=\"primes.py\">Download primes.py</a>"),
            "{html}"
        );
        assert!(!html.contains("def count_primes_in") && !html.contains("hl-"), "the script is not in the page: {html}");
        assert!(html.len() < 1024, "{} bytes", html.len());
    }

    #[test]
    fn the_script_is_highlighted_with_the_classes_the_stylesheets_select() {
        let code = scripts()["primes"];
        let css = include_str!("../../../theme/static/style.css");
        let trimmed = highlighted(code, &StyledScopes::from_stylesheets([css]));
        assert!(trimmed.contains("<span class=\"hl-keyword"), "{}", &trimmed[..400]);
        assert!(!trimmed.contains("hl-source") && !trimmed.contains("hl-meta"));
        let everything = highlighted(code, &StyledScopes::Everything);
        assert!(trimmed.len() < everything.len(), "{} vs {}", trimmed.len(), everything.len());
        let text = |h: &str| h.split('<').map(|p| p.split_once('>').map_or(p, |(_, t)| t)).collect::<String>();
        assert_eq!(text(&trimmed), text(&everything));
    }
}
