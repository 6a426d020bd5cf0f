//! The WebAssembly surface of the demos: the functions the page and its workers call.
//!
//! A thin boundary over `kernels`: it checks the numbers it is given against the catalogue,
//! times each task on a clock shared by every worker, and hands back plain JavaScript values
//! (`report::RunReport`). One module per demo; adding a demo adds one here.

mod async_scale;
mod clock;
mod event_loop;
mod gil;
mod hybrid;
mod io_bound;
mod ipc_cost;
mod memory;
mod panic_report;
mod params;
mod primes;
mod race;
mod report;
mod responsiveness;
mod waiting;
mod workload;

use wasm_bindgen::prelude::*;

/// Starts the pool of threads rayon runs on (threaded build only). Call it once, inside a
/// dedicated Worker: the threads block while waiting, which the page's main thread may not do.
#[cfg(feature = "parallel")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Whether this is the threaded build (shared memory, `initThreadPool` available).
#[wasm_bindgen(js_name = isThreaded)]
pub fn is_threaded() -> bool {
    cfg!(feature = "parallel")
}

/// A testing aid, reached only through the page's `?demo-fail=<mode>` flag: panics with
/// `message`, so the tests can check that a failing mode is reported as an error.
#[wasm_bindgen(js_name = failOnPurpose)]
pub fn fail_on_purpose(message: &str) {
    panic!("{message}");
}

/// The lane of the calling pool thread: its index in the pool.
#[cfg(feature = "parallel")]
fn pool_lane() -> u32 {
    rayon::current_thread_index().and_then(|index| u32::try_from(index).ok()).unwrap_or(u32::MAX)
}
