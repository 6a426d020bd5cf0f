//! `serve`'s options beyond where to listen: `--poll`, for file systems that send no change
//! events, and `--open`, the served address in the browser once it listens.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use harness::server::start_server;
use harness::{copy_tree, fixture};

use crate::client::page_text;
use crate::{site_gen, start_with};

/// Waits up to a minute for `done`, trying every 50 ms.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(60), "no {what} in a minute");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn polling_picks_up_an_edit() {
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    copy_tree(&fixture("basic"), &book);
    let server = start_with(&book, &work.path().join("site"), &["--poll", "--poll-interval", "100"], Stdio::null());
    assert!(page_text(&server.address, "/basics.html").contains("Basics"));

    let chapter = book.join("content/basics.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\nSeen by polling.\n")).unwrap();
    eventually("rebuilt page", || page_text(&server.address, "/basics.html").contains("Seen by polling."));
    // At once again, within the same second: the poller's modification times are whole seconds.
    std::fs::write(&chapter, format!("{text}\nSeen again.\n")).unwrap();
    eventually("second rebuild", || page_text(&server.address, "/basics.html").contains("Seen again."));
}

#[test]
fn the_poll_interval_needs_poll() {
    let out = site_gen().run(&["serve", ".", "--poll-interval", "100"], Path::new("."));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--poll"), "{out:?}");
}

#[test]
fn open_opens_the_served_address() {
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    copy_tree(&fixture("basic"), &book);
    let browser = harness::cli::recording_browser(work.path());
    let mut command = site_gen().serve_command(&book, &work.path().join("site"));
    command.arg("--open").env("BROWSER", &browser).stderr(Stdio::null());
    let (_process, address) = start_server(command);
    let opened = work.path().join("opened");
    eventually("browser opened", || opened.is_file());
    // Written by one `printf`: whole once it is there, but give the script its moment.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), format!("http://{address}/\n"));
}

#[test]
fn open_on_every_address_opens_this_machines_own() {
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    copy_tree(&fixture("basic"), &book);
    let browser = harness::cli::recording_browser(work.path());
    let mut command = site_gen().serve_command(&book, &work.path().join("site"));
    command.args(["--open", "-n", "0.0.0.0"]).env("BROWSER", &browser).stderr(Stdio::null());
    let (_process, address) = start_server(command);
    let port = address.rsplit(':').next().unwrap();
    let opened = work.path().join("opened");
    eventually("browser opened", || opened.is_file());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), format!("http://127.0.0.1:{port}/\n"));
}
