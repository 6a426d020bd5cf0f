//! The ipc-cost demo's entry points: the payload sizes of a run, the payloads themselves, and
//! the checksum a receiver computes of what arrived. Sending is the page's business (postMessage).

use wasm_bindgen::prelude::*;

use super::params;
use crate::kernels::payload;

/// The payload sizes of a run, in bytes, smallest first (see `payload::sizes`).
#[wasm_bindgen(js_name = payloadSizes)]
pub fn payload_sizes(min_kb: u32, max_kb: u32, sizes: u32) -> Result<Vec<u32>, JsError> {
    let demo = "ipc-cost";
    Ok(payload::sizes(params::int(demo, "min_kb", min_kb)?, params::int(demo, "max_kb", max_kb)?, params::int(demo, "sizes", sizes)?))
}

/// The payload of `bytes` bytes (at most 64 MB): the same bytes for the same size.
#[wasm_bindgen(js_name = makePayload)]
pub fn make_payload(bytes: u32) -> Result<Vec<u8>, JsError> {
    if !(1..=payload::LARGEST_BYTES).contains(&bytes) {
        return Err(JsError::new(&format!("a payload must be 1 to {} bytes, not {bytes}", payload::LARGEST_BYTES)));
    }
    Ok(payload::payload(bytes))
}

/// The checksum of the bytes received (`payload::checksum`).
#[wasm_bindgen(js_name = checksumPayload)]
pub fn checksum_payload(data: &[u8]) -> u32 {
    payload::checksum(data)
}
