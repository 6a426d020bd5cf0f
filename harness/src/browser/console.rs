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
    let shown = format!("{command:?}");
    let mut child = crate::cleanup::spawn(command).unwrap_or_else(|e| panic!("cannot start the {} driver {shown}: {e}", engine.name()));
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

/// A line of Firefox's output that reports a page's warning or error. The browser's own modules
/// log on the same output, each message after its module's name (`console.error: RSLoader: …`),
/// or naming `resource://` and `chrome://` addresses; a page's messages are quoted strings.
fn is_console_problem(line: &str) -> bool {
    if line.starts_with("JavaScript error: ") {
        return !line.contains("resource://") && !line.contains("chrome://");
    }
    let message = line.strip_prefix("console.warn: ").or_else(|| line.strip_prefix("console.error: "));
    message.is_some_and(|message| !is_browser_module(message) && !message.contains("resource://") && !message.contains("chrome://"))
}

/// `RSLoader: …`, `BackupService: …`: a message one of Firefox's own modules logged.
fn is_browser_module(message: &str) -> bool {
    message.split_once(": ").is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::is_console_problem;

    #[test]
    fn pages_count_and_the_browsers_own_modules_do_not() {
        assert!(is_console_problem(r#"console.warn: "using deprecated parameters""#));
        assert!(is_console_problem(r#"console.error: "Rust panic: failing on purpose""#));
        assert!(is_console_problem("JavaScript error: http://127.0.0.1:1/x.js, line 3: TypeError: x is undefined"));
        assert!(!is_console_problem("console.error: RSLoader: "));
        assert!(!is_console_problem(r#"console.error: BackupService: "There was an error""#));
        assert!(!is_console_problem("JavaScript error: resource:///modules/x.sys.mjs, line 1: oops"));
        assert!(!is_console_problem("console.log: \"fine\""));
    }
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
