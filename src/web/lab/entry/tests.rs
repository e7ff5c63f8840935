//! Race and sweep entries: names parse to a cell and the settings of its remedies; a race of
//! remedies trains each lane with its own settings; bad names say what is expected.

use super::*;
use crate::web::lab::race::LabRace;
use crate::web::lab::sweep::LabSweep;

fn base() -> Config {
    Config::from_query_strict("task=copy&task-len=12&cell=rnn&hidden=8&batch=4&clip=0&seed=2")
        .unwrap()
}

#[test]
fn an_entry_is_its_cell_with_the_settings_of_its_remedies() {
    let b = base();
    let plain = Entry::parse("rnn", Activation::Relu).unwrap();
    assert_eq!(
        plain.cell,
        CellKind::Rnn(Activation::Relu),
        "rnn takes the base's"
    );
    assert!(plain.plain());
    assert_eq!(plain.config(&b).unwrap().pairs(), {
        let mut c = b.clone();
        c.set_cell(CellKind::Rnn(Activation::Relu));
        c.pairs()
    });
    let e = Entry::parse(" rnn-tanh + clip+orthogonal ", Activation::Relu).unwrap();
    assert_eq!(e.label(), "RNN (tanh) + clipping + orthogonal init");
    let c = e.config(&b).unwrap();
    assert_eq!((c.clip, c.init.name(), c.gain), (1.0, "orthogonal", 1.0));
    let c = Entry::parse("lstm+chrono", Activation::Tanh)
        .unwrap()
        .config(&b)
        .unwrap();
    assert_eq!(c.chrono, 12, "chrono's T_max is the task's lag");
    let c = Entry::parse("gru+chrono", Activation::Tanh).unwrap();
    assert_eq!(c.label(), "GRU + chrono init");
    let c = Entry::parse("rnn+residual", Activation::Tanh)
        .unwrap()
        .config(&b)
        .unwrap();
    assert_eq!(
        (c.residual.name(), c.init.name(), c.gain),
        ("time", "identity", 0.0)
    );
    let c = Entry::parse("rnn+attention", Activation::Tanh)
        .unwrap()
        .config(&b)
        .unwrap();
    assert_eq!(c.attention.name(), "dot");
    let e = Entry::parse("lstm+residual", Activation::Tanh).unwrap();
    let e = e.config(&b).unwrap_err().to_string();
    assert!(e.contains("residual"), "{e}");
    for (bad, says) in [
        ("banana", "expected rnn"),
        ("rnn+banana", "unknown remedy `banana`"),
        ("", "expected rnn"),
    ] {
        let e = Entry::parse(bad, Activation::Tanh).unwrap_err().to_string();
        assert!(e.contains("cells") && e.contains(says), "{bad}: {e}");
    }
    let e = Entry::parse("rnn+chrono", Activation::Tanh).unwrap();
    let e = e.config(&b).unwrap_err().to_string();
    assert!(e.contains("chrono") && e.contains("LSTM or a GRU"), "{e}");
}

#[test]
fn every_offered_remedy_entry_makes_a_valid_lane() {
    let offered = remedy_entries();
    assert!(
        offered.contains(&"rnn+clip".to_string()) && offered.contains(&"lstm+chrono".to_string())
    );
    for name in offered {
        let e = Entry::parse(&name, Activation::Tanh).unwrap();
        assert!(!e.plain() && e.config(&base()).is_ok(), "{name}");
    }
}

#[test]
fn a_race_of_remedies_trains_each_lane_with_its_own_settings_and_colour() {
    let q = base().to_query();
    let cells = "rnn,rnn+clip,rnn+orthogonal,rnn+residual,rnn+attention,lstm,lstm+chrono,gru";
    let mut race = LabRace::new(&q, "", cells, false).unwrap();
    race.train_for(3, 1e9, &|| 0.0);
    let lanes = race.lanes();
    assert_eq!(lanes.len(), 8);
    assert_eq!(lanes[1].label, "RNN (tanh) + clipping");
    assert!(lanes.iter().all(|l| l.step == 3.0));
    let mut colours: Vec<&str> = lanes.iter().map(|l| l.colour.as_str()).collect();
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), 8, "one colour per lane when cells repeat");
    // The same lane alone: the same losses (each lane is its entry's own run).
    let mut alone = LabRace::new(&q, "", "rnn+clip", false).unwrap();
    alone.train_for(3, 1e9, &|| 0.0);
    assert_eq!(alone.lanes()[0].loss, lanes[1].loss);
    assert_ne!(
        lanes[0].loss, lanes[2].loss,
        "orthogonal init changes the run"
    );
    let nine = [cells, "gru,rnn,lstm"].join(",");
    let e = LabRace::new(&q, "", &nine, false)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("1 to 8"), "{e}");
    // A sweep takes the same entries: one line each.
    let sweep = LabSweep::new(&q, "rnn,rnn+clip", "3,4", 10).unwrap();
    let names: Vec<String> = sweep
        .chart()
        .series
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(names, ["RNN (tanh)", "RNN (tanh) + clipping"]);
}
