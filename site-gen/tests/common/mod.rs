//! What the whole-build and browser tests share: fixture books copied to temporary
//! folders and the real `site-gen` binary run on them; headless Chromium through
//! chromedriver, a book served by `site-gen serve` (or by a plain static host), the browser's log, Chrome DevTools
//! commands, and screenshots.

#![allow(dead_code)] // Each test file uses a different part.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

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

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

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

/// A child process killed when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `site-gen serve` on the book at `book`, writing the site to `dest`, and returns
/// it with the address it listens on.
pub fn serve(book: &Path, dest: &Path) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["serve", ".", "-p", "0", "-d"])
        .arg(dest)
        .current_dir(book)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("site-gen serve did not print its address: {line:?}"))
        .to_owned();
    (Running(child), address)
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

/// Starts headless Chromium with a fresh profile in `profile` and a window of
/// `width`×`height` pixels.
pub async fn start_browser(profile: &Path, width: u32, height: u32) -> (Running, Client) {
    start_browser_with(profile, width, height, &[]).await
}

/// [`start_browser`], with more Chromium flags.
pub async fn start_browser_with(profile: &Path, width: u32, height: u32, flags: &[String]) -> (Running, Client) {
    for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        assert!(Path::new(path).exists(), "{path} is missing: install the Debian package {package} (`make setup-test` does)");
    }
    let port = free_port();
    let driver = Running(
        Command::new(CHROMEDRIVER).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap(),
    );
    let mut args: Vec<String> = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars",
    ]
    .map(String::from)
    .to_vec();
    args.push(format!("--window-size={width},{height}"));
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend_from_slice(flags);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
    capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(&url).await {
            Ok(client) => return (driver, client),
            Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
            Err(e) => panic!("could not start Chromium through chromedriver: {e}"),
        }
    }
}

/// chromedriver's browser log (console messages and failed loads) since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// The browser's errors (failed loads, uncaught exceptions) since the last call.
pub async fn severe_log_entries(client: &Client) -> Vec<String> {
    let log = client.issue_cmd(BrowserLog).await.unwrap();
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A Chrome DevTools Protocol command sent through chromedriver.
#[derive(Debug)]
struct DevTools {
    command: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.command, "params": self.params }).to_string()))
    }
}

/// Sends a Chrome DevTools Protocol command (such as `Emulation.setEmulatedMedia`).
pub async fn devtools(client: &Client, command: &'static str, params: Value) -> Value {
    client.issue_cmd(DevTools { command, params }).await.unwrap_or_else(|e| panic!("{command}: {e}"))
}

/// Makes the page see `prefers-color-scheme: <scheme>` (`""` for the machine's own).
pub async fn emulate_color_scheme(client: &Client, scheme: &str) {
    devtools(client, "Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] })).await;
}

/// Makes the page use its print styles (`"print"`) or its screen styles (`""`).
pub async fn emulate_media(client: &Client, media: &str) {
    devtools(client, "Emulation.setEmulatedMedia", json!({ "media": media })).await;
}

/// Polls `script` (which returns a boolean) until it is true; panics with `what` after
/// `timeout`.
pub async fn wait_until(client: &Client, script: &str, what: &str, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    loop {
        if client.execute(script, vec![]).await.unwrap() == Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "{what} did not happen within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
