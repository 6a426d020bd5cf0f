//! Which `Host` names the dev server answers: a server on a loopback address answers only
//! requests addressed to this machine by a loopback name, so that a web page whose domain
//! is re-pointed at 127.0.0.1 ("DNS rebinding") cannot read the book or its live-reload
//! socket as if it were its own origin.

use std::net::IpAddr;

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// True when `host` (a `Host` header: `name`, `name:port`, `[v6]:port`) names this machine
/// through loopback: `localhost`, a name under `.localhost`, or a loopback address.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // `[::1]:3000`
        Some(rest) => match rest.split_once(']') {
            Some((inside, "")) => inside,
            Some((inside, port)) if port.strip_prefix(':').is_some_and(is_port) => inside,
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A port number: digits, at most 65535.
fn is_port(port: &str) -> bool {
    port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok()
}

/// Middleware: refuses (421 Misdirected Request) a request whose `Host` is not a loopback
/// name. Used when the server listens on a loopback address only.
pub async fn only_loopback_hosts(request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if is_loopback_host(host) {
        return next.run(request).await;
    }
    log::warn!("refused a request for host {host:?}: this server answers only localhost and 127.0.0.1");
    let message = format!(
        "This server answers requests for localhost or 127.0.0.1 only; this one was for {:?}.\n\
         Open http://127.0.0.1:<port>/ instead, or start `site-gen serve -n <address>` to listen on another address.\n",
        host
    );
    (StatusCode::MISDIRECTED_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn loopback_names_and_addresses_are_answered() {
        for host in ["127.0.0.1:3000", "127.0.0.1", "localhost:3000", "LOCALHOST", "localhost.:80", "book.localhost:3000", "[::1]:3000", "[::1]", "127.1.2.3:8080"] {
            assert!(is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused() {
        for host in [
            "evil.example:3000",
            "evil.example",
            "localhost.evil.example:3000",
            "127.0.0.1.evil.example",
            "10.0.0.1:3000",
            "[::2]:3000",
            "[::1]x",
            "localhost:abc",
            "localhost:99999",
            "localhost:+80",
            "",
            "192.168.1.5",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
