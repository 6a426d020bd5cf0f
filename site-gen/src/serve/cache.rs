//! How long browsers may keep what `serve` sends: the files and folders the build names by
//! their content for a year, never asking again (a new version has a new name); everything
//! else, pages first, is asked for again before each use, so a writer always sees the
//! newest build.

use std::sync::{Arc, PoisonError, RwLock};

use axum::http::HeaderValue;
use percent_encoding::percent_decode_str;

use crate::render::isolation::{IMMUTABLE, REVALIDATE};

/// The paths of the build folder that the last whole build named by their content (files,
/// and folders ending in `/`), shared by the server and the rebuilds.
#[derive(Clone, Default)]
pub struct ImmutablePaths(Arc<RwLock<Arc<[String]>>>);

impl ImmutablePaths {
    /// Takes the paths of a new build.
    pub fn set(&self, paths: &[String]) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Arc::from(paths);
    }

    /// Whether the request path `path` (`/static/style.3f9a0c12d4.css`) names a file that
    /// is named by its content.
    pub fn covers(&self, path: &str) -> bool {
        let Ok(path) = percent_decode_str(path).decode_utf8() else { return false };
        let Some(path) = path.strip_prefix('/') else { return false };
        let paths = Arc::clone(&self.0.read().unwrap_or_else(PoisonError::into_inner));
        paths.iter().any(|named| match named.strip_suffix('/') {
            Some(_) => path.len() > named.len() && path.starts_with(named.as_str()),
            None => path == named,
        })
    }

    /// The `Cache-Control` of the file at the request path `path`.
    pub fn cache_control(&self, path: &str) -> HeaderValue {
        HeaderValue::from_static(if self.covers(path) { IMMUTABLE } else { REVALIDATE })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_files_and_whatever_is_in_named_folders_are_kept() {
        let paths = ImmutablePaths::default();
        paths.set(&["static/style.0123456789.css".to_owned(), "static/demos.abcdef0123/".to_owned()]);
        for kept in ["/static/style.0123456789.css", "/static/demos.abcdef0123/runner.js", "/static/demos.abcdef0123/pkg/threads/demos_wasm_bg.wasm", "/static%2fstyle.0123456789.css"] {
            assert!(paths.covers(kept), "{kept}");
            assert_eq!(paths.cache_control(kept), "public, max-age=31536000, immutable");
        }
        for asked in ["/", "/index.html", "/static/style.css", "/static/demos.abcdef0123/", "/static/demos.abcdef0123", "/static/python/primes.py", "static/style.0123456789.css", "/toc.js"] {
            assert!(!paths.covers(asked), "{asked}");
            assert_eq!(paths.cache_control(asked), "no-cache");
        }
        paths.set(&[]);
        assert!(!paths.covers("/static/style.0123456789.css"), "a new build's names replace the old");
    }
}
