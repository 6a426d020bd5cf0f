//! Property-based fuzzing of the parsers an author's files go through: SUMMARY.md, front
//! matter, demo blocks, `{{#include}}` expansion and the whole Markdown-to-HTML path.
//!
//! Properties: no input makes them panic, and every error they report points at a place
//! inside the file (line ≥ 1, column ≥ 1, line ≤ number of lines + 1). Inputs are both
//! arbitrary strings and near-valid text built from the grammar's own pieces.
//!
//! `cargo test` runs 256 cases per property from a fixed seed; a long run is opt-in:
//! `PROPTEST_CASES=200000 cargo test -p concurrency-lab --test properties`. Failures are kept beside
//! this file, in `parsers.proptest-regressions` (commit it), and replayed first on every run.

use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};
use site_gen::diagnostic::{position_of, Diagnostic};
use site_gen::include::{expand, Expanded};

/// 256 cases from a fixed seed, or `PROPTEST_CASES` of them.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256);
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x5175_6e67),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        max_shrink_iters: 4096,
        ..ProptestConfig::default()
    }
}

/// Pieces of the book's grammars: the near-valid text most likely to reach deep paths.
const PIECES: &[&str] = &[
    "- [", "](", ")", "[", "]", "# ", "## ", "---", "+++", "\n", "\r\n", " ", "  ", "\t", "*", "1. ",
    "{{#include ", "{{#title ", "}}", "{{#", "\\{{#include a.md}}", "a.md", "b.md", "../", "./", "/", ":", "::", "2:",
    "ANCHOR: x", "ANCHOR_END: x", "```", "```demo\n", "~~~", "`", "name = \"primes\"", "n = 100000",
    "[predict]\n", "winner = true", "speedup = \"threads\"", "predict = ",
    "name = \"workload\"", "[[stage]]\n", "kind = \"compute\"", "kind = \"wait\"", "units = 5", "mean_ms = 3",
    "on = \"producer\"", "ms = 2", "queue = 4", "distribution = \"uniform\"", "stage = ",
    "title = \"T\"", "draft = true", "title: T", "description: d", "= ", "\"", "'''", "[x]", "[[x]]", "{ a = 1 }",
    "é", "字", "🦀", "\u{feff}", "\u{200b}", "\0", "<", ">", "&", "<div>", "](a.md#b)", "](../x.md)", "> [!NOTE]",
    "| a | b |\n|---|---|", "[^1]", "[^1]: note", "${}", "%", "\\",
];

/// Text made of random grammar pieces and a little random noise.
fn near_valid() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(PIECES).prop_map(str::to_owned),
            1 => "\\PC{0,6}",
            1 => any::<char>().prop_map(String::from),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

/// Any text: arbitrary Unicode, or near-valid text.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![1 => any::<String>(), 3 => near_valid()]
}

/// Fails unless `position` is a place inside `source`.
fn assert_inside(source: &str, line: usize, column: usize, what: &str) {
    let lines = source.split('\n').count();
    assert!(line >= 1 && column >= 1, "{what}: position {line}:{column} is not 1-based");
    assert!(line <= lines + 1, "{what}: line {line} is past the end ({lines} lines)");
}

/// Fails unless the diagnostic has a position inside its file (`text_of(file)`), and the
/// lines it shows hold the place it marks; rendering it must not panic either.
fn assert_placed(d: &Diagnostic, text_of: &dyn Fn(&Path) -> Option<String>) {
    let position = d.location.position.unwrap_or_else(|| panic!("no position: {d}"));
    if let Some(excerpt) = &d.source {
        let span = &excerpt.span;
        assert!(span.start <= span.end && span.end <= excerpt.text.len(), "span {span:?} outside the {} bytes shown: {d}", excerpt.text.len());
        assert_eq!(excerpt.first_line, position.line, "the lines shown start at the problem's line: {d}");
    }
    let source = text_of(&d.location.file).unwrap_or_else(|| panic!("no text for {}: {d}", d.location.file.display()));
    assert_inside(&source, position.line, position.column, &d.to_string());
    let _ = d.render();
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn summary_never_panics_and_places_errors(text in any_text()) {
        if let Err(d) = site_gen::summary::parse_summary(Path::new("SUMMARY.md"), &text) {
            assert_placed(&d, &|_| Some(text.clone()));
        }
    }

    #[test]
    fn front_matter_never_panics_and_places_errors(text in any_text()) {
        match site_gen::front_matter::split_front_matter(Path::new("a.md"), &text) {
            Ok((_, start)) => prop_assert!(start <= text.len() && text.is_char_boundary(start)),
            Err(d) => assert_placed(&d, &|_| Some(text.clone())),
        }
    }

    #[test]
    fn demo_block_never_panics_and_places_problems(body in any_text()) {
        if let Err(problems) = site_gen::demo_block::parse_demo_block(&body) {
            prop_assert!(!problems.is_empty());
            for p in problems {
                prop_assert!(p.span.start <= p.span.end && p.span.end <= body.len(), "{:?} outside {} bytes", p.span, body.len());
                let at = position_of(&body, p.span.start);
                assert_inside(&body, at.line, at.column, &p.message);
            }
        }
    }

    #[test]
    fn markdown_never_panics_and_places_errors(text in any_text()) {
        let source: Arc<str> = text.clone().into();
        let chapter = Expanded::plain(Path::new("a.md"), source, 0);
        match site_gen::markdown::render_markdown(&chapter, &site_gen::highlight::StyledScopes::Everything) {
            Ok(_) => {}
            Err(problems) => for d in problems { assert_placed(&d, &|_| Some(text.clone())) },
        }
    }

    #[test]
    fn includes_never_panic_and_place_errors(
        files in prop::collection::vec(any_text(), 1..5),
        names in prop::collection::vec(prop::sample::select(&["a.md", "b.md", "sub/c.md", "d.rs", "../out.md", "sub/../a.md"][..]), 1..5),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(dir.path().join("out.md"), "outside {{#include book/a.md}}\n").unwrap();
        for (name, text) in names.iter().zip(files.iter().cycle()) {
            let path = root.join(name);
            if path.starts_with(&root) && !name.contains("..") {
                std::fs::write(path, text).unwrap();
            }
        }
        let chapter = root.join("a.md");
        let text = std::fs::read_to_string(&chapter).unwrap_or_else(|_| files[0].clone());
        let source: Arc<str> = text.clone().into();
        if let Err(problems) = expand(&root, &chapter, Path::new("a.md"), source, 0) {
            prop_assert!(!problems.is_empty());
            // The chapter may be text that was never written to a file.
            let text_of = |file: &Path| std::fs::read_to_string(root.join(file)).ok().or_else(|| (file == Path::new("a.md")).then(|| text.clone()));
            for d in problems {
                assert_placed(&d, &text_of);
            }
        }
    }
}

/// Cycles and `..` paths, written out, as the generated cases above reach them only by luck:
/// a cycle is an error, a file outside the book's repository a warning, each at its place.
#[test]
fn include_cycles_and_escapes_are_reported_with_places() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("a.md"), "# A\r\n\r\n{{#include sub/b.md}}\n{{#include ../secret.md}}\n").unwrap();
    std::fs::write(root.join("sub/b.md"), "é {{#include ../a.md}}\n").unwrap();
    std::fs::write(dir.path().join("secret.md"), "no\n").unwrap();
    let text = std::fs::read_to_string(root.join("a.md")).unwrap();
    let problems = expand(&root, &root.join("a.md"), Path::new("a.md"), text.into(), 0).unwrap_err();
    let messages: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    assert!(messages.iter().any(|m| m.contains("include cycle")), "{messages:?}");
    for d in &problems {
        assert_placed(d, &|file| std::fs::read_to_string(root.join(file)).ok());
    }
    // Outside the book's repository (here the book's folder: no `.git`), a warning, placed too.
    std::fs::write(root.join("c.md"), "x
{{#include ../secret.md}}
").unwrap();
    let text = std::fs::read_to_string(root.join("c.md")).unwrap();
    let expanded = expand(&root, &root.join("c.md"), Path::new("c.md"), text.into(), 0).unwrap();
    assert!(expanded.warnings.iter().any(|w| w.to_string().contains("outside the repository that holds the book")), "{:?}", expanded.warnings);
    for d in &expanded.warnings {
        assert_placed(d, &|file| std::fs::read_to_string(root.join(file)).ok());
    }
}
