//! Small helpers that turn Rust values into plain JS objects and read the page clock.

use crate::core::StepStats;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// A plain JS object built one property at a time.
pub struct Obj(Object);

impl Obj {
    pub fn new() -> Self {
        Obj(Object::new())
    }

    /// Sets `key` to `value` (setting a property on a fresh plain object cannot fail).
    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    pub fn build(self) -> JsValue {
        self.0.into()
    }
}

/// `{step, loss, gradNorm, clipped, chars, reset, smooth}` for one training step.
pub fn stats(s: &StepStats, smooth: f64) -> JsValue {
    Obj::new()
        .set("step", s.step as f64)
        .set("loss", f64::from(s.loss))
        .set("gradNorm", f64::from(s.grad_norm))
        .set("clipped", s.clipped)
        .set("chars", s.chars as f64)
        .set("reset", s.reset)
        .set("smooth", smooth)
        .build()
}

/// A JS array of `[char, probability]` pairs.
pub fn pairs(items: &[(char, f32)]) -> JsValue {
    items
        .iter()
        .map(|(c, p)| {
            let pair = Array::new();
            pair.push(&JsValue::from_str(&c.to_string()));
            pair.push(&JsValue::from_f64(f64::from(*p)));
            JsValue::from(pair)
        })
        .collect::<Array>()
        .into()
}

/// A JS array of strings.
pub fn strings(items: &[String]) -> JsValue {
    items
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect::<Array>()
        .into()
}

/// Milliseconds from the page's monotonic clock (`performance.now()`), falling back to
/// `Date.now()` where there is no window.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}
