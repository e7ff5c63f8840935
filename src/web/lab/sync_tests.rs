//! A lab copy fed the sync arrays of a lab that trains (the page's copy of the worker's lab)
//! shows exactly what the trained lab shows.

use super::*;
use crate::core::error::Error;

fn still() -> f64 {
    0.0
}

fn lab(hash: &str, text: &str) -> Lab {
    let q = crate::web::parse_query::<Lab>(hash).query;
    Lab::new(&q, text).unwrap()
}

fn sync(a: &mut Lab, b: &mut Lab, weights: bool) -> (Vec<f64>, Vec<f32>) {
    let (head, states) = a.sync_out();
    let w = if weights { a.weights() } else { Vec::new() };
    b.sync_in(&head, &states, &w).unwrap();
    (head, states)
}

/// Everything the lab page reads from its Lab, as text (NaN compares equal to NaN).
fn views(l: &mut Lab) -> String {
    let mut v = vec![
        format!("{:?}", l.readouts()),
        format!("{:?}", l.loss_chart()),
        format!("{:?}", l.accuracy_chart()),
        format!("{:?}", l.flow_chart()),
        format!("{:?}", l.flow_heatmap()),
        format!("{:?}", l.clip_chart()),
        format!("{:?} {:?}", l.window_len(), l.window_chars()),
        format!("{:?}", l.flow_profile(0)),
        l.history_csv(),
        l.steps().to_string(),
        l.diverged().to_string(),
    ];
    let layers = l.info().model.layers as usize;
    for t in 0..l.window_len() {
        for layer in 0..layers {
            v.push(format!(
                "{:?}",
                l.step_columns(layer, t).map(|c| format!("{c:?}"))
            ));
            v.push(format!("{:?}", l.equations(layer, t, 1)));
        }
    }
    v.join("\n")
}

fn mirrors_through_training_and_a_rollback(hash: &str, text: &str) {
    let (mut a, mut b) = (lab(hash, text), lab(hash, text));
    sync(&mut a, &mut b, true);
    assert_eq!(views(&mut a), views(&mut b), "{hash}: before any step");
    for n in 0..12 {
        if n % 3 == 2 {
            a.step().unwrap();
        } else {
            a.train_for(7, 1e9, &still).unwrap();
        }
        sync(&mut a, &mut b, n != 3);
    }
    assert_eq!(a.weights(), b.weights());
    assert_eq!(views(&mut a), views(&mut b), "{hash}: after training");
    let back = a.rollback();
    assert_eq!(back, 50, "{hash}: the last snapshot");
    a.train_for(3, 1e9, &still).unwrap();
    sync(&mut a, &mut b, true);
    assert_eq!(views(&mut a), views(&mut b), "{hash}: after a roll-back");
    assert_eq!(
        a.connectivity("abcd?").map(|r| format!("{r:?}")).ok(),
        b.connectivity("abcd?").map(|r| format!("{r:?}")).ok()
    );
}

#[test]
fn a_copy_fed_sync_arrays_shows_the_trained_lab() {
    mirrors_through_training_and_a_rollback("#task-len=6&hidden=8", "");
    mirrors_through_training_and_a_rollback(
        "#task=adding&task-len=10&cell=gru&hidden=6&layers=2",
        "",
    );
    mirrors_through_training_and_a_rollback(
        "#task=text&cell=rnn&hidden=8&seq-len=12",
        "to be or not to be, that is the question "
            .repeat(20)
            .as_str(),
    );
}

#[test]
fn without_a_step_since_the_states_stay_empty_and_the_head_carries_nothing_new() {
    let (mut a, mut b) = (
        lab("#task-len=4&hidden=4", ""),
        lab("#task-len=4&hidden=4", ""),
    );
    assert!(a.sync_out().1.is_empty(), "no step yet");
    a.step().unwrap();
    sync(&mut a, &mut b, false);
    let (head, states) = a.sync_out();
    assert!(states.is_empty());
    assert_eq!(head, [1.0, a.run.cursor() as f64, 0.0, -1.0, 0.0, 0.0]);
}

#[test]
fn bad_sync_arrays_are_refused_and_change_nothing() {
    let (mut a, mut b) = (
        lab("#task-len=4&hidden=4", ""),
        lab("#task-len=4&hidden=4", ""),
    );
    a.train_for(5, 1e9, &still).unwrap();
    let before = views(&mut b);
    let (head, states) = a.sync_out();
    let wrong = [0.5; 3];
    for (h, s, w) in [
        (&head[..head.len() - 1], &states[..], &[][..]),
        (&head[..], &states[..states.len() - 1], &[][..]),
        (&head[..], &states[..], &wrong[..]),
        (&[1.0, 2.0][..], &[][..], &[][..]),
        (&head[..], &[7.0][..], &[][..]),
    ] {
        let e = b.sync_in(h, s, w).unwrap_err();
        assert!(
            matches!(e, Error::Data(_)) && e.to_string().contains("worker"),
            "{e}"
        );
        assert_eq!(views(&mut b), before);
    }
    b.sync_in(&head, &states, &a.weights()).unwrap();
    assert_eq!(views(&mut a), views(&mut b));
}
