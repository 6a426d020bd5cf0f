//! What a run hands back to JavaScript: the total, any other numbers the demo reports, and one
//! span per piece of work for the results table and the timeline.

use js_sys::{Array, Float64Array, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::kernels::timeline::{Span, SpanKind};

/// The names of a span's numbers, in the order they appear in `events`.
const EVENT_FIELDS: [&str; 6] = ["task", "lane", "start", "end", "value", "kind"];

/// The spans of one run, with its total (by default, the sum of its task spans' values).
pub struct RunReport {
    pub spans: Vec<Span>,
    pub total: f64,
    /// Further numbers the demo reports (such as the count a race should have reached).
    pub extra: Vec<(&'static str, f64)>,
}

impl RunReport {
    /// A report whose total is the sum of the values of `spans` of the given kind.
    pub fn summing(spans: Vec<Span>, kind: SpanKind) -> Self {
        let total = spans.iter().filter(|span| span.kind == kind).map(|span| span.value).sum();
        Self { spans, total, extra: Vec::new() }
    }

    /// `{ total, events, eventFields, kinds, ...extra }`: `events` is a `Float64Array` of
    /// `eventFields.length` numbers per span, so it can be transferred between workers instead of
    /// copied; `kind` numbers index `kinds`.
    pub fn into_js(self) -> JsValue {
        let flat: Vec<f64> = self
            .spans
            .iter()
            .flat_map(|span| {
                [
                    f64::from(span.task),
                    f64::from(span.lane),
                    span.start_ms,
                    span.end_ms,
                    span.value,
                    f64::from(span.kind as u8),
                ]
            })
            .collect();
        let fields: Array = EVENT_FIELDS.iter().map(|&name| JsValue::from_str(name)).collect();
        let kinds: Array = SpanKind::ALL.iter().map(|kind| JsValue::from_str(kind.name())).collect();

        let report = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let set = |key: &str, value: &JsValue| {
            let _ = Reflect::set(&report, &key.into(), value);
        };
        set("total", &JsValue::from_f64(self.total));
        set("events", &Float64Array::from(flat.as_slice()));
        set("eventFields", &fields);
        set("kinds", &kinds);
        for (key, value) in self.extra {
            set(key, &JsValue::from_f64(value));
        }
        report.into()
    }
}
