//! Whole builds and the command line: the real `site-gen` binary run on the fixture books
//! (`tests/fixtures/`), on broken copies of them, on new books (`init`) and on this repository's
//! book; the search index and the theme's colours of a build; the book's Python examples and the
//! demos' Python twins on this machine's `python3`.
//!
//! One test binary: `cargo test -p site-gen --test cli`, or one module of it,
//! `cargo test -p site-gen --test cli bad_input::`.

mod bad_input;
mod book_extras;
mod build_book;
mod build_reading;
mod check_links;
mod init_book;
mod mdbook_book;
mod python_examples;
mod python_twins;
mod search_index;
mod theme_contrast;

use std::path::Path;
use std::process::Output;

pub use harness::cli::problem_lines;
pub use harness::{copy_fixture, copy_tree, fixture, read, repo_root};

/// The `site-gen` binary under test.
pub fn site_gen_binary() -> harness::SiteGen {
    harness::SiteGen::at(env!("CARGO_BIN_EXE_site-gen"))
}

/// Runs `site-gen ARGS` in `dir`.
pub fn site_gen(args: &[&str], dir: &Path) -> Output {
    site_gen_binary().run(args, dir)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
