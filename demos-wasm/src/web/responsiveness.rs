//! The responsiveness demo's entry points: the same count of primes as the primes demo, within
//! this demo's tighter bounds (its blocking mode freezes the page for as long as it counts).

use wasm_bindgen::prelude::*;

use super::primes::PrimesJob;

/// Counts the primes below `n`, chunk after chunk, without ever giving the event loop a turn:
/// an async function that never awaits. On the page's thread, nothing else happens (no frame is
/// drawn, no click answered) until it returns. Resolves to `{ total, events, … }` (`RunReport`).
#[wasm_bindgen(js_name = countPrimesWithoutYielding)]
pub async fn count_primes_without_yielding(n: u32, chunks: u32) -> Result<JsValue, JsError> {
    Ok(PrimesJob::for_demo("responsiveness", n, chunks)?.run_all())
}

/// Counts the primes below `n`, giving the event loop a turn before each chunk, so the page can
/// draw frames and answer input in between; rejects with "stopped" once `stop` is aborted.
#[wasm_bindgen(js_name = countPrimesYielding)]
pub async fn count_primes_yielding(n: u32, chunks: u32, stop: Option<web_sys::AbortSignal>) -> Result<JsValue, JsError> {
    PrimesJob::for_demo("responsiveness", n, chunks)?.run_on_event_loop(stop).await
}
