//! Books to build: the fixture books of `site-gen/tests/fixtures/`, and the real book of this
//! repository, each copied into a temporary folder so that builds never touch the repository;
//! and books of any size made up from a seed ([`generated`]).

pub mod generated;
mod words;

use std::path::{Path, PathBuf};

use tempfile::TempDir;

pub use generated::generated;

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the harness lives in the repository").to_path_buf()
}

/// The fixture book `name`, in place (read it; never build into it).
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("site-gen/tests/fixtures").join(name)
}

/// Copies the fixture book `name` into a fresh temporary folder.
pub fn copy_fixture(name: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&fixture(name), dir.path());
    dir
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        }
    }
}

/// The text of the file at `path`; fails with the path when it cannot be read.
#[track_caller]
pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The built demo runtime (`make demos`): `demos-wasm/pkg`, with both builds in it.
pub fn demo_runtime() -> PathBuf {
    let pkg = repo_root().join("demos-wasm/pkg");
    for build in ["threads", "single"] {
        let wasm = pkg.join(build).join("demos_wasm_bg.wasm");
        assert!(wasm.is_file(), "the demo runtime is not built ({} is missing): run `make demos`", wasm.display());
    }
    pkg
}

/// Points the book in `book` at the repository's demo runtime, wherever the book was copied.
pub fn with_demo_runtime(book: &Path) {
    edit_book_toml(book, |toml| {
        let build = table(toml, "build");
        build.insert("demos-dir".into(), toml::Value::String(demo_runtime().display().to_string()));
    });
}

/// Adds `script` (a file copied into the book's root) to every page of the book in `book`,
/// after the book's own `additional-js`.
pub fn add_script(book: &Path, script: &Path) {
    let name = script.file_name().expect("a file").to_string_lossy().into_owned();
    std::fs::copy(script, book.join(&name)).unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    edit_book_toml(book, |toml| {
        let html = table(table(toml, "output"), "html");
        let scripts = html.entry("additional-js").or_insert_with(|| toml::Value::Array(Vec::new()));
        scripts.as_array_mut().expect("additional-js is a list").push(toml::Value::String(name));
    });
}

/// Adds `phone-frame.html` to the source folder of the book in `book`: a page that shows
/// another page of the book in a frame of a phone's size (`Session::open_as_phone`).
pub fn add_phone_frame(book: &Path) {
    let frame = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/browser/phone-frame.html");
    let source = source_folder(book);
    std::fs::copy(&frame, source.join("phone-frame.html")).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
}

/// The book's source folder: `[book] src` in its `book.toml`, else `content`, else `src`.
fn source_folder(book: &Path) -> PathBuf {
    let text = std::fs::read_to_string(book.join("book.toml")).unwrap_or_default();
    let toml: toml::Table = text.parse().unwrap_or_default();
    let named = toml.get("book").and_then(|b| b.get("src")).and_then(|s| s.as_str());
    match named {
        Some(src) => book.join(src),
        None if book.join("content").is_dir() => book.join("content"),
        None => book.join("src"),
    }
}

/// This repository's book (its `book.toml` and chapters; the theme linked, not copied, so that
/// it is the one being edited), in a temporary folder, with the demo runtime.
pub fn real_book() -> TempDir {
    let root = repo_root();
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::copy(root.join("book.toml"), dir.path().join("book.toml")).unwrap();
    copy_tree(&root.join("content"), &dir.path().join("content"));
    std::os::unix::fs::symlink(root.join("theme"), dir.path().join("theme")).unwrap();
    with_demo_runtime(dir.path());
    dir
}

fn edit_book_toml(book: &Path, edit: impl FnOnce(&mut toml::Table)) {
    let path = book.join("book.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut toml: toml::Table = text.parse().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    edit(&mut toml);
    std::fs::write(&path, toml::to_string(&toml).unwrap()).unwrap();
}

fn table<'a>(toml: &'a mut toml::Table, key: &str) -> &'a mut toml::Table {
    toml.entry(key)
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .unwrap_or_else(|| panic!("`{key}` in book.toml is not a table"))
}

/// The path of the first static file named by its content that `page` names right after `before`:
/// `<start><10 hex digits><end>` (`static/style.` … `.css`).
pub fn named_asset(page: &str, before: &str, start: &str, end: &str) -> Option<String> {
    page.match_indices(&format!("{before}{start}")).find_map(|(at, _)| {
        let at = at + before.len();
        let path = &page[at..at + page[at..].find('"')?];
        let hash = path.strip_prefix(start)?.strip_suffix(end)?;
        (hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| path.to_owned())
    })
}
