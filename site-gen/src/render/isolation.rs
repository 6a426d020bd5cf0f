//! Cross-origin isolation: the headers that let the threads demos share memory, and the
//! files that get them onto pages wherever the site is hosted.

use crate::render::page::Page;
use super::theme::{AssetSource, Theme};

/// The headers every response needs. `same-origin` + `require-corp` make the page
/// cross-origin isolated, which is what lets workers share a `SharedArrayBuffer`.
pub const ISOLATION_HEADERS: [(&str, &str); 3] = [
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-embedder-policy", "require-corp"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// The isolation service worker, in the theme's static files and at the site's root.
pub const ISOLATION_WORKER: &str = "isolation-sw.js";

/// `_headers` for hosts that read one (Netlify, Cloudflare Pages), and the isolation service
/// worker at the site's root (so its scope covers every page) for hosts that cannot send
/// headers at all.
pub fn isolation_files(theme: &Theme) -> Vec<Page> {
    let mut headers = String::from("/*\n");
    for (name, value) in ISOLATION_HEADERS {
        headers.push_str(&format!("  {name}: {value}\n"));
    }
    let mut files = vec![Page { path: "_headers".to_owned(), html: headers }];
    let worker = match theme.assets.get(ISOLATION_WORKER) {
        Some(AssetSource::BuiltIn(bytes)) => Some(String::from_utf8_lossy(bytes).into_owned()),
        Some(AssetSource::File(path)) => crate::core::fs::read_text_file(path, crate::core::fs::MAX_TEXT_BYTES).ok(),
        None => None,
    };
    if let Some(worker) = worker {
        files.push(Page { path: ISOLATION_WORKER.to_owned(), html: worker });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_file_and_worker() {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), None).unwrap();
        let files = isolation_files(&theme);
        assert_eq!(files[0].path, "_headers");
        assert_eq!(
            files[0].html,
            "/*\n  cross-origin-opener-policy: same-origin\n  cross-origin-embedder-policy: require-corp\n  cross-origin-resource-policy: same-origin\n"
        );
        assert_eq!(files[1].path, ISOLATION_WORKER);
        assert!(files[1].html.contains("Cross-Origin-Embedder-Policy"));
    }

    /// The service worker (JavaScript) adds the headers `serve` and `_headers` send: the
    /// same names and values as [`ISOLATION_HEADERS`], held equal here.
    #[test]
    fn the_service_worker_sets_the_same_headers() {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), None).unwrap();
        let Some(AssetSource::BuiltIn(worker)) = theme.assets.get(ISOLATION_WORKER) else { panic!("no {ISOLATION_WORKER}") };
        let worker = String::from_utf8_lossy(worker).to_ascii_lowercase();
        for (name, value) in ISOLATION_HEADERS {
            assert!(worker.contains(&format!("\"{name}\": \"{value}\"")), "{ISOLATION_WORKER} does not set {name}: {value}");
        }
        assert_eq!(worker.matches("\"cross-origin-").count(), ISOLATION_HEADERS.len(), "{ISOLATION_WORKER} sets other headers");
    }
}
