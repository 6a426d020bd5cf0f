//! The work the demos run: plain Rust with no browser types, so it is tested natively. Time and
//! blocking come in as functions (`clock`, `block_ms`), which the browser surface backs with
//! `performance.now()` and `Atomics.wait`, and native tests with `Instant` and `thread::sleep`.

pub mod gil;
pub mod payload;
pub mod pipeline;
pub mod primes;
pub mod race;
pub mod requests;
pub mod scale;
pub mod seeded;
pub mod timeline;
pub mod workload;
