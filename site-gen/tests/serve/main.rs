//! `site-gen serve` over real HTTP: isolation headers, content types, the loopback default, no
//! way out of the build folder, the live-reload socket, the 404 page, and a flood of requests
//! it must survive.
//!
//! One test binary: `cargo test -p site-gen --test serve`. A measurement, not run by default:
//! `cargo test --release -p site-gen --test serve -- --ignored --nocapture reload_latency`.

mod flood;
mod http;
mod not_found;
