//! One clock for every worker: milliseconds since the Unix epoch, from `performance`.
//!
//! `std::time::Instant` is not available on wasm32-unknown-unknown, and each worker's
//! `performance.now()` counts from its own start, so `timeOrigin` is added to put all of them
//! on the same time line.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    type Performance;

    #[wasm_bindgen(thread_local_v2, js_name = performance)]
    static PERFORMANCE: Performance;

    #[wasm_bindgen(method)]
    fn now(this: &Performance) -> f64;

    #[wasm_bindgen(method, getter = timeOrigin)]
    fn time_origin(this: &Performance) -> f64;
}

/// Milliseconds since the Unix epoch, with sub-millisecond precision where the browser gives it.
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|performance| performance.time_origin() + performance.now())
}
