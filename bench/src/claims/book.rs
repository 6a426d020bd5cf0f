//! The claims book: one page per run of the book's claims (and per demo no claim names), each
//! holding that run's demo block.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

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
        let mut block = format!("name = \"{}\"\n", run.demo);
        for (key, value) in &run.params {
            let _ = writeln!(block, "{key} = {value}");
        }
        let page = format!("# {}\n\n```demo\n{block}```\n", run.demo);
        write_file(&content.join(format!("{stem}.md")), &page)?;
    }
    write_file(&content.join("SUMMARY.md"), &summary)
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
