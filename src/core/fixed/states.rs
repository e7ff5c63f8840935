//! The states a network visits on fresh episodes of its task: where the fixed-point finder
//! starts, and the trajectories the state-space view draws the points over.

use super::visited;
use crate::core::data::{Source, WindowInput, WindowTarget};
use crate::core::error::Result;
use crate::core::model::{Input, Model, State};
use crate::core::tasks::{Task, TaskKind};

/// The top layer's states over a few episodes, time-major (step `t`, episode `b` at row
/// `t·B + b`), each with the group it is drawn in.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskStates {
    /// Full states `[h; c]` (c for an LSTM), one per row: the finder's starting points.
    pub visited: Vec<Vec<f32>>,
    /// `h` of every row, `[rows·H]`: what the trajectories plot.
    pub h: Vec<f32>,
    /// Row `r`'s group, an index into `groups`.
    pub group: Vec<usize>,
    /// Group names. For the flip-flop, the eight memories (the signs the outputs should hold,
    /// channel 1 first); for other tasks one group.
    pub groups: Vec<String>,
    /// Steps per episode.
    pub steps: usize,
    pub episodes: usize,
}

/// Runs `model` over `episodes` fresh episodes of task `kind` (length `len`), seeded by
/// `seed`, from a zero state.
pub fn task_states(
    model: &Model,
    kind: TaskKind,
    len: usize,
    episodes: usize,
    seed: u64,
) -> Result<TaskStates> {
    let mut task = Task::new(kind, len, episodes, seed)?;
    let w = task.next_window();
    let input = match &w.input {
        WindowInput::Tokens(t) => Input::Tokens(t),
        WindowInput::Real(x) => Input::Real(x),
    };
    let tr = model.forward(input, episodes, &State::zeros(&model.spec, episodes))?;
    let visited = visited(&tr, model.spec.hidden);
    let h = tr
        .layers
        .last()
        .map_or(Vec::new(), |l| l.outputs().to_vec());
    let (group, groups) = match (&w.target, kind) {
        (WindowTarget::Real { y, .. }, TaskKind::Flipflop) => memories(y, visited.len()),
        _ => (vec![0; visited.len()], vec!["visited states".to_string()]),
    };
    Ok(TaskStates {
        visited,
        h,
        group,
        groups,
        steps: tr.steps_t,
        episodes,
    })
}

/// Runs `model` over the token ids `ids` (one stream from a zero state): a character model's
/// states on a text, in one group.
pub fn token_states(model: &Model, ids: &[u32]) -> Result<TaskStates> {
    let tr = model.forward(Input::Tokens(ids), 1, &State::zeros(&model.spec, 1))?;
    let visited = visited(&tr, model.spec.hidden);
    Ok(TaskStates {
        h: tr
            .layers
            .last()
            .map_or(Vec::new(), |l| l.outputs().to_vec()),
        group: vec![0; visited.len()],
        groups: vec!["visited states".to_string()],
        visited,
        steps: tr.steps_t,
        episodes: 1,
    })
}

/// The flip-flop's memory at each row: the signs its three targets hold, as a group index
/// (`+` is bit 0 of channel 3, … so `+++` is 7) and the eight names.
fn memories(y: &[f32], rows: usize) -> (Vec<usize>, Vec<String>) {
    let outputs = y.len() / rows.max(1);
    let group = (y.chunks_exact(outputs.max(1)))
        .map(|r| r.iter().fold(0, |g, &v| 2 * g + usize::from(v > 0.0)))
        .collect();
    let groups = (0..1usize << outputs)
        .map(|g| {
            (0..outputs)
                .map(|k| match (g >> (outputs - 1 - k)) & 1 {
                    1 => '+',
                    _ => '−',
                })
                .collect()
        })
        .collect();
    (group, groups)
}
