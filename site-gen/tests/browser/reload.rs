//! Live reload in every engine: `site-gen serve` serves a copy of the `basic` fixture book, a page
//! is open, and the test edits the chapter's Markdown on disk. The open page must show the new
//! text by itself; a broken demo block must appear over the page (file:line:column) while the page
//! keeps the last good text; fixing it must remove the panel and show the fixed text.
//! Screenshots: `target/e2e/<engine>/reload-*.png`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use harness::Session;
use serde_json::Value;

/// How long the page may take to follow a change on disk (far longer than it does).
const FOLLOW_TIMEOUT: Duration = Duration::from_secs(30);

/// What the open page shows.
const READ_PAGE: &str = r#"
const panel = document.getElementById('site-gen-problems');
return {
  text: (document.querySelector('article.chapter') || document.body).innerText,
  marked: window.__openedByTheTest === true,
  panel: panel ? panel.innerText : null,
  places: panel ? [...panel.querySelectorAll('.site-gen-problem-place')].map(e => e.textContent) : [],
  elements_from_text: panel ? panel.querySelectorAll('img, b').length : 0,
};
"#;

/// Polls the page until `done` holds for what it shows; returns that.
async fn wait_for(s: &Session, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + FOLLOW_TIMEOUT;
    loop {
        // A reload may be under way: a failed read is tried again.
        if let Ok(state) = s.client.execute(READ_PAGE, vec![]).await {
            if done(&state) {
                return state;
            }
            assert!(Instant::now() < deadline, "the page did not show {what} in {FOLLOW_TIMEOUT:?}: {state:#}");
        } else {
            assert!(Instant::now() < deadline, "the page did not show {what} in {FOLLOW_TIMEOUT:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The page as served now, over plain HTTP.
fn served(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

pub async fn an_open_page_follows_edits_and_shows_problems(s: &Session) {
    // A book of its own: the test edits it.
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    harness::copy_tree(&harness::fixture("basic"), &book);
    harness::with_demo_runtime(&book);
    let chapter = book.join("content/basics.md");
    let original = std::fs::read_to_string(&chapter).unwrap();
    let (_server, address) = crate::sites::site_gen().serve(&book, &work.path().join("site"));

    // A page that reloads itself while it fetches the demos' WebAssembly cuts that fetch short.
    s.expect_console("demos_wasm_bg.wasm - Failed to load resource: net::ERR_CONNECTION_RESET");
    s.goto(&format!("http://{address}/basics.html")).await;
    let opened = wait_for(s, "the chapter", |s| s["text"].as_str().unwrap_or_default().contains("Some emphasis")).await;
    assert!(opened["panel"].is_null(), "{opened:#}");
    // Gone once the page reloads: proof that it did so by itself.
    s.execute("window.__openedByTheTest = true;").await;
    s.screenshot("reload-0-opened").await;

    // An edit on disk reaches the open page.
    let edited = original.replace("# Basics\n", "# Basics\n\nThis sentence was added while the page was open.\n");
    std::fs::write(&chapter, &edited).unwrap();
    let state = wait_for(s, "the edit", |s| {
        s["text"].as_str().unwrap_or_default().contains("added while the page was open")
    })
    .await;
    assert_eq!(state["marked"], false, "the page reloaded itself: {state:#}");
    assert!(state["panel"].is_null(), "{state:#}");
    s.screenshot("reload-1-edited").await;

    // A broken demo block: the problem over the page, at file:line:column, and the last
    // good text still there (and still served).
    s.execute("window.__openedByTheTest = true;").await;
    let broken = format!(
        "{edited}\nThis sentence is never shown.\n\n```demo\nname = \"primes\"\nworkers = \"many\"\n```\n\n\
         ```demo\nname = \"<img src=x onerror=alert(1)><b>bold</b>\"\n```\n"
    );
    std::fs::write(&chapter, &broken).unwrap();
    let line = |start: &str| broken.lines().position(|l| l.starts_with(start)).unwrap() + 1;
    let state = wait_for(s, "the problems", |s| !s["panel"].is_null()).await;
    let places: Vec<&str> = state["places"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(
        places,
        [format!("content/basics.md:{}:11", line("workers")), format!("content/basics.md:{}:8", line("name = \"<img"))],
        "{state:#}"
    );
    let panel = state["panel"].as_str().unwrap();
    assert!(panel.contains("workers = \"many\""), "the panel quotes the line: {panel}");
    assert!(panel.contains("<img src=x onerror=alert(1)><b>bold</b>"), "shown as text: {panel}");
    assert_eq!(state["elements_from_text"], 0, "nothing in a problem becomes markup");
    assert!(panel.contains("last good build"), "{panel}");
    let text = state["text"].as_str().unwrap();
    assert!(text.contains("added while the page was open") && !text.contains("never shown"), "{state:#}");
    assert_eq!(state["marked"], true, "a problem does not reload the page");
    let page = served(&address, "/basics.html");
    assert!(page.contains("added while the page was open") && !page.contains("never shown"), "the last good page is served");
    s.screenshot("reload-2-problem").await;

    // Fixed: the panel goes and the page shows the fixed text.
    let fixed = broken
        .replace("workers = \"many\"", "workers = 2")
        .replace("<img src=x onerror=alert(1)><b>bold</b>", "primes")
        .replace("is never shown", "is shown once fixed");
    std::fs::write(&chapter, &fixed).unwrap();
    let state = wait_for(s, "the fix", |s| {
        s["panel"].is_null() && s["text"].as_str().unwrap_or_default().contains("is shown once fixed")
    })
    .await;
    assert_eq!(state["marked"], false, "{state:#}");
    s.screenshot("reload-3-fixed").await;
    // Leave the page while its server still runs: the page would go on fetching from it.
    s.goto("about:blank").await;
}
