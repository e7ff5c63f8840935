//! The browser facade, run in headless chromium:
//! `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

mod common;

use common::loss_bits;
use rnnlab::web::api::Playground;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HAMLET: &str = include_str!("../www/corpora/hamlet.txt");
const FIXTURE: &str = include_str!("fixtures/native_losses.json");
const SMALL: &str = "cell=lstm&hidden=32&seq-len=16&batch=2&lr=0.01&seed=5";

fn text(n: usize) -> String {
    HAMLET.chars().take(n).collect()
}

/// A value the facade returned, as the JS value the page sees.
trait AsJs {
    fn js(&self) -> JsValue;
}

impl<T: tsify::Tsify> AsJs for tsify::Ts<T> {
    fn js(&self) -> JsValue {
        self.js_value()
    }
}

impl AsJs for JsValue {
    fn js(&self) -> JsValue {
        self.clone()
    }
}

fn get(v: &impl AsJs, key: &str) -> JsValue {
    js_sys::Reflect::get(&v.js(), &key.into()).unwrap()
}

fn message(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    v.dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn one_step_is_one_step() {
    let mut pg = Playground::new(SMALL, &text(5000)).unwrap();
    assert_eq!(pg.steps(), 0.0);
    let st = pg.step().unwrap();
    assert_eq!(pg.steps(), 1.0);
    assert_eq!(get(&st, "step").as_f64(), Some(1.0));
    let loss = get(&st, "loss").as_f64().unwrap();
    assert!(loss.is_finite() && loss > 0.0, "loss {loss}");
    assert_eq!(pg.chars(), 32.0);
}

#[wasm_bindgen_test]
fn train_for_respects_max_steps_and_budget() {
    let mut pg = Playground::new(SMALL, &text(5000)).unwrap();
    let r = pg.train_for(7, 1e9).unwrap();
    assert_eq!(get(&r, "steps").as_f64(), Some(7.0));
    assert_eq!(pg.steps(), 7.0);
    // A zero budget still makes progress: exactly one step.
    let r = pg.train_for(1000, 0.0).unwrap();
    assert_eq!(get(&r, "steps").as_f64(), Some(1.0));
    assert!(pg.smooth_loss().is_finite() && pg.last_loss().is_finite());
    let last = get(&r, "last");
    assert_eq!(get(&last, "step").as_f64(), Some(8.0));
}

#[wasm_bindgen_test]
fn bad_settings_and_texts_are_errors_not_panics() {
    let t = text(3000);
    let e = Playground::new("hidden=lots", &t)
        .err()
        .expect("bad hidden");
    assert!(message(e).contains("hidden"));
    assert!(Playground::new("cell=banana", &t).is_err());
    assert!(Playground::new("%%%", &t).is_err());
    assert!(Playground::new("", "").is_err());
    let e = Playground::new("seq-len=100", "short text")
        .err()
        .expect("too short");
    assert!(message(e).contains("characters"));
    let big = "a".repeat(Playground::max_text_bytes() + 1);
    assert!(message(Playground::new("", &big).err().unwrap()).contains("MB"));
    let parsed = Playground::parse_query("#cell=gru&hidden=oops&&junk").unwrap();
    let notices = js_sys::Array::from(&get(&parsed, "notices"));
    assert_eq!(notices.length(), 2);
    assert!(get(&parsed, "query")
        .as_string()
        .unwrap()
        .contains("cell=gru"));
}

#[wasm_bindgen_test]
fn save_then_load_gives_the_same_next_loss() {
    let t = text(6000);
    let mut a = Playground::new(SMALL, &t).unwrap();
    a.train_for(30, 1e9).unwrap();
    let bytes = a.save().unwrap();
    let mut b = Playground::load(&bytes, &t).unwrap();
    assert_eq!(b.steps(), 30.0);
    assert_eq!(b.query(), a.query());
    a.step().unwrap();
    b.step().unwrap();
    assert_eq!(a.last_loss().to_bits(), b.last_loss().to_bits());
    assert!(Playground::load(&bytes[..100], &t).is_err());
    assert!(Playground::load(&[], &t).is_err());
    // A text with characters the model never saw loads idle and says which ones.
    let mut idle = Playground::load(&bytes, &format!("{}ЖЖЖ", text(600))).unwrap();
    assert_eq!(
        get(&idle.unknown().unwrap(), "chars")
            .as_string()
            .as_deref(),
        Some("Ж")
    );
    assert!(idle.step().is_err());
    assert_eq!(idle.steps(), 30.0);
}

#[wasm_bindgen_test]
fn rollback_truncates_and_live_settings_apply() {
    let mut pg = Playground::new(SMALL, &text(5000)).unwrap();
    pg.train_for(60, 1e9).unwrap();
    assert_eq!(pg.rollback(), 50.0);
    assert_eq!(pg.steps(), 50.0);
    assert!(pg.set_live("lr", "0.5").unwrap().contains("lr=0.5"));
    assert!(pg.set_live("hidden", "8").is_err());
    assert!(pg.set_live("lr", "-1").is_err());
}

#[wasm_bindgen_test]
fn sgd_with_a_huge_rate_diverges_and_rolls_back() {
    let mut pg = Playground::new(
        "cell=rnn&optimizer=sgd&lr=50&clip=0&hidden=32&seed=1",
        &text(5000),
    )
    .unwrap();
    let mut failed = false;
    for _ in 0..200 {
        if pg.step().is_err() {
            failed = true;
            break;
        }
    }
    assert!(
        failed && pg.diverged(),
        "lr 50 without clipping should diverge"
    );
    pg.rollback();
    assert!(!pg.diverged());
}

#[wasm_bindgen_test]
fn samples_and_draws() {
    let mut pg = Playground::new(SMALL, &text(5000)).unwrap();
    pg.train_for(5, 1e9).unwrap();
    let s = pg.sample("Th", 40, 0.8, false, 0, 1.0).unwrap();
    assert_eq!(get(&s, "text").as_string().unwrap().chars().count(), 40);
    assert_eq!(js_sys::Array::from(&get(&s, "top")).length(), 10);
    assert!(pg.sample("Ж", 10, 1.0, false, 0, 1.0).is_err());
    let doc = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement =
        doc.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(600);
    canvas.set_height(300);
    pg.draw_loss(&canvas).unwrap();
    pg.draw_heatmap(&canvas, 0, "h").unwrap();
    pg.draw_heatmap(&canvas, 0, "f").unwrap();
    assert!(pg.draw_heatmap(&canvas, 0, "z").is_err());
    assert!(pg.draw_heatmap(&canvas, 3, "h").is_err());
    let hit = pg.heatmap_at(300.0, 150.0).unwrap();
    assert!(!hit.is_null(), "the middle of the canvas is a cell");
    assert!(get(&hit, "unit").as_f64().unwrap() < 32.0);
    assert!(pg.heatmap_at(1.0, 1.0).unwrap().is_null());
}

#[wasm_bindgen_test]
fn an_inspected_text_is_read_in_slices_and_looked_into() {
    let mut pg = Playground::new(SMALL, &text(5000)).unwrap();
    pg.train_for(5, 1e9).unwrap();
    assert!(pg.surprise().is_err(), "nothing inspected yet");
    let info = pg
        .inspect("To be, or not to be: Ж that is the question.")
        .unwrap();
    assert_eq!(get(&info, "skipped").as_string().as_deref(), Some("Ж"));
    let n = js_sys::Array::from(&get(&info, "chars")).length() as usize;
    let mut slices = 0;
    while !get(&pg.inspect_for(0.0).unwrap(), "done")
        .as_bool()
        .unwrap()
    {
        slices += 1;
        assert!(slices < 1000, "inspectFor makes progress");
    }
    let surprise = pg.surprise().unwrap();
    assert_eq!(surprise.len(), n);
    assert!(surprise[0].is_nan() && surprise[1..].iter().all(|s| s.is_finite() && *s >= 0.0));
    assert_eq!(pg.unit_values(0, "h", 3).unwrap().len(), n);
    assert_eq!(pg.unit_values(0, "f", 3).unwrap().len(), n);
    assert!(pg.unit_values(0, "z", 3).is_err());
    let ranked = pg.rank_units("line-pos").unwrap();
    assert!(!ranked.is_empty());
    assert!(pg.rank_units("no-such-feature").is_err());
    let span: Vec<f32> = (0..n).map(|t| f32::from(t > n / 2)).collect();
    assert!(!pg.rank_units_by(&span).unwrap().is_empty());
    assert!(
        pg.rank_units_by(&span[1..]).is_err(),
        "one value per character"
    );
    let sal = pg.saliency(n - 2).unwrap();
    assert!(!sal.is_empty() && sal.iter().all(|v| v.is_finite()));
    assert!(
        pg.saliency(n - 1).is_err(),
        "the last character predicts nothing"
    );
    let doc = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement =
        doc.create_element("canvas").unwrap().dyn_into().unwrap();
    pg.draw_saliency(&canvas, n - 2).unwrap();
    pg.draw_trajectory(&canvas, Some(3)).unwrap();
    // Training on moves the model; reading again follows it.
    pg.train_for(5, 1e9).unwrap();
    pg.inspect_again().unwrap();
    while !get(&pg.inspect_for(1e9).unwrap(), "done")
        .as_bool()
        .unwrap()
    {}
    assert_ne!(pg.surprise().unwrap()[1..], surprise[1..]);
}

#[wasm_bindgen_test]
fn wasm_losses_equal_the_native_ones_bit_for_bit() {
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(
        doc["text_file"], "www/corpora/hamlet.txt",
        "tests/web.rs includes hamlet.txt"
    );
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let t: String = HAMLET
            .chars()
            .take(case["text_chars"].as_u64().unwrap() as usize)
            .collect();
        let mut pg = Playground::new(case["query"].as_str().unwrap(), &t).unwrap();
        let want = loss_bits(case);
        assert!(!want.is_empty(), "{name}: fixture has no bits");
        let got: Vec<u32> = want
            .iter()
            .map(|_| {
                pg.step().unwrap();
                (pg.last_loss() as f32).to_bits()
            })
            .collect();
        assert_eq!(got, want, "{name}: wasm and native losses differ");
    }
}

#[wasm_bindgen_test]
fn a_model_written_by_pytorch_loads_and_trains() {
    let bytes = include_bytes!("fixtures/torch/lstm_onehot_l2_b1.safetensors");
    let text = "hi oh\nho hi\noh hoho hi\n".repeat(20);
    let mut pg = Playground::load(bytes, &text).unwrap();
    assert_eq!(pg.steps(), 0.0);
    let q = pg.query();
    assert!(
        q.contains("cell=lstm") && q.contains("hidden=3") && q.contains("layers=2"),
        "{q}"
    );
    pg.train_for(5, 1e9).unwrap();
    assert!(pg.last_loss().is_finite());
    assert!(pg.unknown().unwrap().is_null());
    let mut idle = Playground::load(bytes, &"letters the model never saw\n".repeat(5)).unwrap();
    let unknown = idle.unknown().unwrap();
    let said = get(&unknown, "message").as_string().unwrap();
    assert!(said.contains("vocabulary"), "{said}");
    assert!(message(idle.step().err().unwrap()).contains("vocabulary"));
    // Mapping each unknown character to a known one makes it train.
    idle.fix_unknown("h").unwrap();
    assert!(idle.unknown().unwrap().is_null());
    idle.step().unwrap();
    let gru = include_bytes!("fixtures/torch/gru_embed_l2_b2.safetensors");
    let mut pg = Playground::load(gru, &"abc, dea\n".repeat(30)).unwrap();
    assert!(pg.query().contains("embed=3"));
    pg.step().unwrap();
}
