//! Headless Chromium through chromedriver (Debian's `chromium` and `chromium-driver`), and the
//! Chrome DevTools commands only Chromium has (emulated media, device metrics).

use std::path::Path;
use std::process::Command;

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value};

use super::session::Launch;
use super::{Engine, Session, INSECURE_HOST};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub(super) fn launch(profile: &Path) -> Launch {
    for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        assert!(Path::new(path).exists(), "{path} is missing: install the Debian package {package} (`make setup-test` does)");
    }
    let port = crate::free_port();
    let mut driver = Command::new(CHROMEDRIVER);
    driver.arg(format!("--port={port}"));
    // Without the background-networking flags Chromium tries to reach Google at every start,
    // which a machine without internet refuses, many times over.
    let mut args: Vec<String> = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars",
    ]
    .map(String::from)
    .to_vec();
    args.push(format!("--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1"));
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
    capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    Launch { driver, port, capabilities }
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

impl Session {
    /// Sends a Chrome DevTools Protocol command (Chromium only).
    pub async fn devtools(&self, command: &'static str, params: Value) -> Value {
        assert_eq!(self.engine, Engine::Chromium, "DevTools commands are Chromium's");
        self.client.issue_cmd(DevTools { command, params }).await.unwrap_or_else(|e| panic!("{command}: {e}"))
    }

    /// Makes the page see `prefers-color-scheme: <scheme>` (`""` for the machine's own; Chromium only).
    pub async fn emulate_color_scheme(&self, scheme: &str) {
        self.devtools("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] })).await;
    }

    /// Makes the page use its print styles (`"print"`) or its screen styles (`""`; Chromium only).
    pub async fn emulate_media(&self, media: &str) {
        self.devtools("Emulation.setEmulatedMedia", json!({ "media": media })).await;
    }
}
