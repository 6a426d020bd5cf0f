//! Smoke test of the three engines (work in progress).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use harness::browser::{self, console, Engine, Session};
use harness::{books, Running, SiteGen};

struct Served {
    address: String,
    _server: Running,
}

fn demos_site() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| {
        let book = books::copy_fixture("demos");
        books::with_demo_runtime(book.path());
        books::add_script(book.path(), &console::capture_script());
        let book = book.keep();
        harness::cleanup::remove_at_exit(book.clone());
        let (server, address) = SiteGen::at(env!("CARGO_BIN_EXE_site-gen")).serve(&book, &book.join("site"));
        Served { address, _server: server }
    })
}

async fn smoke(s: &Session) {
    let base = format!("http://{}", demos_site().address);
    for page in ["primes", "io-bound", "gil", "race", "async-scale", "hybrid", "ipc-cost", "responsiveness"] {
        s.goto(&format!("{base}/{page}.html?autorun")).await;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let state = s.execute("return [...document.querySelectorAll('[data-demo]')].map(d => ({status: d.dataset.status, rows: [...d.querySelectorAll('[data-mode]')].map(r => [r.dataset.mode, r.dataset.status, r.dataset.ms, r.dataset.result, r.dataset.note || '', r.innerText.slice(0, 200)]), machine: d.querySelector('.demo-machine')?.textContent, error: d.querySelector('.demo-error')?.textContent}))").await;
            let done = state.as_array().unwrap().iter().all(|d| d["status"] == "done" || d["status"] == "error");
            if done || Instant::now() > deadline {
                println!("{} {page}: {state:#}", s.engine.name());
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        s.screenshot_of("figure.demo", 0, &format!("smoke-{page}")).await;
    }
    println!("{} console: {:#?}", s.engine.name(), s.console().await);
}

#[test]
fn smoke_chromium() { browser::run(Engine::Chromium, smoke) }
#[test]
fn smoke_firefox() { browser::run(Engine::Firefox, smoke) }
#[test]
fn smoke_webkit() { browser::run(Engine::WebKit, smoke) }
