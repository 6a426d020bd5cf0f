//! The primes demo's entry points: counting chunks on one thread, on the event loop, or on the
//! thread pool.

use wasm_bindgen::prelude::*;

use super::report::RunReport;
use super::{clock, event_loop, params};
use crate::kernels::primes;
use crate::kernels::timeline::{Span, SpanKind};

/// A count of the primes below `n` in `chunks` chunks, checked against the catalogue's bounds
/// for the demo that asks (primes, or responsiveness).
#[derive(Clone, Copy)]
pub(super) struct PrimesJob {
    n: u32,
    chunks: u32,
}

impl PrimesJob {
    fn new(n: u32, chunks: u32) -> Result<Self, JsError> {
        Self::for_demo("primes", n, chunks)
    }

    /// The job, if `n` and `chunks` are within the bounds `demo`'s catalogue entry gives them.
    pub(super) fn for_demo(demo: &str, n: u32, chunks: u32) -> Result<Self, JsError> {
        Ok(Self { n: params::int(demo, "n", n)?, chunks: params::int(demo, "chunks", chunks)? })
    }

    /// Counts every chunk, one after another on this thread.
    pub(super) fn run_all(self) -> JsValue {
        let spans = (0..self.chunks).map(|index| self.run_chunk(index, 0)).collect();
        RunReport::summing(spans, SpanKind::Task).into_js()
    }

    /// Counts every chunk on the page's own thread, giving the event loop a turn before each;
    /// rejects with "stopped" once `stop` is aborted.
    pub(super) async fn run_on_event_loop(self, stop: Option<web_sys::AbortSignal>) -> Result<JsValue, JsError> {
        let mut spans = Vec::with_capacity(self.chunks as usize);
        for index in 0..self.chunks {
            event_loop::yield_now()
                .await
                .map_err(|error| JsError::new(&format!("could not yield to the event loop: {error:?}")))?;
            if stop.as_ref().is_some_and(|signal| signal.aborted()) {
                return Err(JsError::new("stopped"));
            }
            spans.push(self.run_chunk(index, 0));
        }
        Ok(RunReport::summing(spans, SpanKind::Task).into_js())
    }

    /// Counts one chunk on the current thread and says when and where it ran.
    fn run_chunk(self, index: u32, lane: u32) -> Span {
        let range = primes::chunk(self.n, self.chunks, index);
        Span::time(index, lane, &clock::now_ms, || primes::count_primes_in(range) as f64).1
    }
}

/// Counts the primes below `n` in the chunks listed in `indices` (all `chunks` when absent), one
/// after another on this thread. Returns `{ total, events, eventFields, kinds }`; see `RunReport`.
#[wasm_bindgen(js_name = countChunks)]
pub fn count_chunks(n: u32, chunks: u32, indices: Option<Vec<u32>>) -> Result<JsValue, JsError> {
    let job = PrimesJob::new(n, chunks)?;
    let indices = params::indices(indices, chunks, "chunk")?;
    let spans = indices.into_iter().map(|index| job.run_chunk(index, 0)).collect();
    Ok(RunReport::summing(spans, SpanKind::Task).into_js())
}

/// Counts the primes below `n` on the page's own thread, giving the event loop a turn between
/// chunks so the page stays responsive. Resolves to the same shape as `countChunks`; rejects
/// with "stopped" once `stop` (an `AbortSignal`) is aborted.
#[wasm_bindgen(js_name = countChunksOnEventLoop)]
pub async fn count_chunks_on_event_loop(
    n: u32,
    chunks: u32,
    stop: Option<web_sys::AbortSignal>,
) -> Result<JsValue, JsError> {
    PrimesJob::new(n, chunks)?.run_on_event_loop(stop).await
}

/// Counts the primes below `n` with rayon on the thread pool, one task per chunk (threaded build
/// only; call `initThreadPool` first). Each event's lane is the pool thread that ran the chunk.
#[cfg(feature = "parallel")]
#[wasm_bindgen(js_name = countChunksInParallel)]
pub fn count_chunks_in_parallel(n: u32, chunks: u32) -> Result<JsValue, JsError> {
    use rayon::prelude::*;

    let job = PrimesJob::new(n, chunks)?;
    let spans = (0..chunks).into_par_iter().map(|index| job.run_chunk(index, super::pool_lane())).collect();
    Ok(RunReport::summing(spans, SpanKind::Task).into_js())
}
