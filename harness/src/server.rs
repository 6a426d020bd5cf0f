//! The real `site-gen` binary run on a book, `site-gen serve`, and a plain static server to
//! stand in for a host that sends no special headers.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// A child process killed when dropped, with its process group when it leads one (drivers and
/// servers started here do: a browser dies with its driver).
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.0.id()) {
            // SAFETY: a negative pid names a process group; one that is not there gives ESRCH.
            unsafe {
                libc::kill(-group, libc::SIGKILL);
            }
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Running {
    /// The most memory the process has held so far (resident, KiB), from `/proc`.
    pub fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// True while the process runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.0.try_wait(), Ok(None))
    }
}

/// Raises this process's limit of open files to its hard limit (a test that opens thousands
/// of connections needs more than the usual 1,024); returns the limit now.
pub fn raise_open_files_limit() -> u64 {
    // SAFETY: rlimit is plain data, read and written by the kernel.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        limit.rlim_cur as u64
    }
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().unwrap().port()
}

/// The `site-gen` binary under test: `env!("CARGO_BIN_EXE_site-gen")` in site-gen's own tests.
#[derive(Debug, Clone)]
pub struct SiteGen(pub PathBuf);

impl SiteGen {
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self(path.into())
    }

    /// Runs `site-gen ARGS` in `dir` and returns what it printed and its status.
    pub fn run(&self, args: &[&str], dir: &Path) -> Output {
        Command::new(&self.0).args(args).current_dir(dir).output().unwrap_or_else(|e| panic!("{}: {e}", self.0.display()))
    }

    /// Starts `site-gen serve` on the book at `book`, writing the site to `dest`; returns it with
    /// the address it listens on.
    pub fn serve(&self, book: &Path, dest: &Path) -> (Running, String) {
        start_server(self.serve_command(book, dest))
    }

    /// `site-gen serve` on the book at `book`, writing the site to `dest`, on a free port: to add
    /// arguments, the environment or where its error output goes, then start with [`start_server`].
    pub fn serve_command(&self, book: &Path, dest: &Path) -> Command {
        let mut command = Command::new(&self.0);
        command.args(["serve", ".", "-p", "0", "-d"]).arg(dest).current_dir(book);
        command
    }
}

/// [`SiteGen::serve`] with the binary at `site_gen`.
pub fn serve(site_gen: &Path, book: &Path, dest: &Path) -> (Running, String) {
    SiteGen::at(site_gen).serve(book, dest)
}

/// Starts `command`, a `site-gen serve`, and returns it with the address it says it listens on
/// (from the first line it prints: `Serving … at http://<address>/`).
pub fn start_server(mut command: Command) -> (Running, String) {
    crate::cleanup::own_group(&mut command);
    command.stdout(Stdio::piped());
    let shown = format!("{command:?}");
    let mut child = crate::cleanup::spawn(command).unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("{shown} did not print its address: {line:?}"))
        .to_owned();
    crate::cleanup::kill_group_at_exit(child.id());
    (Running(child), address)
}

/// How a plain static server serves a built site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain {
    /// Every file as it is, with no special headers: the isolation service worker can take over.
    Files,
    /// The same, but `isolation-sw.js` is missing: a host where the page can never be isolated.
    WithoutServiceWorker,
}

/// Serves `dir` (a built site) as a plain static host would: no isolation headers and no check of
/// the `Host` name. Runs on the current tokio runtime; returns the address.
pub async fn serve_plain(dir: &Path, how: Plain) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let files = tower_http::services::ServeDir::new(dir);
    let app = match how {
        Plain::Files => axum::Router::new().fallback_service(files),
        Plain::WithoutServiceWorker => axum::Router::new()
            .route("/isolation-sw.js", axum::routing::get(|| async { http::StatusCode::NOT_FOUND }))
            .fallback_service(files),
    };
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    address
}
