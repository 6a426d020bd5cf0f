//! `site-gen serve` over real HTTP: isolation headers on every response, content types,
//! compression as the browser accepts, cache headers by kind of file, the loopback default,
//! no way out of the build folder, the live-reload socket (for this server's pages only)
//! and what it tells them when a file changes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::Duration;

use harness::books::generated::{self, generated};
use harness::server::start_server;
use harness::{copy_tree, fixture, named_asset};

use crate::client::{get, get_for_host, head, header, open_socket, open_socket_for_host, page_text};
use crate::{served, site_gen, start, start_with, Server};

#[test]
fn every_response_is_cross_origin_isolated() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    assert!(server.address.starts_with("127.0.0.1:"), "binds loopback by default: {}", server.address);

    let demo = page_text(&server.address, "/demo.html");
    let style = format!("/{}", named_asset(&demo, "href=\"", "static/style.", ".css").unwrap());
    let runner = format!("/{}", named_asset(&demo, "src=\"", "static/demos.", "/runner.js").unwrap());
    for (path, content_type) in [
        ("/", "text/html"),
        ("/basics.html", "text/html"),
        (style.as_str(), "text/css"),
        (runner.as_str(), "text/javascript"),
        ("/images/empty.wasm", "application/wasm"),
        ("/.site-gen/reload.js", "text/javascript"),
    ] {
        let (status, headers, _) = get(&server.address, path);
        assert!(status.contains(" 200 "), "{path}: {status}");
        assert_eq!(header(&headers, "cross-origin-opener-policy"), Some("same-origin"), "{path}");
        assert_eq!(header(&headers, "cross-origin-embedder-policy"), Some("require-corp"), "{path}");
        assert_eq!(header(&headers, "cross-origin-resource-policy"), Some("same-origin"), "{path}");
        let got = header(&headers, "content-type").unwrap_or_default();
        assert!(got.starts_with(content_type), "{path}: content-type {got}");
    }

    let (status, headers, _) = get(&server.address, "/no-such-page.html");
    assert!(status.contains(" 404 "), "{status}");
    assert_eq!(header(&headers, "cross-origin-embedder-policy"), Some("require-corp"));
}

/// `site-gen init` and `site-gen serve` in a folder far from this repository: the new book's
/// demo gets both builds of the demo runtime and its Python twin from what the binary carries.
#[test]
fn a_new_book_anywhere_serves_the_built_in_demo_runtime() {
    if env!("SITE_GEN_RUNTIME_BUILT_IN") != "yes" {
        eprintln!("skipped: site-gen was compiled before `make demos`, so it carries no demo runtime (`make test` builds it first)");
        return;
    }
    let book = tempfile::tempdir().unwrap();
    let dest = tempfile::tempdir().unwrap();
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_site-gen")).args(["init", "."]).current_dir(book.path()).output().unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let server = start(book.path(), &dest.path().join("site"));

    let page = page_text(&server.address, "/introduction.html");
    let runner = named_asset(&page, "src=\"", "static/demos.", "/runner.js").expect("the page loads the demo runtime");
    let folder = format!("/{}", runner.strip_suffix("runner.js").unwrap());
    for build in ["threads", "single"] {
        let (status, headers, body) = get(&server.address, &format!("{folder}pkg/{build}/demos_wasm_bg.wasm"));
        assert!(status.contains(" 200 "), "{build}: {status}");
        assert_eq!(header(&headers, "content-type"), Some("application/wasm"), "{build}");
        assert!(body.starts_with(b"\0asm"), "{build}: a WebAssembly module");
        let (status, _, _) = get(&server.address, &format!("{folder}pkg/{build}/demos_wasm.js"));
        assert!(status.contains(" 200 "), "{build} glue: {status}");
    }
    let (status, _, body) = get(&server.address, "/static/python/primes.py");
    assert!(status.contains(" 200 ") && String::from_utf8_lossy(&body).contains("def "), "{status}");
}

#[test]
fn warns_when_listening_beyond_this_machine() {
    let dest = tempfile::tempdir().unwrap();
    let log = dest.path().join("stderr.txt");
    let server = start_with(&fixture("basic"), &dest.path().join("site"), &["-n", "0.0.0.0"], std::fs::File::create(&log).unwrap().into());
    assert!(server.address.starts_with("0.0.0.0:"), "{}", server.address);
    drop(server);
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(stderr.contains("warning: listening on 0.0.0.0"), "{stderr}");
}

#[test]
fn pages_get_the_reload_script_and_the_build_folder_does_not() {
    let dest = tempfile::tempdir().unwrap();
    let site = dest.path().join("site");
    let server = start(&fixture("basic"), &site);
    for page in ["/basics.html", "/", "/guide/"] {
        let html = page_text(&server.address, page);
        let at = html.find("<script src=\"/.site-gen/reload.js\" data-build=\"").unwrap_or_else(|| panic!("{page}: {html}"));
        assert!(at < html.rfind("</body>").unwrap(), "{page}: the script goes in the body");
    }
    for file in ["basics.html", "index.html", "guide/index.html"] {
        let html = std::fs::read_to_string(site.join(file)).unwrap();
        assert!(!html.contains(".site-gen/reload"), "{file} on disk is what `build` writes, with no reload script");
    }
    // Conditional requests get the page in full (a 304 could keep an old page).
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "GET /basics.html HTTP/1.1\r\nHost: {}\r\nIf-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\nConnection: close\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 "), "{}", &response[..40]);
}

#[test]
fn no_request_reaches_outside_the_build_folder() {
    let work = tempfile::tempdir().unwrap();
    let work_dir = std::fs::canonicalize(work.path()).unwrap();
    std::fs::write(work_dir.join("secret.txt"), "SECRET-OUTSIDE").unwrap();
    let book = work_dir.join("book");
    copy_tree(&fixture("basic"), &book);
    let site = work_dir.join("site");
    let server = start(&book, &site);
    // Symbolic links placed inside the build folder that lead out of it.
    std::os::unix::fs::symlink(work_dir.join("secret.txt"), site.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&work_dir, site.join("leak-dir")).unwrap();
    std::os::unix::fs::symlink(work_dir.join("secret.txt"), site.join("guide/index.html.lnk")).unwrap();

    let absolute = work_dir.join("secret.txt").display().to_string();
    let attempts = [
        "/../secret.txt".to_owned(),
        "/static/../../secret.txt".to_owned(),
        "/%2e%2e/secret.txt".to_owned(),
        "/%2E%2E/secret.txt".to_owned(),
        "/static/%2e%2e/%2e%2e/secret.txt".to_owned(),
        "/..%2fsecret.txt".to_owned(),
        "/static%2f..%2f..%2fsecret.txt".to_owned(),
        "/%2e%2e%2fsecret.txt".to_owned(),
        "/..\\secret.txt".to_owned(),
        "/static\\..\\..\\secret.txt".to_owned(),
        "/%5c..%5csecret.txt".to_owned(),
        "/static%5c..%5c..%5csecret.txt".to_owned(),
        format!("/{absolute}"),
        format!("//{}", absolute.trim_start_matches('/')),
        format!("/{}", absolute.replace('/', "%2f")),
        "/leak.txt".to_owned(),
        "/leak-dir/secret.txt".to_owned(),
        "/leak-dir/".to_owned(),
        "/guide/index.html.lnk".to_owned(),
        "/.site-gen-output".to_owned(),
        format!("http://{}/../secret.txt", server.address),
    ];
    for path in &attempts {
        let (status, headers, body) = get(&server.address, path);
        assert!(status.contains(" 404 "), "{path}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("SECRET"), "{path} leaked the file");
        assert_eq!(header(&headers, "cross-origin-opener-policy"), Some("same-origin"), "{path}");
    }
    // The same files through their real names inside the build folder are served.
    let style = named_asset(&page_text(&server.address, "/basics.html"), "href=\"", "static/style.", ".css").unwrap();
    assert!(get(&server.address, &format!("/{style}")).0.contains(" 200 "));
    assert!(get(&server.address, &format!("/{}", style.replace('/', "%2f"))).0.contains(" 200 "));
}

#[test]
fn the_reload_socket_refuses_other_origins() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    let this = format!("http://{}", server.address);
    for origin in [Some("http://evil.example"), Some("null"), Some("https://127.0.0.1"), None] {
        let (status, headers, socket) = open_socket(&server.address, origin);
        assert!(status.contains(" 403 "), "{origin:?}: {status}");
        assert!(socket.is_none());
        assert_eq!(header(&headers, "cross-origin-opener-policy"), Some("same-origin"));
    }
    let (status, _, socket) = open_socket(&server.address, Some(&this));
    assert!(status.contains(" 101 "), "{status}");
    let state = socket.unwrap().next();
    assert!(state["build"].is_string(), "{state}");
    assert_eq!(state["problems"], serde_json::json!([]));
}

/// A page of another site whose name is made to resolve to 127.0.0.1 ("DNS rebinding")
/// is same-origin with itself: its requests name its own host. The server answers only
/// loopback names, so such a page reads neither the book nor the reload socket.
#[test]
fn requests_for_other_host_names_are_refused() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    let port = server.address.rsplit(':').next().unwrap();
    for host in [format!("evil.example:{port}"), format!("127.0.0.1.evil.example:{port}"), "evil.example".to_owned(), String::new()] {
        let (status, _, body) = get_for_host(&server.address, &host, "/basics.html");
        assert!(status.contains(" 421 "), "{host}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("localhost or 127.0.0.1") && !body.contains("<html"), "{host}: {body}");
        let origin = format!("http://{host}");
        let (status, _, socket) = open_socket_for_host(&server.address, &host, Some(&origin));
        assert!(status.contains(" 421 ") && socket.is_none(), "{host}: {status}");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("book.localhost:{port}")] {
        let (status, _, _) = get_for_host(&server.address, &host, "/basics.html");
        assert!(status.contains(" 200 "), "{host}: {status}");
        let (status, _, socket) = open_socket_for_host(&server.address, &host, Some(&format!("http://{host}")));
        assert!(status.contains(" 101 ") && socket.is_some(), "{host}: {status}");
    }
}

#[test]
fn an_edit_reloads_pages_and_a_problem_is_shown_until_fixed() {
    let (work, server, mut socket, first) = served();
    let book = work.path().join("book");

    // A good edit: a new build, no problems, the page has the new text.
    let chapter = book.join("content/basics.md");
    std::fs::write(&chapter, "# Basics\n\nFirst live edit.\n").unwrap();
    let edited = socket.next();
    assert_ne!(edited["build"], first["build"], "{edited}");
    assert_eq!(edited["problems"], serde_json::json!([]));
    assert!(page_text(&server.address, "/basics.html").contains("First live edit."));

    // A broken demo block: the same build, its problem at file:line:column.
    std::fs::write(&chapter, "# Basics\n\nSecond edit.\n\n```demo\nname = \"no-such-demo\"\n```\n").unwrap();
    let broken = socket.next();
    assert_eq!(broken["build"], edited["build"], "the last good build stays: {broken}");
    let place = broken["problems"][0]["place"].as_str().unwrap_or_default();
    assert_eq!(place, "content/basics.md:6:8", "{broken}");
    assert!(broken["problems"][0]["text"].as_str().unwrap().contains("unknown demo `no-such-demo`"), "{broken}");
    let html = page_text(&server.address, "/basics.html");
    assert!(html.contains("First live edit.") && !html.contains("Second edit."), "the last good page is served");

    // Fixed: a new build without problems.
    std::fs::write(&chapter, "# Basics\n\nThird edit.\n\n```demo\nname = \"primes\"\n```\n").unwrap();
    let fixed = socket.next();
    assert_ne!(fixed["build"], edited["build"], "{fixed}");
    assert_eq!(fixed["problems"], serde_json::json!([]));
    assert!(page_text(&server.address, "/basics.html").contains("Third edit."));

    // SUMMARY.md builds the whole book: a retitled chapter shows in every sidebar (the
    // shared table of contents, under a new version so that browsers fetch it again).
    let toc_script = |page: &str| {
        page.split("<script type=\"module\" src=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_owned()).find(|s| s.starts_with("toc.js")).unwrap()
    };
    let before = toc_script(&page_text(&server.address, "/colophon.html"));
    let summary = book.join("content/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, text.replace("[Basics](basics.md)", "[Fundamentals](basics.md)")).unwrap();
    let retitled = socket.next();
    assert_ne!(retitled["build"], fixed["build"]);
    let after = toc_script(&page_text(&server.address, "/colophon.html"));
    assert!(before.starts_with("toc.js?v=") && after.starts_with("toc.js?v=") && before != after, "{before} {after}");
    assert!(page_text(&server.address, "/toc.js").contains("Fundamentals"));
}

#[test]
fn the_theme_and_book_toml_rebuild_the_whole_book() {
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    copy_tree(&fixture("basic"), &book);
    std::fs::create_dir_all(book.join("theme/static")).unwrap();
    std::fs::write(book.join("theme/static/style.css"), "body { color: black; }\n").unwrap();
    let server = start(&book, &work.path().join("site"));
    let (_, _, socket) = open_socket(&server.address, Some(&format!("http://{}", server.address)));
    let mut socket = socket.expect("the socket opens");
    let first = socket.next();
    let style = || named_asset(&page_text(&server.address, "/basics.html"), "href=\"", "static/style.", ".css").unwrap();
    let black = style();
    assert_eq!(page_text(&server.address, &format!("/{black}")), "body{color:#000}");

    std::fs::write(book.join("theme/static/style.css"), "body { color: navy; }\n").unwrap();
    let restyled = socket.next();
    assert_ne!(restyled["build"], first["build"]);
    let navy = style();
    assert_ne!(navy, black, "a changed stylesheet gets a new name");
    assert_eq!(page_text(&server.address, &format!("/{navy}")), "body{color:navy}");
    assert!(get(&server.address, &format!("/{black}")).0.contains(" 404 "), "the old name is gone with the old build");

    let config = std::fs::read_to_string(book.join("book.toml")).unwrap();
    std::fs::write(book.join("book.toml"), config.replace("title = \"Fixture", "title = \"Renamed")).unwrap();
    let renamed = socket.next();
    assert_ne!(renamed["build"], restyled["build"]);
    for page in ["/basics.html", "/guide/nested.html"] {
        assert!(page_text(&server.address, page).contains("Renamed &lt;script&gt;"), "{page}");
    }

    // A broken book.toml: the problem at book.toml:line:column, the last good site stays.
    std::fs::write(book.join("book.toml"), "[book]\ntitle = \n").unwrap();
    let broken = socket.next();
    assert_eq!(broken["build"], renamed["build"]);
    assert!(broken["problems"][0]["place"].as_str().unwrap().starts_with("book.toml:2:"), "{broken}");
    assert!(page_text(&server.address, "/basics.html").contains("Renamed"));
}

/// [`get`] with `Accept-Encoding: <encoding>` when given; the body as sent, de-chunked.
fn get_encoded(address: &str, path: &str, encoding: Option<&str>) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let accept = encoding.map(|e| format!("Accept-Encoding: {e}\r\n")).unwrap_or_default();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\n{accept}Connection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let (status, headers) = head(&response[..split]);
    let body = response[split + 4..].to_vec();
    let body = if header(&headers, "transfer-encoding") == Some("chunked") { dechunk(&body) } else { body };
    (status, headers, body)
}

/// A chunked HTTP/1.1 body's data.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").expect("a chunk size");
        let size = usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap().split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return data;
        }
        data.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

#[test]
fn responses_are_compressed_as_the_browser_accepts() {
    let dest = tempfile::tempdir().unwrap();
    let site = dest.path().join("site");
    let server = start(&fixture("basic"), &site);
    let demo = page_text(&server.address, "/demo.html");
    let style = format!("/{}", named_asset(&demo, "href=\"", "static/style.", ".css").unwrap());
    let runner = format!("/{}", named_asset(&demo, "src=\"", "static/demos.", "/runner.js").unwrap());
    for path in ["/demo.html", "/guide/", style.as_str(), runner.as_str(), "/toc.js", "/search/meta.json", "/.site-gen/reload.js"] {
        let (status, headers, plain) = get_encoded(&server.address, path, None);
        assert!(status.contains(" 200 "), "{path}: {status}");
        assert_eq!(header(&headers, "content-encoding"), None, "{path}: nothing accepted, nothing encoded");
        if path.starts_with("/.site-gen/") {
            assert!(String::from_utf8_lossy(&plain).contains("WebSocket"), "{path}: the server's own script");
        } else if !path.ends_with(".html") && !path.ends_with('/') {
            assert_eq!(plain, std::fs::read(site.join(&path[1..])).unwrap(), "{path}: the file as built");
        } else {
            assert!(String::from_utf8_lossy(&plain).contains("/.site-gen/reload.js"), "{path}: with the reload script");
        }
        for (accepted, encoding) in [("br", "br"), ("gzip, deflate, br;q=0.5", "gzip"), ("gzip;q=0.2, br", "br"), ("identity", "")] {
            let (status, headers, body) = get_encoded(&server.address, path, Some(accepted));
            assert!(status.contains(" 200 "), "{path} {accepted}: {status}");
            assert_eq!(header(&headers, "cross-origin-embedder-policy"), Some("require-corp"), "{path} {accepted}");
            let vary = header(&headers, "vary").unwrap_or_default().to_ascii_lowercase();
            assert!(vary.contains("accept-encoding"), "{path} {accepted}: vary {vary}");
            let decoded = match encoding {
                "br" => {
                    let mut out = Vec::new();
                    brotli_decompressor::BrotliDecompress(&mut &body[..], &mut out).unwrap();
                    out
                }
                "gzip" => {
                    let mut out = Vec::new();
                    flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut out).unwrap();
                    out
                }
                _ => body.clone(),
            };
            let got = header(&headers, "content-encoding").unwrap_or_default();
            assert_eq!(got, encoding, "{path} {accepted}");
            assert_eq!(decoded, plain, "{path} {accepted}: decodes to the same bytes");
            if !encoding.is_empty() && plain.len() > 1000 {
                assert!(body.len() < plain.len(), "{path} {accepted}: {} of {} bytes", body.len(), plain.len());
            }
        }
    }
}

#[test]
fn files_named_by_their_content_are_kept_for_good_and_the_rest_revalidated() {
    let dest = tempfile::tempdir().unwrap();
    let server = start(&fixture("basic"), &dest.path().join("site"));
    let demo = page_text(&server.address, "/demo.html");
    let style = format!("/{}", named_asset(&demo, "href=\"", "static/style.", ".css").unwrap());
    let favicon = format!("/{}", named_asset(&demo, "href=\"", "static/favicon.", ".svg").unwrap());
    let runner = format!("/{}", named_asset(&demo, "src=\"", "static/demos.", "/runner.js").unwrap());
    let worker = runner.replace("runner.js", "workers/worker.js");
    for path in [&style, &favicon, &runner, &worker] {
        let (status, headers, _) = get_encoded(&server.address, path, Some("br"));
        assert!(status.contains(" 200 "), "{path}: {status}");
        assert_eq!(header(&headers, "cache-control"), Some("public, max-age=31536000, immutable"), "{path}");
        assert_eq!(header(&headers, "cross-origin-resource-policy"), Some("same-origin"), "{path}");
    }
    let missing = style.replace(".css", "0.css");
    for path in ["/", "/demo.html", "/guide/", "/toc.js", "/images/dot.svg", "/static/python/primes.py", "/isolation-sw.js", "/.site-gen/reload.js", "/search/meta.json", &missing, "/static/style.css"] {
        let (_, headers, _) = get_encoded(&server.address, path, Some("gzip"));
        assert_eq!(header(&headers, "cache-control"), Some("no-cache"), "{path}");
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A measurement, not a check: how long a one-page edit in a 1,000-page book takes from the
/// file event to the reload message (as `serve` logs it at debug level), and from the write
/// to the message reaching a page's socket. Prints the medians of 20 edits; asserts nothing
/// about time. Run it with
/// `cargo test --release -p concurrency-lab --test serve -- --ignored --nocapture reload_latency`.
#[test]
#[ignore = "a measurement; run with --ignored --nocapture"]
fn reload_latency_in_a_1000_page_book() {
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    generated(1000).write(&book).unwrap();
    let started = std::time::Instant::now();
    let mut command = site_gen().serve_command(&book, &work.path().join("site"));
    command.env("RUST_LOG", "site_gen::serve=debug").stderr(Stdio::piped());
    let (mut process, address) = start_server(command);
    let first_build = started.elapsed();
    let stderr = BufReader::new(process.0.stderr.take().unwrap());
    let server = Server { process, address };
    let (logged, timings) = std::sync::mpsc::channel::<(f64, f64)>();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            // "… 23.10 ms from the file event to the reload message (0.77 ms of it building; …"
            if let Some((before, after)) = line.split_once(" ms from the file event to the reload message (") {
                let total = before.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or(f64::NAN);
                let building = after.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(f64::NAN);
                let _ = logged.send((total, building));
            }
        }
    });
    let (_, _, socket) = open_socket(&server.address, Some(&format!("http://{}", server.address)));
    let mut socket = socket.unwrap();
    let mut build = socket.next()["build"].clone();

    let chapter = book.join("content").join(generated::chapter_file(501));
    let original = std::fs::read_to_string(&chapter).unwrap();
    let (mut server_side, mut building, mut end_to_end) = (Vec::new(), Vec::new(), Vec::new());
    for edit in 0..20 {
        std::thread::sleep(Duration::from_millis(150));
        let written = std::time::Instant::now();
        std::fs::write(&chapter, format!("{original}\nEdit number {edit}.\n")).unwrap();
        let state = socket.next();
        end_to_end.push(written.elapsed().as_secs_f64() * 1e3);
        assert_ne!(state["build"], build, "edit {edit}: {state}");
        build = state["build"].clone();
        let (total, built) = timings.recv_timeout(Duration::from_secs(10)).expect("serve logs the timing");
        server_side.push(total);
        building.push(built);
    }
    assert!(page_text(&server.address, "/part010/page00501.html").contains("Edit number 19."));
    println!("1,000-page book: first build and start {:.0} ms", first_build.as_secs_f64() * 1e3);
    println!(
        "one-page edit, median of {} edits: {:.1} ms from the file event to the reload message \
         ({:.1} ms of it building the page; the rest is waiting {} + {} ms for the editor's burst of events to end); \
         {:.1} ms from the write to the message at the page's socket",
        server_side.len(),
        median(&mut server_side),
        median(&mut building),
        site_gen::serve::QUIET_TIME.as_millis(),
        site_gen::serve::STRAGGLERS.as_millis(),
        median(&mut end_to_end)
    );
}
