//! The numbers and names the page passes in, checked against the catalogue: the page checks
//! them too, but the module does not trust it.

use wasm_bindgen::JsError;

use crate::catalogue::{self, ParamKind};

/// `value` if it is within the bounds the catalogue gives `demo`'s parameter `name`.
pub fn int(demo: &str, name: &str, value: u32) -> Result<u32, JsError> {
    let Some((min, max)) = catalogue::find(demo).and_then(|spec| spec.int_bounds(name)) else {
        return Err(JsError::new(&format!("the {demo} demo has no whole-number parameter {name:?}")));
    };
    if (min..=max).contains(&i64::from(value)) {
        Ok(value)
    } else {
        Err(JsError::new(&format!("{name} must be between {min} and {max}, not {value}")))
    }
}

/// `value` if it is one of the choices the catalogue gives `demo`'s parameter `name`.
pub fn choice<'a>(demo: &str, name: &str, value: &'a str) -> Result<&'a str, JsError> {
    let allowed = match catalogue::find(demo).and_then(|spec| spec.param(name)).map(|param| &param.kind) {
        Some(ParamKind::Choice { allowed, .. } | ParamKind::Choices { allowed, .. }) => *allowed,
        _ => return Err(JsError::new(&format!("the {demo} demo has no parameter {name:?} with choices"))),
    };
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(JsError::new(&format!("{name} must be one of {}, not {value:?}", allowed.join(", "))))
    }
}

/// The task numbers `indices` (all of `0..count` when absent), each checked to exist.
pub fn indices(indices: Option<Vec<u32>>, count: u32, what: &str) -> Result<Vec<u32>, JsError> {
    let indices = indices.unwrap_or_else(|| (0..count).collect());
    match indices.iter().find(|&&index| index >= count) {
        Some(bad) => Err(JsError::new(&format!("{what} {bad} does not exist: there are {count}"))),
        None => Ok(indices),
    }
}
