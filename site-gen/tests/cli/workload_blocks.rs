//! Workload demo blocks on a real build: the `workloads` fixture book checks and builds, each
//! figure carries its stages and shows its own Python twin, which the build writes once per
//! description; and each family of mistakes in a block fails the build with exit 1, its
//! file:line:column, what is wrong and what would be valid (kept whole in a snapshot,
//! `snapshots/cli__workload_blocks__<case>.snap`), leaving the previous build as it was.

use harness::BookTest;
use serde_json::Value;

use crate::bad_input::files_of;
use crate::book;

/// The `data-params` of the page's first figure.
fn figure_params(html: &str) -> Value {
    let start = html.find("data-params=\"").expect("a demo figure") + "data-params=\"".len();
    let attribute = &html[start..start + html[start..].find('"').unwrap()];
    serde_json::from_str(&attribute.replace("&quot;", "\"").replace("&amp;", "&")).unwrap()
}

/// The command line the page's first figure shows under "The same in Python".
fn figure_command(html: &str) -> &str {
    let start = html.find("<pre class=\"demo-python-command\"><code>").expect("a Python twin") + "<pre class=\"demo-python-command\"><code>".len();
    &html[start..start + html[start..].find('<').unwrap()]
}

#[test]
fn the_fixture_checks_and_builds_with_a_twin_per_description() {
    let book = book("workloads");
    book.run(&["check", "."]).expect_code(0);
    book.build();
    let mut scripts = Vec::new();
    for page in ["backpressure", "blocking-in-async", "lock-held-too-long", "fan-out"] {
        let html = book.read(&format!("book/{page}.html"));
        let params = figure_params(&html);
        let stages = params["stages"].as_array().unwrap_or_else(|| panic!("{page}: no stages in {params}"));
        assert!(stages.iter().all(|stage| stage["kind"].is_string() && stage["on"].is_string()), "{page}: {params}");
        let command = figure_command(&html);
        let script = command.split(' ').nth(1).unwrap().to_owned();
        assert!(script.starts_with("workload-") && script.ends_with(".py"), "{page}: {command}");
        assert!(command.contains(&format!("--items {}", params["items"])), "{page}: {command}");
        let code = book.read(&format!("book/static/python/{script}"));
        assert!(code.contains("STAGES = [") && code.contains(&format!("python3 {script}")), "{page}: {script}");
        assert!(book.read(&format!("book/static/python/{script}.json")).contains("\"html\""), "{page}: the highlighted script");
        assert!(html.contains(&format!("href=\"static/python/{script}\" download=\"{script}\"")), "{page}");
        scripts.push(script);
    }
    let backpressure = figure_params(&book.read("book/backpressure.html"));
    assert_eq!(backpressure["stages"][0], serde_json::json!({ "kind": "wait", "on": "producer", "mean_ms": 2, "distribution": "fixed" }));
    assert_eq!(backpressure["modes"], serde_json::json!(["sequential", "threads", "processes", "async"]));
    scripts.sort();
    scripts.dedup();
    assert_eq!(scripts.len(), 4, "four descriptions, four scripts: {scripts:?}");
}

#[test]
fn the_same_stages_share_one_script() {
    let book = book("workloads");
    let fan_out = book.read("content/fan-out.md");
    book.write("content/fan-out.md", fan_out.replace("items = 32", "items = 16"));
    book.write("content/again.md", format!("# Again\n\n{}", &fan_out[fan_out.find("```demo").unwrap()..]));
    book.write("content/SUMMARY.md", book.read("content/SUMMARY.md") + "[Again](again.md)\n");
    book.build();
    let (one, two) = (book.read("book/fan-out.html"), book.read("book/again.html"));
    let script = |html: &str| figure_command(html).split(' ').nth(1).unwrap().to_owned();
    assert_eq!(script(&one), script(&two));
    assert!(figure_command(&one).contains("--items 16") && figure_command(&two).contains("--items 32"));
    let scripts = std::fs::read_dir(book.path().join("book/static/python")).unwrap().filter(|e| {
        let name = e.as_ref().unwrap().file_name().to_string_lossy().into_owned();
        name.starts_with("workload-") && name.ends_with(".py")
    });
    assert_eq!(scripts.count(), 4);
}

/// Builds the fixture, writes `chapter` over its backpressure chapter and builds again: the
/// build must fail with exit 1 and leave the first build as it was; returns what the author reads.
fn broken(chapter: &str) -> String {
    let book: BookTest = book("workloads");
    book.build();
    let before = files_of(&book.path().join("book"));
    book.write("content/backpressure.md", chapter);
    let out = book.run(&["build", "."]);
    assert_eq!(out.code(), Some(1), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(files_of(&book.path().join("book")) == before, "the previous build was changed");
    out.redacted()
}

/// A chapter holding one demo block per body in `bodies`.
fn chapter(bodies: &[&str]) -> String {
    let mut text = String::from("# Broken\n");
    for body in bodies {
        text.push_str(&format!("\n```demo\nname = \"workload\"\n{body}```\n"));
    }
    text
}

#[test]
fn an_unknown_kind_lists_the_kinds() {
    let output = broken(&chapter(&["[[stage]]\nkind = \"sleep\"\nms = 3\n"]));
    assert!(output.contains("error: content/backpressure.md:6:8: unknown stage kind `sleep`"), "{output}");
    insta::assert_snapshot!("unknown_kind", output);
}

#[test]
fn a_key_its_kind_does_not_have_lists_its_keys() {
    let output = broken(&chapter(&["[[stage]]\nkind = \"compute\"\nunits = 5\nmean_ms = 3\n"]));
    assert!(output.contains("error: content/backpressure.md:8:1: a compute stage has no key `mean_ms`"), "{output}");
    insta::assert_snapshot!("key_of_another_kind", output);
}

#[test]
fn a_missing_key_points_at_its_stage() {
    let output = broken(&chapter(&["[[stage]]\nkind = \"wait\"\n", "[[stage]]\nunits = 4\n"]));
    assert!(output.contains("error: content/backpressure.md:5:1: this wait stage has no `mean_ms`"), "{output}");
    assert!(output.contains("error: content/backpressure.md:11:1: this stage does not say what it does"), "{output}");
    insta::assert_snapshot!("missing_key", output);
}

#[test]
fn wrong_types_say_what_is_expected() {
    let output = broken(&chapter(&["[[stage]]\nkind = \"blocking\"\nms = \"10\"\n", "[[stage]]\nkind = 2\n", "stage = \"compute\"\n"]));
    assert!(output.contains("error: content/backpressure.md:7:6: a blocking stage's `ms` must be a whole number, not a string"), "{output}");
    assert!(output.contains("error: content/backpressure.md:13:8: `kind` must be a string, not a whole number"), "{output}");
    assert!(output.contains("error: content/backpressure.md:18:9: `stage` must be a list of tables, each written `[[stage]]`, not a string"), "{output}");
    insta::assert_snapshot!("wrong_types", output);
}

#[test]
fn bad_sides_and_distributions_list_the_valid_ones() {
    let output = broken(&chapter(&["[[stage]]\nkind = \"wait\"\nmean_ms = 5\non = \"both\"\ndistribution = \"normal\"\n"]));
    assert!(output.contains("error: content/backpressure.md:8:6: `on` has an unknown side `both`"), "{output}");
    assert!(output.contains("error: content/backpressure.md:9:16: `distribution` has an unknown choice `normal`"), "{output}");
    insta::assert_snapshot!("bad_side_and_distribution", output);
}

#[test]
fn async_pool_needs_a_blocking_stage() {
    let output = broken(&chapter(&["modes = [\"async\", \"async-pool\"]\n\n[[stage]]\nkind = \"wait\"\nmean_ms = 5\n"]));
    assert!(output.contains("error: content/backpressure.md:5:9: `modes` names `async-pool`, but no stage is a blocking call"), "{output}");
    insta::assert_snapshot!("async_pool_without_blocking", output);
}

#[test]
fn the_workload_s_own_rules_point_at_the_key() {
    let output = broken(&chapter(&[
        "[[stage]]\nkind = \"compute\"\nunits = 9000\n",
        "queue = 4\n[[stage]]\nkind = \"compute\"\nunits = 1\n",
        "[[stage]]\nkind = \"compute\"\nunits = 1\n[[stage]]\nkind = \"wait\"\non = \"producer\"\nmean_ms = 1\n",
        "items = 1000\n[[stage]]\nkind = \"blocking\"\nms = 100\n",
    ]));
    for expected in [
        "error: content/backpressure.md:7:9: a compute stage's `units` = 9000 is out of range: it must be between 1 and 5000",
        "error: content/backpressure.md:12:9: `queue` = 4 bounds a queue no producer fills",
        "error: content/backpressure.md:25:6: a producer stage comes after a consumer stage",
        "error: content/backpressure.md:31:9: this workload would take about 100.0 s one item at a time",
    ] {
        assert!(output.contains(expected), "no {expected:?} in:\n{output}");
    }
    insta::assert_snapshot!("workload_rules", output);
}
