//! Getting a Rust panic's message to the page.
//!
//! The builds abort on panic, which surfaces in JavaScript only as "unreachable". The hook keeps
//! the message for the worker to pick up (`takePanicMessage`) and, because a panic on a pool
//! thread leaves the calling worker blocked and unable to answer, also broadcasts it on a
//! `BroadcastChannel` the page listens to.

use std::sync::{Mutex, Once};

use wasm_bindgen::prelude::*;
use web_sys::BroadcastChannel;

static CHANNEL_NAME: Mutex<Option<String>> = Mutex::new(None);
static LAST_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Reports panics from now on: to the console, to `takePanicMessage`, and on the
/// `BroadcastChannel` called `channel_name`.
#[wasm_bindgen(js_name = installPanicReport)]
pub fn install_panic_report(channel_name: String) {
    if let Ok(mut name) = CHANNEL_NAME.try_lock() {
        *name = Some(channel_name);
    }
    static HOOK: Once = Once::new();
    HOOK.call_once(|| std::panic::set_hook(Box::new(report_panic)));
}

/// The message of the last panic on this instance, if any, and forgets it.
#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    LAST_MESSAGE.try_lock().ok().and_then(|mut last| last.take())
}

fn report_panic(info: &std::panic::PanicHookInfo) {
    let payload = info.payload();
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic");
    let message = match info.location() {
        Some(location) => format!("Rust panic: {what} (at {}:{})", location.file(), location.line()),
        None => format!("Rust panic: {what}"),
    };
    web_sys::console::error_1(&JsValue::from_str(&message));

    // `try_lock`, never `lock`: a panic can happen while either lock is held, and blocking is
    // not allowed on every thread.
    if let Ok(mut last) = LAST_MESSAGE.try_lock() {
        *last = Some(message.clone());
    }
    let channel_name = CHANNEL_NAME.try_lock().ok().and_then(|name| name.clone());
    if let Some(channel) = channel_name.and_then(|name| BroadcastChannel::new(&name).ok()) {
        let _ = channel.post_message(&JsValue::from_str(&message));
        channel.close();
    }
}
