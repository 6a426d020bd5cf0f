//! `site-gen serve` held at its limits longer than `cargo test` waits: five thousand idle
//! connections, and a client that never reads what it asked for. Not run by default; `make
//! stress` runs them and they print what the server held.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use harness::server::raise_open_files_limit;
use harness::{copy_tree, fixture};
use site_gen::serve::{HEADER_TIMEOUT, WRITE_TIMEOUT};

use crate::client::get;
use crate::start;

#[test]
#[ignore = "slow: opens 5,000 connections and waits out the time allowed for headers; make stress"]
fn five_thousand_idle_connections() {
    let limit = raise_open_files_limit();
    assert!(limit > 5_500, "this test needs 5,500 open files, the limit is {limit}");
    let dest = tempfile::tempdir().unwrap();
    let mut server = start(&fixture("basic"), &dest.path().join("site"));
    let address = server.address.clone();
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = (0..5_000).map(|_| TcpStream::connect(&address).unwrap()).collect();
    let opened = started.elapsed();
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let asked = Instant::now();
        assert!(get(&address, "/basics.html").0.contains(" 200 "));
        slowest = slowest.max(asked.elapsed());
    }
    std::thread::sleep(HEADER_TIMEOUT + Duration::from_secs(2));
    let mut open = 0;
    for stream in &mut idle {
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let mut byte = [0u8; 64];
        if matches!(stream.read(&mut byte), Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)) {
            open += 1;
        }
    }
    assert_eq!(open, 0, "connections without a request are closed");
    assert!(server.process.is_running());
    println!(
        "5,000 idle connections opened in {:.1} s; the slowest of 20 requests meanwhile took {} ms; the server held at most {} MiB",
        opened.as_secs_f64(),
        slowest.as_millis(),
        server.process.peak_kib() / 1024
    );
    assert!(slowest < Duration::from_secs(2));
}

#[test]
#[ignore = "slow: waits out the time allowed to read a response; make stress"]
fn a_client_that_never_reads_is_dropped() {
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    copy_tree(&fixture("basic"), &book);
    std::fs::write(book.join("content/images/large.bin"), vec![7u8; 64 << 20]).unwrap();
    let mut server = start(&book, &work.path().join("site"));
    let address = server.address.clone();
    let mut readers: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(&address).unwrap();
            s.write_all(format!("GET /images/large.bin HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes()).unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    assert!(get(&address, "/basics.html").0.contains(" 200 "), "others are answered meanwhile");
    std::thread::sleep(WRITE_TIMEOUT + Duration::from_secs(3));
    // Drain what the kernel buffered: then the connection must end, not wait for more.
    for stream in &mut readers {
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buffer = vec![0u8; 1 << 20];
        let mut received = 0;
        let ended = loop {
            match stream.read(&mut buffer) {
                Ok(0) => break true,
                Ok(n) => {
                    received += n;
                    continue;
                }
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => break false,
                Err(_) => break true,
            }
        };
        assert!(ended && received < 64 << 20, "a client that read nothing for {WRITE_TIMEOUT:?} is dropped ({received} bytes got through)");
    }
    assert!(server.process.is_running());
    println!("20 clients that never read a 64 MiB file: dropped; the server held at most {} MiB", server.process.peak_kib() / 1024);
}
