//! The browser side: `site-gen serve` on the claims book, headless Chromium (the harness's
//! session, as the end-to-end tests drive it), each page opened with `?autorun`, and each
//! figure's rows read once every demo is done.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use harness::browser::{self, Engine};
use harness::{Session, SiteGen};

use crate::claims::Measured;

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

/// Serves `book` into `site` and measures the first figure of each of `pages`.
pub fn measure_pages(site_gen: &Path, book: &Path, site: &Path, pages: &[String]) -> Result<Vec<Figure>, String> {
    if !site_gen.is_file() {
        return Err(format!("{} not found: build it with `make site-gen`", site_gen.display()));
    }
    let site = std::path::absolute(site).map_err(|e| format!("{}: {e}", site.display()))?;
    let (_server, address) = SiteGen::at(site_gen).serve(book, &site);
    browser::block_on(async {
        let session = Session::start(Engine::Chromium).await;
        session.set_viewport(1200, 1400).await;
        let mut figures = Vec::new();
        for page in pages {
            let url = format!("http://{address}/{page}?autorun");
            eprintln!("  {url}");
            match run_page(&session.client, &url).await {
                Ok(figure) => figures.push(figure),
                Err(e) => {
                    session.end().await;
                    return Err(e);
                }
            }
        }
        session.end().await;
        Ok(figures)
    })
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
