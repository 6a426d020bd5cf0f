//! The claims book: one page per run of the book's claims (and per demo no claim names), each
//! holding that run's demo block (a workload's stages as its `[[stage]]` tables).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use site_gen::demo_block::{STAGES_PARAM, STAGE_KEY};

use crate::claims::Run;

/// The page of run number `index`, as the built site names it.
pub fn page_name(index: usize) -> String {
    format!("run-{}.html", index + 1)
}

/// Writes the book (book.toml, content/SUMMARY.md, a page per run) into `dir`, afresh.
pub fn write(dir: &Path, runs: &[Run], demos_dir: &Path) -> Result<(), String> {
    let content = dir.join("content");
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(&content).map_err(|e| format!("cannot create {}: {e}", content.display()))?;
    let demos_dir = toml::Value::String(demos_dir.display().to_string());
    let config = format!(
        "[book]\ntitle = \"Demo claims\"\nlanguage = \"en\"\n\n[build]\ndemos-dir = {demos_dir}\n"
    );
    write_file(&dir.join("book.toml"), &config)?;
    let mut summary = String::from("# Summary\n\n");
    for (index, run) in runs.iter().enumerate() {
        let stem = format!("run-{}", index + 1);
        let _ = writeln!(summary, "[{}]({stem}.md)", run.demo);
        let page = format!("# {}\n\n```demo\n{}```\n", run.demo, demo_block(run));
        write_file(&content.join(format!("{stem}.md")), &page)?;
    }
    write_file(&content.join("SUMMARY.md"), &summary)
}

/// The body of the demo block of `run`: its parameters, then a workload's stages as tables.
pub fn demo_block(run: &Run) -> String {
    let mut block = format!("name = \"{}\"\n", run.demo);
    let mut tables = String::new();
    for (key, value) in &run.params {
        match value.as_array().filter(|_| key == STAGES_PARAM) {
            Some(stages) => {
                for stage in stages.iter().filter_map(toml::Value::as_table) {
                    let _ = writeln!(tables, "\n[[{STAGE_KEY}]]");
                    for (key, value) in stage {
                        let _ = writeln!(tables, "{key} = {value}");
                    }
                }
            }
            None => {
                let _ = writeln!(block, "{key} = {value}");
            }
        }
    }
    block + &tables
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::runs_of;
    use site_gen::claims::book_claims;
    use site_gen::demo_block::parse_demo_block;

    #[test]
    fn a_workload_run_is_written_with_its_stages_as_the_chapter_wrote_them() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("src");
        fs::create_dir_all(&content).unwrap();
        fs::write(content.join("SUMMARY.md"), "# Summary\n\n- [One](one.md)\n").unwrap();
        let chapter = "# One\n\nThe pool helps {{#claim workload async-pool faster python=faster items=12}}.\n\n\
                       ```demo\nname = \"workload\"\nitems = 20\n\n[[stage]]\nkind = \"wait\"\non = \"producer\"\nmean_ms = 4\n\n\
                       [[stage]]\nkind = \"blocking\"\nms = 10\n```\n";
        fs::write(content.join("one.md"), chapter).unwrap();
        let claims = book_claims(dir.path()).unwrap();
        let runs = runs_of(&claims).unwrap();
        assert_eq!((runs.len(), runs[0].demo.as_str()), (1, "workload"));
        let body = demo_block(&runs[0]);
        assert!(body.contains("items = 12\n") && body.contains("\n[[stage]]\n"), "{body}");
        let block = parse_demo_block(&body).unwrap_or_else(|problems| panic!("{body}\n{problems:?}"));
        assert_eq!(block.params, claims[0].run_params, "{body}");
    }
}
