//! Headless Chromium through chromedriver: starting it, the browser's log, Chrome DevTools
//! commands and waiting on the page, for the browser tests that go through `common` (the
//! benchmarks use the harness's sessions).

#![allow(dead_code)] // Each user takes a different part.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

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

/// Starts `command`, a `site-gen serve`, and returns it with the address it says it
/// listens on (from the first line it prints: `Serving … at http://<address>/`).
pub fn start_server(mut command: Command) -> (Running, String) {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("{command:?} did not print its address: {line:?}"))
        .to_owned();
    (Running(child), address)
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
