//! The lab's state space, natively: the search spread over frames finds what the core's finder
//! finds on the same states, the chart draws every state and point, and models the page cannot
//! search are refused with a reason.

use super::*;
use crate::core::fixed::find;
use crate::web::Training;
use std::cell::Cell;

fn lab(hash: &str, text: &str) -> Lab {
    Lab::new(hash, text).unwrap()
}

/// A clock that moves on 1 ms each time it is read.
fn ticking() -> impl Fn() -> f64 {
    let t = Cell::new(0.0);
    move || {
        t.set(t.get() + 1.0);
        t.get()
    }
}

#[test]
fn a_trained_flipflop_searched_over_many_frames_gives_the_finders_points() {
    let mut l = lab(
        "task=flipflop&task-len=40&cell=gru&hidden=12&batch=16&lr=0.01&seed=3",
        "",
    );
    l.train_for(300, 1e9, &|| 0.0).unwrap();
    let mut s = LabStates::new(&l, 1).unwrap();
    let clock = ticking();
    let mut frames = 0;
    let report = loop {
        frames += 1;
        let r = s.advance(4.0, &clock);
        if r.finished {
            break r;
        }
        assert!(r.done < r.starts && r.stable == 0 && r.max_q.is_nan());
    };
    assert!(frames > 10, "spread over frames: {frames}");
    assert_eq!((report.done, report.starts, report.step), (64, 64, 300.0));
    assert!(report.stable >= 2, "{report:?}");
    assert!(report.max_q < 1e-9, "{report:?}");
    // The same states and seed through the core's finder in one call: the same points.
    let st = task_states(
        l.run.model(),
        crate::core::tasks::TaskKind::Flipflop,
        40,
        8,
        1,
    )
    .unwrap();
    let opts = Opts {
        seed: 1,
        ..Opts::default()
    };
    assert_eq!(s.points(), find(l.run.model(), &st.visited, opts).unwrap());
    let chart = s.chart();
    assert_eq!((chart.points.len(), chart.breaks.len()), (8 * 40, 7));
    assert_eq!(chart.groups.len(), 8, "the eight memories");
    assert_eq!(
        chart.fixed.len(),
        (report.stable + report.unstable) as usize
    );
    assert!(chart.fixed.iter().all(|f| f.at.0.is_finite()));
    // Episode 0's path: rows 0, 8, 16, … of the time-major states.
    assert_eq!(
        chart.points[1],
        (
            f64::from(s.projection.coords[16]),
            f64::from(s.projection.coords[17])
        )
    );
    // Training on does not touch the search's copy.
    l.train_for(5, 1e9, &|| 0.0).unwrap();
    assert_eq!(s.report(), report);
}

#[test]
fn a_text_model_is_searched_on_its_held_out_text() {
    let text = "the cat sat on the mat. ".repeat(200);
    let mut l = lab("task=text&cell=rnn&hidden=8&seq-len=20", &text);
    l.train_for(5, 1e9, &|| 0.0).unwrap();
    let mut s = LabStates::new(&l, 2).unwrap();
    let r = s.advance(1e9, &|| 0.0);
    assert!(r.finished);
    let chart = s.chart();
    assert!(chart.points.len() >= 2 && chart.breaks.is_empty());
    assert_eq!(chart.groups, ["visited states"]);
}

#[test]
fn a_state_too_big_for_the_page_is_refused_with_the_way_out() {
    let l = lab("task=flipflop&cell=lstm&hidden=129", "");
    let e = LabStates::new(&l, 1).err().unwrap().to_string();
    assert!(
        e.contains("258") && e.contains("256") && e.contains("rnnlab fixedpoints"),
        "{e}"
    );
    assert!(LabStates::new(&lab("task=flipflop&cell=lstm&hidden=128", ""), 1).is_ok());
}
