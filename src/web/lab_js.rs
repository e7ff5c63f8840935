//! Plain JS values for the lab facade: objects built key by key, typed arrays, string arrays,
//! and errors turned into `JsError`.

use crate::core::error::Error;
use js_sys::{Array, Float32Array, Uint8Array};
use wasm_bindgen::{JsError, JsValue};

pub use crate::web::js::Obj;

/// A `Float32Array` copy of `v`.
pub fn f32s(v: &[f32]) -> JsValue {
    Float32Array::from(v).into()
}

/// A `Float32Array` of `f64` values (narrowed).
pub fn f32s_of(v: impl IntoIterator<Item = f64>) -> JsValue {
    let v: Vec<f32> = v.into_iter().map(|x| x as f32).collect();
    Float32Array::from(&v[..]).into()
}

/// A `Uint8Array` copy of `v`.
pub fn bytes(v: &[u8]) -> JsValue {
    Uint8Array::from(v).into()
}

/// A JS array of strings.
pub fn strings<S: AsRef<str>>(items: &[S]) -> JsValue {
    items
        .iter()
        .map(|s| JsValue::from_str(s.as_ref()))
        .collect::<Array>()
        .into()
}

/// A JS array of values.
pub fn array(items: Vec<JsValue>) -> JsValue {
    items.into_iter().collect::<Array>().into()
}

/// A core error as a JS `Error` with its plain-words message.
pub fn err(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Milliseconds from `performance.now()` (or `Date.now()` without a window).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}
