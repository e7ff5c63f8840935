//! The playground's logic, natively: the same checks the browser suite makes through the facade,
//! plus the frame-budget behaviour against a fake clock.

use super::*;

fn parse_query(hash: &str) -> crate::web::types::ParsedQuery {
    crate::web::parse_query::<Playground>(hash)
}
use crate::core::sample::SampleOpts;
use std::cell::Cell;

const SMALL: &str = "cell=lstm&hidden=16&seq-len=16&batch=2&lr=0.01&seed=5";

fn text(n: usize) -> String {
    include_str!("../../../www/corpora/the-tempest.txt")
        .chars()
        .take(n)
        .collect()
}

/// A clock that advances `tick` ms every time it is read.
fn ticking(tick: f64) -> impl Fn() -> f64 {
    let t = Cell::new(0.0);
    move || {
        t.set(t.get() + tick);
        t.get()
    }
}

fn opts(len: usize, seed: u64) -> SampleOpts {
    SampleOpts {
        len,
        temperature: 0.8,
        greedy: false,
        top_k: 0,
        seed,
    }
}

#[test]
fn one_step_is_one_step_and_train_for_respects_max_and_budget() {
    let mut pg = Playground::new(SMALL, &text(4000)).unwrap();
    let st = pg.step().unwrap();
    assert_eq!((st.step, pg.steps(), pg.chars()), (1.0, 1, 32));
    assert!(st.loss.is_finite());
    let still = || 0.0;
    let r = pg.train_for(7, 1e9, &still).unwrap();
    assert_eq!((r.steps, r.last.step), (7, 8.0));
    // A clock that moves 5 ms per read gives a 1 ms budget exactly one step.
    let r = pg.train_for(1000, 1.0, &ticking(5.0)).unwrap();
    assert_eq!(r.steps, 1);
    assert!(r.last.smooth.is_finite());
}

#[test]
fn validation_is_measured_a_chunk_per_call_and_equals_the_one_go_figure() {
    let mut pg = Playground::new(SMALL, &text(8000)).unwrap();
    let still = || 0.0;
    pg.train_for(100, 1e9, &still).unwrap();
    let direct = pg.val_loss().unwrap();
    let before = pg.history().val.last().unwrap().1;
    assert_ne!(before, direct);
    let mut seen = Vec::new();
    for _ in 0..6 {
        pg.train_for(1, 0.0, &ticking(1.0)).unwrap();
        seen.push(pg.history().val.last().unwrap().1);
    }
    assert_eq!(seen[..4], [before; 4]);
    assert_eq!(
        seen[4], direct,
        "five chunks of 100 characters, then the figure"
    );
}

#[test]
fn a_sliced_sample_equals_the_one_go_sample() {
    let mut pg = Playground::new(SMALL, &text(4000)).unwrap();
    pg.train_for(5, 1e9, &|| 0.0).unwrap();
    let one_go = pg.sample("Th", opts(40, 3)).unwrap();
    assert_eq!(one_go.text.chars().count(), 40);
    assert_eq!(one_go.top.len(), 10);
    pg.start_sample("Th", opts(40, 3)).unwrap();
    let mut calls = 0;
    let sliced = loop {
        calls += 1;
        if let Some(s) = pg.sample_for(0.0, &ticking(1.0)).unwrap() {
            break s;
        }
    };
    assert_eq!((sliced, calls), (one_go, 40));
    assert!(!pg.sampling());
    assert_eq!(pg.sample_for(5.0, &|| 0.0).unwrap(), None);
    assert!(pg.sample("Ж", opts(10, 1)).is_err());
}

#[test]
fn rollback_truncates_the_history_and_keeps_live_settings() {
    let mut pg = Playground::new(SMALL, &text(4000)).unwrap();
    pg.train_for(60, 1e9, &|| 0.0).unwrap();
    assert!(pg.set_live("lr", "0.5").unwrap().contains("lr=0.5"));
    assert!(pg.set_live("hidden", "8").is_err());
    assert_eq!(pg.rollback(), 50);
    assert_eq!(pg.steps(), 50);
    assert_eq!(pg.history().train.last().unwrap().0, 50.0);
    assert!(pg.query().contains("lr=0.5"));
}

#[test]
fn divergence_is_flagged_and_rolled_back() {
    let q = "cell=rnn&optimizer=sgd&lr=50&clip=0&hidden=32&seed=1";
    let mut pg = Playground::new(q, &text(4000)).unwrap();
    let failed = (0..200).any(|_| pg.step().is_err());
    assert!(failed && pg.diverged());
    pg.rollback();
    assert!(!pg.diverged());
}

#[test]
fn save_then_load_continues_bit_for_bit() {
    let t = text(5000);
    let mut a = Playground::new(SMALL, &t).unwrap();
    a.train_for(30, 1e9, &|| 0.0).unwrap();
    let mut b = Playground::load(&a.save().unwrap(), &t).unwrap();
    assert_eq!((b.steps(), b.query()), (30, a.query()));
    let (x, y) = (a.step().unwrap(), b.step().unwrap());
    assert_eq!(x.loss.to_bits(), y.loss.to_bits());
}

#[test]
fn the_heatmap_names_its_series_and_answers_hovers() {
    let mut pg = Playground::new(SMALL, &text(4000)).unwrap();
    assert_eq!(pg.heatmap(0, "h").unwrap().title, "no step yet");
    pg.step().unwrap();
    let h = pg.heatmap(0, "h").unwrap();
    assert_eq!((h.rows, h.cols, h.values.len()), (16, 16, 256));
    assert!(pg.heatmap(0, "f").unwrap().title.contains("forget"));
    let e = pg.heatmap(0, "z").unwrap_err().to_string();
    assert!(e.contains("i, f, g, o"), "{e}");
    assert!(pg.heatmap(3, "h").is_err());
    let layout = crate::render::HeatmapLayout {
        left: 10,
        top: 10,
        right: 170,
        bottom: 90,
        rows: 16,
        cols: 16,
        range: 1.0,
    };
    pg.drawn(DrawnHeatmap::new(&h, layout));
    let cell = pg
        .heatmap_at(10.0 + 10.0 * 3.0 + 1.0, 10.0 + 5.0 * 2.0)
        .unwrap();
    assert_eq!((cell.unit, cell.t), (2, 3));
    assert_eq!(cell.value, f64::from(h.values[2 * 16 + 3]));
    assert_eq!(cell.char, h.col_labels[3]);
    assert_eq!(pg.heatmap_at(1.0, 1.0), None);
}

#[test]
fn bad_settings_and_texts_are_errors_naming_them() {
    let t = text(3000);
    let e = Playground::new("hidden=lots", &t)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("hidden"), "{e}");
    assert!(Playground::new("", "").is_err());
    let big = "a".repeat(crate::web::MAX_TEXT_BYTES + 1);
    assert!(Playground::new("", &big)
        .err()
        .unwrap()
        .to_string()
        .contains("MB"));
    let p = parse_query("#cell=gru&hidden=oops&&junk");
    assert_eq!(p.notices.len(), 2);
    assert!(p.query.contains("cell=gru"));
}

#[test]
fn a_model_loads_on_a_text_it_cannot_read_and_waits_for_a_choice() {
    let mut a = Playground::new(SMALL, &text(3000)).unwrap();
    a.train_for(10, 1e9, &|| 0.0).unwrap();
    let bytes = a.save().unwrap();
    let foreign = format!("{}_~_{}", text(500), "Ж".repeat(3));
    let mut b = Playground::load(&bytes, &foreign).unwrap();
    let (chars, why) = b.unknown().unwrap();
    assert!(chars.contains('_') && chars.contains('Ж'), "{chars}");
    assert!(
        why.contains("6 characters") && why.contains("Drop them"),
        "{why}"
    );
    // Sampling and the model's shape work; training says why it waits.
    assert_eq!(
        b.sample("Th", opts(20, 1)).unwrap().text.chars().count(),
        20
    );
    assert_eq!(b.vocab(), a.vocab());
    let e = b.step().unwrap_err().to_string();
    assert!(e.contains("not in the model's vocabulary"), "{e}");
    assert!(b.train_for(5, 1e9, &|| 0.0).is_err());
    assert!(
        b.fix_unknown(Fix::Map('Ж')).is_err(),
        "a character the model does not know"
    );
    assert!(b.unknown().is_some(), "an error changes nothing");
    // Mapping them to a space makes the text readable; training resumes from the checkpoint.
    b.fix_unknown(Fix::Map(' ')).unwrap();
    assert!(b.unknown().is_none());
    assert_eq!(b.steps(), 10);
    assert_eq!(b.step().unwrap().step, 11.0);
    // Dropping them, or another text, works too.
    let mut c = Playground::load(&bytes, &foreign).unwrap();
    c.fix_unknown(Fix::Drop).unwrap();
    c.step().unwrap();
    let d = c.retext(&foreign).unwrap();
    assert!(d.unknown().is_some());
    assert!(d.retext(&text(800)).unwrap().unknown().is_none());
}

#[test]
fn a_model_of_real_values_is_refused_saying_what_it_is() {
    let task = crate::core::session::TaskSession::new(
        &Config::from_query_strict("task=sine&cell=gru&hidden=5").unwrap(),
    )
    .unwrap();
    let bytes = io::save(&task.trainer.model, None).unwrap();
    let msg = Playground::load(&bytes, &text(400))
        .err()
        .unwrap()
        .to_string();
    assert!(msg.contains("predicts real values (`loss` = mse"), "{msg}");
}

/// Feeds `b` what `a` gives since the last call (with the weights if `weights`).
fn sync(a: &mut Playground, b: &mut Playground, weights: bool) -> (Vec<f64>, Vec<f32>) {
    let (head, states) = a.sync_out();
    let w = if weights { a.weights() } else { Vec::new() };
    b.sync_in(&head, &states, &w).unwrap();
    (head, states)
}

/// A copy fed `sync_out`'s arrays shows what the trained one shows: counters, history,
/// heatmap and (with the weights) the same samples; after a rollback too.
#[test]
fn a_mirror_fed_sync_arrays_shows_the_trained_playground() {
    let t = text(6000);
    let mut a = Playground::new(SMALL, &t).unwrap();
    let mut b = Playground::new(SMALL, &t).unwrap();
    let still = || 0.0;
    sync(&mut a, &mut b, true);
    for n in [1, 3, 120] {
        a.train_for(n, 1e9, &still).unwrap();
        sync(&mut a, &mut b, n != 3);
    }
    let same = |a: &Playground, b: &Playground| {
        assert_eq!((a.steps(), a.chars()), (b.steps(), b.chars()));
        assert_eq!(a.history().train, b.history().train);
        assert_eq!(a.history().smooth, b.history().smooth);
        assert_eq!(a.history().val, b.history().val);
        let bits = |p: &Playground| p.history().smoothed().to_bits();
        assert_eq!(bits(a), bits(b));
        assert_eq!(a.heatmap(0, "f").unwrap(), b.heatmap(0, "f").unwrap());
        assert_eq!(a.heatmap(0, "c").unwrap(), b.heatmap(0, "c").unwrap());
        let s = |p: &Playground| p.sample("Th", opts(40, 3)).unwrap();
        assert_eq!(s(a), s(b));
    };
    same(&a, &b);
    assert_eq!(b.steps(), 124);
    // Only the new points travel; no states when no step was taken.
    a.train_for(2, 1e9, &still).unwrap();
    let (head, states) = sync(&mut a, &mut b, true);
    let pushed = [
        0.0,
        125.0,
        a.history().train[124].1,
        0.0,
        126.0,
        a.history().train[125].1,
    ];
    assert_eq!(head[head.len() - 6..], pushed);
    assert!(!states.is_empty());
    let (head, states) = sync(&mut a, &mut b, false);
    assert_eq!((head.len(), states.len()), (3, 0));
    // A rollback travels as one change.
    a.rollback();
    let (head, _) = sync(&mut a, &mut b, true);
    assert_eq!(head[3..], [2.0, 100.0, 0.0]);
    same(&a, &b);
    // Past the history's cap both halve it the same way.
    a.train_for(20_100, 1e9, &still).unwrap();
    sync(&mut a, &mut b, true);
    assert!(a.history().train.len() < 20_000);
    same(&a, &b);
}

#[test]
fn bad_sync_arrays_are_refused_and_change_nothing() {
    let t = text(4000);
    let mut a = Playground::new(SMALL, &t).unwrap();
    let mut b = Playground::new("cell=gru&hidden=8&seq-len=16&batch=2", &t).unwrap();
    // The history's changes are logged from the first head on.
    assert_eq!(a.sync_out().0.len(), 3);
    a.step().unwrap();
    let (head, states) = a.sync_out();
    let e = b.sync_in(&head, &states, &a.weights()).unwrap_err();
    assert!(e.to_string().contains("weights"), "{e}");
    assert!(b.sync_in(&head[..head.len() - 1], &[], &[]).is_err());
    assert!(b
        .sync_in(&[1.0, 2.0, 0.0, 7.0, 1.0, 1.0], &[], &[])
        .is_err());
    assert!(b.sync_in(&head, &states[..states.len() - 1], &[]).is_err());
    assert!(b.sync_in(&[1.0, 2.0], &[], &[]).is_err());
    assert!(b.sync_in(&head, &[7.0], &[]).is_err());
    assert_eq!((b.steps(), b.history().train.len()), (0, 0));
    b.sync_in(&head, &[], &[]).unwrap();
    assert_eq!((b.steps(), b.history().train.len()), (1, 1));
}

#[test]
fn steps_a_shard_at_a_time_on_replicas_equal_whole_steps() {
    use crate::core::replica::Replica;
    use crate::web::shards::Sharded;
    let q = "cell=lstm&hidden=12&seq-len=8&batch=48&lr=0.01&seed=3";
    let (mut whole, mut split) = (
        Playground::new(q, &text(3000)).unwrap(),
        Playground::new(q, &text(3000)).unwrap(),
    );
    let file = split.replica_model().unwrap();
    let mut replicas: Vec<Replica> = (0..2)
        .map(|_| Replica::new(io::load(&file).unwrap().model))
        .collect();
    assert_eq!(split.trainer().shards(), 3);
    for i in 0..VAL_EVERY + 2 {
        let want = Training::step(&mut whole).unwrap();
        let tasks = split.begin(i % 3 == 0).unwrap();
        assert_eq!(tasks.len(), 2);
        let weights = split.weights();
        let results: Vec<Vec<u32>> = (tasks.iter().zip(&mut replicas))
            .map(|(t, r)| r.run(&weights, t).unwrap())
            .collect();
        split.trainer_mut().unwrap().run_shards(0..1).unwrap();
        for (k, r) in results.iter().enumerate() {
            split.trainer_mut().unwrap().put_shard(k + 1, r).unwrap();
        }
        let got = split.finish().unwrap();
        assert_eq!(got.loss.to_bits(), want.loss.to_bits(), "step {i}");
        assert_eq!(got.smooth.to_bits(), want.smooth.to_bits(), "step {i}");
    }
    // The validation loss due at step 100 was measured by both.
    assert_eq!(split.history_csv(), whole.history_csv());
    assert_eq!(split.save().unwrap(), whole.save().unwrap());
}
