//! The workload demo's entry points: every item one at a time on a worker, some stages of one
//! item wherever the page sends them (a worker process, a pool worker, or the page's own thread),
//! and the whole workload on the thread pool. The page holds the queue and the lock for the
//! modes it drives; each entry checks the workload it is given (`Workload::from_flat`).

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::report::RunReport;
use super::{clock, waiting};
use crate::kernels::timeline::{Span, SpanKind};
use crate::kernels::workload::{self as kernel, Lane};
use crate::workload::{StageWork, Workload};

/// How a lane waits and blocks: its thread blocked (`Atomics.wait`), a timer awaited (a worker
/// that cannot block), or, for blocking calls on the page's own thread, spinning.
#[derive(Clone, Copy, PartialEq)]
enum Blocking {
    Block,
    Timer,
    Spin,
}

impl Blocking {
    fn from_name(name: &str) -> Result<Self, JsError> {
        match name {
            "block" => waiting::check_can_block().map(|()| Self::Block),
            "timer" => Ok(Self::Timer),
            "spin" => Ok(Self::Spin),
            other => Err(JsError::new(&format!("blocking must be \"block\", \"timer\" or \"spin\", not {other:?}"))),
        }
    }
}

fn workload(items: u32, concurrency: u32, queue: u32, seed: u32, stages: &[u32]) -> Result<Workload, JsError> {
    Workload::from_flat(items, concurrency, queue, seed, stages).map_err(|message| JsError::new(&format!("workload: {message}")))
}

/// Keeps this thread busy for `ms` milliseconds: a blocking call on a thread that may not block.
fn spin_ms(ms: u32) {
    let until = clock::now_ms() + f64::from(ms);
    while clock::now_ms() < until {
        std::hint::spin_loop();
    }
}

/// Stages `stages` of item `item` on `lane`, waiting the way `blocking` says; a lock stage runs
/// as if the lock were free (the page holds it around the call).
async fn run_stages(workload: &Workload, item: u32, stages: std::ops::Range<usize>, lane: u32, blocking: Blocking) -> Result<Vec<Span>, JsError> {
    let block_ms: &(dyn Fn(u32) + Sync) = if blocking == Blocking::Block { &waiting::block_ms } else { &spin_ms };
    let on = Lane { number: lane, clock: &clock::now_ms, block_ms, hold: None };
    let mut spans = Vec::new();
    for stage in stages {
        let awaited = match workload.stages[stage].work {
            StageWork::Wait { .. } if blocking != Blocking::Block => Some((workload.wait_ms(item, stage), SpanKind::Wait)),
            StageWork::Blocking { ms } if blocking == Blocking::Timer => Some((ms, SpanKind::Blocking)),
            _ => None,
        };
        match awaited {
            Some((ms, kind)) => spans.push(waiting::awaited(item, lane, ms, kind, f64::from(ms)).await?),
            None => spans.extend(kernel::run_stage(workload, item, stage, &on)),
        }
    }
    Ok(spans)
}

fn report(spans: Vec<Span>, extra: Vec<(&'static str, f64)>) -> RunReport {
    RunReport { total: kernel::total_of(&spans) as f64, spans, extra }
}

/// Runs every item one after another on this worker (lane 0): its producer stages, then its
/// consumer stages. `blocking` is "block" (this worker may block) or "timer".
#[wasm_bindgen(js_name = runWorkloadItems)]
pub async fn run_workload_items(items: u32, concurrency: u32, queue: u32, seed: u32, stages: Vec<u32>, blocking: String) -> Result<JsValue, JsError> {
    let workload = workload(items, concurrency, queue, seed, &stages)?;
    let blocking = Blocking::from_name(&blocking)?;
    let mut spans = Vec::new();
    for item in 0..workload.items {
        spans.extend(run_stages(&workload, item, 0..workload.stages.len(), 0, blocking).await?);
    }
    Ok(report(spans, Vec::new()).into_js())
}

/// Runs stages `from..to` of item `item` here on `lane`: `blocking` is "block", "timer" or "spin"
/// (the page's own thread: waits are timers, blocking calls keep the thread busy). When the last
/// stage is a send, the report's `message` holds the message's bytes, for the page to take.
#[wasm_bindgen(js_name = runWorkloadStages)]
#[allow(clippy::too_many_arguments)]
pub async fn run_workload_stages(
    items: u32,
    concurrency: u32,
    queue: u32,
    seed: u32,
    stages: Vec<u32>,
    item: u32,
    from: u32,
    to: u32,
    lane: u32,
    blocking: String,
) -> Result<JsValue, JsError> {
    let workload = workload(items, concurrency, queue, seed, &stages)?;
    let blocking = Blocking::from_name(&blocking)?;
    if item >= workload.items {
        return Err(JsError::new(&format!("item {item} does not exist: there are {}", workload.items)));
    }
    let count = workload.stages.len();
    let (from, to) = (from as usize, to as usize);
    if from >= to || to > count {
        return Err(JsError::new(&format!("stages {from}..{to} are not a run of the workload's {count} stages")));
    }
    let spans = run_stages(&workload, item, from..to, lane, blocking).await?;
    let report = report(spans, Vec::new()).into_js();
    if let StageWork::Send { bytes } = workload.stages[to - 1].work {
        // A fresh plain object: setting a property on it cannot fail.
        let _ = Reflect::set(&report, &"message".into(), &Uint8Array::from(kernel::message(item, bytes).as_slice()));
    }
    Ok(report)
}

/// Runs the workload on the thread pool: a producer thread (when there are producer stages) and
/// `concurrency` consumer threads, a channel bounded by `queue` between them, one mutex for the
/// lock stages; waits and blocking calls block their thread (threaded build only). Besides the
/// total: `peakQueue`, `roomWaitMs` (the producer waiting for room) and `lockWaitMs`.
#[cfg(feature = "parallel")]
#[wasm_bindgen(js_name = runWorkloadOnThreads)]
pub fn run_workload_on_threads(items: u32, concurrency: u32, queue: u32, seed: u32, stages: Vec<u32>) -> Result<JsValue, JsError> {
    let workload = workload(items, concurrency, queue, seed, &stages)?;
    let needed = workload.concurrency as usize + usize::from(workload.has_producer());
    let threads = rayon::current_num_threads();
    if threads < needed {
        return Err(JsError::new(&format!("the pool has {threads} threads; this workload needs {needed}, one per producer and consumer")));
    }
    let run = kernel::run_threaded(&workload, &clock::now_ms, &waiting::block_ms, on_pool);
    let extra = vec![
        ("peakQueue", f64::from(run.peak_queue.unwrap_or(0))),
        ("roomWaitMs", run.time_in(SpanKind::Room)),
        ("lockWaitMs", run.time_in(SpanKind::LockWait)),
    ];
    Ok(report(run.spans, extra).into_js())
}

/// Runs every job on a thread of rayon's pool at once, and waits for them all. (Not on threads
/// of their own: on wasm32-unknown-unknown, even with atomics, std's `thread::spawn` is
/// unsupported; the pool's threads are the Web Workers wasm-bindgen-rayon started.)
#[cfg(feature = "parallel")]
fn on_pool(jobs: Vec<kernel::Job<'_>>) {
    rayon::scope(|scope| {
        for job in jobs {
            scope.spawn(move |_| job());
        }
    });
}
