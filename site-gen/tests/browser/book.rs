//! Every page of this repository's book that embeds a demo, opened with `?autorun` in every
//! engine, as a reader gets it from `site-gen serve` (cross-origin isolated): every demo
//! finishes, the modes agree, the threads use more than one worker where the engine shares
//! memory (and say why not where it does not), the figures the text quotes are filled in from
//! the run, and nothing is logged. Then the same pages where isolation is not to be had (every
//! mode that can still run, runs), and, in the engines whose service worker can isolate a page,
//! from a plain static host, where it must.

use std::path::{Path, PathBuf};

use harness::browser::Engine;
use harness::server::Plain;
use harness::Session;
use serde_json::Value;

use crate::page::*;
use crate::sites;

/// The pages of a built site that embed a demo.
fn pages_with_demos(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walk(site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| p.file_name().is_some_and(|n| n != "index.html"))
        .filter(|p| std::fs::read_to_string(p).unwrap_or_default().contains("<figure class=\"demo\" data-demo="))
        .map(|p| p.strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "the book has no page with a demo");
    pages
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn shot_name(prefix: &str, page: &str) -> String {
    format!("{prefix}-{}", page.replace('/', "_").trim_end_matches(".html"))
}

/// Every mode that ran reports the same result, except the race's unsafe mode, which is there to
/// lose updates: its count plus the updates it lost must make the expected count instead. A mode
/// refused at these parameters (async-scale's worker per task beyond its cap) says why instead.
fn assert_modes_agree(page: &str, demo: &Value) {
    for row in demo["rows"].as_array().unwrap().iter().filter(|r| r["status"] == "refused") {
        assert!(row["text"].as_str().is_some_and(|t| t.len() > 40), "{page}: a refused mode does not say why: {demo:#}");
    }
    let ran = demo["rows"].as_array().unwrap().iter().filter(|r| r["status"] != "unavailable" && r["status"] != "refused");
    let (unsafe_rows, rows): (Vec<&Value>, Vec<&Value>) = ran.partition(|r| demo["name"] == "race" && r["mode"] == "unsafe");
    assert!(!rows.is_empty(), "{page}: no mode ran: {demo:#}");
    let first = &rows[0]["result"];
    for row in &rows {
        assert!(row["result"].is_string() && row["result"] != "", "{page}: a mode has no result: {demo:#}");
        assert_eq!(&row["result"], first, "{page}: modes disagree: {demo:#}");
        // (Zero is a wall time: a page that is not isolated gets a clock of 1 ms steps in Firefox.)
        assert!(row["ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{page}: a mode has no wall time: {demo:#}");
        assert!(row["workers"].as_f64().is_some_and(|w| w >= 1.0), "{page}: a mode has no worker count: {demo:#}");
    }
    for row in unsafe_rows {
        let counted: f64 = row["result"].as_str().and_then(|r| r.parse().ok()).unwrap_or(-1.0);
        let expected: f64 = first.as_str().and_then(|r| r.parse().ok()).unwrap_or(-2.0);
        let lost: f64 = row["lost"].as_str().and_then(|l| l.parse().ok()).unwrap_or(f64::NAN);
        assert_eq!(counted + lost, expected, "{page}: the unsafe count and its lost updates do not add up: {demo:#}");
    }
    assert_eq!(demo["agree"], "true", "{page}: the page does not say the modes agree: {demo:#}");
}

/// Served by site-gen: cross-origin isolated; every mode runs where the engine shares memory.
pub async fn every_page_runs_isolated(s: &Session) {
    let site = sites::real_book();
    let mut timings = Vec::new();
    for page in pages_with_demos(&site.site) {
        let demos = run_page(s, &site.url(&format!("{page}?autorun"))).await;
        screenshot_demo(s, 0, &shot_name("book", &page)).await;
        for demo in &demos {
            assert_eq!(demo["status"], "done", "{page}: a demo failed: {demo:#}");
            assert_capabilities_when_isolated(s, demo);
            assert_modes_agree(&page, demo);
            crate::page::assert_speedups_as_the_catalogue_measures(demo);
            for row in demo["rows"].as_array().unwrap() {
                if row["status"] == "unavailable" {
                    assert_unavailable_for_want_of_shared_memory(s, demo, row);
                } else if row["mode"] == "threads" {
                    assert!(row["workers"].as_f64().unwrap() > 1.0, "{page}: threads used one worker: {demo:#}");
                }
                timings.push(format!("{page} {}: {} {} ms, {} workers, result {}", demo["name"], row["mode"], row["ms"], row["workers"], row["result"]));
            }
        }
        assert_quoted_figures_filled_in(s, &page, &demos).await;
    }
    println!("{}: the book's demos at their defaults:\n{}", s.engine.name(), timings.join("\n"));
}

/// Figures quoted in the text from the reader's own runs are filled in.
async fn assert_quoted_figures_filled_in(s: &Session, page: &str, demos: &[Value]) {
    let quoted = s.execute("return [...document.querySelectorAll('[data-measured]')].map(e => [e.dataset.measured, e.textContent, e.classList.contains('measured')])").await;
    for cell in quoted.as_array().unwrap() {
        let figure = cell[0].as_str().unwrap_or_default();
        let ran = demos.iter().any(|d| {
            figure.split('.').nth(1).is_some_and(|mode| d["rows"].as_array().unwrap().iter().any(|r| r["mode"] == mode && r["status"] == "done"))
        });
        if ran {
            assert_eq!(cell[2], true, "{page}: {figure} was not filled in from the run: {cell}");
            let text = cell[1].as_str().unwrap_or_default();
            assert!(text.ends_with('×') || text.ends_with(" ms") || text.parse::<u32>().is_ok(), "{page}: {figure} shows {text:?}");
        }
    }
}

/// Where the page cannot be isolated, the modes that need shared memory say why, and every other
/// mode runs and agrees.
pub async fn every_page_runs_without_isolation(s: &Session) {
    let site = sites::real_book();
    let (base, why) = crate::demos::not_isolated(s, site).await;
    for page in pages_with_demos(&site.site) {
        let demos = run_page(s, &format!("{base}/{page}?autorun")).await;
        screenshot_demo(s, 0, &shot_name("book-not-isolated", &page)).await;
        for demo in &demos {
            assert_eq!(demo["status"], "done", "{page} (not isolated): a demo failed: {demo:#}");
            assert_eq!(demo["capabilities"]["isolated"], false, "{demo:#}");
            assert_modes_agree(&page, demo);
            for row in demo["rows"].as_array().unwrap().iter().filter(|r| r["status"] == "unavailable") {
                let text = row["text"].as_str().unwrap_or_default();
                assert!(text.contains("not cross-origin isolated") && text.contains(why), "{page}: the reason is not shown: {text:?}");
                assert!(row["ms"].is_null(), "{demo:#}");
            }
            if let Some(threads) = demo["rows"].as_array().unwrap().iter().find(|r| r["mode"] == "threads") {
                assert_eq!(threads["status"], "unavailable", "{page}: threads must be unavailable: {demo:#}");
            }
        }
    }
}

/// Served by a plain static host that sends no special headers: the isolation service worker
/// takes over (one reload) and the threads mode works all the same. (Not in WebKit: it isolates
/// the page, but offers no shared memory there either.)
pub async fn every_page_runs_under_the_service_worker(s: &Session) {
    assert_ne!(s.engine, Engine::WebKit, "WebKit shares no memory: there is nothing for the service worker to give");
    let site = sites::real_book();
    let plain = site.plain(Plain::Files).await;
    for page in pages_with_demos(&site.site) {
        let demos = run_page(s, &format!("{plain}/{page}?autorun")).await;
        screenshot_demo(s, 0, &shot_name("book-service-worker", &page)).await;
        let isolation = s.execute("return [window.crossOriginIsolated, document.documentElement.dataset.isolation]").await;
        assert_eq!(isolation, serde_json::json!([true, "service-worker"]), "{page}: the service worker did not isolate the page");
        for demo in &demos {
            assert_eq!(demo["status"], "done", "{page} (service worker): a demo failed: {demo:#}");
            assert_modes_agree(&page, demo);
            if let Some(threads) = demo["rows"].as_array().unwrap().iter().find(|r| r["mode"] == "threads") {
                assert!(threads["workers"].as_f64().unwrap_or(0.0) > 1.0, "{page}: threads unavailable under the service worker: {demo:#}");
            }
        }
    }
}
