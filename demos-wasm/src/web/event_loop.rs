//! Giving the event loop a turn from async Rust on the page's main thread.
//!
//! `setTimeout(0)` is clamped to 4 ms once nested, which would make the async demo look slow for
//! no reason of its own. A `MessageChannel` message is a task like any other: it comes back as
//! soon as the tasks already waiting (input, timers, rendering) have had their turn.
//! (`scheduler.yield()` would be quicker still, but its continuations go ahead of timers and
//! other ordinary tasks, which is not the fair turn-taking this demo is about.)

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::MessageChannel;

/// Returns after the event loop has had a chance to run the tasks already waiting.
pub async fn yield_now() -> Result<(), JsValue> {
    let channel = MessageChannel::new()?;
    let port = channel.port1();
    let delivered = Promise::new(&mut |resolve, _reject| port.set_onmessage(Some(&resolve)));
    channel.port2().post_message(&JsValue::NULL)?;
    JsFuture::from(delivered).await?;
    port.close();
    Ok(())
}
