//! `site-gen serve` over real HTTP: isolation headers on every response, content types,
//! and the loopback default.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `site-gen serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(book: &Path, dest: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["serve", ".", "-p", "0", "-d"])
        .arg(dest)
        .current_dir(book)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    Server { child, address }
}

/// Sends one GET and returns the status line, the headers (lower-cased names) and the body.
fn get(address: &str, path: &str) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, response[split + 4..].to_vec())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[test]
fn every_response_is_cross_origin_isolated() {
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let dest = tempfile::tempdir().unwrap();
    let server = start(&book, &dest.path().join("site"));
    assert!(server.address.starts_with("127.0.0.1:"), "binds loopback by default: {}", server.address);

    for (path, content_type) in [
        ("/", "text/html"),
        ("/basics.html", "text/html"),
        ("/static/style.css", "text/css"),
        ("/static/demos/runner.js", "text/javascript"),
        ("/images/empty.wasm", "application/wasm"),
    ] {
        let (status, headers, _) = get(&server.address, path);
        assert!(status.contains(" 200 "), "{path}: {status}");
        assert_eq!(header(&headers, "cross-origin-opener-policy"), Some("same-origin"), "{path}");
        assert_eq!(header(&headers, "cross-origin-embedder-policy"), Some("require-corp"), "{path}");
        let got = header(&headers, "content-type").unwrap_or_default();
        assert!(got.starts_with(content_type), "{path}: content-type {got}");
    }

    let (status, headers, _) = get(&server.address, "/no-such-page.html");
    assert!(status.contains(" 404 "), "{status}");
    assert_eq!(header(&headers, "cross-origin-embedder-policy"), Some("require-corp"));
}
