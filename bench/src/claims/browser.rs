//! The browser side: `site-gen serve` on the claims book, headless Chromium through
//! chromedriver (as the end-to-end tests drive it), each page opened with `?autorun`, and each
//! figure's rows read once every demo is done.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use crate::claims::Measured;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long one page's demos may take at full size.
const PAGE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// What a figure on the page shows once its run is over.
const READ: &str = r#"
const d = document.querySelector('figure[data-demo]');
return d === null ? null : {
  status: d.dataset.status,
  error: d.querySelector('.demo-error')?.hidden === false ? d.querySelector('.demo-error').textContent : null,
  command: d.querySelector('.demo-python-command')?.textContent ?? null,
  rows: [...d.querySelectorAll('[data-mode]')].map(r => ({
    mode: r.dataset.mode,
    status: r.dataset.status,
    ms: r.dataset.ms === undefined ? null : Number(r.dataset.ms),
    result: r.dataset.result === undefined ? null : Number(r.dataset.result),
    expected: r.dataset.expected === undefined ? null : Number(r.dataset.expected),
    workers: r.dataset.workers === undefined ? null : Number(r.dataset.workers),
    note: r.dataset.status === 'unavailable' ? r.innerText : null,
  })),
};
"#;

/// One figure's outcome: its rows, and the command line of its Python twin, if it has one.
pub struct Figure {
    pub measured: Measured,
    pub command: Option<String>,
}

/// A child process ended when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `book` into `site` and measures the first figure of each of `pages`.
pub fn measure_pages(site_gen: &Path, book: &Path, site: &Path, profile: &Path, pages: &[String]) -> Result<Vec<Figure>, String> {
    let (_server, address) = serve(site_gen, book, site)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let (_driver, client) = start_browser(profile).await?;
        let mut figures = Vec::new();
        for page in pages {
            let url = format!("http://{address}/{page}?autorun");
            eprintln!("  {url}");
            figures.push(run_page(&client, &url).await?);
        }
        let _ = client.close().await;
        Ok(figures)
    })
}

fn serve(site_gen: &Path, book: &Path, site: &Path) -> Result<(Running, String), String> {
    let mut child = Command::new(site_gen)
        .args(["serve", ".", "-p", "0", "-d"])
        .arg(std::path::absolute(site).map_err(|e| e.to_string())?)
        .current_dir(book)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e} (build it with `make site-gen`)", site_gen.display()))?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).map_err(|e| e.to_string())?;
    let running = Running(child);
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .ok_or_else(|| format!("site-gen serve did not print its address: {line:?}"))?
        .to_owned();
    Ok((running, address))
}

async fn start_browser(profile: &Path) -> Result<(Running, Client), String> {
    for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        if !Path::new(path).exists() {
            return Err(format!("{path} is missing: install the Debian package {package} (`make setup-test` does)"));
        }
    }
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let driver = Running(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?,
    );
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--window-size=1200,1400".into(),
        format!("--user-data-dir={}", std::path::absolute(profile).map_err(|e| e.to_string())?.display()),
    ];
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(&url).await {
            Ok(client) => return Ok((driver, client)),
            Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
            Err(e) => return Err(format!("could not start Chromium through chromedriver: {e}")),
        }
    }
}

async fn run_page(client: &Client, url: &str) -> Result<Figure, String> {
    client.goto(url).await.map_err(|e| format!("{url}: {e}"))?;
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let figure = client.execute(READ, vec![]).await.map_err(|e| format!("{url}: {e}"))?;
        let status = figure["status"].as_str().unwrap_or("");
        if status == "done" || status == "error" {
            if let Some(error) = figure["error"].as_str() {
                eprintln!("  {url}: {error}");
            }
            return Ok(Figure {
                measured: Measured::from_rows(figure["rows"].as_array().map(Vec::as_slice).unwrap_or(&[])),
                command: figure["command"].as_str().map(str::to_owned),
            });
        }
        if Instant::now() > deadline {
            return Err(format!("the demo on {url} did not finish within {PAGE_TIMEOUT:?}: {figure}"));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
