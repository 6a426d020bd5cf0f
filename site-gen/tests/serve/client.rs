//! A bare HTTP/1.1 client and a WebSocket reader for `site-gen serve`: requests written byte
//! for byte (paths exactly as given, not normalised; any `Host` and `Origin`), so that the tests
//! can send what no well-behaved client would.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

/// Sends one GET (the path exactly as given, not normalised) and returns the status line,
/// the headers (lower-cased names) and the body.
pub fn get(address: &str, path: &str) -> (String, Vec<(String, String)>, Vec<u8>) {
    get_for_host(address, address, path)
}

/// [`get`] with the `Host` header `host`: a request as a browser sends it for a page of
/// another name that resolves to this address.
pub fn get_for_host(address: &str, host: &str, path: &str) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let (status, headers) = head(&response[..split]);
    (status, headers, response[split + 4..].to_vec())
}

pub fn head(bytes: &[u8]) -> (String, Vec<(String, String)>) {
    let head = String::from_utf8_lossy(bytes).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers)
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub fn page_text(address: &str, path: &str) -> String {
    let (status, _, body) = get(address, path);
    assert!(status.contains(" 200 "), "{path}: {status}");
    String::from_utf8(body).unwrap()
}

/// A WebSocket to the live-reload endpoint, read frame by frame.
pub struct Socket {
    stream: TcpStream,
}

/// Opens the live-reload socket with the given `Origin` header (none when `None`);
/// returns the handshake's status line and headers, and the socket when it was accepted.
pub fn open_socket(address: &str, origin: Option<&str>) -> (String, Vec<(String, String)>, Option<Socket>) {
    open_socket_for_host(address, address, origin)
}

/// [`open_socket`] with the `Host` header `host`.
pub fn open_socket_for_host(address: &str, host: &str, origin: Option<&str>) -> (String, Vec<(String, String)>, Option<Socket>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
    write!(
        stream,
        "GET /.site-gen/reload HTTP/1.1\r\nHost: {host}\r\n{origin}Upgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    let mut byte = [0u8; 1];
    while !response.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        response.push(byte[0]);
    }
    let (status, headers) = head(&response);
    let socket = status.contains(" 101 ").then_some(Socket { stream });
    (status, headers, socket)
}

impl Socket {
    /// The next message from the server, as JSON.
    pub fn next(&mut self) -> Value {
        loop {
            let mut start = [0u8; 2];
            self.stream.read_exact(&mut start).unwrap();
            let opcode = start[0] & 0x0f;
            let len = match start[1] & 0x7f {
                126 => {
                    let mut n = [0u8; 2];
                    self.stream.read_exact(&mut n).unwrap();
                    u16::from_be_bytes(n) as usize
                }
                127 => {
                    let mut n = [0u8; 8];
                    self.stream.read_exact(&mut n).unwrap();
                    u64::from_be_bytes(n) as usize
                }
                n => n as usize,
            };
            let mut payload = vec![0u8; len];
            self.stream.read_exact(&mut payload).unwrap();
            if opcode == 1 {
                return serde_json::from_slice(&payload).unwrap();
            }
        }
    }
}
