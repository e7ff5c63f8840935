//! The tables the pages download as CSV: the loss history of either page, the race's lanes and
//! the sweep's runs. One header line, then one line per row; every number written exactly (the
//! shortest text that reads back as the same `f32`, or as the same `f64` when it is not an
//! `f32`), a missing value as an empty field.

use super::lab::Point;
use super::playground::History;
use super::types::{Lane, SweepResult};

/// A number as the shortest text that reads back to it: as an `f32` when it is one (the losses
/// of a step are), else as an `f64`; `NaN`, `inf` and `-inf` as such.
pub fn number(v: f64) -> String {
    if v == f64::from(v as f32) {
        (v as f32).to_string()
    } else {
        v.to_string()
    }
}

/// A text field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One line: an optional text field, the numbers (`None` an empty field), an optional text
/// field. (One plain function for every table: the wasm holds it once.)
fn line(out: &mut String, first: Option<&str>, numbers: &[Option<f64>], last: Option<&str>) {
    let mut fields: Vec<String> = Vec::with_capacity(numbers.len() + 2);
    fields.extend(first.map(text));
    fields.extend(numbers.iter().map(|v| v.map_or(String::new(), number)));
    fields.extend(last.map(text));
    out.push_str(&fields.join(","));
    out.push('\n');
}

/// A document with the header line `header`.
fn csv(header: &str) -> String {
    format!("{header}\n")
}

/// The playground's history: one row per step with its loss and smoothed loss, and the
/// validation loss at the steps it was measured (a step measured but no longer in the kept
/// history gets a row of its own).
pub fn history(h: &History) -> String {
    let mut out = csv("step,loss,loss_smoothed,validation_loss");
    let mut val = h.val.iter().peekable();
    let alone = |out: &mut String, &(s, v): &(f64, f64)| {
        line(out, None, &[Some(s), None, None, Some(v)], None);
    };
    for (&(step, loss), &(_, smooth)) in h.train.iter().zip(&h.smooth) {
        while let Some(p) = val.next_if(|p| p.0 < step) {
            alone(&mut out, p);
        }
        let v = val.next_if(|p| p.0 == step).map(|p| p.1);
        line(
            &mut out,
            None,
            &[Some(step), Some(loss), Some(smooth), v],
            None,
        );
    }
    for p in val {
        alone(&mut out, p);
    }
    out
}

/// The lab's history: one row per step with its loss, its accuracy (when the task has one, raw
/// and smoothed) and its global gradient norm before and after clipping.
pub fn lab_history(points: &[Point]) -> String {
    let acc = points.iter().any(|p| p.acc.is_finite());
    let mut out = csv(if acc {
        "step,loss,loss_smoothed,accuracy,accuracy_smoothed,grad_norm,grad_norm_clipped"
    } else {
        "step,loss,loss_smoothed,grad_norm,grad_norm_clipped"
    });
    let finite = |v: f64| Some(v).filter(|v| v.is_finite());
    for p in points {
        let mut row = vec![Some(p.step), Some(p.loss), Some(p.loss_smooth)];
        if acc {
            row.extend([finite(p.acc), finite(p.acc_smooth)]);
        }
        row.extend([Some(p.grad_norm), Some(p.grad_norm_clipped)]);
        line(&mut out, None, &row, None);
    }
    out
}

/// The race's table: one row per lane, the columns the page shows (loss and accuracy smoothed,
/// the gradient's fall across the window and its shrink per step), and why a lane stopped.
pub fn race(lanes: &[Lane]) -> String {
    let mut out = csv("cell,hidden,parameters,step,loss_smoothed,accuracy_smoothed,gradient_fall,gradient_shrink,stopped");
    for l in lanes {
        let nums = [
            f64::from(l.hidden),
            l.params,
            l.step,
            l.loss,
            l.accuracy,
            l.fall,
            l.shrink,
        ];
        let stopped = l.stopped.as_deref().unwrap_or("");
        line(&mut out, Some(&l.label), &nums.map(Some), Some(stopped));
    }
    out
}

/// The sweep's finished runs: one row per cell and lag, with the success rate on fresh episodes
/// and the steps trained.
pub fn sweep(results: &[SweepResult]) -> String {
    let mut out = csv("cell,lag,success_rate,steps");
    for r in results {
        let nums = [Some(f64::from(r.lag)), Some(r.success), Some(r.steps)];
        line(&mut out, Some(&r.label), &nums, None);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_exactly_and_briefly() {
        for v in [0.1f32, 4.1743, 1e-30, 3.4028235e38, -2.5, 0.0] {
            let s = number(f64::from(v));
            assert_eq!(s.parse::<f32>().unwrap(), v, "{s}");
            assert!(s.len() <= 12 || v.abs() < 1e-4 || v.abs() > 1e9, "{s}");
        }
        for v in [0.1f64, 1.0 / 3.0, 4.174_300_000_000_001] {
            assert_eq!(number(v).parse::<f64>().unwrap(), v);
        }
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "inf");
        assert_eq!(number(1200.0), "1200");
    }

    #[test]
    fn text_fields_are_quoted_only_when_they_must_be() {
        assert_eq!(text("LSTM"), "LSTM");
        assert_eq!(text("RNN (tanh), 64"), "\"RNN (tanh), 64\"");
        assert_eq!(text("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn history_rows_merge_validation_by_step() {
        let mut h = History::default();
        for s in 1..=4 {
            h.push(s, 5.0 - s as f32 * 0.5);
        }
        h.push_val(2, 3.25);
        h.push_val(4, 2.75);
        let csv = history(&h);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "step,loss,loss_smoothed,validation_loss");
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[1], format!("1,4.5,{},", number(h.smooth[0].1)));
        assert!(lines[2].starts_with("2,4,") && lines[2].ends_with(",3.25"));
        assert!(lines[4].ends_with(",2.75"));
        // A validation loss at a step no longer in the raw history keeps a row of its own.
        h.push_val(5, 2.5);
        assert!(history(&h).ends_with("\n5,,,2.5\n"));
    }

    #[test]
    fn race_and_sweep_have_a_row_per_lane_and_run() {
        let lane = Lane {
            label: "RNN (tanh)".into(),
            cell: "rnn",
            nonlinearity: "tanh",
            colour: "#0072b2".into(),
            hidden: 64,
            params: 4545.0,
            step: 300.0,
            loss: f64::from(1.234_567_8f32),
            accuracy: 0.5,
            fall: 1e-7,
            shrink: f64::NAN,
            stopped: Some("diverged, at step 300".into()),
        };
        let csv = race(&[lane]);
        let row = csv.lines().nth(1).unwrap();
        assert_eq!(
            row,
            "RNN (tanh),64,4545,300,1.2345678,0.5,0.0000001,NaN,\"diverged, at step 300\""
        );
        let runs = [SweepResult {
            label: "GRU".into(),
            lag: 20,
            success: 0.97,
            steps: 640.0,
        }];
        assert_eq!(
            sweep(&runs),
            "cell,lag,success_rate,steps\nGRU,20,0.97,640\n"
        );
    }
}
