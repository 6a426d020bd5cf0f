//! What the `browser_*.rs` tests share (the other test binaries use the `harness` crate):
//! fixture books copied to temporary folders and the real `site-gen` binary run on them;
//! headless Chromium through
//! chromedriver, a book served by `site-gen serve` (or by a plain static host), the browser's log, Chrome DevTools
//! commands, and screenshots.

#![allow(dead_code)] // Each test file uses a different part.

mod browser;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fantoccini::Client;

pub use browser::*;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Copies a fixture book into a fresh temporary folder, so builds never touch the repo.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `site-gen ARGS` in `dir`.
pub fn site_gen(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_site-gen")).args(args).current_dir(dir).output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// The lines of `check`'s output that report problems (`file:line:column: …`), help cut off.
pub fn problem_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(|l| l.split(" (help: ").next().unwrap().to_owned())
        .collect()
}

/// The browser tests take turns: two browsers at once would compete for the machine's cores.
/// Each test holds it from start to end, across its awaits (hence `await_holding_lock`
/// allowed on them): each runs on a runtime of its own, so nothing else waits on that thread.
pub static ONE_BROWSER_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `target/e2e/`, where screenshots are saved to be looked at.
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    let dir = target.join("e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

/// Starts `site-gen serve` on the book at `book`, writing the site to `dest`, and returns
/// it with the address it listens on.
pub fn serve(book: &Path, dest: &Path) -> (Running, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_site-gen"));
    command.args(["serve", ".", "-p", "0", "-d"]).arg(dest).current_dir(book);
    start_server(command)
}

/// Serves `dir` (a built site) with no special headers and no check of the `Host` name, as a
/// plain static host would: for pages opened by a name that is not a secure context, which
/// `site-gen serve` (listening on loopback, answering loopback names only) refuses.
pub async fn serve_plain(dir: &Path) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let app = axum::Router::new().fallback_service(tower_http::services::ServeDir::new(dir));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    address
}
