//! `book-bench search`: what a reader's first search on a 5,000-page book downloads. The
//! measurement is site-gen's ignored browser test `first_query_on_a_5000_page_book`
//! (site-gen/tests/browser/search.rs: a generated book, its search index, headless Chromium
//! typing each query a key at a time); this runs it and prints its figures beside the
//! 300 KB target.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::load_average;

/// What a first query may download (the test's own limit: 300 KiB).
const TARGET_BYTES: f64 = 300.0 * 1024.0;

/// One query's figures, as the test prints them (sizes in KiB).
#[derive(Debug, PartialEq)]
struct Query {
    query: String,
    results: usize,
    files: usize,
    index_kib: f64,
    gzip_kib: f64,
    engine_kib: f64,
}

pub fn search_download(cargo: &Path, release: bool) -> Result<(), String> {
    let load_before = load_average();
    let started = Instant::now();
    let mut command = Command::new(cargo);
    command.args(["test", "-p", "site-gen", "--test", "browser"]);
    if release {
        command.arg("--release");
    }
    command.args(["--", "--ignored", "--nocapture", "--exact", "first_query_on_a_5000_page_book"]);
    eprintln!("running {command:?} (builds the test if needed, then a 5,000-page book and its index)");
    let output = command.output().map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let queries: Vec<Query> = stdout.lines().filter_map(parse_query_line).collect();
    if queries.is_empty() {
        return Err(format!(
            "{command:?} printed no figures:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let built = stdout.lines().find(|l| l.contains(" chapters, ") && l.contains("search index:")).unwrap_or("");

    println!("\nFirst search query on a generated 5,000-page book (about 2,000 words a page, a chapter in 25 in Chinese,");
    println!("one in 25 in Russian), measured by site-gen's test first_query_on_a_5000_page_book in headless Chromium: a");
    println!("fresh page per query, typed a key every 200 ms, every index file fetched on the way counted at its size on");
    println!("disk (as a reader with an empty cache gets it; KB here are 1,024 bytes). {:.0} s in all, load average (1, 5, 15", started.elapsed().as_secs_f64());
    println!("min) {load_before} before, {} after.", load_average());
    if !built.is_empty() {
        println!("The book: {}", built.trim());
    }
    println!("\n| first query | results | index files | index | index (gz) | + the search engine's JS | target |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    for q in &queries {
        let met = if q.index_kib * 1024.0 <= TARGET_BYTES { "≤ 300 KB met" } else { "≤ 300 KB NOT met" };
        println!(
            "| {:?} | {} | {} | {:.1} KB | {:.1} KB | {:.1} KB | {met} |",
            q.query,
            q.results,
            q.files,
            q.index_kib,
            q.gzip_kib,
            q.index_kib + q.engine_kib
        );
    }
    let worst = queries.iter().max_by(|a, b| a.index_kib.total_cmp(&b.index_kib)).expect("not empty");
    println!(
        "\nWorst first query: {:?}, {:.1} KB of index ({:.1} KB gzipped) — target ≤ 300 KB {}.",
        worst.query,
        worst.index_kib,
        worst.gzip_kib,
        if worst.index_kib * 1024.0 <= TARGET_BYTES { "met" } else { "NOT met" }
    );
    if !output.status.success() {
        println!("(The test itself failed: {}.)", String::from_utf8_lossy(&output.stdout).lines().filter(|l| l.contains("panicked")).collect::<Vec<_>>().join("; "));
    }
    Ok(())
}

/// `first query "thread": 20 results; 5 index files, 123.4 KB (45.6 KB gzipped; …), largest 80.0 KB; search engine JS 10.0 KB`.
fn parse_query_line(line: &str) -> Option<Query> {
    let rest = line.strip_prefix("first query ")?;
    let (quoted, rest) = rest.split_once(": ")?;
    let query: String = serde_json::from_str(quoted).ok()?;
    let (results, rest) = rest.split_once(" results; ")?;
    let (files, rest) = rest.split_once(" index files, ")?;
    let (index, rest) = rest.split_once(" KB (")?;
    let (gzip, rest) = rest.split_once(" KB gzipped")?;
    let engine = rest.split("search engine JS ").nth(1)?.trim_end().strip_suffix(" KB")?;
    Some(Query {
        query,
        results: results.parse().ok()?,
        files: files.parse().ok()?,
        index_kib: index.parse().ok()?,
        gzip_kib: gzip.parse().ok()?,
        engine_kib: engine.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tests_lines() {
        let line = "first query \"mutex deadlock\": 20 results; 5 index files, 123.4 KB (45.6 KB gzipped; 1 meta: 1.0 KB, \
                    2 terms: 60.0 KB, 1 docs: 30.0 KB, 1 text: 32.4 KB), largest 60.0 KB; search engine JS 10.5 KB";
        let q = parse_query_line(line).unwrap();
        assert_eq!(
            q,
            Query { query: "mutex deadlock".into(), results: 20, files: 5, index_kib: 123.4, gzip_kib: 45.6, engine_kib: 10.5 }
        );
        assert!(parse_query_line("generated the book in 3.0 s").is_none());
    }
}
