//! WebKit — the engine of Safari and of every browser on an iPhone — as Debian's WebKitGTK:
//! `WebKitWebDriver` (package `webkit2gtk-driver`) driving its MiniBrowser, which needs a
//! display: an Xvfb server (package `xvfb`) started once for the whole run.

use std::path::{Path, PathBuf};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::json;

use super::session::Launch;

pub const WEBKIT_DRIVER: &str = "/usr/bin/WebKitWebDriver";
const XVFB: &str = "/usr/bin/Xvfb";

/// MiniBrowser, wherever the machine's architecture puts it.
fn mini_browser() -> PathBuf {
    let found = std::fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("webkit2gtk-4.1/MiniBrowser"))
        .find(|path| path.exists());
    found.unwrap_or_else(|| panic!("WebKitGTK's MiniBrowser is missing: install the Debian package webkit2gtk-driver (`make setup-test` does)"))
}

pub(super) fn launch(_profile: &Path) -> Launch {
    assert!(Path::new(WEBKIT_DRIVER).exists(), "{WEBKIT_DRIVER} is missing: install the Debian package webkit2gtk-driver (`make setup-test` does)");
    let port = crate::free_port();
    let mut driver = Command::new(WEBKIT_DRIVER);
    driver.arg(format!("--port={port}")).env("DISPLAY", display());
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "webkitgtk:browserOptions".into(),
        json!({ "binary": mini_browser().display().to_string(), "args": ["--automation"] }),
    );
    Launch { driver, port, capabilities }
}

/// The display of the Xvfb server the harness started (started on first use).
fn display() -> &'static str {
    static DISPLAY: OnceLock<String> = OnceLock::new();
    DISPLAY.get_or_init(start_xvfb)
}

fn start_xvfb() -> String {
    assert!(Path::new(XVFB).exists(), "{XVFB} is missing: install the Debian package xvfb (`make setup-test` does)");
    // `-displayfd 1`: Xvfb picks a display no other X server holds and writes its number on
    // standard output once it accepts connections.
    let mut command = Command::new(XVFB);
    command.args(["-displayfd", "1", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"]).stdout(Stdio::piped()).stderr(Stdio::null());
    crate::cleanup::own_group(&mut command);
    let mut child = crate::cleanup::spawn(command).unwrap_or_else(|e| panic!("cannot start Xvfb: {e}"));
    crate::cleanup::kill_group_at_exit(child.id());
    let mut number = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut number).unwrap_or_else(|e| panic!("Xvfb: {e}"));
    let number = number.trim();
    assert!(!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()), "Xvfb did not start (it said {number:?})");
    // The server runs until the tests end (its process group is killed then).
    std::mem::forget(child);
    format!(":{number}")
}
