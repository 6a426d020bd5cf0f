//! The gil demo's entry points: tasks that must hold a simulated global interpreter lock to
//! compute, run on one thread or on the thread pool.

use wasm_bindgen::prelude::*;

use super::report::RunReport;
use super::{clock, params, waiting};
use crate::kernels::gil::{Gil, GilJob, Work};
use crate::kernels::timeline::SpanKind;

/// The demo's parameters of the same names, checked against the catalogue.
fn job(work: &str, gil: bool, n: u32, tasks: u32, wait_ms: u32, switch_ms: u32) -> Result<GilJob, JsError> {
    let demo = "gil";
    let work = params::choice(demo, "work", work)?;
    let job = GilJob {
        work: Work::from_name(work).ok_or_else(|| JsError::new(&format!("unknown work {work:?}")))?,
        gil,
        n: params::int(demo, "n", n)?,
        tasks: params::int(demo, "tasks", tasks)?,
        wait_ms: params::int(demo, "wait_ms", wait_ms)?,
        switch_ms: f64::from(params::int(demo, "switch_ms", switch_ms)?),
    };
    Ok(job)
}

/// `job`, for a run whose tasks block their thread while they wait: the I/O-bound work then
/// needs a thread that may block.
fn blocking_job(work: &str, gil: bool, n: u32, tasks: u32, wait_ms: u32, switch_ms: u32) -> Result<GilJob, JsError> {
    let job = job(work, gil, n, tasks, wait_ms, switch_ms)?;
    if job.work == Work::Io {
        waiting::check_can_block()?;
    }
    Ok(job)
}

/// Runs the tasks `indices` (all when absent) one after another on this thread, with a lock of
/// its own. Returns the spans of the tasks, the lock holds and the waits; the total is the
/// primes counted.
#[wasm_bindgen(js_name = runGilTasks)]
pub fn run_gil_tasks(
    work: &str,
    gil: bool,
    n: u32,
    tasks: u32,
    wait_ms: u32,
    switch_ms: u32,
    indices: Option<Vec<u32>>,
) -> Result<JsValue, JsError> {
    let job = blocking_job(work, gil, n, tasks, wait_ms, switch_ms)?;
    let indices = params::indices(indices, job.tasks, "task")?;
    let gil = Gil::new(job.gil);
    let spans = indices
        .into_iter()
        .flat_map(|index| job.run_task(&gil, index, 0, &clock::now_ms, &waiting::block_ms))
        .collect();
    Ok(RunReport::summing(spans, SpanKind::Task).into_js())
}

/// Runs the tasks `indices` (all when absent) one after another on this thread, as
/// `runGilTasks` does, except that each waits for its request by awaiting a timer rather than
/// blocking the thread: for a worker that cannot block (no `Atomics.wait`). One task at a time on
/// a lane of its own, so the wall time is the same.
#[wasm_bindgen(js_name = awaitGilTasks)]
pub async fn await_gil_tasks(
    work: String,
    gil: bool,
    n: u32,
    tasks: u32,
    wait_ms: u32,
    switch_ms: u32,
    indices: Option<Vec<u32>>,
) -> Result<JsValue, JsError> {
    let job = job(&work, gil, n, tasks, wait_ms, switch_ms)?;
    let indices = params::indices(indices, job.tasks, "task")?;
    let gil = Gil::new(job.gil);
    let mut spans = Vec::new();
    for index in indices {
        let mut task = job.begin_task(&gil, index, 0, &clock::now_ms);
        if task.waits() {
            let (start_ms, end_ms) = waiting::timed_wait(task.wait_ms()).await?;
            task.waited(start_ms, end_ms);
        }
        spans.extend(job.finish_task(&gil, task, &clock::now_ms));
    }
    Ok(RunReport::summing(spans, SpanKind::Task).into_js())
}

/// Runs every task on the thread pool, the threads sharing one lock (threaded build only).
#[cfg(feature = "parallel")]
#[wasm_bindgen(js_name = runGilTasksInParallel)]
pub fn run_gil_tasks_in_parallel(
    work: &str,
    gil: bool,
    n: u32,
    tasks: u32,
    wait_ms: u32,
    switch_ms: u32,
) -> Result<JsValue, JsError> {
    use rayon::prelude::*;

    let job = blocking_job(work, gil, n, tasks, wait_ms, switch_ms)?;
    let gil = Gil::new(job.gil);
    let spans: Vec<_> = (0..job.tasks)
        .into_par_iter()
        .with_max_len(1)
        .flat_map_iter(|index| job.run_task(&gil, index, super::pool_lane(), &clock::now_ms, &waiting::block_ms))
        .collect();
    Ok(RunReport::summing(spans, SpanKind::Task).into_js())
}
