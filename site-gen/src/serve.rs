//! `site-gen serve`: builds the book, then serves the build folder over HTTP with the
//! headers that make the page cross-origin isolated (so the threads demos can share memory).

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::{Error, Result};

/// Where to listen.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub host: String,
    pub port: u16,
    /// Build here instead of the book's `build-dir`.
    pub dest: Option<PathBuf>,
}

/// The headers every response carries. `same-origin` + `require-corp` make the page
/// cross-origin isolated, which is what lets workers share a `SharedArrayBuffer`.
pub const ISOLATION_HEADERS: [(&str, &str); 3] = [
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-embedder-policy", "require-corp"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// The HTTP service for a built site in `dir`.
pub fn router(dir: &Path) -> Router {
    // Missing pages get the book's 404 page (with status 404).
    let not_found = tower_http::services::ServeFile::new(dir.join(crate::build::NOT_FOUND_PAGE));
    let files = ServeDir::new(dir).append_index_html_on_directories(true).not_found_service(not_found);
    let mut app = Router::new().fallback_service(files);
    for (name, value) in ISOLATION_HEADERS {
        app = app.layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    // While writing, a reader always wants the newest build.
    app.layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
}

/// Builds the book at `root` and serves it until interrupted.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    let report = crate::build::build(root, options.dest.as_deref())?;
    for w in &report.warnings {
        eprintln!("{}", w.render());
    }
    let ip: IpAddr = match options.host.as_str() {
        "localhost" => IpAddr::from([127, 0, 0, 1]),
        host => host
            .parse()
            .map_err(|_| Error::Usage(format!("`{host}` is not an IP address to listen on; try 127.0.0.1")))?,
    };
    if !ip.is_loopback() {
        eprintln!(
            "warning: listening on {ip}: other machines that can reach this one can read the book; \
             use -n 127.0.0.1 to keep it local"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("start the server runtime for", root, e))?;
    runtime.block_on(async {
        let address = SocketAddr::new(ip, options.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Error::io("listen on", PathBuf::from(address.to_string()), e))?;
        let bound = listener.local_addr().map_err(|e| Error::io("listen on", PathBuf::from(address.to_string()), e))?;
        let shown = match bound.ip() {
            IpAddr::V6(v6) => format!("[{v6}]:{}", bound.port()),
            IpAddr::V4(v4) => format!("{v4}:{}", bound.port()),
        };
        println!("Serving {} at http://{shown}/ (Ctrl-C to stop)", report.out_dir.display());
        use std::io::Write;
        let _ = std::io::stdout().flush();
        axum::serve(listener, router(&report.out_dir))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::io("serve", report.out_dir.clone(), e))
    })
}
