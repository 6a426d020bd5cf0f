//! Lighthouse from npm, pinned: installing it into the tools folder when missing, and one
//! run of it on one page in Debian's Chromium (mobile profile, JSON report), with a time limit.

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Lighthouse release measured with; a different one scores differently.
pub const VERSION: &str = "12.2.3";

/// The browser Lighthouse drives (Debian's `chromium`, installed by `make setup-test`).
const CHROME: &str = "/usr/bin/chromium";

/// Chromium's flags. This machine has no internet: without the background-networking
/// flags, Chromium's own connections are refused and show up in the report.
const CHROME_FLAGS: &str = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync";

const CATEGORIES: &str = "performance,accessibility,best-practices,seo";

/// Lighthouse's command-line entry point, installed into `<tools>/lighthouse` with npm when it
/// is missing or another version. Installs nothing when the pinned version is there.
pub fn install(tools: &Path) -> Result<PathBuf, String> {
    let prefix = tools.join("lighthouse");
    let package = prefix.join("node_modules/lighthouse");
    let cli = package.join("cli/index.js");
    if installed_version(&package).as_deref() == Some(VERSION) && cli.is_file() {
        return Ok(cli);
    }
    if !Path::new(CHROME).exists() {
        return Err(format!("{CHROME} is missing: install the Debian package chromium (`make setup-test` does)"));
    }
    eprintln!("installing Lighthouse {VERSION} into {}", prefix.display());
    std::fs::create_dir_all(&prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
    let status = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(&prefix)
        .arg(format!("lighthouse@{VERSION}"))
        .args(["--no-audit", "--no-fund"])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run npm to install Lighthouse (Node 20 and npm are needed): {e}"))?;
    if !status.success() {
        return Err(format!("`npm install lighthouse@{VERSION}` failed ({status})"));
    }
    match installed_version(&package) {
        Some(v) if v == VERSION && cli.is_file() => Ok(cli),
        other => Err(format!("npm installed Lighthouse {other:?} into {}, not {VERSION}", prefix.display())),
    }
}

/// The `version` in the installed package's package.json.
fn installed_version(package: &Path) -> Option<String> {
    let text = std::fs::read_to_string(package.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("version")?.as_str().map(str::to_owned)
}

/// Why a run of Lighthouse has no report.
#[derive(Debug)]
pub struct Failure {
    /// It was stopped at the time limit (running it again would take as long).
    pub timed_out: bool,
    /// The exit status and the last line it logged.
    pub why: String,
}

impl Failure {
    fn new(why: String) -> Failure {
        Failure { timed_out: false, why }
    }
}

/// Runs Lighthouse (`cli`, from [`install`]) on `url`, writing its JSON report to `report`
/// and its log to `log`. Gives up after `limit`. On failure, says why: the log's last line.
pub fn run(cli: &Path, url: &str, report: &Path, log: &Path, limit: Duration) -> Result<(), Failure> {
    let _ = std::fs::remove_file(report);
    let log_file = std::fs::File::create(log).map_err(|e| Failure::new(format!("{}: {e}", log.display())))?;
    let mut child = Command::new("node")
        .arg(cli)
        .arg(url)
        .arg("--output=json")
        .arg(format!("--output-path={}", report.display()))
        .arg(format!("--only-categories={CATEGORIES}"))
        .arg(format!("--chrome-flags={CHROME_FLAGS}"))
        // The full-page screenshot enlarges the report by megabytes and scores nothing.
        .arg("--disable-full-page-screenshot")
        .env("CHROME_PATH", CHROME)
        .stdout(Stdio::null())
        .stderr(log_file)
        // A group of its own, so that a run out of time can be ended with all it started.
        .process_group(0)
        .spawn()
        .map_err(|e| Failure::new(format!("cannot start node: {e}")))?;
    let Some(status) = wait_for(&mut child, limit) else {
        // What it was doing when time ran out (stopping it logs more).
        let doing = last_line(log);
        stop(&mut child);
        return Err(Failure { timed_out: true, why: format!("timed out after {} s; last logged: {doing}", limit.as_secs()) });
    };
    match status {
        status if !status.success() => Err(Failure::new(format!("{status}: {}", last_line(log)))),
        _ if !report.is_file() => Err(Failure::new(format!("no report written: {}", last_line(log)))),
        _ => Ok(()),
    }
}

/// Waits for `child` at most `limit`; `None` when it is still running then.
fn wait_for(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(_) => break,
        }
    }
    None
}

/// Asks `child` to stop (Lighthouse then closes the Chromium it launched), then kills its
/// process group.
fn stop(child: &mut Child) {
    let group = child.id() as libc::pid_t;
    // SAFETY: signals to the process group of our own child, which has not been reaped.
    unsafe { libc::kill(-group, libc::SIGINT) };
    let grace = Instant::now() + Duration::from_secs(5);
    while Instant::now() < grace && matches!(child.try_wait(), Ok(None)) {
        std::thread::sleep(Duration::from_millis(100));
    }
    unsafe { libc::kill(-group, libc::SIGKILL) };
    let _ = child.wait();
}

/// The last line of `log` with text on it, without Lighthouse's time stamp, or a note that
/// there is none.
fn last_line(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let Some(line) = text.lines().rev().map(str::trim).find(|l| !l.is_empty()) else {
        return "(nothing logged)".into();
    };
    match line.split_once(' ') {
        Some((stamp, rest)) if stamp.ends_with('Z') && stamp.contains('T') && stamp.starts_with(|c: char| c.is_ascii_digit()) => rest.into(),
        _ => line.into(),
    }
}
