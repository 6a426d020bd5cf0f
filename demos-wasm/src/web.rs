//! The WebAssembly surface of the demos: the functions the page and its workers call.
//!
//! A thin boundary over `kernels`: it checks the numbers it is given against the catalogue,
//! times each task on a clock shared by every worker, and hands back plain JavaScript values.

mod clock;
mod event_loop;
mod panic_report;
mod report;

use wasm_bindgen::prelude::*;

use crate::catalogue::{self, ParamKind};
use crate::kernels::primes;
use report::{RunReport, TaskEvent};

/// Starts the pool of threads rayon runs on (threaded build only). Call it once, inside a
/// dedicated Worker: the threads block while waiting, which the page's main thread may not do.
#[cfg(feature = "parallel")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Whether this is the threaded build (shared memory, `initThreadPool` available).
#[wasm_bindgen(js_name = isThreaded)]
pub fn is_threaded() -> bool {
    cfg!(feature = "parallel")
}

/// The primes demo's size and chunk count, checked against the catalogue's bounds.
#[derive(Clone, Copy)]
struct PrimesJob {
    n: u64,
    chunks: u32,
}

impl PrimesJob {
    fn new(n: u32, chunks: u32) -> Result<Self, JsError> {
        check_int_param("n", n)?;
        check_int_param("chunks", chunks)?;
        Ok(Self { n: u64::from(n), chunks })
    }

    /// Counts one chunk on the current thread and says when and where it ran.
    fn run_chunk(self, index: u32, lane: u32) -> TaskEvent {
        let start_ms = clock::now_ms();
        let primes = primes::count_primes_in(primes::chunk(self.n, self.chunks, index));
        TaskEvent { chunk: index, lane, start_ms, end_ms: clock::now_ms(), primes }
    }
}

fn check_int_param(name: &str, value: u32) -> Result<(), JsError> {
    let spec = catalogue::find("primes").and_then(|demo| demo.param(name));
    let Some(ParamKind::Int { min, max, .. }) = spec.map(|param| &param.kind) else {
        return Err(JsError::new(&format!("the primes demo has no integer parameter {name:?}")));
    };
    if (*min..=*max).contains(&i64::from(value)) {
        Ok(())
    } else {
        Err(JsError::new(&format!("{name} must be between {min} and {max}, not {value}")))
    }
}

/// Counts the primes below `n` in the chunks listed in `indices` (all `chunks` when absent), one
/// after another on this thread. Returns `{ total, events, eventFields }`; see `RunReport`.
#[wasm_bindgen(js_name = countChunks)]
pub fn count_chunks(n: u32, chunks: u32, indices: Option<Vec<u32>>) -> Result<JsValue, JsError> {
    let job = PrimesJob::new(n, chunks)?;
    let indices = indices.unwrap_or_else(|| (0..chunks).collect());
    if let Some(bad) = indices.iter().find(|&&index| index >= chunks) {
        return Err(JsError::new(&format!("chunk {bad} does not exist: there are {chunks} chunks")));
    }
    let events = indices.into_iter().map(|index| job.run_chunk(index, 0)).collect();
    Ok(RunReport { events }.into_js())
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
    let job = PrimesJob::new(n, chunks)?;
    let mut events = Vec::with_capacity(chunks as usize);
    for index in 0..chunks {
        event_loop::yield_now()
            .await
            .map_err(|error| JsError::new(&format!("could not yield to the event loop: {error:?}")))?;
        if stop.as_ref().is_some_and(|signal| signal.aborted()) {
            return Err(JsError::new("stopped"));
        }
        events.push(job.run_chunk(index, 0));
    }
    Ok(RunReport { events }.into_js())
}

/// Counts the primes below `n` with rayon on the thread pool, one task per chunk (threaded build
/// only; call `initThreadPool` first). Each event's lane is the pool thread that ran the chunk.
#[cfg(feature = "parallel")]
#[wasm_bindgen(js_name = countChunksInParallel)]
pub fn count_chunks_in_parallel(n: u32, chunks: u32) -> Result<JsValue, JsError> {
    use rayon::prelude::*;

    let job = PrimesJob::new(n, chunks)?;
    let events = (0..chunks)
        .into_par_iter()
        .map(|index| {
            let lane = rayon::current_thread_index().unwrap_or(0);
            job.run_chunk(index, u32::try_from(lane).unwrap_or(u32::MAX))
        })
        .collect();
    Ok(RunReport { events }.into_js())
}
