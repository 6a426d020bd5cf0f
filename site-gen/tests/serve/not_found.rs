//! `site-gen serve` answers addresses that do not exist with the book's 404 page and
//! status 404, at any depth.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(address: &str, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").expect("a complete response");
    (head.lines().next().unwrap().to_owned(), body.to_owned())
}

#[test]
fn missing_pages_get_the_404_page() {
    let book = harness::fixture("basic");
    let dest = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(["serve", ".", "-p", "0", "-d"])
        .arg(dest.path().join("site"))
        .current_dir(&book)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let server = Server(child);
    let address = line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_else(|| panic!("{line:?}")).to_owned();

    for path in ["/no-such-page.html", "/deep/er/still-missing.html"] {
        let (status, body) = get(&address, path);
        assert!(status.contains(" 404 "), "{path}: {status}");
        assert!(body.contains("<title>Page not found"), "{path}: {body}");
        assert!(body.contains(r#"<base href="/">"#), "{path}: links work at any depth: {body}");
    }
    let (status, _) = get(&address, "/basics.html");
    assert!(status.contains(" 200 "), "{status}");
    drop(server);
}
