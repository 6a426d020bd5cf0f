//! What site-gen's tests and the benchmarks share, so that a test reads as "this book, this
//! command, this browser": books copied, generated or written into temporary folders
//! ([`books`]), the real `site-gen` command line run on them ([`cli`]) and its server
//! ([`server`]), and real browsers — Chromium, Firefox and WebKit — driven through WebDriver,
//! one at a time, each session kept for the whole run ([`browser`]). Every process started here
//! ends with the test run ([`cleanup`]).

pub mod books;
pub mod browser;
pub mod cleanup;
pub mod cli;
pub mod server;

pub use books::{copy_fixture, copy_tree, fixture, named_asset, read, real_book, repo_root, with_demo_runtime};
pub use browser::{Engine, Session};
pub use cli::{BookTest, Bounds, Run};
pub use server::{free_port, serve, serve_plain, Plain, Running, SiteGen};
