//! The books the browser tests open, each built and served once for the whole run (by the real
//! `site-gen serve`), with the harness's console capture on every page.

use std::path::PathBuf;
use std::sync::OnceLock;

use harness::browser::console;
use harness::server::{serve_plain, Plain};
use harness::{books, Running, SiteGen};

/// A book served by `site-gen serve`, kept until the tests end.
pub struct Served {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The built site, to serve it again as other hosts would.
    pub site: PathBuf,
    _server: Running,
}

impl Served {
    /// `base` + `/` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    /// The same site from a plain static host (no isolation headers), served on the harness's
    /// runtime until the tests end: `http://127.0.0.1:<port>`.
    pub async fn plain(&self, how: Plain) -> String {
        format!("http://{}", serve_plain(&self.site, how).await)
    }
}

pub fn site_gen() -> SiteGen {
    SiteGen::at(env!("CARGO_BIN_EXE_site-gen"))
}

/// The `demos` fixture: every demo with small parameters, one page each.
pub fn demos() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| serve_copy(books::copy_fixture("demos")))
}

/// The `workloads` fixture: four workload blocks of different shapes, one page each.
pub fn workloads() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| serve_copy(books::copy_fixture("workloads")))
}

/// This repository's book, as readers get it.
pub fn real_book() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| serve_copy(books::real_book()))
}

/// Serves `book` (a temporary copy, kept until the tests end) with the demo runtime and the
/// console capture.
pub fn serve_copy(book: tempfile::TempDir) -> Served {
    books::with_demo_runtime(book.path());
    books::add_script(book.path(), &console::capture_script());
    books::add_phone_frame(book.path());
    let book = book.keep();
    harness::cleanup::remove_at_exit(book.clone());
    let site = book.join("site");
    let (server, address) = site_gen().serve(&book, &site);
    Served { base: format!("http://{address}"), site, _server: server }
}
