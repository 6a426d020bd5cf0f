//! Edits that catch `site-gen serve` halfway: a chapter deleted, renamed, half written,
//! swapped for something that is not a file, or deleted while the whole book is being built.
//! Each time the last good site stays served, the open pages are told the problem (what the
//! overlay shows), and the next good save recovers.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::client::{get, page_text, Socket};
use crate::served;


/// Reads the socket's messages until one satisfies `wanted` (within a minute); returns it.
fn until(socket: &mut Socket, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let state = socket.next();
        if wanted(&state) {
            return state;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no {what} in a minute; last: {state}");
    }
}

/// The problems the pages are told, one text.
fn problems(state: &Value) -> String {
    state["problems"].as_array().map(|p| p.iter().map(|p| format!("{} {}", p["place"], p["text"])).collect::<Vec<_>>().join("\n")).unwrap_or_default()
}

fn has_problem(text: &'static str) -> impl Fn(&Value) -> bool {
    move |state| problems(state).contains(text)
}

fn no_problems(state: &Value) -> bool {
    state["problems"].as_array().is_some_and(|p| p.is_empty())
}

fn book(work: &tempfile::TempDir) -> std::path::PathBuf {
    work.path().join("book")
}

#[test]
fn a_deleted_chapter_is_named_and_restoring_it_recovers() {
    let (work, server, mut socket, first) = served();
    let chapter = book(&work).join("content/basics.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::remove_file(&chapter).unwrap();
    let broken = until(&mut socket, "problem", has_problem("content/basics.md does not exist"));
    assert!(problems(&broken).contains("content/SUMMARY.md:5:3"), "{broken}");
    assert_eq!(broken["build"], first["build"], "the last good build stays");
    assert!(page_text(&server.address, "/basics.html").contains("Basics"), "the last good page is served");

    std::fs::write(&chapter, format!("{text}\nBack again.\n")).unwrap();
    let fixed = until(&mut socket, "recovery", no_problems);
    assert_ne!(fixed["build"], first["build"]);
    assert!(page_text(&server.address, "/basics.html").contains("Back again."));
}

#[test]
fn a_renamed_chapter_is_named_and_following_it_in_summary_recovers() {
    let (work, server, mut socket, _) = served();
    let content = book(&work).join("content");
    std::fs::rename(content.join("basics.md"), content.join("fundamentals.md")).unwrap();
    until(&mut socket, "problem", has_problem("content/basics.md does not exist"));
    assert!(page_text(&server.address, "/basics.html").contains("Basics"));

    let summary = std::fs::read_to_string(content.join("SUMMARY.md")).unwrap();
    std::fs::write(content.join("SUMMARY.md"), summary.replace("(basics.md)", "(fundamentals.md)")).unwrap();
    until(&mut socket, "recovery", no_problems);
    assert!(page_text(&server.address, "/fundamentals.html").contains("Basics"));
}

#[test]
fn a_half_written_chapter_shows_its_problem_and_the_finished_save_recovers() {
    let (work, server, mut socket, _) = served();
    let chapter = book(&work).join("content/basics.md");
    // An editor that writes in two steps, the first of which is seen on its own.
    std::fs::write(&chapter, "+++\ntitle = \"Half").unwrap();
    let half = until(&mut socket, "problem", has_problem("content/basics.md:1:1"));
    assert!(problems(&half).contains("the front matter is not closed"), "{half}");
    assert!(page_text(&server.address, "/basics.html").contains("Basics"), "the last good page is served");

    let mut file = std::fs::OpenOptions::new().append(true).open(&chapter).unwrap();
    use std::io::Write;
    file.write_all(b" written\"\n+++\n# Basics\n\nWritten in two steps.\n").unwrap();
    drop(file);
    until(&mut socket, "recovery", no_problems);
    let page = page_text(&server.address, "/basics.html");
    assert!(page.contains("Written in two steps.") && page.contains("<title>Half written"), "{page}");

    // Many quick partial writes: whatever is seen halfway, the last one wins.
    for i in 0..20 {
        std::fs::write(&chapter, format!("# Basics\n\nDraft {i}")).unwrap();
        std::thread::sleep(Duration::from_millis(3));
    }
    std::fs::write(&chapter, "# Basics\n\nFinal text.\n").unwrap();
    let started = Instant::now();
    while !page_text(&server.address, "/basics.html").contains("Final text.") {
        assert!(started.elapsed() < Duration::from_secs(30), "the last save is served");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_chapter_swapped_for_a_pipe_is_named_and_the_server_keeps_answering() {
    let (work, server, mut socket, _) = served();
    let chapter = book(&work).join("content/basics.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::remove_file(&chapter).unwrap();
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    mknodat(CWD, &chapter, FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
    until(&mut socket, "problem", has_problem("content/basics.md is a named pipe (FIFO), not a file"));
    assert!(get(&server.address, "/basics.html").0.contains(" 200 "), "the server answers");

    std::fs::remove_file(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\nA file again.\n")).unwrap();
    until(&mut socket, "recovery", no_problems);
    assert!(page_text(&server.address, "/basics.html").contains("A file again."));
}

#[test]
fn a_build_into_the_folder_being_served_takes_its_turn_and_serving_goes_on() {
    let (work, server, mut socket, _) = served();
    let book = book(&work);
    let site = work.path().join("site");
    std::fs::write(book.join("content/basics.md"), "# Basics\n\nEdited for the build.\n").unwrap();
    until(&mut socket, "the edit", no_problems);
    let run = harness::Run::bounded(
        &crate::site_gen(),
        &["build", ".", "-d", &site.display().to_string()],
        &book,
        &harness::Bounds::time(Duration::from_secs(60)),
    )
    .expect_clean_exit(&[0]);
    assert!(page_text(&server.address, "/basics.html").contains("Edited for the build."), "{}", run.stderr);
    std::fs::write(book.join("content/basics.md"), "# Basics\n\nEdited after the build.\n").unwrap();
    until(&mut socket, "the next edit", no_problems);
    let started = Instant::now();
    while !page_text(&server.address, "/basics.html").contains("Edited after the build.") {
        assert!(started.elapsed() < Duration::from_secs(30), "serve writes into the folder the build swapped in");
        std::thread::sleep(Duration::from_millis(50));
    }
    let beside: Vec<String> =
        std::fs::read_dir(work.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".site")).collect();
    assert!(beside.is_empty(), "nothing left beside the build folder: {beside:?}");
}

#[test]
fn a_chapter_deleted_while_the_whole_book_is_built_is_named_and_recovers() {
    let (work, server, mut socket, first) = served();
    let content = book(&work).join("content");
    let summary = std::fs::read_to_string(content.join("SUMMARY.md")).unwrap();
    let colophon = std::fs::read_to_string(content.join("colophon.md")).unwrap();
    // SUMMARY.md builds the whole book; the chapter goes while that build runs or just after.
    std::fs::write(content.join("SUMMARY.md"), summary.replace("[Colophon]", "[The colophon]")).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::remove_file(content.join("colophon.md")).unwrap();
    let broken = until(&mut socket, "problem", has_problem("content/colophon.md does not exist"));
    assert!(page_text(&server.address, "/colophon.html").contains("Colophon"), "the last good page is served");
    let _ = broken;

    std::fs::write(content.join("colophon.md"), colophon).unwrap();
    let fixed = until(&mut socket, "recovery", no_problems);
    assert_ne!(fixed["build"], first["build"]);
    assert!(page_text(&server.address, "/toc.js").contains("The colophon"));
    assert!(!Path::new(&work.path().join(".site.lock")).exists(), "no lock is left behind");
}
