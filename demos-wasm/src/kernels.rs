//! The work the demos run: plain Rust with no browser types, so it is tested natively.

pub mod primes;
