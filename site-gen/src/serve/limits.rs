//! What keeps `site-gen serve` answering whatever its clients do: how many connections it
//! keeps, how long it waits for them, and which requests it answers at all.
//!
//! - At most [`MAX_CONNECTIONS`] connections at once. When one more comes, the connection
//!   that has waited longest without a request in progress is closed to make room (a
//!   client holding sockets open cannot keep out a reader); only when every connection is
//!   busy (a request in progress, or an open page's live-reload socket) is the new one
//!   closed at once.
//! - A request's headers must arrive within [`HEADER_TIMEOUT`] of the connection opening
//!   or of the previous response (slow clients, idle keep-alive connections).
//! - A client that reads nothing of a response for [`WRITE_TIMEOUT`] is dropped.
//! - An address longer than [`MAX_URI_BYTES`] is answered `414 URI Too Long`; headers
//!   larger than hyper's buffer (about 400 KB) `431`.
//! - `GET` and `HEAD` are answered (a `HEAD` exactly as the `GET`, without the body),
//!   `OPTIONS` with the methods allowed, every other method `405 Method Not Allowed`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use crate::render::isolation::ISOLATION_HEADERS;

/// The most connections kept open at once (the live-reload sockets of open pages included).
pub const MAX_CONNECTIONS: usize = 512;

/// How long a connection may take to send a request's headers, counted from when it opens
/// or from the end of its previous response.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client may leave a response unread before its connection is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest request address (path and query) answered; longer is `414 URI Too Long`.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// How long the server waits, once told to stop, for requests in progress to finish.
const STOP_TIMEOUT: Duration = Duration::from_secs(2);

/// The methods answered.
const ALLOWED: &str = "GET, HEAD, OPTIONS";

/// Middleware: answers what the site's files should not see: addresses too long to be one
/// of them, and methods other than `GET` and `HEAD`; a `HEAD` is served as a `GET`, whose
/// body hyper leaves out, so that its headers (the length among them) are the `GET`'s.
pub async fn only_reads(mut request: Request, next: Next) -> Response {
    let length = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if length > MAX_URI_BYTES {
        return answer(StatusCode::URI_TOO_LONG, &format!("An address of {length} bytes is longer than this server reads ({MAX_URI_BYTES}).\n"));
    }
    match *request.method() {
        Method::GET => next.run(request).await,
        Method::HEAD => {
            *request.method_mut() = Method::GET;
            next.run(request).await
        }
        Method::OPTIONS => answer(StatusCode::NO_CONTENT, ""),
        _ => answer(StatusCode::METHOD_NOT_ALLOWED, "This server only serves the book's files: GET, HEAD and OPTIONS.\n"),
    }
}

/// A short answer of the server's own, with the allowed methods and the isolation headers
/// every response carries.
fn answer(status: StatusCode, text: &str) -> Response {
    let mut response = (status, text.to_owned()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::ALLOW, HeaderValue::from_static(ALLOWED));
    if text.is_empty() {
        headers.remove(header::CONTENT_TYPE);
    } else {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    }
    for (name, value) in ISOLATION_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Connections the system completes and holds for the server to take: a burst of this many
/// arriving at once is not turned away.
pub const BACKLOG: u32 = 1024;

/// Listens on `address` with a [`BACKLOG`] of waiting connections (the usual 128 drops a
/// burst of connections, whose clients then try again a second later).
pub fn listen(address: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if address.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// Serves `app` on `listener` until `stop` completes, within the limits above.
pub async fn serve(listener: TcpListener, app: Router, stop: impl Future<Output = ()>) {
    let connections = Connections::default();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: the connections that exist go on.
                    log::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Some(entry) = connections.admit() else {
            log::warn!("{MAX_CONNECTIONS} connections are busy: a new one is closed");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(stream, entry, app.clone()));
    }
    connections.stop_all();
    let deadline = Instant::now() + STOP_TIMEOUT;
    while connections.count() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One connection, until it ends, is closed to make room, or the server stops.
async fn serve_connection(stream: TcpStream, entry: Entry, app: Router) {
    let state = entry.state.clone();
    let io = TokioIo::new(Guarded { stream, entry, stalled: None });
    let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
        let app = app.clone();
        let state = state.clone();
        async move {
            state.busy.fetch_add(1, Ordering::SeqCst);
            let response = tower_service::Service::call(&mut app.clone(), request.map(Body::new)).await;
            if matches!(&response, Ok(r) if r.status() == StatusCode::SWITCHING_PROTOCOLS) {
                state.upgraded.store(true, Ordering::SeqCst);
            }
            state.idle_since.store(now(), Ordering::SeqCst);
            state.busy.fetch_sub(1, Ordering::SeqCst);
            response
        }
    });
    let close = state_close(&io);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let connection = builder.serve_connection(io, service).with_upgrades();
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                log::debug!("a connection ended: {e}");
            }
        }
        () = close.notified() => {
            // Closed to make room, or the server stops: a request in progress finishes.
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(STOP_TIMEOUT, connection).await;
        }
    }
}

fn state_close(io: &TokioIo<Guarded>) -> Arc<Notify> {
    io.inner().entry.state.close.clone()
}

/// Milliseconds since the server started, as an ordering of connections by age.
fn now() -> u64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// What is known of one connection.
#[derive(Default)]
struct ConnectionState {
    /// Requests in progress.
    busy: AtomicUsize,
    /// Handed over to a WebSocket (the live-reload channel of an open page).
    upgraded: AtomicBool,
    /// When the connection opened or last finished a response.
    idle_since: AtomicU64,
    /// Tells the connection's task to close it.
    close: Arc<Notify>,
}

impl ConnectionState {
    fn idle(&self) -> bool {
        self.busy.load(Ordering::SeqCst) == 0 && !self.upgraded.load(Ordering::SeqCst)
    }
}

/// The open connections.
#[derive(Default, Clone)]
struct Connections(Arc<Mutex<Registry>>);

#[derive(Default)]
struct Registry {
    next: u64,
    open: HashMap<u64, Arc<ConnectionState>>,
}

impl Connections {
    /// Room for one more connection: made, when all are taken, by closing the one idle
    /// the longest; `None` when every connection is busy.
    fn admit(&self) -> Option<Entry> {
        let mut registry = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if registry.open.len() >= MAX_CONNECTIONS {
            let oldest = registry
                .open
                .iter()
                .filter(|(_, state)| state.idle())
                .min_by_key(|(_, state)| state.idle_since.load(Ordering::SeqCst))
                .map(|(&id, _)| id)?;
            // Counted out now; its task closes it.
            if let Some(state) = registry.open.remove(&oldest) {
                state.close.notify_one();
            }
        }
        registry.next += 1;
        let id = registry.next;
        let state = Arc::new(ConnectionState { idle_since: AtomicU64::new(now()), ..ConnectionState::default() });
        registry.open.insert(id, state.clone());
        Some(Entry { id, state, connections: self.clone() })
    }

    fn count(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).open.len()
    }

    /// Tells every connection to finish.
    fn stop_all(&self) {
        for state in self.0.lock().unwrap_or_else(|e| e.into_inner()).open.values() {
            state.close.notify_one();
        }
    }
}

/// A connection's place among the open ones, given up when its socket closes (which, for a
/// WebSocket, is after the HTTP side of the connection has ended).
struct Entry {
    id: u64,
    state: Arc<ConnectionState>,
    connections: Connections,
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.connections.0.lock().unwrap_or_else(|e| e.into_inner()).open.remove(&self.id);
    }
}

/// A connection's socket: it holds the connection's [`Entry`], and fails a write that has
/// waited [`WRITE_TIMEOUT`] for the client to read.
struct Guarded {
    stream: TcpStream,
    entry: Entry,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Guarded {
    /// A write that cannot go on: waits at most [`WRITE_TIMEOUT`] in all.
    fn stall(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<usize>> {
        let sleep = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_TIMEOUT)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client read nothing of the response for too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.stream).poll_write(cx, buf) {
            Poll::Pending => self.stall(cx),
            done => {
                self.stalled = None;
                done
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match Pin::new(&mut self.stream).poll_flush(cx) {
            Poll::Pending => self.stall(cx).map_ok(|_| ()),
            done => {
                self.stalled = None;
                done
            }
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[std::io::IoSlice<'_>]) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.stream).poll_write_vectored(cx, bufs) {
            Poll::Pending => self.stall(cx),
            done => {
                self.stalled = None;
                done
            }
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_idle_longest_makes_room_and_busy_ones_are_kept() {
        let connections = Connections::default();
        let entries: Vec<Entry> = (0..MAX_CONNECTIONS).map(|_| connections.admit().unwrap()).collect();
        for (i, entry) in entries.iter().enumerate() {
            entry.state.idle_since.store(1000 + i as u64, Ordering::SeqCst);
        }
        entries[0].state.busy.store(1, Ordering::SeqCst);
        entries[1].state.upgraded.store(true, Ordering::SeqCst);
        let newcomer = connections.admit().unwrap();
        assert_eq!(connections.count(), MAX_CONNECTIONS);
        let open: Vec<u64> = connections.0.lock().unwrap().open.keys().copied().collect();
        assert!(!open.contains(&entries[2].id), "the oldest idle connection made room");
        assert!(open.contains(&entries[0].id) && open.contains(&entries[1].id) && open.contains(&newcomer.id));
        for entry in &entries {
            entry.state.busy.store(1, Ordering::SeqCst);
        }
        newcomer.state.busy.store(1, Ordering::SeqCst);
        assert!(connections.admit().is_none(), "every connection busy: no room");
        drop(entries);
        assert_eq!(connections.count(), 1);
    }
}
