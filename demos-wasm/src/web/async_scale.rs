//! The async-scale demo's entry points: N tasks that only wait, all at once on one thread's
//! event loop, on the thread pool (each blocking a thread), or a few per worker. Every report's
//! total is the number of tasks completed; `wasmBytes` and `heapBytes` say how much memory grew
//! while they waited.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::report::RunReport;
use super::{event_loop, memory, params, waiting};
use crate::kernels::scale::WaitingTasks;
use crate::kernels::timeline::{Span, SpanKind};

fn tasks(count: u32, mean_ms: u32, seed: u32) -> Result<WaitingTasks, JsError> {
    let demo = "async-scale";
    Ok(WaitingTasks {
        count: params::int(demo, "tasks", count)?,
        mean_ms: params::int(demo, "mean_ms", mean_ms)?,
        seed: u64::from(params::int(demo, "seed", seed)?),
    })
}

/// A report whose total is the tasks completed, with how much memory grew.
fn report(spans: Vec<Span>, grown: Vec<(&'static str, f64)>) -> JsValue {
    let total = spans.len() as f64;
    RunReport { spans, total, extra: grown }.into_js()
}

async fn wait_for(tasks: &WaitingTasks, index: u32) -> Result<Span, JsError> {
    let latency = tasks.latency_ms(index);
    waiting::awaited(index, 0, latency, SpanKind::Wait, f64::from(latency)).await
}

/// Starts every task at once on this thread's event loop and awaits them together. Memory is
/// measured while all of them are in flight.
#[wasm_bindgen(js_name = awaitTasksAtOnce)]
pub async fn await_tasks_at_once(count: u32, mean_ms: u32, seed: u32) -> Result<JsValue, JsError> {
    let tasks = tasks(count, mean_ms, seed)?;
    let before = memory::now();
    let spans = Rc::new(RefCell::new(Vec::with_capacity(tasks.count as usize)));
    let in_flight: Array = (0..tasks.count)
        .map(|index| {
            let spans = Rc::clone(&spans);
            future_to_promise(async move {
                let span = wait_for(&tasks, index).await.map_err(JsValue::from)?;
                spans.borrow_mut().push(span);
                Ok(JsValue::UNDEFINED)
            })
        })
        .collect();
    // Every task has started its timer once the event loop has had a turn.
    event_loop::yield_now()
        .await
        .map_err(|error| JsError::new(&format!("could not yield to the event loop: {error:?}")))?;
    let grown = memory::growth_since(before);
    JsFuture::from(Promise::all(&in_flight))
        .await
        .map_err(|error| JsError::new(&format!("a task failed: {error:?}")))?;
    let spans = spans.take();
    Ok(report(spans, grown))
}

/// Awaits the tasks `indices` one after another on this thread (a worker given one task, or a
/// few). Reports `instanceBytes`: the whole WebAssembly memory of this worker.
#[wasm_bindgen(js_name = awaitTasksInTurn)]
pub async fn await_tasks_in_turn(count: u32, mean_ms: u32, seed: u32, indices: Vec<u32>) -> Result<JsValue, JsError> {
    let tasks = tasks(count, mean_ms, seed)?;
    let indices = params::indices(Some(indices), tasks.count, "task")?;
    let mut spans = Vec::with_capacity(indices.len());
    for index in indices {
        spans.push(wait_for(&tasks, index).await?);
    }
    Ok(report(spans, vec![("instanceBytes", memory::wasm_bytes())]))
}

/// Runs every task on the thread pool, each blocking the thread that took it (threaded build
/// only). Throws "refused: …" instead when that would take longer than the kernel's budget.
#[cfg(feature = "parallel")]
#[wasm_bindgen(js_name = blockForTasksOnPool)]
pub fn block_for_tasks_on_pool(count: u32, mean_ms: u32, seed: u32) -> Result<JsValue, JsError> {
    use rayon::prelude::*;

    let tasks = tasks(count, mean_ms, seed)?;
    let threads = u32::try_from(rayon::current_num_threads()).unwrap_or(u32::MAX);
    if let Some((_, why)) = tasks.pool_refusal(threads) {
        return Err(JsError::new(&why));
    }
    let requests = tasks.requests();
    let before = memory::now();
    let spans = (0..tasks.count)
        .into_par_iter()
        // One task per rayon job, so a thread never holds a run of them while others are idle.
        .with_max_len(1)
        .map(|index| requests.handle_one_blocking(index, super::pool_lane(), &super::clock::now_ms, &waiting::block_ms))
        .collect();
    Ok(report(spans, memory::growth_since(before)))
}
