//! Headless Firefox ESR (Debian's `firefox-esr`) through geckodriver, which `make setup-test`
//! installs with `cargo install` into `target/tools/bin`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use super::session::Launch;
use super::{tools_dir, INSECURE_HOST};

pub const FIREFOX: &str = "/usr/bin/firefox-esr";

fn geckodriver() -> PathBuf {
    tools_dir().join("bin/geckodriver")
}

pub(super) fn launch(profile: &Path) -> Launch {
    assert!(Path::new(FIREFOX).exists(), "{FIREFOX} is missing: install the Debian package firefox-esr (`make setup-test` does)");
    let driver_path = geckodriver();
    assert!(driver_path.exists(), "{} is missing: `make setup-test` installs geckodriver there", driver_path.display());
    let port = crate::free_port();
    let mut driver = Command::new(driver_path);
    // geckodriver talks to Firefox on a port of its own (default 2828); a free one per session.
    driver.args(["--port", &port.to_string(), "--marionette-port", &crate::free_port().to_string()]);
    let prefs = json!({
        // The console of pages and their workers, on standard output, where the harness reads it.
        "devtools.console.stdout.content": true,
        // Resolved to 127.0.0.1: an origin that is not a secure context.
        "network.dns.localDomains": INSECURE_HOST,
        // Nothing to fetch from the internet this machine does not have.
        "app.update.disabledForTesting": true,
        "browser.shell.checkDefaultBrowser": false,
        "datareporting.policy.dataSubmissionEnabled": false,
        "services.settings.server": "data:,#remote-settings-off",
        "browser.safebrowsing.update.enabled": false,
        "network.captive-portal-service.enabled": false,
        "network.connectivity-service.enabled": false,
        "browser.backup.enabled": false,
        "browser.backup.scheduled.enabled": false,
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("firefox"));
    capabilities.insert(
        "moz:firefoxOptions".into(),
        json!({ "binary": FIREFOX, "args": ["-headless", "-profile", profile.display().to_string()], "prefs": prefs }),
    );
    Launch { driver, port, capabilities }
}
