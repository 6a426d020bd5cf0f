//! The theme's static files as the site serves them: CSS and JavaScript minified, and every
//! file named by its content, so that hosts may let browsers keep them for good (a new
//! version has a new name).
//!
//! How names are given:
//!
//! - a file at the top of the theme's `static/` (`style.css`, `theme.js`) is named by its own
//!   content: `static/style.3f9a0c12d4.css`. The page's templates link them with
//!   `asset(path="style.css")`, and none of them names another;
//! - a folder of `static/` (`page/`, `search/`, `demos/`) is one unit, named by the content of
//!   everything in it: `static/demos.8be0417f2a/`. The demo runtime's builds go into it (`pkg/threads/`,
//!   `pkg/single/`). Inside, files keep their paths, so every way the scripts find each other
//!   keeps working untouched: relative `import`s, `new URL("./worker.js", import.meta.url)`,
//!   a definition imported by the demo's name (`import(`./definitions/${name}.js`)`) and the
//!   worker's `import(new URL("../pkg/threads/demos_wasm.js", import.meta.url))`, which are
//!   only resolved at run time and so could not be rewritten. The runtime's JavaScript
//!   and WebAssembly change together (the workers' messages), so renaming them together costs
//!   little;
//! - the isolation service worker (`isolation-sw.js`) is not among them: it is written at the
//!   site's root under its own name, where its scope covers every page.

pub(crate) mod content_hash;
pub(crate) mod minify_css;
pub(crate) mod minify_js;
pub mod runtime;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::core::diagnostic::{display_path, Diagnostic};
use crate::core::error::{Error, Result};
use crate::core::fs::{files_under, is_hidden, relative};
use crate::core::html::encode_url_path;
use crate::render::isolation::ISOLATION_WORKER;
use crate::render::theme::{AssetSource, Theme};

use content_hash::{content_hash, folder_hash, hashed_file_name};
use minify_css::minify_css;
use minify_js::{minify_js, JsKind};
pub use runtime::{DemoRuntime, DEMO_BUILDS};

/// The theme's folder that the demo runtime's builds are put into, as `pkg/<build>/`.
pub const DEMOS_FOLDER: &str = "demos";

/// Where the theme's static files go in the site.
pub const STATIC_DIR: &str = "static";

/// One file of the site's static files.
pub struct AssetFile {
    /// Its path in the site (`static/style.3f9a0c12d4.css`).
    pub path: String,
    pub bytes: Arc<[u8]>,
    /// Part of the demo runtime's builds: written only when a page has a demo.
    pub demo_runtime: bool,
}

/// The theme's static files, minified and named, ready to be written.
pub struct Assets {
    pub files: Vec<AssetFile>,
    /// Each file's path under the theme's `static/` → its URL path from the site's root.
    urls: Arc<BTreeMap<String, String>>,
    /// The paths in the site named by their content (files, and folders ending in `/`),
    /// which browsers may keep for good.
    pub immutable: Vec<String>,
    /// The isolation service worker, minified, for the site's root.
    pub isolation_worker: Option<String>,
}

/// A static file as read, before it is named.
struct Source {
    /// Its path under the theme's `static/` (the runtime's: `demos/pkg/<build>/…`).
    path: String,
    /// Its file as shown in messages.
    shown: PathBuf,
    bytes: Arc<[u8]>,
    demo_runtime: bool,
}

impl Assets {
    /// Reads, minifies and names the static files of `theme` and the demo runtime's builds:
    /// those in `demos_dir` when it holds both, else the runtime built into `site-gen`, else
    /// those `demos_dir` has ([`DemoRuntime::find`]). `root` is the book's root, for messages.
    /// Every file's problems are reported together.
    pub fn prepare(theme: &Theme, root: &Path, demos_dir: &Path) -> Result<Assets> {
        let mut sources = theme_sources(theme, root)?;
        sources.extend(runtime_sources(root, demos_dir)?);
        let minified: Vec<std::result::Result<Source, Diagnostic>> = sources.into_par_iter().map(minified).collect();
        let mut problems = Vec::new();
        let mut ready = Vec::new();
        for source in minified {
            match source {
                Ok(source) => ready.push(source),
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Content(problems));
        }
        Ok(named(ready))
    }

    /// The URL path from the site's root of the theme's static file `path` (`style.css`).
    pub fn url(&self, path: &str) -> Option<&str> {
        self.urls.get(path).map(String::as_str)
    }

    /// Lets `tera`'s templates link the static files: `{{ root }}{{ asset(path="style.css") }}`.
    pub fn register(&self, tera: &mut tera::Tera) {
        tera.register_function("asset", AssetUrl(Arc::clone(&self.urls)));
    }
}

/// The theme's static files, read.
fn theme_sources(theme: &Theme, root: &Path) -> Result<Vec<Source>> {
    let mut sources = Vec::with_capacity(theme.assets.len());
    for (path, source) in &theme.assets {
        let (shown, bytes): (PathBuf, Arc<[u8]>) = match source {
            AssetSource::BuiltIn(bytes) => (Path::new("<built-in theme>/static").join(path), Arc::from(*bytes)),
            AssetSource::File(file) => {
                let bytes = std::fs::read(file).map_err(|e| Error::io("read", file, e))?;
                (display_path(root, file), Arc::from(bytes))
            }
        };
        sources.push(Source { path: path.clone(), shown, bytes, demo_runtime: false });
    }
    Ok(sources)
}

/// The demo runtime's builds ([`DemoRuntime::find`]), as files of [`DEMOS_FOLDER`].
fn runtime_sources(root: &Path, demos_dir: &Path) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    let demos_dir = match DemoRuntime::find(demos_dir) {
        DemoRuntime::BuiltIn => {
            for (path, bytes) in runtime::built_in_files() {
                sources.push(Source {
                    path: format!("{DEMOS_FOLDER}/pkg/{path}"),
                    shown: Path::new("<built-in demo runtime>").join(&path),
                    bytes: Arc::from(bytes),
                    demo_runtime: true,
                });
            }
            return Ok(sources);
        }
        DemoRuntime::Folder(dir) | DemoRuntime::Missing(dir) => dir,
    };
    for build in DEMO_BUILDS {
        let dir = demos_dir.join(build);
        if !dir.is_dir() {
            continue;
        }
        for file in files_under(&dir)? {
            let rel = relative(&dir, &file);
            if is_hidden(&rel) {
                continue;
            }
            let bytes = std::fs::read(&file).map_err(|e| Error::io("read", &file, e))?;
            let path = format!("{DEMOS_FOLDER}/pkg/{build}/{rel}");
            sources.push(Source { path, shown: display_path(root, &file), bytes: Arc::from(bytes), demo_runtime: true });
        }
    }
    Ok(sources)
}

/// How a static file is minified, if it is: stylesheets and scripts are, unless already
/// minified (`.min.js`) or someone else's code kept as published with its licence (the
/// runtime's `snippets/`, from the crates it is built with). Scripts in a folder are ES
/// modules; those at the top are classic scripts: in the default theme only the two that must
/// be, `theme.js` (it runs before the first paint) and the service worker `isolation-sw.js`.
enum Minify {
    Css,
    Js(JsKind),
}

fn how_to_minify(path: &str) -> Option<Minify> {
    if path.contains(".min.") || path.split('/').any(|part| part == "snippets") {
        return None;
    }
    let (_, extension) = path.rsplit_once('.')?;
    match extension {
        "css" => Some(Minify::Css),
        "mjs" => Some(Minify::Js(JsKind::Module)),
        "js" if path.contains('/') => Some(Minify::Js(JsKind::Module)),
        "js" => Some(Minify::Js(JsKind::Script)),
        _ => None,
    }
}

/// `source` minified, when it is a stylesheet or a script.
fn minified(source: Source) -> std::result::Result<Source, Diagnostic> {
    let Some(how) = how_to_minify(&source.path) else { return Ok(source) };
    let Ok(text) = std::str::from_utf8(&source.bytes) else {
        return Err(Diagnostic::error(&source.shown, "this file is not UTF-8 text").with_help("save it as UTF-8"));
    };
    let out = match how {
        Minify::Css => minify_css(&source.shown, text)?,
        Minify::Js(kind) => minify_js(&source.shown, text, kind)?,
    };
    Ok(Source { bytes: Arc::from(out.into_bytes()), ..source })
}

/// The files named: each top-level file by its content, each folder by everything in it.
fn named(sources: Vec<Source>) -> Assets {
    let mut urls = BTreeMap::new();
    let mut files = Vec::with_capacity(sources.len());
    let mut immutable = Vec::new();
    let mut isolation_worker = None;
    let mut folders: BTreeMap<String, Vec<Source>> = BTreeMap::new();
    for source in sources {
        match source.path.split_once('/') {
            Some((folder, _)) => folders.entry(folder.to_owned()).or_default().push(source),
            None if source.path == ISOLATION_WORKER => {
                isolation_worker = Some(String::from_utf8_lossy(&source.bytes).into_owned());
            }
            None => {
                let path = format!("{STATIC_DIR}/{}", hashed_file_name(&source.path, &content_hash(&source.bytes)));
                urls.insert(source.path, encode_url_path(&path));
                immutable.push(path.clone());
                files.push(AssetFile { path, bytes: source.bytes, demo_runtime: source.demo_runtime });
            }
        }
    }
    for (folder, sources) in folders {
        let hash = folder_hash(sources.iter().map(|s| (s.path.as_str(), &*s.bytes)));
        let named_folder = format!("{STATIC_DIR}/{folder}.{hash}/");
        immutable.push(named_folder.clone());
        for source in sources {
            let inside = &source.path[folder.len() + 1..];
            let path = format!("{named_folder}{inside}");
            urls.insert(source.path, encode_url_path(&path));
            files.push(AssetFile { path, bytes: source.bytes, demo_runtime: source.demo_runtime });
        }
    }
    Assets { files, urls: Arc::new(urls), immutable, isolation_worker }
}

/// The templates' `asset(path="…")`: the URL path of a theme's static file from the site's root.
struct AssetUrl(Arc<BTreeMap<String, String>>);

impl tera::Function for AssetUrl {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let Some(path) = args.get("path").and_then(tera::Value::as_str) else {
            return Err(tera::Error::msg("`asset` needs the file's path under the theme's static folder: asset(path=\"style.css\")"));
        };
        match self.0.get(path) {
            Some(url) => Ok(tera::Value::String(url.clone())),
            None => Err(tera::Error::msg(format!("the theme has no static file `{path}`"))),
        }
    }
}

#[cfg(test)]
mod tests;
