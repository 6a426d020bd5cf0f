//! `book-bench serve`: how long an edit takes to reach the reader. Runs `site-gen serve` on
//! a generated book, listens on its live-reload WebSocket as an open page does, saves one
//! chapter again and again, and reports the time from the file event to the reload message
//! (as `site-gen` logs it with `RUST_LOG=site_gen=debug`) and from the save to the message
//! arriving (as the page sees it), each beside the 50 ms target.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use harness::books::generated::{self, generated};
use harness::server::start_server;
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::load_average;
use crate::measure::{median, percentile};

/// The target: from the file event to the reload message, median.
const TARGET: Duration = Duration::from_millis(50);

/// What `site-gen serve` logs once it has told the pages (serve/mod.rs).
const LOG_LINE: &str = " ms from the file event to the reload message (";

/// The chapter edited: one in the middle of the book, not the first (whose edit also
/// renders the front page).
fn edited_chapter(pages: usize) -> PathBuf {
    let i = (pages / 2).max(1);
    let i = if i % generated::CHAPTERS_PER_PART == 0 { i + 1 } else { i }; // a part's own page
    Path::new("content").join(generated::chapter_file(i))
}

/// One edit's figures.
struct Edit {
    /// From the file event to the reload message, as site-gen logs it.
    logged: Duration,
    /// Of that, applying the change (rendering and writing the page).
    building: Duration,
    /// From just before the file was written to the message arriving on the socket.
    seen: Duration,
    pages_written: usize,
}

pub fn live_reload(site_gen: &Path, work: &Path, pages: usize, edits: usize) -> Result<(), String> {
    if !site_gen.is_file() {
        return Err(format!("{} not found: build it with `cargo build --release -p concurrency-lab`", site_gen.display()));
    }
    // A book of its own, generated afresh: the edits change it.
    let book = work.join(format!("serve-book-{pages}"));
    let _ = std::fs::remove_dir_all(&book);
    generated(pages).seed(1).write(&book).map_err(|e| format!("{}: {e}", book.display()))?;
    let book = std::fs::canonicalize(&book).map_err(|e| e.to_string())?;
    let site = work.join(format!("serve-site-{pages}"));
    let chapter = book.join(edited_chapter(pages));
    let original = std::fs::read_to_string(&chapter).map_err(|e| format!("{}: {e}", chapter.display()))?;

    let load_before = load_average();
    let started = Instant::now();
    let mut command = Command::new(site_gen);
    command.arg("serve").arg(&book).args(["-n", "127.0.0.1", "-p", "0", "-d"]).arg(&site);
    command.env("RUST_LOG", "site_gen=debug").stderr(Stdio::piped());
    let (mut server, address) = start_server(command);
    let first_build = started.elapsed();
    let pid = server.0.id();

    // site-gen's log, line by line, as it comes.
    let (log_lines, log) = mpsc::channel::<String>();
    let stderr = server.0.stderr.take().ok_or("no stderr")?;
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if log_lines.send(line).is_err() {
                break;
            }
        }
    });

    let mut socket = connect(&address)?;
    let first = next_state(&mut socket)?;
    let mut build = first["build"].as_str().unwrap_or_default().to_owned();

    let cpu_before = process_cpu(pid);
    let mut figures = Vec::new();
    // One edit more than measured: the first warms the page cache and the server's code.
    for i in 0..=edits {
        std::thread::sleep(Duration::from_millis(250));
        while log.try_recv().is_ok() {}
        let text = format!("{original}\nAn edit, number {i}: the reader sees this paragraph after a reload.\n");
        let saved = Instant::now();
        std::fs::write(&chapter, text).map_err(|e| format!("{}: {e}", chapter.display()))?;
        let state = loop {
            let state = next_state(&mut socket)?;
            if state["build"].as_str() != Some(build.as_str()) {
                break state;
            }
        };
        let seen = saved.elapsed();
        build = state["build"].as_str().unwrap_or_default().to_owned();
        if state["problems"].as_array().is_some_and(|p| !p.is_empty()) {
            return Err(format!("the edited chapter has problems: {state}"));
        }
        let (logged, building, pages_written) = logged_interval(&log)?;
        if i > 0 {
            figures.push(Edit { logged, building, seen, pages_written });
        }
    }
    let cpu = process_cpu(pid).zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
    drop(socket);
    drop(server);
    let _ = std::fs::write(&chapter, original);

    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    let column = |f: fn(&Edit) -> Duration| figures.iter().map(f).collect::<Vec<_>>();
    let verdict = |d: Duration| if d <= TARGET { "met" } else { "NOT met" };
    let logged = column(|e| e.logged);
    let building = column(|e| e.building);
    let seen = column(|e| e.seen);
    let written: Vec<usize> = figures.iter().map(|e| e.pages_written).collect();

    println!("\nLive reload: `site-gen serve` on a generated {pages}-page book (first build and start {:.2} s); one chapter", first_build.as_secs_f64());
    println!("({}) saved {edits} times, 250 ms apart, after one unmeasured save; a WebSocket client waits for each reload", edited_chapter(pages).display());
    println!("message as an open page does. \"Logged\" is site-gen's own figure (RUST_LOG=site_gen=debug): from the operating");
    println!("system's file event, through the 16 + 8 ms the watcher waits for the rest of a save, to the message; \"seen\" is from");
    println!("just before the write to the message arriving. Load average (1, 5, 15 min): {load_before} before, {} after.\n", load_average());
    println!("| measure | median | p90 | max | target |");
    println!("|---|---:|---:|---:|---|");
    let row = |name: &str, values: &[Duration], target: bool| {
        let target = if target { format!("median < 50 ms {}", verdict(median(values.to_vec()))) } else { String::new() };
        println!("| {name} | {} | {} | {} | {target} |", ms(median(values.to_vec())), ms(percentile(values.to_vec(), 90)), ms(*values.iter().max().unwrap()));
    };
    row("file event → reload message (logged)", &logged, true);
    row("… of it applying the change (logged)", &building, false);
    row("save → message received (seen)", &seen, true);
    let pages_note = if written.iter().all(|&w| w == 1) { "1 page written per edit".to_owned() } else { format!("pages written per edit: {written:?}") };
    let cpu_note = cpu.map_or(String::new(), |c| format!("; the server's processor time: {:.1} ms per edit (watching, rendering, writing, telling)", c.as_secs_f64() * 1e3 / (edits + 1) as f64));
    println!("\n{pages_note}{cpu_note}.");
    Ok(())
}

fn connect(address: &str) -> Result<WebSocket<MaybeTlsStream<TcpStream>>, String> {
    // As a page of the server connects: Host is the address, Origin the same.
    let mut request = format!("ws://{address}/.site-gen/reload").into_client_request().map_err(|e| e.to_string())?;
    let origin = format!("http://{address}").parse().map_err(|e| format!("{e}"))?;
    request.headers_mut().insert("Origin", origin);
    let (socket, _) = tungstenite::connect(request).map_err(|e| format!("cannot open the live-reload socket at {address}: {e}"))?;
    if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
        stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
        let _ = stream.set_nodelay(true);
    }
    Ok(socket)
}

/// The next state the server sends (`{ build, problems }`).
fn next_state(socket: &mut WebSocket<MaybeTlsStream<TcpStream>>) -> Result<serde_json::Value, String> {
    loop {
        match socket.read().map_err(|e| format!("the live-reload socket: {e}"))? {
            Message::Text(text) => return serde_json::from_str(text.as_str()).map_err(|e| format!("{e}: {text}")),
            Message::Close(_) => return Err("the server closed the live-reload socket".into()),
            _ => {}
        }
    }
}

/// Waits (a few seconds at most) for site-gen's log line of the last reload and reads its
/// two intervals and the pages written.
fn logged_interval(log: &mpsc::Receiver<String>) -> Result<(Duration, Duration, usize), String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let wait = deadline.saturating_duration_since(Instant::now());
        let line = log.recv_timeout(wait).map_err(|_| "site-gen logged no reload (is RUST_LOG honoured?)".to_owned())?;
        if let Some(parsed) = parse_log_line(&line) {
            return Ok(parsed);
        }
    }
}

/// `… 23.41 ms from the file event to the reload message (1.92 ms of it building; … pages written: 1, files: 0)`.
fn parse_log_line(line: &str) -> Option<(Duration, Duration, usize)> {
    let at = line.find(LOG_LINE)?;
    let total: f64 = line[..at].rsplit(' ').next()?.parse().ok()?;
    let rest = &line[at + LOG_LINE.len()..];
    let building: f64 = rest.split(' ').next()?.parse().ok()?;
    let pages = rest.split("pages written: ").nth(1)?.split(',').next()?.trim().parse().ok()?;
    let ms = |v: f64| Duration::from_secs_f64(v / 1e3);
    Some((ms(total), ms(building), pages))
}

/// The processor time process `pid` has used so far (user and system, from /proc).
fn process_cpu(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    // SAFETY: sysconf only reads a system constant.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Some(Duration::from_nanos(ticks * 1_000_000_000 / per_second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_site_gens_reload_line() {
        let line = "[2025-01-01T00:00:00Z DEBUG site_gen::serve] 23.41 ms from the file event to the reload message \
                    (1.92 ms of it building; content/a.md changed; pages written: 1, files: 0)";
        let (total, building, pages) = parse_log_line(line).unwrap();
        assert_eq!((total.as_micros(), building.as_micros(), pages), (23_410, 1_920, 1));
        assert!(parse_log_line("content/a.md: wrote 1 page in 2 ms").is_none());
    }

    #[test]
    fn edits_a_chapter_not_an_index_page() {
        assert_eq!(edited_chapter(1000), PathBuf::from("content/part010/page00501.md"));
        assert_eq!(edited_chapter(100), PathBuf::from("content/part001/page00051.md"));
    }
}
