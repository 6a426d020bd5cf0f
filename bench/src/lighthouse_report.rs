//! What `book-bench pages` reads from a Lighthouse JSON report: the four category scores,
//! the load metrics, every request made during the load with its transferred bytes, and the
//! audits that lost points in each category.

use serde_json::Value;

/// The categories measured, in the table's order: (Lighthouse's id, the lowest passing score).
pub const CATEGORIES: [(&str, u32); 4] = [("performance", 95), ("accessibility", 100), ("best-practices", 100), ("seo", 100)];

/// One page's report, as far as the table needs it.
#[derive(Debug, Default)]
pub struct Report {
    /// Each of [`CATEGORIES`], 0 to 100 (`None` when Lighthouse could not score it).
    pub scores: [Option<u32>; 4],
    /// First Contentful Paint, Largest Contentful Paint, Total Blocking Time, in ms.
    pub fcp: Option<f64>,
    pub lcp: Option<f64>,
    pub tbt: Option<f64>,
    /// Cumulative Layout Shift.
    pub cls: Option<f64>,
    pub requests: Vec<Request>,
    /// Per category of [`CATEGORIES`]: its title and the audits scored below 1.
    pub failing: [(String, Vec<Finding>); 4],
    /// Lighthouse's own error for the whole run (the page did not load, no paint…).
    pub runtime_error: Option<String>,
}

/// One request of the load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    pub kind: Kind,
    /// Bytes on the wire: headers and body, compressed when the server compressed it.
    pub transfer: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Css,
    Js,
    /// WebAssembly, fonts, images, data…
    Other,
}

/// An audit that lost points: its title and what Lighthouse shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub title: String,
    pub display: String,
    pub score: f64,
}

impl Report {
    /// Reads a report (Lighthouse's JSON output).
    pub fn parse(json: &str) -> Result<Report, String> {
        let lhr: Value = serde_json::from_str(json).map_err(|e| format!("not a Lighthouse report: {e}"))?;
        let audits = &lhr["audits"];
        let metric = |id: &str| audits[id]["numericValue"].as_f64();
        let mut report = Report {
            fcp: metric("first-contentful-paint"),
            lcp: metric("largest-contentful-paint"),
            tbt: metric("total-blocking-time"),
            cls: metric("cumulative-layout-shift"),
            requests: requests(audits),
            runtime_error: lhr["runtimeError"]["message"].as_str().map(str::to_owned),
            ..Report::default()
        };
        for (i, (id, _)) in CATEGORIES.iter().enumerate() {
            let category = &lhr["categories"][*id];
            report.scores[i] = category["score"].as_f64().map(|s| (s * 100.0).round() as u32);
            let title = category["title"].as_str().unwrap_or(id).to_owned();
            report.failing[i] = (title, failing_audits(category, audits));
        }
        Ok(report)
    }

    /// Bytes transferred for requests of `kind`.
    pub fn transferred(&self, kind: Kind) -> u64 {
        self.requests.iter().filter(|r| r.kind == kind).map(|r| r.transfer).sum()
    }
}

/// The `network-requests` audit's rows.
fn requests(audits: &Value) -> Vec<Request> {
    let items = audits["network-requests"]["details"]["items"].as_array();
    items
        .into_iter()
        .flatten()
        .map(|item| Request {
            url: item["url"].as_str().unwrap_or_default().to_owned(),
            kind: kind(item["resourceType"].as_str().unwrap_or_default(), item["mimeType"].as_str().unwrap_or_default()),
            transfer: item["transferSize"].as_f64().unwrap_or(0.0) as u64,
        })
        .collect()
}

/// What a request fetched, by Chromium's resource type, else its MIME type (a worker's
/// module script is fetched as "Other").
fn kind(resource_type: &str, mime: &str) -> Kind {
    match resource_type {
        "Document" => Kind::Html,
        "Stylesheet" => Kind::Css,
        "Script" => Kind::Js,
        _ if mime == "text/html" => Kind::Html,
        _ if mime == "text/css" => Kind::Css,
        _ if mime.contains("javascript") => Kind::Js,
        _ => Kind::Other,
    }
}

/// The audits of `category` scored below 1, in the category's order. Audits without a
/// score (informative, not applicable) are left out.
fn failing_audits(category: &Value, audits: &Value) -> Vec<Finding> {
    let refs = category["auditRefs"].as_array().into_iter().flatten();
    refs.filter_map(|r| {
        let audit = &audits[r["id"].as_str()?];
        let score = audit["score"].as_f64()?;
        (score < 1.0).then(|| Finding {
            title: audit["title"].as_str().unwrap_or_default().to_owned(),
            display: audit["displayValue"].as_str().map_or_else(|| first_item(audit), str::to_owned),
            score,
        })
    })
    .collect()
}

/// For an audit without a figure, what its first row says (a console error and where it
/// came from), or nothing.
fn first_item(audit: &Value) -> String {
    let item = &audit["details"]["items"][0];
    match (item["description"].as_str(), item["sourceLocation"]["url"].as_str()) {
        (Some(text), Some(url)) => format!("{text} ({url})"),
        (Some(text), None) => text.to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{
      "categories": {
        "performance": {"title": "Performance", "score": 0.654, "auditRefs": [{"id": "first-contentful-paint"}, {"id": "network-requests"}, {"id": "uses-text-compression"}]},
        "accessibility": {"title": "Accessibility", "score": 1, "auditRefs": []},
        "best-practices": {"title": "Best Practices", "score": 0.96, "auditRefs": [{"id": "errors-in-console"}, {"id": "font-size"}]},
        "seo": {"title": "SEO", "score": null, "auditRefs": []}
      },
      "audits": {
        "first-contentful-paint": {"title": "First Contentful Paint", "score": 0.1, "numericValue": 5600.4, "displayValue": "5.6 s"},
        "largest-contentful-paint": {"numericValue": 5700},
        "total-blocking-time": {"numericValue": 30},
        "cumulative-layout-shift": {"numericValue": 0.002},
        "uses-text-compression": {"title": "Enable text compression", "score": 0, "displayValue": "Est savings of 700 KiB"},
        "errors-in-console": {"title": "Browser errors were logged to the console", "score": 0, "details": {"items": [
          {"description": "Failed to load resource: 404", "sourceLocation": {"url": "http://127.0.0.1:1/favicon.ico"}}
        ]}},
        "font-size": {"title": "Document uses legible font sizes", "score": 1, "displayValue": "100% legible text"},
        "network-requests": {"title": "Network Requests", "score": null, "details": {"items": [
          {"url": "http://127.0.0.1:1/threads.html", "resourceType": "Document", "mimeType": "text/html", "transferSize": 885300},
          {"url": "http://127.0.0.1:1/static/style.css", "resourceType": "Stylesheet", "mimeType": "text/css", "transferSize": 20000},
          {"url": "http://127.0.0.1:1/static/page.js", "resourceType": "Script", "mimeType": "text/javascript", "transferSize": 5000},
          {"url": "http://127.0.0.1:1/static/demos/worker.js", "resourceType": "Other", "mimeType": "application/javascript", "transferSize": 700},
          {"url": "http://127.0.0.1:1/static/favicon.svg", "resourceType": "Other", "mimeType": "image/svg+xml", "transferSize": 900}
        ]}}
      }
    }"#;

    #[test]
    fn reads_scores_metrics_requests_and_failing_audits() {
        let report = Report::parse(REPORT).unwrap();
        assert_eq!(report.scores, [Some(65), Some(100), Some(96), None]);
        assert_eq!(report.fcp, Some(5600.4));
        assert_eq!(report.cls, Some(0.002));
        assert_eq!(report.transferred(Kind::Html), 885300);
        assert_eq!(report.transferred(Kind::Css), 20000);
        assert_eq!(report.transferred(Kind::Js), 5700);
        assert_eq!(report.transferred(Kind::Other), 900);
        let (title, failing) = &report.failing[0];
        assert_eq!(title, "Performance");
        let titles: Vec<&str> = failing.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(titles, ["First Contentful Paint", "Enable text compression"]);
        assert_eq!(failing[1].display, "Est savings of 700 KiB");
        let failing = &report.failing[2].1;
        assert_eq!(failing.len(), 1, "a passing audit is not listed: {failing:?}");
        assert_eq!(failing[0].display, "Failed to load resource: 404 (http://127.0.0.1:1/favicon.ico)");
        assert!(report.runtime_error.is_none());
    }

    #[test]
    fn a_report_that_is_not_json_is_an_error() {
        assert!(Report::parse("<html>").is_err());
    }
}
