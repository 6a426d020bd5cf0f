//! The io-bound demo's entry points: the same seeded requests waited for by a blocked thread,
//! by blocked pool threads, one at a time on a worker's event loop, or all at once on the page's.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::report::RunReport;
use super::{clock, params, waiting};
use crate::kernels::requests::{Distribution, Requests};
use crate::kernels::timeline::{Span, SpanKind};

fn requests(count: u32, mean_ms: u32, distribution: &str, seed: u32) -> Result<Requests, JsError> {
    let demo = "io-bound";
    let distribution = params::choice(demo, "distribution", distribution)?;
    Ok(Requests {
        count: params::int(demo, "requests", count)?,
        mean_ms: params::int(demo, "mean_ms", mean_ms)?,
        distribution: Distribution::from_name(distribution)
            .ok_or_else(|| JsError::new(&format!("unknown distribution {distribution:?}")))?,
        seed: u64::from(params::int(demo, "seed", seed)?),
    })
}

fn report(spans: Vec<Span>) -> JsValue {
    RunReport::summing(spans, SpanKind::Wait).into_js()
}

/// Handles the requests `indices` (all when absent) one after another, blocking this thread for
/// each (a worker; needs shared memory). The total is the milliseconds of latency waited for.
#[wasm_bindgen(js_name = blockForRequests)]
pub fn block_for_requests(
    count: u32,
    mean_ms: u32,
    distribution: &str,
    seed: u32,
    indices: Option<Vec<u32>>,
) -> Result<JsValue, JsError> {
    let requests = requests(count, mean_ms, distribution, seed)?;
    let indices = params::indices(indices, requests.count, "request")?;
    waiting::check_can_block()?;
    Ok(report(requests.handle_blocking(indices, 0, &clock::now_ms, &waiting::block_ms)))
}

/// Handles every request on the thread pool, each blocking the pool thread that took it
/// (threaded build only).
#[cfg(feature = "parallel")]
#[wasm_bindgen(js_name = blockForRequestsInParallel)]
pub fn block_for_requests_in_parallel(count: u32, mean_ms: u32, distribution: &str, seed: u32) -> Result<JsValue, JsError> {
    use rayon::prelude::*;

    let requests = requests(count, mean_ms, distribution, seed)?;
    let spans = (0..requests.count)
        .into_par_iter()
        // One request per rayon task: otherwise a thread may take a run of them and leave the
        // others idle while it waits.
        .with_max_len(1)
        .map(|index| requests.handle_one_blocking(index, super::pool_lane(), &clock::now_ms, &waiting::block_ms))
        .collect();
    Ok(report(spans))
}

/// Handles the requests `indices` (all when absent) one after another on this thread's event
/// loop, awaiting a timer for each: the thread is free while it waits, but this run does not
/// ask for the next request until the last has answered.
#[wasm_bindgen(js_name = awaitRequestsInTurn)]
pub async fn await_requests_in_turn(
    count: u32,
    mean_ms: u32,
    distribution: String,
    seed: u32,
    indices: Option<Vec<u32>>,
) -> Result<JsValue, JsError> {
    let requests = requests(count, mean_ms, &distribution, seed)?;
    let indices = params::indices(indices, requests.count, "request")?;
    let mut spans = Vec::with_capacity(indices.len());
    for index in indices {
        spans.push(await_one(&requests, index).await?);
    }
    Ok(report(spans))
}

/// Handles every request at once on this thread's event loop: all timers are started, then
/// awaited together, so the run takes about as long as the slowest request.
#[wasm_bindgen(js_name = awaitRequestsAtOnce)]
pub async fn await_requests_at_once(count: u32, mean_ms: u32, distribution: String, seed: u32) -> Result<JsValue, JsError> {
    let requests = requests(count, mean_ms, &distribution, seed)?;
    let spans = Rc::new(RefCell::new(Vec::with_capacity(requests.count as usize)));
    let in_flight: Array = (0..requests.count)
        .map(|index| {
            let spans = Rc::clone(&spans);
            future_to_promise(async move {
                let span = await_one(&requests, index).await.map_err(JsValue::from)?;
                spans.borrow_mut().push(span);
                Ok(JsValue::UNDEFINED)
            })
        })
        .collect();
    JsFuture::from(Promise::all(&in_flight))
        .await
        .map_err(|error| JsError::new(&format!("a request failed: {error:?}")))?;
    let spans = spans.take();
    Ok(report(spans))
}

async fn await_one(requests: &Requests, index: u32) -> Result<Span, JsError> {
    let latency = requests.latency_ms(index);
    waiting::awaited(index, 0, latency, SpanKind::Wait, f64::from(latency)).await
}
