//! How much training on the page's own thread may ask: the lab's race and sweep and the Series
//! page train there, a few ms per frame, and a step cannot be cut short, so one step of a big
//! model would freeze the page for as long as it takes. Their models are sized up front, before
//! any is built, and refused beyond what the page trains between frames. (The playground's and
//! the lab's main models train in the page's worker and may be larger.)

use crate::core::config::Config;
use crate::core::error::{Error, Result};
use crate::core::tasks::TaskType;

/// Most multiply-adds one round of a race, or one step of a sweep, may take: about 100 ms in
/// wasm on a 2-core laptop (the LSTM H=128, B=32, T=25 bench step, ≈ 3.2·10⁸ by this count,
/// takes ≈ 23 ms). Every lesson's race is below a fifth of it.
pub const MAX_ROUND_MACS: f64 = 1.4e9;

/// Multiply-adds of one training step of `c`'s model, forward and backward, estimated from
/// its sizes (each layer's input taken as wide as its state).
pub fn step_macs(c: &Config) -> Result<f64> {
    let gates = c.cell_kind()?.cell().gates() as f64;
    let h = c.hidden as f64;
    let window = match c.task {
        TaskType::Text => c.seq_len,
        _ => c.task_len + 1,
    } as f64;
    Ok(3.0 * gates * h * 2.0 * h * c.layers as f64 * c.batch as f64 * window)
}

/// Refuses `configs` when one step of each together would take more than the page trains
/// between frames; `what` names it ("a race round"), `way_out` ends the message.
pub fn check_round(configs: &[Config], what: &str, way_out: &str) -> Result<()> {
    let macs: f64 = configs.iter().map(step_macs).sum::<Result<f64>>()?;
    if macs <= MAX_ROUND_MACS {
        return Ok(());
    }
    let c = &configs[0];
    let why = format!(
        "{what} of this size is about {:.0} million multiply-adds, more than the page trains \
         between frames ({:.0} million): lower hidden ({}), layers ({}) or batch ({}){way_out}",
        macs / 1e6,
        MAX_ROUND_MACS / 1e6,
        c.hidden,
        c.layers,
        c.batch
    );
    Err(Error::config("hidden", c.hidden, why))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_race_is_refused_naming_the_sizes_and_a_small_one_passes() {
        let small = Config {
            hidden: 32,
            ..Config::default()
        };
        assert!(check_round(
            &[small.clone(), small.clone(), small.clone()],
            "a race round",
            ""
        )
        .is_ok());
        let big = Config {
            hidden: 1024,
            layers: 4,
            ..small
        };
        let e = check_round(&[big], "a race round", ", or else")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("hidden (1024), layers (4)") && e.contains("million"),
            "{e}"
        );
    }
}
