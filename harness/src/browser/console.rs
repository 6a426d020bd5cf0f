//! What pages logged, from every source an engine offers: the page itself (a script added to
//! every test book, `console-capture.js`, which records warnings, errors and unhandled errors),
//! Chromium's log through chromedriver (the page's and its workers' console, failed loads), and
//! Firefox's standard output (the console of pages and workers, with
//! `devtools.console.stdout.content`). WebKit's driver offers none: its workers' console is not
//! seen there, the page's is.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value};

use super::{Engine, Session};
use crate::server::Running;

/// One warning or error a page logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// Where it was seen: `page`, `chromium` or `firefox`.
    pub source: &'static str,
    pub level: String,
    pub text: String,
}

/// The script tests add to their books (`books::add_script`) so that pages keep what they log.
pub fn capture_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/browser/console-capture.js")
}

/// Starts a driver in a process group of its own, keeping the lines of its output that report
/// a page's warnings and errors.
pub(super) fn start_driver(mut command: Command, engine: Engine) -> (Running, Arc<Mutex<Vec<String>>>) {
    crate::cleanup::own_group(&mut command);
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = command.spawn().unwrap_or_else(|e| panic!("cannot start the {} driver {command:?}: {e}", engine.name()));
    crate::cleanup::kill_group_at_exit(child.id());
    let output = Arc::new(Mutex::new(Vec::new()));
    let stdout = child.stdout.take().expect("piped");
    let kept = Arc::clone(&output);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if is_console_problem(&line) {
                kept.lock().unwrap().push(line);
            }
        }
    });
    (Running(child), output)
}

/// A line of Firefox's output that reports a page's warning or error (not one of the browser's
/// own modules, at `resource://` or `chrome://` addresses, which log on the same output).
fn is_console_problem(line: &str) -> bool {
    let problem = line.starts_with("console.warn: ") || line.starts_with("console.error: ") || line.starts_with("JavaScript error: ");
    problem && !line.contains("resource://") && !line.contains("chrome://")
}

/// What the driver printed since the last call.
pub(super) fn take_driver_output(output: &Mutex<Vec<String>>) -> Vec<Logged> {
    std::mem::take(&mut *output.lock().unwrap())
        .into_iter()
        .map(|line| {
            let (level, text) = line.split_once(": ").unwrap_or(("error", &line));
            Logged { source: "firefox", level: level.trim_start_matches("console.").to_owned(), text: text.to_owned() }
        })
        .collect()
}

/// What the page recorded (and forgets it), if the capture script is on the page.
pub(super) async fn read_page(session: &Session) -> Vec<Logged> {
    let script = "const l = window.__labConsole || []; window.__labConsole = []; return l;";
    let Ok(Value::Array(entries)) = session.client.execute(script, vec![]).await else { return Vec::new() };
    entries
        .iter()
        .map(|e| Logged { source: "page", level: e["level"].as_str().unwrap_or("error").to_owned(), text: e["text"].as_str().unwrap_or_default().to_owned() })
        .collect()
}

/// chromedriver's log of warnings and errors since the last call (other engines: nothing).
pub(super) async fn drain_native(session: &Session) -> Vec<Logged> {
    if session.engine != Engine::Chromium {
        return Vec::new();
    }
    let Ok(log) = session.client.issue_cmd(ChromiumLog).await else { return Vec::new() };
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING")
        .map(|e| Logged { source: "chromium", level: e["level"].as_str().unwrap_or_default().to_lowercase(), text: e["message"].as_str().unwrap_or_default().to_owned() })
        .collect()
}

/// chromedriver's browser log (console messages, workers' included, and failed loads).
#[derive(Debug)]
struct ChromiumLog;

impl WebDriverCompatibleCommand for ChromiumLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}
