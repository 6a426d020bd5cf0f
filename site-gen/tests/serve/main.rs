//! `site-gen serve` over real HTTP: isolation headers, content types, the loopback default, no
//! way out of the build folder, the live-reload socket, the 404 page, a flood of requests it
//! must survive, hostile traffic (idle and slow connections, every method, ranges, strange
//! paths and host names), edits that catch it halfway, a workload's new Python twin, and the
//! `--poll` and `--open` options.
//!
//! One test binary: `cargo test -p concurrency-lab --test serve`. A measurement, not run by default:
//! `cargo test --release -p concurrency-lab --test serve -- --ignored --nocapture reload_latency`.

mod client;
mod edits;
mod flood;
mod hostile;
mod http;
mod not_found;
mod options;
mod stress;
mod workload_twins;

use std::path::Path;
use std::process::Stdio;

use harness::server::start_server;
use harness::{Running, SiteGen};

/// The `site-gen` binary under test.
fn site_gen() -> SiteGen {
    SiteGen::at(env!("CARGO_BIN_EXE_site-gen"))
}

/// A running `site-gen serve`, stopped when dropped.
struct Server {
    process: Running,
    /// Where it listens: `127.0.0.1:<port>`.
    address: String,
}

/// Starts `site-gen serve` on the book at `book`, writing the site into `dest`; what it writes
/// on its error output is dropped.
fn start(book: &Path, dest: &Path) -> Server {
    start_with(book, dest, &[], Stdio::null())
}

/// [`start`] with more arguments, and its error output sent to `stderr`.
fn start_with(book: &Path, dest: &Path, args: &[&str], stderr: Stdio) -> Server {
    let mut command = site_gen().serve_command(book, dest);
    command.args(args).stderr(stderr);
    let (process, address) = start_server(command);
    Server { process, address }
}

/// A copy of the basic fixture served, with a page's live-reload socket open and its first
/// message read.
pub(crate) fn served() -> (tempfile::TempDir, Server, client::Socket, serde_json::Value) {
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    harness::copy_tree(&harness::fixture("basic"), &book);
    let server = start(&book, &work.path().join("site"));
    let (_, _, socket) = client::open_socket(&server.address, Some(&format!("http://{}", server.address)));
    let mut socket = socket.expect("the socket opens");
    let first = socket.next();
    (work, server, socket, first)
}
