//! Live reload: a WebSocket at [`SOCKET_PATH`] that tells every open page which build is
//! current and what is wrong with the book, if anything. A page whose build is not the
//! current one reloads; a page of a book with problems (or warnings: links that point at
//! nothing) shows them over its text.
//!
//! Only pages of this server may connect: a handshake whose `Origin` is not this server
//! is refused with 403, so another site open in the same browser cannot listen in.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::watch;

use crate::core::diagnostic::Diagnostic;
use crate::core::error::Error;

/// Where pages connect.
pub const SOCKET_PATH: &str = "/.site-gen/reload";
/// The script the server adds to every page it serves (never part of a built site).
pub const SCRIPT_PATH: &str = "/.site-gen/reload.js";

const SCRIPT: &str = include_str!("reload.js");

/// What every open page is told: the current build, and the problems, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReloadState {
    /// Names the build in the build folder; changes whenever the folder does.
    pub build: String,
    /// What keeps the book's files from being built: the pages stay the last good build.
    pub problems: Vec<Problem>,
    /// What is wrong in the pages served, which were written all the same: links and
    /// images that point at nothing.
    pub warnings: Vec<Problem>,
}

/// The most problems, and the most warnings, sent to the open pages: a book with thousands
/// (links broken all at once) would send each page megabytes on every change. The rest are
/// counted, and all are in the terminal.
pub const MAX_SHOWN: usize = 100;

impl ReloadState {
    /// The state of build `build` with these problems and warnings, each list cut to
    /// [`MAX_SHOWN`] and the rest counted.
    pub fn new(build: String, problems: Vec<Problem>, warnings: Vec<Problem>) -> ReloadState {
        ReloadState { build, problems: at_most_shown(problems), warnings: at_most_shown(warnings) }
    }
}

fn at_most_shown(mut list: Vec<Problem>) -> Vec<Problem> {
    if list.len() > MAX_SHOWN {
        let more = list.len() - MAX_SHOWN;
        list.truncate(MAX_SHOWN);
        list.push(Problem { place: String::new(), text: format!("… and {more} more, in the terminal where site-gen serve runs") });
    }
    list
}

/// One problem, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `file:line:column`, or just the file, or empty when no file is to blame.
    pub place: String,
    /// The problem in full: message, the annotated lines of the file, and help.
    pub text: String,
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Problem {
        Problem { place: d.place(), text: d.annotated() }
    }
}

impl Problem {
    /// Every problem an error stands for.
    pub fn all_of(e: &Error) -> Vec<Problem> {
        match e {
            Error::Content(problems) => problems.iter().map(Problem::from).collect(),
            other => vec![Problem { place: String::new(), text: other.to_string() }],
        }
    }
}

/// The reload side of the server: the current state, and whether the server is stopping.
#[derive(Clone)]
pub struct Reload {
    pub states: watch::Receiver<ReloadState>,
    pub stopping: watch::Receiver<bool>,
}

impl Reload {
    /// The build now in the build folder.
    pub fn current_build(&self) -> String {
        self.states.borrow().build.clone()
    }
}

/// The `<script>` tag added to a page served as build `build`.
pub fn script_tag(build: &str) -> String {
    let mut out = String::from("<script src=\"");
    out.push_str(SCRIPT_PATH);
    out.push_str("\" data-build=\"");
    crate::core::html::escape_attr(&mut out, build);
    out.push_str("\"></script>\n");
    out
}

/// Adds the reload script to a page, just before `</body>` (at the end when there is none).
pub fn add_script(html: &str, build: &str) -> String {
    let tag = script_tag(build);
    let at = rfind_ignore_case(html, "</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + tag.len());
    out.push_str(&html[..at]);
    out.push_str(&tag);
    out.push_str(&html[at..]);
    out
}

fn rfind_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).rev().find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// True when a handshake comes from a page of this server: its `Origin` is `http://` and
/// the very `Host` the request was sent to. Browsers always send `Origin` with a WebSocket
/// handshake, so a request without one is not from a page and is refused too.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    let value = |name| headers.get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
    match (value(header::ORIGIN), value(header::HOST)) {
        (Some(origin), Some(host)) => {
            origin.strip_prefix("http://").is_some_and(|rest| rest.eq_ignore_ascii_case(host))
        }
        _ => false,
    }
}

/// `GET /.site-gen/reload.js`.
pub async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT).into_response()
}

/// `GET /.site-gen/reload`: the WebSocket, for pages of this server only.
pub async fn socket(
    State(reload): State<Reload>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    if !is_same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "only pages served by this server may connect\n").into_response();
    }
    match upgrade {
        Ok(upgrade) => upgrade.on_upgrade(move |socket| send_states(socket, reload)),
        Err(rejection) => rejection.into_response(),
    }
}

/// Sends the current state now and after every change, until the page goes away or the
/// server stops.
async fn send_states(mut socket: WebSocket, mut reload: Reload) {
    loop {
        let text = serde_json::to_string(&*reload.states.borrow_and_update()).unwrap_or_default();
        if socket.send(Message::Text(text.into())).await.is_err() {
            return;
        }
        loop {
            tokio::select! {
                changed = reload.states.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    break;
                }
                _ = reload.stopping.changed() => {
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                    Some(Ok(_)) => {}
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&str>, host: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        if let Some(o) = host {
            h.insert(header::HOST, HeaderValue::from_str(o).unwrap());
        }
        h
    }

    #[test]
    fn only_this_servers_pages_are_same_origin() {
        assert!(is_same_origin(&headers(Some("http://127.0.0.1:3000"), Some("127.0.0.1:3000"))));
        assert!(is_same_origin(&headers(Some("http://LOCALHOST:3000"), Some("localhost:3000"))));
        assert!(!is_same_origin(&headers(Some("http://evil.example"), Some("127.0.0.1:3000"))));
        assert!(!is_same_origin(&headers(Some("http://127.0.0.1:3001"), Some("127.0.0.1:3000"))));
        assert!(!is_same_origin(&headers(Some("https://127.0.0.1:3000"), Some("127.0.0.1:3000"))));
        assert!(!is_same_origin(&headers(Some("null"), Some("127.0.0.1:3000"))));
        assert!(!is_same_origin(&headers(Some("http://127.0.0.1:3000.evil.example"), Some("127.0.0.1:3000"))));
        assert!(!is_same_origin(&headers(None, Some("127.0.0.1:3000"))));
        assert!(!is_same_origin(&headers(Some("http://127.0.0.1:3000"), None)));
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = add_script("<html><body><p>x</p></BODY></html>", "7-1");
        assert_eq!(
            html,
            "<html><body><p>x</p><script src=\"/.site-gen/reload.js\" data-build=\"7-1\"></script>\n</BODY></html>"
        );
        assert!(add_script("<p>no body</p>", "1").ends_with("data-build=\"1\"></script>\n"));
        assert!(add_script("", "<\"").contains("data-build=\"&lt;&quot;\""));
    }

    #[test]
    fn the_pages_are_sent_a_hundred_problems_and_a_count_of_the_rest() {
        let many = |n: usize| (0..n).map(|i| Problem { place: format!("a.md:{i}:1"), text: format!("problem {i}") }).collect::<Vec<_>>();
        let state = ReloadState::new("1-1".into(), many(5000), many(3));
        assert_eq!(state.problems.len(), MAX_SHOWN + 1);
        assert_eq!(state.problems[MAX_SHOWN].text, "… and 4900 more, in the terminal where site-gen serve runs");
        assert_eq!(state.warnings.len(), 3);
    }

    #[test]
    fn problems_carry_their_place_and_the_annotated_lines() {
        let d = Diagnostic::error("content/a.md", "unknown demo `x`").at("one\nname = \"x\"\n", 11..14);
        let p = Problem::from(&d);
        assert_eq!(p.place, "content/a.md:2:8");
        assert!(p.text.contains("name = \"x\""), "{}", p.text);
        let io = Problem::all_of(&Error::Usage("no".into()));
        assert_eq!(io[0].place, "");
    }
}
