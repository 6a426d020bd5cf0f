//! What a run hands back to JavaScript: the total and one event per task, for the results
//! table and a timeline.

use js_sys::{Array, Float64Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// The names of an event's numbers, in the order they appear in `events`.
const EVENT_FIELDS: [&str; 5] = ["chunk", "lane", "start", "end", "primes"];

/// One task: which chunk, on which lane (thread or worker), when (ms since the Unix epoch).
pub struct TaskEvent {
    pub chunk: u32,
    pub lane: u32,
    pub start_ms: f64,
    pub end_ms: f64,
    pub primes: u64,
}

/// The tasks of one run, in the order they were handed out.
pub struct RunReport {
    pub events: Vec<TaskEvent>,
}

impl RunReport {
    /// `{ total, events, eventFields }`: `events` is a `Float64Array` of `eventFields.length`
    /// numbers per task, so it can be transferred between workers instead of copied.
    pub fn into_js(self) -> JsValue {
        let total: u64 = self.events.iter().map(|event| event.primes).sum();
        let flat: Vec<f64> = self
            .events
            .iter()
            .flat_map(|event| {
                [
                    f64::from(event.chunk),
                    f64::from(event.lane),
                    event.start_ms,
                    event.end_ms,
                    event.primes as f64,
                ]
            })
            .collect();
        let fields: Array = EVENT_FIELDS.iter().map(|&name| JsValue::from_str(name)).collect();

        let report = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&report, &"total".into(), &JsValue::from_f64(total as f64));
        let _ = Reflect::set(&report, &"events".into(), &Float64Array::from(flat.as_slice()));
        let _ = Reflect::set(&report, &"eventFields".into(), &fields);
        report.into()
    }
}
