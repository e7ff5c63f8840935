//! The inspector of the playground, natively: slices equal one reading, and every answer agrees
//! with the core's.

use super::*;
use crate::core::inspect::inspect;
use crate::core::saliency::saliency_at;
use crate::web::playground::Playground;
use crate::web::Training;
use std::cell::Cell;

fn model() -> Model {
    let text: String = include_str!("../../../www/corpora/the-tempest.txt")
        .chars()
        .take(4000)
        .collect();
    let mut pg = Playground::new("cell=lstm&hidden=12&seq-len=16&seed=3", &text).unwrap();
    pg.train_for(5, 1e9, &|| 0.0).unwrap();
    pg.model().clone()
}

fn ticking() -> impl Fn() -> f64 {
    let t = Cell::new(0.0);
    move || {
        t.set(t.get() + 1.0);
        t.get()
    }
}

fn read(m: &Model, text: &str) -> Inspect {
    let (mut v, _) = Inspect::new(m, text).unwrap();
    while !v.advance(1e9, &|| 0.0).unwrap() {}
    v
}

#[test]
fn a_text_is_read_in_slices_and_answers_as_the_core_does() {
    let m = model();
    let text = "Where should this music be?\nI' the air or the earth? ¿Ж";
    let (mut v, info) = Inspect::new(&m, text).unwrap();
    assert_eq!(info.skipped, "¿Ж");
    assert_eq!(
        (info.chars.len(), info.cut),
        (text.chars().count() - 2, false)
    );
    assert!(v.surprise().is_err(), "nothing read yet");
    let now = ticking();
    let mut calls = 1;
    while !v.advance(0.0, &now).unwrap() {
        calls += 1;
    }
    assert!(v.progress().is_none());
    let ids: Vec<u32> = (info.chars.iter())
        .map(|c| {
            m.spec
                .vocab
                .iter()
                .position(|v| v.to_string() == *c)
                .unwrap() as u32
        })
        .collect();
    let core = inspect(&m, &ids, 5).unwrap();
    let s = v.surprise().unwrap().0;
    assert!(s[0].is_nan());
    assert_eq!(s[1..], core.loss[..], "{calls} slices");
    let p = v.point(3).unwrap();
    assert_eq!((p.char.as_str(), p.top.len()), ("r", 5));
    assert_eq!(p.surprise, f64::from(core.loss[2]));
    assert!(v.point(1000).is_err());
}

#[test]
fn steps_units_and_equations_come_from_the_reading() {
    let m = model();
    let v = read(&m, "the isle is full of noises");
    let c = v.columns(0, 4).unwrap();
    assert_eq!(
        (
            c.h.0.len(),
            c.c_prev.0.len(),
            c.gates.len(),
            c.input.as_str()
        ),
        (12, 12, 4, "“i”")
    );
    assert!(c.dh.0.is_empty(), "an inspected text has no backward pass");
    let eq = v.equations(0, 4, 3).unwrap();
    assert!(eq[0].starts_with("unit 3, layer 1, step t = 4"), "{eq:?}");
    assert!(
        eq.iter().any(|l| l.starts_with("cₜ = f·cₜ₋₁ + i·g = ")),
        "{eq:?}"
    );
    let h = v.unit(0, "h", 3).unwrap().0;
    assert_eq!(h.len(), 26);
    assert_eq!(h[4], c.h.0[3]);
    let f = v.unit(0, "f", 3).unwrap().0;
    assert_eq!(
        f[4], c.gates[1].values.0[3],
        "the forget gate of unit 3 at t = 4"
    );
    assert!(
        v.unit(0, "z", 3).is_err() && v.unit(1, "h", 0).is_err() && v.unit(0, "h", 12).is_err()
    );
}

#[test]
fn units_rank_by_a_feature_and_saliency_is_the_core_s() {
    let m = model();
    let text = "Full fathom five\nthy father lies;\nOf his bones are coral made;";
    let v = read(&m, text);
    let r = v.rank(FeatureOf::Named("line-pos")).unwrap();
    assert_eq!(r.len(), 12);
    assert!(r.windows(2).all(|w| w[0].r.abs() >= w[1].r.abs()));
    let span: Vec<f32> = (0..text.len())
        .map(|i| f32::from(u8::from((5..10).contains(&i))))
        .collect();
    assert_eq!(v.rank(FeatureOf::Values(&span)).unwrap().len(), 12);
    assert!(v.rank(FeatureOf::Values(&span[1..])).is_err());
    assert!(v.rank(FeatureOf::Named("banana")).is_err());
    let s = v.saliency(20).unwrap().0;
    let ids: Vec<u32> = (text.chars())
        .map(|c| m.spec.vocab.iter().position(|&v| v == c).unwrap() as u32)
        .collect();
    assert_eq!(
        s,
        saliency_at(&m, &ids, 20).unwrap(),
        "under the reach: the whole prefix"
    );
    assert!(
        v.saliency(text.len() - 1).is_err(),
        "the last character predicts nothing here"
    );
    // Beyond the reach: NaN before it, and over it exactly the whole prefix's saliency (the
    // characters it reads cannot change the state it starts from).
    let long = "Full fathom five thy father lies; of his bones are coral made. ".repeat(8);
    let lv = read(&m, &long);
    let ids: Vec<u32> = (long.chars())
        .map(|c| m.spec.vocab.iter().position(|&v| v == c).unwrap() as u32)
        .collect();
    let t = 450;
    let got = lv.saliency(t).unwrap().0;
    let from = t + 1 - SALIENCY_REACH;
    assert!(got[..from].iter().all(|x| x.is_nan()));
    let want = saliency_at(&m, &ids, t).unwrap();
    for (s, (a, b)) in got.iter().zip(&want).enumerate().skip(from) {
        assert!(
            (a - b).abs() <= 1e-6 * b.abs().max(1e-3),
            "s {s}: {a} vs {b}"
        );
    }
    assert_eq!(
        lv.saliency(t).unwrap().0.len(),
        got.len(),
        "asked again: the same"
    );
    let chart = v.saliency_chart(20).unwrap();
    assert_eq!(chart.series[0].points.len(), 21);
    assert_eq!(chart.series[0].points[0], (1.0, f64::from(s[20])));
}

#[test]
fn the_trajectory_has_a_point_per_character_and_a_restart_keeps_answers_until_done() {
    let m = model();
    let text = "Be not afeard; the isle is full of noises,\nSounds and sweet airs";
    let mut v = read(&m, text);
    let t = v.trajectory(Some(7)).unwrap();
    assert_eq!(
        (t.points.len(), t.group.len(), t.highlight),
        (text.len(), text.len(), Some(7))
    );
    assert_eq!(t.group[2], 1, "a space");
    assert!(t.x_label.contains("% of the variance"), "{}", t.x_label);
    let bits = |v: &Inspect| {
        v.surprise()
            .unwrap()
            .0
            .iter()
            .map(|x| x.to_bits())
            .collect::<Vec<_>>()
    };
    let before = bits(&v);
    let columns = v.columns(0, 9).unwrap();
    // Another model reads it again: until that reading is done, every answer is the old
    // model's on the old reading (the step view does not mix one model's states with
    // another's weights).
    let other = {
        let mut m2 = m.clone();
        m2.params.layers[0].w_hh.mapv_inplace(|w| w * 0.5);
        m2
    };
    v.restart(&other).unwrap();
    assert_eq!(bits(&v), before, "the old answers stay while reading again");
    assert_eq!(v.columns(0, 9).unwrap(), columns);
    assert!(v.progress().is_some());
    while !v.advance(1e9, &|| 0.0).unwrap() {}
    assert_ne!(bits(&v), before, "the new model's reading");
    assert_ne!(v.columns(0, 9).unwrap(), columns);
    assert!(Inspect::new(&m, "").is_err() && Inspect::new(&m, "ЖЖЖ").is_err());
    // A long text draws every k-th point, and the highlighted one.
    let lines: String = "Be not afeard; the isle is full of noises,\n".repeat(200);
    let mut lv = read(&m, &lines);
    let t = lv.trajectory(Some(4001)).unwrap();
    let n = lines.chars().count();
    assert!(
        t.x_label.contains(&format!("every 3rd of {n} characters")),
        "{}",
        t.x_label
    );
    assert_eq!(t.points.len(), n.div_ceil(3) + 1);
    // Shown: 0, 3, …, 3999 (1,334 points), then 4001 (highlighted), 4002, …
    assert_eq!(t.highlight, Some(1334));
    assert_eq!(t.group[1334], class(lines.chars().nth(4001).unwrap()));
    assert_eq!(lv.trajectory(None).unwrap().points.len(), n.div_ceil(3));
    let long: String = "abc ".repeat(6000);
    let (_, info) = Inspect::new(&m, &long).unwrap();
    assert_eq!((info.chars.len(), info.cut), (MAX_CHARS, true));
}
