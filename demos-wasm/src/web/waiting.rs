//! Waiting, the two ways the demos need: blocking the thread (a thread waiting for I/O), and
//! awaiting a timer (a task waiting on an event loop, which runs other tasks meanwhile).

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::clock;
use crate::kernels::timeline::{Span, SpanKind};

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`, in a window and in a worker alike.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
}

/// Why this thread cannot block, or `Ok` if it can: blocking takes `Atomics.wait` on shared
/// memory, which browsers give only to cross-origin isolated pages, and never on the page's
/// own thread.
pub fn check_can_block() -> Result<(), JsError> {
    if cfg!(feature = "parallel") {
        return Ok(());
    }
    let has_shared_memory = Reflect::has(&js_sys::global(), &"SharedArrayBuffer".into()).unwrap_or(false);
    if has_shared_memory {
        Ok(())
    } else {
        Err(JsError::new(
            "this worker cannot block: blocking needs Atomics.wait on shared memory, \
             which only a cross-origin isolated page has",
        ))
    }
}

/// Blocks this thread for `ms` milliseconds without using the CPU. Call `check_can_block` first.
pub fn block_ms(ms: u32) {
    #[cfg(feature = "parallel")]
    std::thread::sleep(std::time::Duration::from_millis(u64::from(ms)));

    #[cfg(not(feature = "parallel"))]
    {
        use js_sys::{Int32Array, SharedArrayBuffer};
        thread_local! {
            static CELL: Int32Array = Int32Array::new(&SharedArrayBuffer::new(4));
        }
        // Nothing ever changes the cell, so the wait always runs to its timeout.
        CELL.with(|cell| {
            if let Err(error) = js_sys::Atomics::wait_with_timeout(cell, 0, 0, f64::from(ms)) {
                panic!("Atomics.wait failed: {error:?}");
            }
        });
    }
}

/// Resolves after `ms` milliseconds, leaving the thread free meanwhile.
pub async fn sleep_ms(ms: u32) -> Result<(), JsValue> {
    let delay = i32::try_from(ms).unwrap_or(i32::MAX);
    let timer = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, delay);
    });
    JsFuture::from(timer).await.map(|_| ())
}

/// Awaits a timer of `ms` milliseconds; returns when the wait began and when it ended (later than
/// the timer when the thread was busy), on the clock every worker shares.
pub async fn timed_wait(ms: u32) -> Result<(f64, f64), JsError> {
    let start_ms = clock::now_ms();
    sleep_ms(ms).await.map_err(|error| JsError::new(&format!("the timer failed: {error:?}")))?;
    Ok((start_ms, clock::now_ms()))
}

/// Task `task` on `lane` awaits a timer of `latency_ms`: a span of `kind` from when it started
/// waiting to when it ran again, worth `value`.
pub async fn awaited(task: u32, lane: u32, latency_ms: u32, kind: SpanKind, value: f64) -> Result<Span, JsError> {
    let (start_ms, end_ms) = timed_wait(latency_ms).await?;
    Ok(Span { task, lane, start_ms, end_ms, value, kind })
}
