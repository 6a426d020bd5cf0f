//! A workload block edited while `site-gen serve` runs: its twin is made for its stages, so new
//! stages bring a script the site did not have, which must be served with the page that shows it.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::client::{page_text, Socket};
use crate::served;

/// The chapter with a workload block whose one stage computes `units` units.
fn chapter(units: u32) -> String {
    format!("# Demo page\n\n```demo\nname = \"workload\"\nitems = 4\n\n[[stage]]\nkind = \"compute\"\nunits = {units}\n```\n")
}

/// Waits (up to a minute) for a build other than `before` without problems; returns its state.
fn next_good_build(socket: &mut Socket, before: &Value) -> Value {
    let started = Instant::now();
    loop {
        let state = socket.next();
        if state["build"] != *before && state["problems"].as_array().is_some_and(|p| p.is_empty()) {
            return state;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no good build in a minute; last: {state}");
    }
}

/// The script the page's figure names under "The same in Python".
fn figure_script(page: &str) -> String {
    let command = page.split("<pre class=\"demo-python-command\"><code>").nth(1).expect("a Python twin");
    command.split(' ').nth(1).expect("python3 <script>").to_owned()
}

#[test]
fn a_workload_edited_while_serving_has_its_new_twin_served() {
    let (work, server, mut socket, first) = served();
    let file = work.path().join("book/content/demo.md");
    let mut before = first["build"].clone();
    let mut scripts = Vec::new();
    for units in [2, 3] {
        std::fs::write(&file, chapter(units)).unwrap();
        before = next_good_build(&mut socket, &before)["build"].clone();
        let script = figure_script(&page_text(&server.address, "/demo.html"));
        let code = page_text(&server.address, &format!("/static/python/{script}"));
        assert!(code.contains(&format!("\"units\": {units}}}")), "{script}: {code}");
        scripts.push(script);
    }
    assert_ne!(scripts[0], scripts[1], "new stages, a new script");
}
