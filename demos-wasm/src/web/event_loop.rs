//! Giving the event loop a turn from async Rust on the page's main thread.
//!
//! `setTimeout(0)` is clamped to 4 ms once nested, which would make the async demo look slow for
//! no reason of its own; `scheduler.yield()` (where the browser has it) or a `MessageChannel`
//! message comes back as soon as the pending events have been handled.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::MessageChannel;

/// Returns after the event loop has had a chance to run other tasks (input, rendering).
pub async fn yield_now() -> Result<(), JsValue> {
    if let Some(resumed) = scheduler_yield() {
        JsFuture::from(resumed).await?;
        return Ok(());
    }
    let channel = MessageChannel::new()?;
    let port = channel.port1();
    let delivered = Promise::new(&mut |resolve, _reject| port.set_onmessage(Some(&resolve)));
    channel.port2().post_message(&JsValue::NULL)?;
    JsFuture::from(delivered).await?;
    port.close();
    Ok(())
}

/// `scheduler.yield()`, if this browser has it.
fn scheduler_yield() -> Option<Promise> {
    let scheduler = Reflect::get(&js_sys::global(), &JsValue::from_str("scheduler")).ok()?;
    if !scheduler.is_object() {
        return None;
    }
    let yield_fn: Function = Reflect::get(&scheduler, &JsValue::from_str("yield")).ok()?.dyn_into().ok()?;
    yield_fn.call0(&scheduler).ok()?.dyn_into().ok()
}
