//! Cross-origin isolation: the headers that let the threads demos share memory, and the
//! files that get them onto pages wherever the site is hosted; with them, how long browsers
//! may keep each file.

use crate::render::assets::Assets;
use crate::render::page::Page;

/// The headers every response needs. `same-origin` + `require-corp` make the page
/// cross-origin isolated, which is what lets workers share a `SharedArrayBuffer`.
pub const ISOLATION_HEADERS: [(&str, &str); 3] = [
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-embedder-policy", "require-corp"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// The isolation service worker, in the theme's static files and at the site's root.
pub const ISOLATION_WORKER: &str = "isolation-sw.js";

/// How long a browser may keep a file named by its content: a year, never asking again
/// (a new version has a new name).
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// How long a browser may keep any other file (pages, the search index, the book's images):
/// it keeps it, but asks whether it changed before each use.
pub const REVALIDATE: &str = "no-cache";

/// `_headers` for hosts that read one (Netlify, Cloudflare Pages): the isolation headers for
/// every path, and the long cache for the files and folders named by their content (every
/// other file keeps the host's own caching, which revalidates); and the isolation service
/// worker at the site's root (so its scope covers every page) for hosts that cannot send
/// headers at all.
pub fn isolation_files(assets: &Assets) -> Vec<Page> {
    let mut headers = String::from("/*\n");
    for (name, value) in ISOLATION_HEADERS {
        headers.push_str(&format!("  {name}: {value}\n"));
    }
    for path in &assets.immutable {
        let pattern = if path.ends_with('/') { format!("/{path}*") } else { format!("/{path}") };
        headers.push_str(&format!("{pattern}\n  cache-control: {IMMUTABLE}\n"));
    }
    let mut files = vec![Page { path: "_headers".to_owned(), html: headers }];
    if let Some(worker) = &assets.isolation_worker {
        files.push(Page { path: ISOLATION_WORKER.to_owned(), html: worker.clone() });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::{AssetSource, Theme};

    #[test]
    fn headers_file_and_worker() {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), None).unwrap();
        let assets = Assets::prepare(&theme, std::path::Path::new("/nonexistent"), std::path::Path::new("/nonexistent")).unwrap();
        let files = isolation_files(&assets);
        assert_eq!(files[0].path, "_headers");
        let headers = &files[0].html;
        assert!(
            headers.starts_with("/*\n  cross-origin-opener-policy: same-origin\n  cross-origin-embedder-policy: require-corp\n  cross-origin-resource-policy: same-origin\n"),
            "{headers}"
        );
        let style = assets.url("style.css").unwrap();
        assert!(headers.contains(&format!("\n/{style}\n  cache-control: public, max-age=31536000, immutable\n")), "{headers}");
        let demos = assets.url("demos/runner.js").unwrap().strip_suffix("runner.js").unwrap();
        assert!(headers.contains(&format!("\n/{demos}*\n  cache-control: public, max-age=31536000, immutable\n")), "{headers}");
        assert!(!headers.contains("python") && !headers.contains(ISOLATION_WORKER), "{headers}");
        assert_eq!(files[1].path, ISOLATION_WORKER);
        assert!(files[1].html.contains("Cross-Origin-Embedder-Policy"), "minified, the worker keeps its headers");
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
