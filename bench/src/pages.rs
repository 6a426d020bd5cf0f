//! `book-bench pages`: Lighthouse (pinned, mobile profile) on every page of the book as
//! `site-gen serve` serves it, one page at a time, and each page's weight: the bytes
//! transferred during the load by kind, and the size of its HTML file. Prints a table with
//! each figure beside its target, then, for each page that misses one, what lost the points.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use harness::server::start_server;

use crate::lighthouse::{self, VERSION};
use crate::lighthouse_report::{Kind, Report, CATEGORIES};
use crate::load_average;
use crate::reader::gzip_size;

/// Targets: HTML, CSS and JS transferred before the reader interacts; the page's HTML file.
const TRANSFER_TARGET: u64 = 60 * 1000;
const HTML_TARGET: u64 = 150 * 1000;

/// The pages that are not pages of the book (the table of contents for readers without
/// JavaScript and the page for missing addresses), and the print page, measured apart.
const NOT_MEASURED: [&str; 2] = ["404.html", "toc.html"];
const PRINT: &str = "print.html";

/// One page's figures, or why Lighthouse has none.
struct Page {
    /// Its path in the site, `/`-separated.
    path: String,
    /// The HTML file as built, uncompressed.
    html_file: u64,
    /// HTML, CSS and JS of the load, as the server sent it and as gzip would send it.
    text_transfer: u64,
    text_gzip: u64,
    result: Result<Report, String>,
}

impl Page {
    /// A reading page (every page but the print page) has the weight targets.
    fn reading(&self) -> bool {
        self.path != PRINT
    }
}

pub fn pages(site_gen: &Path, book: &Path, work: &Path, tools: &Path, limit: Duration) -> Result<(), String> {
    if !site_gen.is_file() {
        return Err(format!("{} not found: build it with `cargo build --release -p concurrency-lab`", site_gen.display()));
    }
    let cli = lighthouse::install(tools)?;
    let site = work.join("lighthouse-site");
    let reports = work.join("lighthouse");
    std::fs::create_dir_all(&reports).map_err(|e| format!("{}: {e}", reports.display()))?;
    let load_before = load_average();
    let mut command = Command::new(site_gen);
    command.arg("serve").arg(book).args(["-n", "127.0.0.1", "-p", "0", "-d"]).arg(&site);
    let (server, address) = start_server(command);
    let paths = html_pages(&site)?;
    let mut measured = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        eprintln!("Lighthouse on {path} ({} of {})", i + 1, paths.len());
        measured.push(measure_page(&cli, &address, &site, &reports, path, limit));
    }
    drop(server);
    // Lighthouse could not run at all: no page has a report.
    let none = match measured.iter().all(|p| p.result.is_err()) {
        true => Some(measured.first().and_then(|p| p.result.as_ref().err()).cloned().unwrap_or("the book has no pages".into())),
        false => None,
    };
    print_header(&reports, &load_before);
    let (reading, print): (Vec<Page>, Vec<Page>) = measured.into_iter().partition(Page::reading);
    print_table(&reading);
    if !print.is_empty() {
        println!("\nNot a reading page: every chapter on one page, opened by the print button (weights not judged).\n");
        print_table(&print);
    }
    print_misses(reading.iter().chain(&print));
    none.map_or(Ok(()), |why| Err(format!("Lighthouse ran on no page: {why}")))
}

/// Every `.html` file of the site, but [`NOT_MEASURED`], sorted, the print page last.
fn html_pages(site: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut folders = vec![site.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let relative = path.strip_prefix(site).unwrap_or(&path);
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.retain(|p| !NOT_MEASURED.contains(&p.as_str()));
    found.sort_by_key(|p| (p == PRINT, p.clone()));
    Ok(found)
}

/// Runs Lighthouse on one page; its report is kept as `<reports>/<page>.json`.
fn measure_page(cli: &Path, address: &str, site: &Path, reports: &Path, path: &str, limit: Duration) -> Page {
    let json = reports.join(path).with_extension("json");
    let log = reports.join(path).with_extension("log");
    if let Some(parent) = json.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let url = format!("http://{address}/{path}");
    let run = || lighthouse::run(cli, &url, &json, &log, limit);
    // Lighthouse sometimes fails to record a load and asks to be run again: once more, then.
    let ran = match run() {
        Err(failure) if !failure.timed_out => {
            eprintln!("  failed ({}); running it once more", failure.why);
            run().map_err(|again| format!("on both tries, {}", again.why))
        }
        first => first.map_err(|failure| failure.why),
    };
    let mut result = ran
        .and_then(|()| std::fs::read_to_string(&json).map_err(|e| format!("{}: {e}", json.display())))
        .and_then(|text| Report::parse(&text));
    // The live-reload script is the server's own: a reader of the built site never gets it.
    let server_only = format!("http://{address}/.site-gen/");
    if let Ok(report) = &mut result {
        report.requests.retain(|r| !r.url.starts_with(&server_only));
    }
    let html_file = std::fs::metadata(site.join(path)).map_or(0, |m| m.len());
    let (text_transfer, text_gzip) = match &result {
        Ok(report) => (text_transfer(report), text_gzip(report, address, site)),
        Err(_) => (0, 0),
    };
    Page { path: path.to_owned(), html_file, text_transfer, text_gzip, result }
}

/// HTML, CSS and JS transferred during the load.
fn text_transfer(report: &Report) -> u64 {
    [Kind::Html, Kind::Css, Kind::Js].iter().map(|&k| report.transferred(k)).sum()
}

/// The same requests' files compressed with gzip (bodies only), for comparison with a server
/// that does not compress. Requests to other sites count for nothing.
fn text_gzip(report: &Report, address: &str, site: &Path) -> u64 {
    let prefix = format!("http://{address}/");
    let text = report.requests.iter().filter(|r| r.kind != Kind::Other && r.transfer > 0);
    text.filter_map(|r| r.url.strip_prefix(&prefix))
        .map(|path| {
            let path = path.split(['?', '#']).next().unwrap_or_default();
            let file: PathBuf = if path.is_empty() || path.ends_with('/') { site.join(path).join("index.html") } else { site.join(path) };
            std::fs::read(file).map_or(0, |bytes| gzip_size(&bytes))
        })
        .sum()
}

fn print_header(reports: &Path, load_before: &str) {
    println!("\nLighthouse {VERSION}, mobile profile (Lighthouse's default: a simulated mid-range phone on slow 4G), in");
    println!("headless Chromium, on every page of the book as `site-gen serve` serves it, one page at a time. Scores 0–100;");
    println!("✗ marks a figure that misses the target in its column's heading. HTML, CSS, JS and other are the bytes");
    println!("transferred during the load (headers and bodies, as the server sent them; other: WebAssembly, fonts,");
    println!("images…); \"as gzip\" is the same HTML, CSS and JS files compressed with gzip, for comparison with a server");
    println!("that compresses. The server's own live-reload script is left out: it is not part of the built site.");
    println!("\"HTML file\" is the page as built, uncompressed. Reports: {}/<page>.json.", reports.display());
    println!("The machine's load average (1, 5, 15 min): {load_before} before, {} after.\n", load_average());
}

/// Kilobytes (1,000 bytes), one decimal.
fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// `figure`, marked when it misses its target.
fn judged(figure: String, met: bool) -> String {
    if met {
        figure
    } else {
        format!("{figure} ✗")
    }
}

fn print_table(pages: &[Page]) {
    let scores: Vec<String> = CATEGORIES.iter().map(|(id, min)| format!("{} {}", category_name(id), target(*min))).collect();
    println!(
        "| page | {} | FCP | LCP | TBT | CLS | HTML | CSS | JS | other | HTML+CSS+JS ≤ 60 KB | as gzip | HTML file ≤ 150 KB |",
        scores.join(" | ")
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for page in pages {
        match &page.result {
            Ok(report) => println!("| {} | {} |", page.path, row(page, report).join(" | ")),
            Err(why) => println!("| {} | failed: {} |{}", page.path, why.replace('|', "\\|"), " — |".repeat(14)),
        }
    }
}

/// The figures of one measured page, after its name.
fn row(page: &Page, report: &Report) -> Vec<String> {
    let mut cells: Vec<String> = CATEGORIES
        .iter()
        .zip(report.scores)
        .map(|((_, min), score)| score.map_or("—".into(), |s| judged(s.to_string(), s >= *min)))
        .collect();
    let seconds = |ms: Option<f64>| ms.map_or("—".into(), |ms| format!("{:.1} s", ms / 1000.0));
    cells.push(seconds(report.fcp));
    cells.push(seconds(report.lcp));
    cells.push(report.tbt.map_or("—".into(), |ms| format!("{ms:.0} ms")));
    cells.push(report.cls.map_or("—".into(), |cls| format!("{cls:.3}")));
    for kind in [Kind::Html, Kind::Css, Kind::Js, Kind::Other] {
        cells.push(kb(report.transferred(kind)));
    }
    let weighed = |figure: u64, target: u64| if page.reading() { judged(kb(figure), figure <= target) } else { kb(figure) };
    cells.push(weighed(page.text_transfer, TRANSFER_TARGET));
    cells.push(kb(page.text_gzip));
    cells.push(weighed(page.html_file, HTML_TARGET));
    cells
}

fn category_name(id: &str) -> &'static str {
    match id {
        "performance" => "Performance",
        "accessibility" => "Accessibility",
        "best-practices" => "Best practices",
        _ => "SEO",
    }
}

fn target(min: u32) -> String {
    if min == 100 {
        "100".into()
    } else {
        format!("≥ {min}")
    }
}

/// For each page that misses a target: the audits that lost points in each category that
/// missed, the largest requests when the transfer is over, and the HTML file when too large.
fn print_misses<'a>(pages: impl Iterator<Item = &'a Page>) {
    let mut heading = false;
    for page in pages {
        let Ok(report) = &page.result else { continue };
        let lines = misses(page, report);
        if lines.is_empty() {
            continue;
        }
        if !heading {
            println!("\nWhat missed its target, per page (audits scored below 1 in each category that missed, with Lighthouse's figure):");
            heading = true;
        }
        println!("\n{}", page.path);
        for line in lines {
            println!("{line}");
        }
    }
}

fn misses(page: &Page, report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(error) = &report.runtime_error {
        lines.push(format!("  Lighthouse: {error}"));
    }
    for (((_, min), score), (title, failing)) in CATEGORIES.iter().zip(report.scores).zip(&report.failing) {
        let Some(score) = score.filter(|s| s < min) else { continue };
        lines.push(format!("  {title} {score} (target {}):", target(*min)));
        for finding in failing {
            let display = if finding.display.is_empty() { String::new() } else { format!(": {}", finding.display) };
            lines.push(format!("    - {}{display}", finding.title));
        }
    }
    if page.reading() && page.text_transfer > TRANSFER_TARGET {
        let mut text: Vec<_> = report.requests.iter().filter(|r| r.kind != Kind::Other).collect();
        text.sort_by_key(|r| std::cmp::Reverse(r.transfer));
        let largest: Vec<String> = text.iter().take(4).map(|r| format!("{} {}", short_url(&r.url), kb(r.transfer))).collect();
        lines.push(format!("  HTML+CSS+JS transferred {} (target ≤ 60 KB; as gzip {}); largest: {}", kb(page.text_transfer), kb(page.text_gzip), largest.join(", ")));
    }
    if page.reading() && page.html_file > HTML_TARGET {
        lines.push(format!("  HTML file {} (target ≤ 150 KB)", kb(page.html_file)));
    }
    lines
}

/// A request's address without its scheme and host.
fn short_url(url: &str) -> &str {
    let Some((_, rest)) = url.split_once("://") else { return url };
    rest.find('/').map_or(rest, |at| &rest[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_page_but_404_and_toc_with_the_print_page_last() {
        let site = std::env::temp_dir().join(format!("book-bench-pages-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&site);
        std::fs::create_dir_all(site.join("guide")).unwrap();
        for page in ["print.html", "404.html", "toc.html", "index.html", "threads.html", "guide/async.html", "toc.js"] {
            std::fs::write(site.join(page), "<html></html>").unwrap();
        }
        let pages = html_pages(&site).unwrap();
        std::fs::remove_dir_all(&site).unwrap();
        assert_eq!(pages, ["guide/async.html", "index.html", "threads.html", "print.html"]);
    }

    #[test]
    fn short_urls_keep_the_path() {
        assert_eq!(short_url("http://127.0.0.1:4000/static/style.css"), "/static/style.css");
        assert_eq!(short_url("data:image/png"), "data:image/png");
    }
}
