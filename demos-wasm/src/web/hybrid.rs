//! The hybrid demo's entry points: the pipeline's three stages one item at a time (the page
//! chains them: fetch and store on its event loop, process there or in a worker), and whole
//! items start to end on the thread pool.

use wasm_bindgen::prelude::*;

use super::report::RunReport;
use super::{clock, params, waiting};
use crate::kernels::pipeline::{self, Pipeline};
use crate::kernels::timeline::{Span, SpanKind};

fn pipeline(items: u32, fetch_ms: u32, store_ms: u32, chunk: u32, seed: u32) -> Result<Pipeline, JsError> {
    let demo = "hybrid";
    Ok(Pipeline {
        items: params::int(demo, "items", items)?,
        fetch_ms: params::int(demo, "fetch_ms", fetch_ms)?,
        store_ms: params::int(demo, "store_ms", store_ms)?,
        chunk: params::int(demo, "chunk", chunk)?,
        seed: u64::from(params::int(demo, "seed", seed)?),
    })
}

fn item(pipeline: &Pipeline, index: u32) -> Result<u32, JsError> {
    params::indices(Some(vec![index]), pipeline.items, "item").map(|_| index)
}

/// A report whose total is the checksum of the items stored among `spans`.
fn report(spans: Vec<Span>) -> JsValue {
    let total = pipeline::checksum(&spans) as f64;
    RunReport { spans, total, extra: Vec::new() }.into_js()
}

/// Fetches item `index` on this thread's event loop (on `lane`): one `fetch` span.
#[wasm_bindgen(js_name = fetchItem)]
pub async fn fetch_item(items: u32, fetch_ms: u32, store_ms: u32, chunk: u32, seed: u32, index: u32, lane: u32) -> Result<JsValue, JsError> {
    let p = pipeline(items, fetch_ms, store_ms, chunk, seed)?;
    let index = item(&p, index)?;
    let latency = p.fetch_latency_ms(index);
    Ok(report(vec![waiting::awaited(index, lane, latency, SpanKind::Fetch, f64::from(latency)).await?]))
}

/// Processes item `index` here, blocking this thread while it computes (on `lane`): one `task`
/// span whose value is the primes counted.
#[wasm_bindgen(js_name = processItem)]
pub fn process_item(items: u32, fetch_ms: u32, store_ms: u32, chunk: u32, seed: u32, index: u32, lane: u32) -> Result<JsValue, JsError> {
    let p = pipeline(items, fetch_ms, store_ms, chunk, seed)?;
    let index = item(&p, index)?;
    Ok(report(vec![p.process_timed(index, lane, &clock::now_ms)]))
}

/// Stores item `index` with its `primes` on this thread's event loop (on `lane`): one `store`
/// span; the total is the item's share of the checksum.
#[wasm_bindgen(js_name = storeItem)]
#[allow(clippy::too_many_arguments)]
pub async fn store_item(
    items: u32,
    fetch_ms: u32,
    store_ms: u32,
    chunk: u32,
    seed: u32,
    index: u32,
    lane: u32,
    primes: f64,
) -> Result<JsValue, JsError> {
    let p = pipeline(items, fetch_ms, store_ms, chunk, seed)?;
    let index = item(&p, index)?;
    if !(primes.is_finite() && primes >= 0.0 && primes <= f64::from(p.chunk)) {
        return Err(JsError::new(&format!("item {index} cannot hold {primes} primes")));
    }
    Ok(report(vec![waiting::awaited(index, lane, p.store_latency_ms(index), SpanKind::Store, primes).await?]))
}

/// Runs every item start to end on the thread pool: each thread fetches, processes and stores
/// its item, blocked while it waits (threaded build only).
#[cfg(feature = "parallel")]
#[wasm_bindgen(js_name = runItemsOnThreads)]
pub fn run_items_on_threads(items: u32, fetch_ms: u32, store_ms: u32, chunk: u32, seed: u32) -> Result<JsValue, JsError> {
    use rayon::prelude::*;

    let p = pipeline(items, fetch_ms, store_ms, chunk, seed)?;
    let spans = (0..p.items)
        .into_par_iter()
        .with_max_len(1)
        .flat_map_iter(|index| p.run_item_blocking(index, super::pool_lane(), &clock::now_ms, &waiting::block_ms))
        .collect();
    Ok(report(spans))
}
