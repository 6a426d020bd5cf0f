//! Property-based tests (proptest): the parsers an author's files go through never panic, and
//! place every error they report inside the file.
//!
//! One test binary: `cargo test -p concurrency-lab --test properties`.

mod parsers;
