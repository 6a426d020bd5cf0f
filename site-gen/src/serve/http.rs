//! The HTTP side of `site-gen serve`: the build folder's files, with the headers that make
//! a page cross-origin isolated (so the threads demos can share memory), the live-reload
//! script added to every page, and nothing outside the build folder, ever. Files are
//! compressed (brotli or gzip, as the browser accepts; after the reload script is added) and
//! carry how long they may be kept (see `cache.rs`).

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use percent_encoding::percent_decode_str;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::cache::ImmutablePaths;
use super::live_site::SwapLock;
use super::reload::{self, Reload};

pub use crate::render::isolation::ISOLATION_HEADERS;
use crate::render::isolation::REVALIDATE;

/// A page larger than this is served without the reload script.
const MAX_PAGE_BYTES: usize = 64 << 20;

/// The build folder being served.
#[derive(Clone)]
struct SiteFiles {
    /// Canonical (symbolic links resolved), to compare real paths against.
    dir: PathBuf,
    swap: SwapLock,
    reload: Reload,
    immutable: ImmutablePaths,
}

/// The HTTP service for the build folder `dir`; `immutable` names the files that may be
/// kept for good.
pub fn router(dir: &Path, reload: Reload, swap: SwapLock, immutable: ImmutablePaths) -> Router {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let files = SiteFiles { dir, swap, reload: reload.clone(), immutable };
    // Not the reload socket: its upgrade has no body to compress.
    let compressed_files = any(site_file).with_state(files).layer(compression());
    let mut app = Router::new()
        .route(reload::SCRIPT_PATH, get(reload::script).layer(compression()))
        .route(reload::SOCKET_PATH, get(reload::socket))
        .with_state(reload)
        .fallback_service(compressed_files);
    for (name, value) in ISOLATION_HEADERS {
        app = app.layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    // The server's own responses: while writing, a reader always wants the newest.
    app.layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE)))
}

/// Brotli or gzip, as the request accepts, at level 5: for brotli, a tenth smaller than the
/// on-the-fly default (4) at about the same speed (a page or a script in a millisecond or two).
fn compression() -> CompressionLayer {
    CompressionLayer::new().quality(CompressionLevel::Precise(5))
}

/// Any other path: a file of the build folder, pages with the reload script added, with how
/// long it may be kept.
async fn site_file(State(files): State<SiteFiles>, request: Request) -> Response {
    let cache_control = files.immutable.cache_control(request.uri().path());
    let mut response = build_folder_file(files, request).await;
    if response.status() == StatusCode::OK {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, cache_control);
        // Conditional requests are answered in full (see below), so the date would only
        // add to every response's size.
        headers.remove(header::LAST_MODIFIED);
    }
    response
}

/// A file of the build folder, pages with the reload script added; the book's page for
/// missing addresses when there is none.
async fn build_folder_file(files: SiteFiles, mut request: Request) -> Response {
    // Taken before the file is read: a page is never labelled newer than it is (at worst
    // it reloads once more).
    let build = files.reload.current_build();
    // Pages change within the second: a `304 Not Modified` by date could keep an old one.
    for name in [header::IF_MODIFIED_SINCE, header::IF_NONE_MATCH, header::IF_UNMODIFIED_SINCE, header::IF_RANGE] {
        request.headers_mut().remove(name);
    }
    let response = {
        let _reading = files.swap.read().await;
        if resolve(&files.dir, request.uri().path()).is_none() {
            return not_found(&files.dir).await;
        }
        let served = ServeDir::new(&files.dir).append_index_html_on_directories(true).try_call(request).await;
        match served {
            Ok(response) if response.status() == StatusCode::NOT_FOUND => return not_found(&files.dir).await,
            Ok(response) => response.map(Body::new),
            Err(e) => {
                log::warn!("serving a file: {e}");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    };
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() != StatusCode::OK || !is_page {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => {
            let html = reload::add_script(&String::from_utf8_lossy(&bytes), &build);
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(html))
        }
        Err(e) => {
            log::warn!("reading a page to serve: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The answer for a path with no file (or one that may not be served): the book's
/// `404.html` with status 404, or a bare 404 when the build has none.
async fn not_found(dir: &Path) -> Response {
    match tokio::fs::read(dir.join(crate::render::site_files::NOT_FOUND_PAGE)).await {
        Ok(page) => (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The file or folder that the request path `path` names inside `dir` (canonical), or
/// `None` when there is none or the path tries to leave `dir`: `..` (also as `%2e%2e`),
/// backslashes, NUL, hidden names (`.site-gen-output`, half-written files), or a symbolic
/// link whose target is outside `dir`.
pub fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut file = dir.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            hidden if hidden.starts_with('.') => return None,
            part => file.push(part),
        }
    }
    let real = std::fs::canonicalize(&file).ok()?;
    if !real.starts_with(dir) {
        return None;
    }
    if real.is_dir() {
        // The folder's index.html is what gets served.
        if let Ok(index) = std::fs::canonicalize(real.join("index.html")) {
            if !index.starts_with(dir) {
                return None;
            }
        }
    }
    Some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_build_folder() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let site = tempfile::tempdir().unwrap();
        let dir = std::fs::canonicalize(site.path()).unwrap();
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/page.html"), "page").unwrap();
        std::fs::write(dir.join(".site-gen-output"), "").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.join("a/page.html"), dir.join("inside.html")).unwrap();

        assert_eq!(resolve(&dir, "/a/page.html"), Some(dir.join("a/page.html")));
        assert_eq!(resolve(&dir, "/a/%70age.html"), Some(dir.join("a/page.html")));
        assert_eq!(resolve(&dir, "/a%2fpage.html"), Some(dir.join("a/page.html")));
        assert_eq!(resolve(&dir, "/inside.html"), Some(dir.join("a/page.html")));
        assert_eq!(resolve(&dir, "/"), Some(dir.clone()));
        for bad in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/a/%2e%2e/%2e%2e/secret.txt",
            "/a/..%2f..%2fsecret.txt",
            "/a\\..\\..\\secret.txt",
            "/a/%5c..%5csecret.txt",
            "/link.txt",
            "/.site-gen-output",
            "/a/page.html%00",
            "/%ff",
            "/missing.html",
        ] {
            assert_eq!(resolve(&dir, bad), None, "{bad}");
        }
        let absolute = format!("/{}", outside.path().join("secret.txt").display());
        assert_eq!(resolve(&dir, &absolute), None, "{absolute}");
    }
}
