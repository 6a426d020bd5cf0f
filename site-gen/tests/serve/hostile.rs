//! `site-gen serve` under hostile traffic on loopback: sockets held open without a request,
//! every method, ranges good and bad, addresses too long or strangely spelled, files planted
//! in the build folder, `Host` names that are not this machine, a WebSocket from another
//! origin. The server answers each sensibly and keeps answering real requests, in bounded
//! memory.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use harness::server::raise_open_files_limit;
use harness::{copy_tree, fixture};
use site_gen::serve::{HEADER_TIMEOUT, MAX_CONNECTIONS};

use crate::client::{get, get_for_host, header, open_socket, open_socket_for_host, send};
use crate::start;

/// True once the server has closed `stream` (nothing more to read), waiting up to `wait`.
fn closed_by_server(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut byte = [0u8; 512];
    loop {
        match stream.read(&mut byte) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => return false,
            Err(_) => return true,
        }
    }
}

#[test]
fn idle_and_slow_connections_do_not_keep_a_reader_out() {
    let limit = raise_open_files_limit();
    let idle_count = MAX_CONNECTIONS + 100;
    assert!(limit > (idle_count + 200) as u64, "this test needs {} open files, the limit is {limit}", idle_count + 200);
    let dest = tempfile::tempdir().unwrap();
    let mut server = start(&fixture("basic"), &dest.path().join("site"));
    let address = server.address.clone();

    // More connections than the server keeps, that send nothing, and slow ones that send
    // half a request's headers.
    let mut idle: Vec<TcpStream> = (0..idle_count).map(|_| TcpStream::connect(&address).unwrap()).collect();
    let mut slow: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(&address).unwrap();
            s.write_all(format!("GET / HTTP/1.1\r\nHost: {address}\r\nX-Slow: ").as_bytes()).unwrap();
            s
        })
        .collect();
    let asked = Instant::now();
    let (status, _, body) = get(&address, "/basics.html");
    assert!(status.contains(" 200 ") && String::from_utf8_lossy(&body).contains("Basics"), "{status}");
    assert!(asked.elapsed() < Duration::from_secs(5), "a reader waited {:?}", asked.elapsed());

    // Past the time allowed for a request's headers, every one of them is closed.
    std::thread::sleep(HEADER_TIMEOUT + Duration::from_secs(1));
    let mut open = 0;
    for stream in idle.iter_mut().chain(slow.iter_mut()) {
        if !closed_by_server(stream, Duration::from_secs(3)) {
            open += 1;
        }
    }
    assert_eq!(open, 0, "{open} connections still open after {HEADER_TIMEOUT:?} without a request");
    assert!(server.process.is_running(), "the server is up");
    assert!(get(&address, "/").0.contains(" 200 "));
    let peak = server.process.peak_kib();
    println!("{} idle and 100 slow connections: the server held at most {} MiB", idle_count, peak / 1024);
    assert!(peak < 512 * 1024, "the server held {} MiB", peak / 1024);
}

#[test]
fn every_method_is_answered_sensibly() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    let address = &server.address;
    let request = |method: &str, extra: &str| format!("{method} /basics.html HTTP/1.1\r\nHost: {address}\r\n{extra}Connection: close\r\n\r\n");

    let (status, got, body) = send(address, request("GET", "").as_bytes());
    assert!(status.contains(" 200 "), "{status}");
    let (head_status, head, head_body) = send(address, request("HEAD", "").as_bytes());
    assert!(head_status.contains(" 200 "), "{head_status}");
    assert!(head_body.is_empty(), "HEAD has no body");
    assert_eq!(header(&head, "content-length"), Some(body.len().to_string().as_str()), "HEAD's length is GET's");
    assert_eq!(header(&head, "content-type"), header(&got, "content-type"));

    let (status, headers, body) = send(address, request("OPTIONS", "").as_bytes());
    assert!(status.contains(" 204 ") && body.is_empty(), "{status}");
    assert_eq!(header(&headers, "allow"), Some("GET, HEAD, OPTIONS"));
    for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE", "BREW"] {
        let (status, headers, _) = send(address, request(method, "Content-Length: 5\r\n").as_bytes());
        assert!(status.contains(" 405 "), "{method}: {status}");
        assert_eq!(header(&headers, "allow"), Some("GET, HEAD, OPTIONS"), "{method}");
        assert_eq!(header(&headers, "cross-origin-embedder-policy"), Some("require-corp"), "{method}");
    }
    // A CONNECT, and a request line that is not HTTP at all.
    let (status, _, _) = send(address, format!("CONNECT {address} HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes());
    assert!(status.contains(" 4"), "CONNECT: {status}");
    assert!(get(address, "/basics.html").0.contains(" 200 "));
}

#[test]
fn ranges_good_and_bad() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    let address = &server.address;
    let (_, _, file) = get(address, "/toc.js");
    let range = |value: &str| send(address, format!("GET /toc.js HTTP/1.1\r\nHost: {address}\r\nRange: {value}\r\nConnection: close\r\n\r\n").as_bytes());

    let (status, headers, body) = range("bytes=0-9");
    assert!(status.contains(" 206 "), "{status}");
    assert_eq!(body, &file[..10]);
    assert_eq!(header(&headers, "content-range"), Some(format!("bytes 0-9/{}", file.len()).as_str()));
    let (status, _, body) = range("bytes=-5");
    assert!(status.contains(" 206 ") && body == file[file.len() - 5..], "{status}");
    let (status, _, body) = range(&format!("bytes={}-", file.len() - 3));
    assert!(status.contains(" 206 ") && body == file[file.len() - 3..], "{status}");
    for bad in ["bytes=abc", "bytes=99999999999-", "bytes=5-2", "bytes=0-1,3-4", "bytes=0-18446744073709551616", "lines=1-2", "bytes=--1", "bytes="] {
        let (status, _, body) = range(bad);
        assert!(status.contains(" 416 ") || (status.contains(" 200 ") && body == file), "{bad}: {status}");
    }
    assert!(get(address, "/basics.html").0.contains(" 200 "));
}

#[test]
fn long_addresses_and_large_headers_are_refused() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    let address = &server.address;
    for (length, expected) in [(100 * 1024, " 414 "), (9 * 1024, " 414 "), (8 * 1024 - 1, " 404 ")] {
        let path = format!("/{}", "a".repeat(length - 1));
        let (status, _, _) = get(address, &path);
        assert!(status.contains(expected), "an address of {length} bytes: {status}");
    }
    let big = "x".repeat(1024 * 1024);
    let (status, _, _) = send(address, format!("GET / HTTP/1.1\r\nHost: {address}\r\nX-Big: {big}\r\n\r\n").as_bytes());
    assert!(status.contains(" 431 "), "{status}");
    let many: String = (0..500).map(|i| format!("X-H{i}: v\r\n")).collect();
    let (status, _, _) = send(address, format!("GET / HTTP/1.1\r\nHost: {address}\r\n{many}\r\n").as_bytes());
    assert!(status.contains(" 431 ") || status.contains(" 400 "), "{status}");
    assert!(get(address, "/basics.html").0.contains(" 200 "));
}

#[test]
fn strange_spellings_of_paths_never_leave_the_site() {
    let work = tempfile::tempdir().unwrap();
    let work_dir = std::fs::canonicalize(work.path()).unwrap();
    std::fs::write(work_dir.join("secret.txt"), "SECRET-OUTSIDE").unwrap();
    let book = work_dir.join("book");
    copy_tree(&fixture("basic"), &book);
    std::fs::write(book.join("content/hash#tag.md"), "# Hash\n").unwrap();
    let summary = std::fs::read_to_string(book.join("content/SUMMARY.md")).unwrap();
    std::fs::write(book.join("content/SUMMARY.md"), summary + "\n[Hash](hash%23tag.md)\n").unwrap();
    let server = start(&book, &work_dir.join("site"));
    let address = &server.address;
    for path in [
        "/basics.html%00",
        "/%00/../secret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/%25%32%65%25%32%65/secret.txt",
        "/\u{ff0e}\u{ff0e}/secret.txt",
        "/%EF%BC%8E%EF%BC%8E/secret.txt",
        "/\u{2024}\u{2024}/secret.txt",
        "/%E2%80%A4%E2%80%A4/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/..%c0%afsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c%2e%2e%5csecret.txt",
        "/.%2e/secret.txt",
        "/static/..%2F..%2Fsecret.txt",
        "/basics.html/../../secret.txt",
    ] {
        let (status, _, body) = get(address, path);
        assert!(status.contains(" 404 ") || status.contains(" 400 "), "{path}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("SECRET"), "{path} leaked the file");
    }
    let (status, _, body) = get(address, "/hash%23tag.html");
    assert!(status.contains(" 200 ") && String::from_utf8_lossy(&body).contains("Hash"), "a page whose name holds #: {status}");
}

#[test]
fn files_planted_in_the_build_folder_after_the_build_are_not_served() {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    let server = start(&fixture("basic"), &site);
    let address = &server.address;
    std::os::unix::fs::symlink("/etc/passwd", site.join("passwd.html")).unwrap();
    std::os::unix::fs::symlink("/", site.join("root")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", site.join("zero.html")).unwrap();
    std::os::unix::fs::symlink("loop.html", site.join("loop.html")).unwrap();
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    mknodat(CWD, site.join("pipe.html"), FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
    std::fs::create_dir(site.join("folder")).unwrap();
    mknodat(CWD, site.join("folder/index.html"), FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
    for path in ["/passwd.html", "/root/etc/passwd", "/zero.html", "/loop.html", "/pipe.html", "/folder/"] {
        let asked = Instant::now();
        let (status, _, body) = get(address, path);
        assert!(status.contains(" 404 "), "{path}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("root:"), "{path} leaked");
        assert!(asked.elapsed() < Duration::from_secs(5), "{path} took {:?}", asked.elapsed());
    }
    assert!(get(address, "/basics.html").0.contains(" 200 "));
}

#[test]
fn host_names_other_than_this_machine_are_refused() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    let port = server.address.rsplit(':').next().unwrap();
    for host in [format!("LOCALHOST:{port}"), format!("LocalHost.:{port}"), format!("[::1]:{port}"), format!("127.0.0.1:{port}"), "localhost".to_owned()] {
        assert!(get_for_host(&server.address, &host, "/basics.html").0.contains(" 200 "), "{host}");
    }
    for host in [
        format!("localhost.evil.test:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("0x7f.1:{port}"),
        format!("2130706433:{port}"),
        format!("[::ffff:7f00:1]x:{port}"),
        format!("evil.test:{port}@127.0.0.1"),
        format!("127.0.0.1:{port}:{port}"),
        "localhost:99999".to_owned(),
        " ".to_owned(),
    ] {
        let (status, _, _) = get_for_host(&server.address, &host, "/basics.html");
        assert!(status.contains(" 421 ") || status.contains(" 400 "), "{host:?}: {status}");
    }
}

#[test]
fn a_websocket_from_another_origin_is_refused() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    let port = server.address.rsplit(':').next().unwrap();
    for origin in [
        "http://evil.test".to_owned(),
        format!("http://localhost.evil.test:{port}"),
        format!("http://127.0.0.1.nip.io:{port}"),
        format!("https://127.0.0.1:{port}"),
        format!("http://127.0.0.1:{}", port.parse::<u32>().unwrap() + 1),
        "null".to_owned(),
        "file://".to_owned(),
    ] {
        let (status, _, socket) = open_socket(&server.address, Some(&origin));
        assert!(status.contains(" 403 ") && socket.is_none(), "{origin}: {status}");
    }
    let (status, _, socket) = open_socket_for_host(&server.address, "evil.test", Some("http://evil.test"));
    assert!(status.contains(" 421 ") && socket.is_none(), "{status}");
    let (status, _, socket) = open_socket(&server.address, Some(&format!("http://{}", server.address)));
    assert!(status.contains(" 101 ") && socket.is_some(), "{status}");
}
