//! What the browser says about memory, cheaply enough to ask during a run: this instance's
//! WebAssembly memory (exact, in 64 KiB pages; it only grows), and the page's JavaScript heap
//! where Chromium exposes it (`performance.memory`, on the page only, not in workers).

use js_sys::Reflect;

/// The size of this instance's WebAssembly memory, in bytes.
pub fn wasm_bytes() -> f64 {
    core::arch::wasm32::memory_size::<0>() as f64 * 65_536.0
}

/// The JavaScript heap in use on this thread, in bytes, if the browser says
/// (`performance.memory.usedJSHeapSize`: Chromium, and only on the page's own thread).
pub fn heap_bytes() -> Option<f64> {
    let performance = Reflect::get(&js_sys::global(), &"performance".into()).ok()?;
    let memory = Reflect::get(&performance, &"memory".into()).ok().filter(|m| m.is_object())?;
    Reflect::get(&memory, &"usedJSHeapSize".into()).ok().and_then(|used| used.as_f64())
}

/// How much more memory there is now than at `before` (`wasm_bytes`, `heap_bytes`): the
/// numbers a run reports as `wasmBytes` and `heapBytes` (a heap that shrank reports 0).
pub fn growth_since(before: (f64, Option<f64>)) -> Vec<(&'static str, f64)> {
    let mut grown = vec![("wasmBytes", (wasm_bytes() - before.0).max(0.0))];
    if let (Some(then), Some(now)) = (before.1, heap_bytes()) {
        grown.push(("heapBytes", (now - then).max(0.0)));
    }
    grown
}

/// The numbers `growth_since` compares against.
pub fn now() -> (f64, Option<f64>) {
    (wasm_bytes(), heap_bytes())
}
