//! Whole builds and the command line: the real `site-gen` binary run on the fixture books
//! (`tests/fixtures/`), on broken copies of them, on new books (`init`) and on this repository's
//! book; the search index and the theme's colours of a build; the book's Python examples and the
//! demos' Python twins on this machine's `python3`.
//!
//! One test binary: `cargo test -p concurrency-lab --test cli`, or one module of it,
//! `cargo test -p concurrency-lab --test cli bad_input::`.

mod bad_input;
mod bad_math;
mod book_extras;
mod build_book;
mod build_reading;
mod check_links;
mod command_line;
mod hostile_files;
mod init_book;
mod interrupted;
mod mdbook_book;
mod mdbook_lenient;
mod output_files;
mod preprocessors;
mod real_books;
mod python;
mod python_examples;
mod python_twins;
mod search_index;
mod stress;
mod theme_contrast;
mod warm_build;
mod workload_blocks;
mod workload_twins;

use std::path::Path;

use harness::{named_asset, BookTest, Run, SiteGen};

/// The `site-gen` binary under test.
fn site_gen() -> SiteGen {
    SiteGen::at(env!("CARGO_BIN_EXE_site-gen"))
}

/// A copy of the fixture book `name` (`tests/fixtures/<name>`) to run `site-gen` in.
fn book(name: &str) -> BookTest {
    BookTest::fixture(&site_gen(), name)
}

/// An empty folder to run `site-gen` in.
fn empty() -> BookTest {
    BookTest::empty(&site_gen())
}

/// `site-gen ARGS` in `folder` as it is: a fixture read in place, by a command that writes nothing.
fn run_in(folder: &Path, args: &[&str]) -> Run {
    Run::in_folder(&site_gen(), args, folder)
}
