//! The race demo's entry points: one thread adding alone, or the pool's threads adding to one
//! shared counter the unsafe, locked or atomic way. Besides the usual report, each run hands
//! back its sampled additions (see `kernels::race::Sample`) as `reads`: a `Float64Array` of
//! `readFields.length` numbers per addition.

use js_sys::{Array, Float64Array, Reflect};
use wasm_bindgen::prelude::*;

use super::report::RunReport;
use super::{clock, params};
use crate::kernels::race::{Counter, Counting, Sample, BATCHES};
use crate::kernels::timeline::Span;

/// The names of a sampled addition's numbers, in the order they appear in `reads`.
const READ_FIELDS: [&str; 6] = ["lane", "readAt", "seen", "writeAt", "before", "wrote"];

fn report(timed: Vec<(Vec<Span>, Vec<Sample>)>, counted: u64, expected: u64) -> JsValue {
    let (spans, samples): (Vec<Vec<Span>>, Vec<Vec<Sample>>) = timed.into_iter().unzip();
    let spans = spans.into_iter().flatten().collect();
    let flat: Vec<f64> = samples
        .iter()
        .flatten()
        .flat_map(|s| [f64::from(s.lane), s.read_ms, s.seen as f64, s.write_ms, s.before as f64, s.wrote as f64])
        .collect();
    let report = RunReport { spans, total: counted as f64, extra: vec![("expected", expected as f64)] }.into_js();
    let fields: Array = READ_FIELDS.iter().map(|&name| JsValue::from_str(name)).collect();
    // Setting a property on the fresh plain object `into_js` made cannot fail.
    let _ = Reflect::set(&report, &"reads".into(), &Float64Array::from(flat.as_slice()));
    let _ = Reflect::set(&report, &"readFields".into(), &fields);
    report
}

/// One thread adds one `times` times to a counter of its own (`times` is `increments` times the
/// number of lanes it stands in for, `lanes`). Returns `{ total: the count, expected, … }`.
#[wasm_bindgen(js_name = countAlone)]
pub fn count_alone(increments: u32, lanes: u32) -> Result<JsValue, JsError> {
    let increments = params::int("race", "increments", increments)?;
    let lanes = params::int("race", "workers", lanes)?;
    let counter = Counter::new();
    let timed = (0..lanes)
        .map(|part| counter.add_timed(Counting::Racy, increments, 0, part * BATCHES, &clock::now_ms))
        .collect();
    let expected = u64::from(increments) * u64::from(lanes);
    Ok(report(timed, counter.value(), expected))
}

/// Every thread of the pool adds one `increments` times to one shared counter, the `how` way
/// ("unsafe", "lock" or "atomic"), all starting together (threaded build only).
#[cfg(feature = "parallel")]
#[wasm_bindgen(js_name = countOnThreads)]
pub fn count_on_threads(how: &str, increments: u32) -> Result<JsValue, JsError> {
    use std::sync::Barrier;

    let increments = params::int("race", "increments", increments)?;
    let how = match params::choice("race", "modes", how)? {
        "unsafe" => Counting::Racy,
        "lock" => Counting::Locked,
        "atomic" => Counting::Atomic,
        other => return Err(JsError::new(&format!("{other} is not a way for threads to share a counter"))),
    };
    let threads = rayon::current_num_threads();
    let counter = Counter::new();
    let start = Barrier::new(threads);
    let timed = rayon::broadcast(|context| {
        let lane = u32::try_from(context.index()).unwrap_or(u32::MAX);
        // Every thread starts adding at once: otherwise the first could be done before the last
        // has woken up, and nothing would race.
        start.wait();
        counter.add_timed(how, increments, lane, lane.saturating_mul(BATCHES), &clock::now_ms)
    });
    let expected = u64::from(increments) * threads as u64;
    Ok(report(timed, counter.value(), expected))
}
