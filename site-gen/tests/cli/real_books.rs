//! The mdBook books of Debian's `rust-web-src` (which `make test` installs): each builds
//! without an error and writes every page mdBook 0.5 writes for it, redirects included. The
//! pages mdBook writes are recorded in `tests/fixtures/real-books/` (made by
//! `scripts/mdbook-page-lists.sh`, so mdBook is not needed here); the books build two at a
//! time, each into a folder of its own, without their preprocessors (several are `cargo run`
//! of a crate in the Rust sources, which would compile for minutes inside /usr/src; none of
//! them adds or removes a page).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use crate::site_gen;

/// A book's recorded pages: its folder in the Rust sources and the pages mdBook wrote.
struct Expected {
    book: String,
    pages: Vec<String>,
}

fn expected() -> (String, Vec<Expected>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real-books");
    let version = std::fs::read_to_string(dir.join("VERSION")).expect("the recorded version").trim().to_owned();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    files.sort();
    let books = files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            let mut lines = text.lines().map(str::to_owned);
            Expected { book: lines.next().expect("the book's folder"), pages: lines.collect() }
        })
        .collect();
    (version, books)
}

/// Every `.html` file under `dir`, `/`-separated.
fn pages(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                out.insert(path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// What is wrong with the build of `expected`'s book in `source`, if anything.
fn build_one(source: &Path, expected: &Expected) -> Option<String> {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let run = harness::Run::in_folder(&site_gen(), &["build", ".", "--no-preprocessors", "-d", dest.to_str().unwrap()], &source.join(&expected.book));
    if !run.status.success() {
        return Some(format!("{}: site-gen exited with {}:\n{}", expected.book, run.status, run.stderr));
    }
    let written = pages(&dest);
    let missing: Vec<&String> = expected.pages.iter().filter(|p| !written.contains(*p)).collect();
    if !missing.is_empty() {
        return Some(format!("{}: {} of mdBook's {} pages are missing: {missing:?}", expected.book, missing.len(), expected.pages.len()));
    }
    None
}

#[test]
fn every_rust_web_src_book_builds_with_mdbooks_pages() {
    let (version, books) = expected();
    let source = Path::new("/usr/src").join(&version);
    if !source.is_dir() {
        eprintln!("skipped: {} is not installed (`make test` installs rust-web-src; another version needs scripts/mdbook-page-lists.sh)", source.display());
        return;
    }
    let started = Instant::now();
    let queue = Mutex::new(books.iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let Some(book) = queue.lock().unwrap().next() else { break };
                if let Some(failure) = build_one(&source, book) {
                    failures.lock().unwrap().push(failure);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    eprintln!("{} books built in {:.1} s", books.len(), started.elapsed().as_secs_f64());
    assert!(books.len() >= 19, "{} books recorded", books.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
