//! `site-gen serve`: builds the book, serves the build folder over HTTP, and while it
//! serves, watches the book's files: each change is built (one page for an edited chapter,
//! the whole book for SUMMARY.md, book.toml or the theme) and every open page reloads, or
//! shows the problems over the last good build.

mod cache;
mod host_check;
mod http;
mod limits;
mod live_site;
mod reload;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::watch as channel;

pub use limits::{HEADER_TIMEOUT, MAX_CONNECTIONS, MAX_URI_BYTES, WRITE_TIMEOUT};
pub use watch::{WatchMode, POLL_INTERVAL, QUIET_TIME, STRAGGLERS};

use cache::ImmutablePaths;
use live_site::{LiveSite, Outcome, SwapLock};
use reload::{Problem, ReloadState};
use watch::{Changes, Watcher};

use crate::core::error::{Error, Result};

/// Where to listen.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub host: String,
    pub port: u16,
    /// Build here instead of the book's `build-dir`.
    pub dest: Option<PathBuf>,
    /// How changes to the book's files are noticed.
    pub watch: WatchMode,
    /// Called with the site's address (`http://…/`) once the server is listening.
    pub on_listening: Option<fn(&str)>,
}

/// Builds the book at `root` and serves it until interrupted, building again on every change.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    let ip = listen_address(&options.host)?;
    let root = std::fs::canonicalize(root).map_err(|e| Error::io("resolve", root, e))?;
    let swap = SwapLock::default();
    let (live, warnings) = LiveSite::build(&root, options.dest.as_deref(), swap.clone())?;
    for w in &warnings {
        eprintln!("{}", w.annotated());
    }
    if !ip.is_loopback() {
        eprintln!(
            "warning: listening on {ip}: other machines that can reach this one can read the book; \
             use -n 127.0.0.1 to keep it local"
        );
    }
    // Watching starts before the address is announced: a change made as soon as the
    // server answers is seen.
    let (watcher, changes) = Watcher::start(live.files(), options.watch)?;
    let out_dir = live.out_dir().to_path_buf();
    let immutable = ImmutablePaths::default();
    immutable.set(live.immutable_paths());
    let builds = Builds::new();
    let (states, state) = channel::channel(ReloadState::new(builds.current(), Vec::new(), live.warnings()));
    let (stop, stopping) = channel::channel(false);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("start the server runtime for", &root, e))?;
    runtime.block_on(async {
        let address = SocketAddr::new(ip, options.port);
        let listener = limits::listen(address).map_err(|e| Error::io("listen on", PathBuf::from(address.to_string()), e))?;
        let bound = listener.local_addr().map_err(|e| Error::io("listen on", PathBuf::from(address.to_string()), e))?;
        let shown = match bound.ip() {
            IpAddr::V6(v6) => format!("[{v6}]:{}", bound.port()),
            IpAddr::V4(v4) => format!("{v4}:{}", bound.port()),
        };
        println!("Serving {} at http://{shown}/ (Ctrl-C to stop)", out_dir.display());
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if let Some(on_listening) = options.on_listening {
            // Listening on every address (0.0.0.0, ::): this machine's own is the one to open.
            let local = match bound.ip() {
                IpAddr::V4(v4) if v4.is_unspecified() => format!("127.0.0.1:{}", bound.port()),
                IpAddr::V6(v6) if v6.is_unspecified() => format!("[::1]:{}", bound.port()),
                _ => shown.clone(),
            };
            on_listening(&format!("http://{local}/"));
        }

        let named = immutable.clone();
        std::thread::Builder::new()
            .name("site-gen rebuild".into())
            // The main thread's stack, which a `site-gen build` runs the same steps on.
            .stack_size(8 << 20)
            .spawn(move || rebuild_on_changes(live, watcher, changes, builds, states, named))
            .map_err(|e| Error::io("start watching", &root, e))?;
        let mut app = http::router(&out_dir, reload::Reload { states: state, stopping }, swap, immutable);
        app = app.layer(axum::middleware::from_fn(limits::only_reads));
        if ip.is_loopback() {
            app = app.layer(axum::middleware::from_fn(host_check::only_loopback_hosts));
        }
        limits::serve(listener, app, async move {
            let _ = tokio::signal::ctrl_c().await;
            // Open pages' sockets would otherwise keep the server waiting.
            let _ = stop.send(true);
        })
        .await;
        Ok(())
    })
}

fn listen_address(host: &str) -> Result<IpAddr> {
    match host {
        "localhost" => Ok(IpAddr::from([127, 0, 0, 1])),
        host => host
            .parse()
            .map_err(|_| Error::Usage(format!("`{host}` is not an IP address to listen on; try 127.0.0.1"))),
    }
}

/// Names the builds of this server: `<server>-<n>`. A page names the build it was served
/// from, so after a restart of the server every open page reloads too.
struct Builds {
    server: u64,
    count: u64,
}

impl Builds {
    fn new() -> Builds {
        let server = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default();
        Builds { server, count: 1 }
    }

    fn current(&self) -> String {
        format!("{}-{}", self.server, self.count)
    }

    fn next(&mut self) -> String {
        self.count += 1;
        self.current()
    }
}

/// The serve loop: takes each batch of changed files, brings the site up to date, reports
/// in the terminal, and tells the open pages (and the server which files a new whole build
/// named by their content).
fn rebuild_on_changes(
    mut live: LiveSite,
    mut watcher: Watcher,
    changes: mpsc::Receiver<Changes>,
    mut builds: Builds,
    states: channel::Sender<ReloadState>,
    immutable: ImmutablePaths,
) {
    while let Ok(first) = changes.recv() {
        let (mut paths, mut since) = (first.paths, first.since);
        while let Ok(more) = changes.recv_timeout(STRAGGLERS) {
            paths.extend(more.paths);
            since = since.min(more.since);
        }
        let taken = Instant::now();
        paths.sort();
        paths.dedup();
        let outcome = live.apply(&paths);
        if outcome.changed.is_empty() {
            continue;
        }
        watcher.update(live.files(), outcome.whole_book);
        if outcome.whole_book && outcome.site_changed {
            immutable.set(live.immutable_paths());
        }
        let build = if outcome.site_changed { builds.next() } else { builds.current() };
        let (problems, warnings) = (live.problems(), live.warnings());
        let state = ReloadState::new(build, problems.clone(), warnings.clone());
        let mut new_warnings = false;
        let told = states.send_if_modified(|current| {
            let modified = *current != state;
            new_warnings = current.warnings != state.warnings;
            *current = state.clone();
            modified
        });
        if told {
            log::debug!(
                "{:.2} ms from the file event to the reload message ({:.2} ms of it building; {} changed; pages written: {}, files: {})",
                since.elapsed().as_secs_f64() * 1e3,
                taken.elapsed().as_secs_f64() * 1e3,
                outcome.changed.join(", "),
                outcome.pages,
                outcome.files
            );
        }
        report(&outcome, &problems, &warnings, new_warnings, taken.elapsed());
    }
}

/// One line per change in the terminal, with the problems in full, and the warnings when
/// they changed (a whole build's are all printed).
fn report(outcome: &Outcome, problems: &[Problem], warnings: &[Problem], new_warnings: bool, elapsed: std::time::Duration) {
    for w in &outcome.warnings {
        eprintln!("{}", w.annotated());
    }
    if new_warnings && !outcome.whole_book {
        for w in warnings {
            eprintln!("{}", w.text);
        }
    }
    let warned = match warnings.len() {
        0 => String::new(),
        1 => "; 1 warning".to_owned(),
        n => format!("; {n} warnings"),
    };
    let what = if outcome.whole_book && outcome.site_changed {
        format!("built the whole book ({} pages)", outcome.pages)
    } else if outcome.whole_book {
        "the book could not be built".to_owned()
    } else {
        let mut done = Vec::new();
        if outcome.pages > 0 {
            done.push(format!("{} page{}", outcome.pages, if outcome.pages == 1 { "" } else { "s" }));
        }
        if outcome.files > 0 {
            done.push(format!("{} file{}", outcome.files, if outcome.files == 1 { "" } else { "s" }));
        }
        if done.is_empty() { "nothing to write".to_owned() } else { format!("wrote {}", done.join(" and ")) }
    };
    if problems.is_empty() {
        eprintln!("{}: {what} in {:.0} ms{warned}", outcome.changed.join(", "), elapsed.as_secs_f64() * 1e3);
    } else {
        for p in problems {
            eprintln!("{}", p.text);
        }
        eprintln!(
            "{}: {what}; {} problem{}, so pages show the last good build",
            outcome.changed.join(", "),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
    }
}
