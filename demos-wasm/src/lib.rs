//! Concurrency Lab's live demos: the catalogue of demos a chapter may embed, the plain-Rust
//! kernels they run, and (on WebAssembly only) the surface the page and its workers call.

pub mod catalogue;
pub mod kernels;
pub mod workload;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use catalogue::{catalogue, find, DemoSpec, ModeSpec, ParamKind, ParamSpec};
