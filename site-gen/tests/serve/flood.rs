//! A flood of requests against `site-gen serve`: pages, missing pages, path traversal,
//! oversized headers and garbage, 64 connections at a time. The server must still be
//! alive and answer a normal request correctly afterwards, and must never serve a file
//! from outside the site. Throughput and error counts are printed, not asserted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use harness::fixture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::start;

const REQUESTS: usize = 20_000;
const CONNECTIONS: usize = 64;
/// No new requests are started after this long, however many are left.
const TIME_BOUND: Duration = Duration::from_secs(20);

/// What a request is, by number: a mix of the kinds the server must survive.
fn request(i: usize, address: &str) -> (&'static str, Vec<u8>) {
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").into_bytes();
    match i % 10 {
        0 => ("page", get("/")),
        1 => ("page", get("/basics.html")),
        2 => ("page", get("/guide/nested.html")),
        3 => ("missing", get(&format!("/no/such/page-{i}.html"))),
        4 => ("traversal", get("/../../../../etc/passwd")),
        5 => ("traversal", get("/%2e%2e/%2e%2e/%2e%2e/etc/passwd")),
        6 => ("traversal", get("/..%2f..%2f..%2f..%2fetc%2fpasswd")),
        7 => ("traversal", get("/guide/..\\..\\..\\Cargo.toml")),
        8 => {
            let big = "x".repeat(if i % 20 == 8 { 16 * 1024 } else { 1024 * 1024 });
            ("oversized", format!("GET / HTTP/1.1\r\nHost: {address}\r\nX-Big: {big}\r\nConnection: close\r\n\r\n").into_bytes())
        }
        _ => ("garbage", b"\x00\xffNOT HTTP AT ALL\r\n\r\n".to_vec()),
    }
}

/// Sends one request on a fresh connection; the response, or an error.
async fn send(address: &str, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(address).await?;
    let exchange = async {
        // The server may answer and close before an oversized request is all written.
        let written = stream.write_all(bytes).await;
        let mut response = Vec::new();
        let read = stream.read_to_end(&mut response).await;
        match (written, read) {
            (_, Ok(_)) if !response.is_empty() => Ok(response),
            (Err(e), _) | (_, Err(e)) => Err(e),
            _ => Ok(response),
        }
    };
    tokio::time::timeout(Duration::from_secs(10), exchange).await.map_err(|_| std::io::ErrorKind::TimedOut)?
}

fn status(response: &[u8]) -> Option<u16> {
    let line = response.split(|&b| b == b'\r').next()?;
    std::str::from_utf8(line).ok()?.split(' ').nth(1)?.parse().ok()
}

#[derive(Default)]
struct Tally {
    sent: AtomicUsize,
    ok: AtomicUsize,
    not_found: AtomicUsize,
    other_status: AtomicUsize,
    closed_without_answer: AtomicUsize,
    io_errors: AtomicUsize,
    wrong: std::sync::Mutex<Vec<String>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_survives_a_request_flood() {
    let dest = tempfile::tempdir().unwrap();
    let mut server = start(&fixture("basic"), &dest.path().join("site"));
    let address: Arc<str> = server.address.clone().into();
    let next = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Tally::default());
    let started = Instant::now();

    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (address, next, tally) = (address.clone(), next.clone(), tally.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= REQUESTS || started.elapsed() > TIME_BOUND {
                        break;
                    }
                    let (kind, bytes) = request(i, &address);
                    tally.sent.fetch_add(1, Ordering::Relaxed);
                    let response = match send(&address, &bytes).await {
                        Ok(r) if r.is_empty() => {
                            tally.closed_without_answer.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        Ok(r) => r,
                        Err(_) => {
                            tally.io_errors.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    };
                    let code = status(&response);
                    match code {
                        Some(200) => tally.ok.fetch_add(1, Ordering::Relaxed),
                        Some(404) => tally.not_found.fetch_add(1, Ordering::Relaxed),
                        _ => tally.other_status.fetch_add(1, Ordering::Relaxed),
                    };
                    let text = String::from_utf8_lossy(&response);
                    let wrong = match kind {
                        "page" => code != Some(200),
                        "missing" => code != Some(404),
                        "traversal" => code == Some(200) && (text.contains("root:") || text.contains("[workspace]")),
                        _ => false,
                    };
                    if wrong {
                        tally.wrong.lock().unwrap().push(format!("{kind} #{i}: {}", text.lines().next().unwrap_or("")));
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();

    let count = |a: &AtomicUsize| a.load(Ordering::Relaxed);
    let sent = count(&tally.sent);
    println!(
        "flood: {sent} requests in {elapsed:.1} s ({:.0} requests/s, {CONNECTIONS} connections): \
         200 {}, 404 {}, other status {}, closed without an answer {}, connection errors {}",
        sent as f64 / elapsed,
        count(&tally.ok),
        count(&tally.not_found),
        count(&tally.other_status),
        count(&tally.closed_without_answer),
        count(&tally.io_errors),
    );
    let wrong = std::mem::take(&mut *tally.wrong.lock().unwrap());
    assert!(wrong.is_empty(), "{} wrong answers, first ones: {:?}", wrong.len(), &wrong[..wrong.len().min(5)]);

    assert!(server.process.0.try_wait().unwrap().is_none(), "site-gen serve exited during the flood");
    let request = format!("GET /basics.html HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    let response = String::from_utf8(send(&address, request.as_bytes()).await.unwrap()).unwrap();
    assert_eq!(status(response.as_bytes()), Some(200), "{response}");
    let lower = response.to_ascii_lowercase();
    assert!(lower.contains("cross-origin-opener-policy: same-origin"), "{response}");
    assert!(response.contains("<h1") && response.contains("Basics"), "{response}");
}
