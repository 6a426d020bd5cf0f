//! One browser driven through its WebDriver: pages, scripts, the viewport, screenshots, and
//! what the pages logged.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use super::console::{self, Logged};
use super::{chromium, firefox, screenshot_dir, webkit, Engine};
use crate::server::Running;

/// The viewport every test starts with.
pub const DESKTOP: (u32, u32) = (1280, 1000);
/// A phone's viewport, in CSS pixels (an iPhone 14's).
pub const PHONE: (u32, u32) = (390, 844);

/// A browser session: the driver process (the browser is its child) and the WebDriver client.
pub struct Session {
    pub engine: Engine,
    pub client: Client,
    /// The driver; ends it and its browser when the session ends.
    _driver: Running,
    /// What the browser wrote about its pages outside the page (Firefox's standard output).
    driver_output: Arc<Mutex<Vec<String>>>,
    /// Console messages collected so far in this test, and the parts of them the test expects.
    logged: Mutex<Vec<Logged>>,
    expected: Mutex<Vec<String>>,
    _profile: tempfile::TempDir,
}

/// How an engine's driver is started and what it is asked for.
pub(super) struct Launch {
    pub driver: std::process::Command,
    pub port: u16,
    pub capabilities: serde_json::Map<String, Value>,
}

impl Session {
    /// Starts `engine`'s driver and browser, with a fresh profile.
    pub async fn start(engine: Engine) -> Session {
        let profile = tempfile::tempdir().expect("a temporary folder");
        let launch = match engine {
            Engine::Chromium => chromium::launch(profile.path()),
            Engine::Firefox => firefox::launch(profile.path()),
            Engine::WebKit => webkit::launch(profile.path()),
        };
        let (driver, driver_output) = console::start_driver(launch.driver, engine);
        let client = connect(engine, launch.port, launch.capabilities).await;
        let session = Session {
            engine,
            client,
            _driver: driver,
            driver_output,
            logged: Mutex::new(Vec::new()),
            expected: Mutex::new(Vec::new()),
            _profile: profile,
        };
        session.set_viewport(DESKTOP.0, DESKTOP.1).await;
        session
    }

    /// Ends the browser (its driver process group is killed when the session is dropped).
    pub async fn end(self) {
        let _ = self.client.clone().close().await;
    }

    /// A blank page at the desktop viewport, nothing logged or expected: what every test starts with.
    pub async fn reset(&self) {
        self.client.goto("about:blank").await.unwrap_or_else(|e| panic!("{}: about:blank: {e}", self.engine.name()));
        self.set_viewport(DESKTOP.0, DESKTOP.1).await;
        self.logged.lock().unwrap().clear();
        self.expected.lock().unwrap().clear();
        self.driver_output.lock().unwrap().clear();
        console::drain_native(self).await;
    }

    /// Opens `url`, after taking what the page being left logged.
    pub async fn goto(&self, url: &str) {
        self.collect_console().await;
        self.client.goto(url).await.unwrap_or_else(|e| panic!("{}: cannot open {url}: {e}", self.engine.name()));
    }

    /// Runs `script` (a function body; `return` what it should give back) in the page.
    pub async fn execute(&self, script: &str) -> Value {
        self.execute_with(script, vec![]).await
    }

    /// [`Session::execute`] with `arguments`.
    pub async fn execute_with(&self, script: &str, arguments: Vec<Value>) -> Value {
        self.client.execute(script, arguments).await.unwrap_or_else(|e| panic!("{}: script failed: {e}\n{script}", self.engine.name()))
    }

    /// Runs `script` as one look of a poll. A look can fail while the page is being left or
    /// reloads itself (WebKitWebDriver then says "Could not parse script result"): the error
    /// is given back for the caller to look again, and to show if nothing else comes.
    pub async fn look(&self, script: &str) -> Result<Value, String> {
        self.client.execute(script, vec![]).await.map_err(|e| e.to_string())
    }

    /// Polls `script` (which returns a boolean) until it is true; panics with `what` after
    /// `timeout`, with the last error a look gave, if any.
    pub async fn wait_until(&self, script: &str, what: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut failed = None;
        loop {
            match self.look(script).await {
                Ok(Value::Bool(true)) => return,
                Ok(_) => {}
                Err(e) => failed = Some(e),
            }
            let last_error = failed.as_deref().map(|e| format!(" (the last look failed: {e})")).unwrap_or_default();
            assert!(Instant::now() < deadline, "{}: {what} did not happen within {timeout:?}{last_error}", self.engine.name());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Makes the page's viewport `width` × `height` CSS pixels (the window is made larger by
    /// whatever the browser's own bars take).
    pub async fn set_viewport(&self, width: u32, height: u32) {
        let (mut window_width, mut window_height) = (width, height);
        for _ in 0..3 {
            self.client.set_window_size(window_width, window_height).await.unwrap_or_else(|e| panic!("{}: resize: {e}", self.engine.name()));
            let inner = self.execute("return [window.innerWidth, window.innerHeight]").await;
            let (inner_width, inner_height) = (inner[0].as_u64().unwrap_or(0) as u32, inner[1].as_u64().unwrap_or(0) as u32);
            if (inner_width, inner_height) == (width, height) {
                return;
            }
            window_width = (window_width + width).saturating_sub(inner_width);
            window_height = (window_height + height).saturating_sub(inner_height);
        }
    }

    /// Opens `url` (a page of a book with `books::add_phone_frame`) at a phone's viewport: the
    /// window made that size where the engine allows it, else the page shown in a frame of that
    /// size, which scripts then run in. Returns whether it is framed. The next `goto` leaves it;
    /// call `set_viewport(DESKTOP…)` after.
    pub async fn open_as_phone(&self, url: &str) -> bool {
        let (width, height) = PHONE;
        // A blank page first: out of any frame, and a page that takes the new size as it is.
        self.goto("about:blank").await;
        self.set_viewport(width, height).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let inner = self.execute("return window.innerWidth").await;
        if inner.as_u64() == Some(u64::from(width)) {
            self.goto(url).await;
            return false;
        }
        let parsed = url::Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        let frame = format!("{}phone-frame.html?width={width}&height={height}#{}", parsed.join("/").unwrap(), &url[parsed.origin().ascii_serialization().len()..]);
        self.set_viewport(DESKTOP.0, DESKTOP.1).await;
        self.goto(&frame).await;
        self.client.enter_frame(0).await.unwrap_or_else(|e| panic!("{}: entering the phone frame: {e}", self.engine.name()));
        self.wait_until("return document.readyState === 'complete' && location.href !== 'about:blank'", "the page in the phone frame", Duration::from_secs(30)).await;
        true
    }

    /// Saves the whole viewport as `target/e2e/<engine>/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap_or_else(|e| panic!("{}: screenshot: {e}", self.engine.name()));
        self.save(name, &png)
    }

    /// Scrolls element number `index` matching `css` into view and saves it alone as
    /// `target/e2e/<engine>/<name>.png`.
    pub async fn screenshot_of(&self, css: &str, index: usize, name: &str) -> PathBuf {
        let elements = self.client.find_all(Locator::Css(css)).await.unwrap();
        let element = elements.get(index).unwrap_or_else(|| panic!("{}: no element {index} matches {css}", self.engine.name()));
        self.execute_with("arguments[0].scrollIntoView({block: 'start'})", vec![json!(element)]).await;
        let png = element.screenshot().await.unwrap_or_else(|e| panic!("{}: screenshot of {css}: {e}", self.engine.name()));
        self.save(name, &png)
    }

    fn save(&self, name: &str, png: &[u8]) -> PathBuf {
        let path = screenshot_dir(self.engine).join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Lets this test's pages log messages containing `part` (a forced failure, say).
    pub fn expect_console(&self, part: &str) {
        self.expected.lock().unwrap().push(part.to_owned());
    }

    /// What the pages of this test logged so far (warnings and errors), expected or not.
    pub async fn console(&self) -> Vec<Logged> {
        self.collect_console().await;
        self.logged.lock().unwrap().clone()
    }

    async fn collect_console(&self) {
        let mut found = console::read_page(self).await;
        found.extend(console::drain_native(self).await);
        found.extend(console::take_driver_output(&self.driver_output));
        self.logged.lock().unwrap().extend(found);
    }

    /// Fails if anything this test's pages logged is not expected.
    pub async fn assert_quiet(&self) {
        let logged = self.console().await;
        let expected = self.expected.lock().unwrap().clone();
        let unexpected: Vec<&Logged> = logged.iter().filter(|l| !expected.iter().any(|part| l.text.contains(part))).collect();
        assert!(unexpected.is_empty(), "{}: pages logged warnings or errors:\n{unexpected:#?}", self.engine.name());
    }
}

/// Connects to the driver on `port`, retrying while it starts.
async fn connect(engine: Engine, port: u16, capabilities: serde_json::Map<String, Value>) -> Client {
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        let attempt = builder.capabilities(capabilities.clone()).connect(&url);
        // A driver that accepted the request may still wait forever for a browser that never starts.
        match tokio::time::timeout(Duration::from_secs(60), attempt).await {
            Ok(Ok(client)) => return client,
            Ok(Err(_)) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
            Ok(Err(e)) => panic!("could not start {} through its WebDriver: {e}", engine.name()),
            Err(_) => panic!("{}'s WebDriver did not start a browser within a minute", engine.name()),
        }
    }
}
