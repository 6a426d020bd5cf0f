//! Real browsers through WebDriver: Chromium (chromedriver), Firefox ESR (geckodriver) and
//! WebKit (WebKitWebDriver driving MiniBrowser under Xvfb), behind one [`Session`].
//!
//! Tests take turns ([`run`] holds one lock for the whole test): two browsers at once would
//! compete for the machine's cores and skew every timing. Each engine's session is started on
//! first use and kept for the rest of the run; a test that fails gets the next test a fresh one.
//! Every page a session leaves is asked what it logged (see [`console`]): a test fails on any
//! warning or error it did not say it expects.

mod chromium;
pub mod console;
mod firefox;
mod session;
mod webkit;

use std::future::Future;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

pub use session::{Session, DESKTOP, PHONE};

/// A browser engine the tests run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// `chromium`, `firefox` or `webkit`: in screenshot folders and test names.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    /// The engine called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|engine| engine.name() == name.trim())
    }

    /// Whether this run tests the engine: all three, unless `LAB_BROWSERS` lists others
    /// (`LAB_BROWSERS=firefox,webkit`), for working on one engine at a time.
    pub fn selected(self) -> bool {
        match std::env::var("LAB_BROWSERS") {
            Ok(list) if !list.trim().is_empty() => list.split(',').filter_map(Engine::from_name).any(|e| e == self),
            _ => true,
        }
    }
}

/// A name that resolves to 127.0.0.1 inside every engine the harness starts (where the engine
/// can be told so), but is not a secure context as `localhost` is: no shared memory, no service
/// workers. WebKit cannot be told: tests reach the same state there with
/// [`Plain::WithoutServiceWorker`](crate::server::Plain).
pub const INSECURE_HOST: &str = "demos.lab.test";

/// The runtime every browser test runs on: sessions outlive single tests, and a WebDriver
/// client lives on the runtime it was started on.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime")
});

/// One browser at a time, across every test of the process.
static ONE_BROWSER_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The sessions started so far, one per engine.
static SESSIONS: Mutex<Vec<Session>> = Mutex::new(Vec::new());

/// Runs `work` on the harness's runtime, outside any browser (to start servers on it).
pub fn block_on<T>(work: impl Future<Output = T>) -> T {
    RUNTIME.block_on(work)
}

/// Runs `test` in `engine`'s session, holding the one-browser lock; then fails if a page logged
/// a warning or an error the test did not allow (`Session::expect_console`). A test that fails
/// ends its session: the next test starts the browser afresh. When the browser itself lost the
/// page (its page process crashed or hung, which WebKitGTK's does now and then on a loaded
/// machine, with the same test passing before and after), the test runs once more in a fresh
/// browser and says so on the error output; a second loss, or any failed check, fails it.
pub fn run(engine: Engine, test: impl AsyncFn(&Session)) {
    if !engine.selected() {
        eprintln!("{} not tested: LAB_BROWSERS={:?}", engine.name(), std::env::var("LAB_BROWSERS").unwrap_or_default());
        return;
    }
    let _turn = ONE_BROWSER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match run_once(engine, &test) {
        Err(panic) if browser_lost_the_page(&*panic) => {
            eprintln!("{}: the browser lost the page (its page process crashed or hung); running the test once more in a fresh browser", engine.name());
            if let Err(panic) = run_once(engine, &test) {
                std::panic::resume_unwind(panic);
            }
        }
        Err(panic) => std::panic::resume_unwind(panic),
        Ok(()) => {}
    }
}

/// [`run`]'s one attempt: the session goes back to the pool when the test passed, and is ended
/// when it failed.
fn run_once(engine: Engine, test: &impl AsyncFn(&Session)) -> std::thread::Result<()> {
    let session = take_session(engine);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        RUNTIME.block_on(async {
            session.reset().await;
            test(&session).await;
            session.assert_quiet().await;
        })
    }));
    match outcome {
        Ok(()) => SESSIONS.lock().unwrap_or_else(|p| p.into_inner()).push(session),
        Err(_) => RUNTIME.block_on(session.end()),
    }
    outcome
}

/// True when a test's panic is the driver's word that the browser's page process crashed or
/// hung (WebKitWebDriver: "session deleted because of page crash or hang").
fn browser_lost_the_page(panic: &(dyn std::any::Any + Send)) -> bool {
    let message = panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied());
    message.is_some_and(|m| m.contains("because of page crash or hang"))
}

fn take_session(engine: Engine) -> Session {
    let kept = {
        let mut sessions = SESSIONS.lock().unwrap_or_else(|p| p.into_inner());
        sessions.iter().position(|s| s.engine == engine).map(|i| sessions.swap_remove(i))
    };
    match kept {
        Some(session) => session,
        None => RUNTIME.block_on(Session::start(engine)),
    }
}

/// `target/e2e/<engine>/`, where screenshots are saved to be looked at.
pub fn screenshot_dir(engine: Engine) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| crate::repo_root().join("target"));
    let dir = target.join("e2e").join(engine.name());
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `target/tools/`, where `make setup-test` installs tools that are not Debian packages.
pub fn tools_dir() -> PathBuf {
    crate::repo_root().join("target/tools")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_driver_s_word_of_a_lost_page_runs_a_test_again() {
        let lost = "webkit: script failed: webdriver returned error: session deleted because of page crash or hang.\n\nreturn 1".to_owned();
        assert!(browser_lost_the_page(&lost));
        assert!(browser_lost_the_page(&"session deleted because of page crash or hang"));
        for other in ["assertion `left == right` failed: a demo failed", "webkit: script failed: no such element"] {
            assert!(!browser_lost_the_page(&other.to_owned()), "{other}");
        }
        assert!(!browser_lost_the_page(&42));
    }
}
