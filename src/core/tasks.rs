//! Synthetic long-memory tasks: seeded generators of independent episodes (the hidden state
//! starts from zero in every window), each with its success metric and its chance baseline.
//!
//! - **copy** (delayed recall): a symbol from `abcd`, then `lag − 1` random distractors from `wxyz`,
//!   then the cue `?`; the target at the cue is the first symbol. Chance: 1/4. (With constant
//!   blanks instead of distractors even a tanh RNN latches the symbol easily; the distractors
//!   keep kicking its state, as in Hochreiter & Schmidhuber's noisy variants.)
//! - **adding** (Hochreiter & Schmidhuber 1997): pairs (value ∈ [0,1), marker ∈ {0,1}); two pairs are
//!   marked (one in the first tenth, one in the first half); the target at the last step is the
//!   sum of the two marked values. MSE; success = |error| < 0.04. Baseline: always answer 1.0.
//! - **order** (H&S 1997 temporal order, 4 classes): random distractors from `abcd`, start `E` and end
//!   `B` markers, and two symbols X/Y at far-apart positions; the class at the end is XX→Q, XY→R,
//!   YX→S, YY→U. Chance: 1/4.
//! - **sine**: a sine wave with a random phase per episode and a period of 10–30 steps; predict the
//!   next value at every step (MSE). Baseline: repeat the current value.
//! - **flipflop** (the 3-bit flip-flop of Sussillo & Barak 2013): three input channels, each with a
//!   ±1 pulse at a step with probability [`FLIP_P`], and a pulse on every channel at the first
//!   step; output k holds the sign of channel k's last pulse. MSE at every step; success = all
//!   three within the tolerance. Baseline: always 0. A trained network stores the 8 memories as
//!   8 stable fixed points.

use super::data::{Source, Window, WindowInput, WindowTarget};
use super::error::{Error, Result};
use super::loss::IGNORE;
use super::model::LossKind;
use super::rng::Rng;

super::settings::choice! {
    /// The setting `task`: what to learn, the text or a synthetic task.
    pub enum TaskType {
        Text = "text", Copy = "copy", Adding = "adding", Order = "order", Sine = "sine",
        Flipflop = "flipflop",
    }
}

impl TaskType {
    /// Whether the inputs are symbols (text, copy, order), not real numbers.
    pub fn symbols(self) -> bool {
        matches!(self, TaskType::Text | TaskType::Copy | TaskType::Order)
    }

    /// What the task asks of the model, in a sentence or two (for a page's description).
    pub fn about(self) -> &'static str {
        match self {
            TaskType::Text => "The text, one character at a time: predict the next character. The sequence length sets the training window.",
            TaskType::Copy => "A symbol from abcd, then lag − 1 distractors from wxyz, then “?”: name the symbol. Chance 25%.",
            TaskType::Adding => "Random numbers, two of them marked: output their sum at the end. Success = within 0.04.",
            TaskType::Order => "Two X/Y symbols hidden among distractors: name their order (XX, XY, YX, YY) at the end. Chance 25%.",
            TaskType::Sine => "A sine wave with a random phase and period: predict the next value at every step.",
            TaskType::Flipflop => "Three channels carry occasional +1 or −1 pulses: each output holds the sign of its channel's last pulse. Success = all three within 0.04.",
        }
    }

    /// The synthetic task (`None` for text).
    pub fn synthetic(self) -> Option<TaskKind> {
        match self {
            TaskType::Text => None,
            TaskType::Copy => Some(TaskKind::Copy),
            TaskType::Adding => Some(TaskKind::Adding),
            TaskType::Order => Some(TaskKind::Order),
            TaskType::Sine => Some(TaskKind::Sine),
            TaskType::Flipflop => Some(TaskKind::Flipflop),
        }
    }
}

/// Which synthetic task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    Copy,
    Adding,
    Order,
    Sine,
    Flipflop,
}

/// The flip-flop's chance of a pulse on a channel at a step.
pub const FLIP_P: f32 = 0.05;

impl TaskKind {
    /// The shortest lag (copy) or sequence (the others) the task is defined for.
    pub fn min_len(self) -> usize {
        match self {
            TaskKind::Copy => 1,
            TaskKind::Adding | TaskKind::Order => 10,
            TaskKind::Sine | TaskKind::Flipflop => 2,
        }
    }
}

/// A task's shape and its baselines, for building a model and drawing reference lines.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskInfo {
    pub kind: TaskKind,
    /// Steps per episode (the window length T).
    pub steps: usize,
    pub loss: LossKind,
    /// Symbols for token tasks (input and output vocabulary); empty for real-valued tasks.
    pub vocab: Vec<char>,
    pub input_size: usize,
    pub output_size: usize,
    /// Loss of the chance/memoryless baseline (nats for token tasks, MSE for real ones).
    pub baseline_loss: f64,
    /// Accuracy (success rate) of that baseline.
    pub baseline_accuracy: f64,
    pub baseline_name: &'static str,
}

/// Largest lag or length a task accepts.
pub const MAX_TASK_LEN: usize = 1000;

/// Episodes of one task, `batch` at a time.
#[derive(Clone, Debug)]
pub struct Task {
    pub info: TaskInfo,
    batch: usize,
    rng: Rng,
    seed: u64,
    episodes: usize,
}

impl TaskInfo {
    /// The shape and baselines of `kind` at `len` (the sine's baselines are measured from data
    /// by [`Task::new`]).
    fn of(kind: TaskKind, len: usize) -> Self {
        match kind {
            TaskKind::Copy => TaskInfo {
                kind,
                steps: len + 1,
                loss: LossKind::CrossEntropy,
                vocab: "?abcdwxyz".chars().collect(),
                input_size: 9,
                output_size: 9,
                baseline_loss: 4f64.ln(),
                baseline_accuracy: 0.25,
                baseline_name: "chance (1 of 4)",
            },
            TaskKind::Order => TaskInfo {
                kind,
                steps: len,
                loss: LossKind::CrossEntropy,
                vocab: "BEQRSUXYabcd".chars().collect(),
                input_size: 12,
                output_size: 12,
                baseline_loss: 4f64.ln(),
                baseline_accuracy: 0.25,
                baseline_name: "chance (1 of 4)",
            },
            // Sum of two U(0,1): mean 1, variance 1/6; its P(|s−1| < 0.04) ≈ 0.078.
            TaskKind::Adding => TaskInfo {
                kind,
                steps: len,
                loss: LossKind::Mse,
                vocab: vec![],
                input_size: 2,
                output_size: 1,
                baseline_loss: 1.0 / 6.0,
                baseline_accuracy: 0.0784,
                baseline_name: "always 1.0",
            },
            TaskKind::Sine => TaskInfo {
                kind,
                steps: len,
                loss: LossKind::Mse,
                vocab: vec![],
                input_size: 1,
                output_size: 1,
                baseline_loss: f64::NAN, // measured from data below
                baseline_accuracy: f64::NAN,
                baseline_name: "repeat the last value",
            },
            TaskKind::Flipflop => TaskInfo {
                kind,
                steps: len,
                loss: LossKind::Mse,
                vocab: vec![],
                input_size: 3,
                output_size: 3,
                baseline_loss: f64::NAN, // measured from data below
                baseline_accuracy: f64::NAN,
                baseline_name: "always 0",
            },
        }
    }
}

impl Task {
    /// `len` is the lag (copy) or the sequence length (others).
    pub fn new(kind: TaskKind, len: usize, batch: usize, seed: u64) -> Result<Self> {
        let min = kind.min_len();
        if len < min || len > MAX_TASK_LEN {
            return Err(Error::config(
                "task-len",
                len,
                format!("this task needs {min}..={MAX_TASK_LEN}"),
            ));
        }
        if batch == 0 {
            return Err(Error::config("batch", 0, "must be at least 1"));
        }
        let mut t = Task {
            info: TaskInfo::of(kind, len),
            batch,
            rng: Rng::new(seed ^ 0x7a5c_0000),
            seed,
            episodes: 0,
        };
        if matches!(kind, TaskKind::Sine | TaskKind::Flipflop) {
            let (l, a) = t.measured_baseline();
            t.info.baseline_loss = l;
            t.info.baseline_accuracy = a;
        }
        Ok(t)
    }

    /// Episodes generated so far.
    pub fn episodes(&self) -> usize {
        self.episodes
    }

    /// The baseline's MSE and success rate over 64 windows of other episodes: the sine's repeats
    /// the current value, the flip-flop's answers 0.
    fn measured_baseline(&self) -> (f64, f64) {
        let mut probe = Task {
            rng: Rng::new(self.seed ^ 0xba5e),
            episodes: 0,
            ..self.clone()
        };
        let o = self.info.output_size;
        let (mut se, mut ok, mut n) = (0.0f64, 0usize, 0usize);
        for _ in 0..64 {
            let w = probe.next_window();
            if let (WindowInput::Real(x), WindowTarget::Real { y, .. }) = (w.input, w.target) {
                for (r, want) in y.chunks_exact(o).enumerate() {
                    let guess = match self.info.kind {
                        TaskKind::Sine => x[r],
                        _ => 0.0,
                    };
                    let errs: Vec<f64> = want.iter().map(|w| (guess - w) as f64).collect();
                    se += errs.iter().map(|e| e * e).sum::<f64>() / o as f64;
                    ok += usize::from(errs.iter().all(|e| e.abs() < 0.04));
                    n += 1;
                }
            }
        }
        (se / n as f64, ok as f64 / n as f64)
    }

    fn id(&self, c: char) -> u32 {
        self.info
            .vocab
            .iter()
            .position(|&v| v == c)
            .expect("task symbol") as u32
    }

    fn copy_episode(&mut self, inputs: &mut [u32], targets: &mut [u32], b: usize) {
        let (t, bs) = (self.info.steps, self.batch);
        let sym = ['a', 'b', 'c', 'd'][self.rng.below(4)];
        for i in 0..t {
            let c = if i == 0 {
                sym
            } else if i == t - 1 {
                '?'
            } else {
                ['w', 'x', 'y', 'z'][self.rng.below(4)]
            };
            inputs[i * bs + b] = self.id(c);
            targets[i * bs + b] = if i == t - 1 { self.id(sym) } else { IGNORE };
        }
    }

    fn order_episode(&mut self, inputs: &mut [u32], targets: &mut [u32], b: usize) {
        let (t, bs) = (self.info.steps, self.batch);
        let lo1 = (t / 10).max(1);
        let p1 = lo1 + self.rng.below((t / 10).max(1));
        let lo2 = (t / 2).max(p1 + 1);
        let p2 = (lo2 + self.rng.below((t / 10).max(1))).min(t - 2);
        let (x1, x2) = (self.rng.below(2), self.rng.below(2));
        let class = ['Q', 'R', 'S', 'U'][x1 * 2 + x2];
        for i in 0..t {
            let c = match i {
                0 => 'E',
                _ if i == t - 1 => 'B',
                _ if i == p1 => ['X', 'Y'][x1],
                _ if i == p2 => ['X', 'Y'][x2],
                _ => ['a', 'b', 'c', 'd'][self.rng.below(4)],
            };
            inputs[i * bs + b] = self.id(c);
            targets[i * bs + b] = if i == t - 1 { self.id(class) } else { IGNORE };
        }
    }

    fn adding_episode(&mut self, x: &mut [f32], y: &mut [f32], b: usize) {
        let (t, bs) = (self.info.steps, self.batch);
        let p1 = self.rng.below((t / 10).max(1));
        let mut p2 = self.rng.below(t / 2);
        if p2 == p1 {
            p2 = (p1 + 1) % (t / 2);
        }
        let mut sum = 0.0;
        for i in 0..t {
            let v = self.rng.uniform();
            let m = if i == p1 || i == p2 { 1.0 } else { 0.0 };
            sum += v * m;
            x[(i * bs + b) * 2] = v;
            x[(i * bs + b) * 2 + 1] = m;
        }
        y[(t - 1) * bs + b] = sum;
    }

    fn flipflop_episode(&mut self, x: &mut [f32], y: &mut [f32], b: usize) {
        let (t, bs) = (self.info.steps, self.batch);
        let mut held = [0.0f32; 3];
        for i in 0..t {
            let row = (i * bs + b) * 3;
            for (k, h) in held.iter_mut().enumerate() {
                // The first step pulses every channel, so an output always has a sign to hold.
                if i == 0 || self.rng.uniform() < FLIP_P {
                    let sign = if self.rng.below(2) == 0 { -1.0 } else { 1.0 };
                    x[row + k] = sign;
                    *h = sign;
                }
                y[row + k] = *h;
            }
        }
    }

    fn sine_episode(&mut self, x: &mut [f32], y: &mut [f32], b: usize) {
        let (t, bs) = (self.info.steps, self.batch);
        let period = 10.0 + 20.0 * self.rng.uniform_f64();
        let phase = std::f64::consts::TAU * self.rng.uniform_f64();
        let w = std::f64::consts::TAU / period;
        for i in 0..t {
            x[i * bs + b] = libm::sin(w * i as f64 + phase) as f32;
            y[i * bs + b] = libm::sin(w * (i + 1) as f64 + phase) as f32;
        }
    }
}

impl Source for Task {
    fn batch(&self) -> usize {
        self.batch
    }

    fn next_window(&mut self) -> Window {
        let (t, bs) = (self.info.steps, self.batch);
        self.episodes += bs;
        match self.info.kind {
            TaskKind::Copy | TaskKind::Order => {
                let mut inputs = vec![0; t * bs];
                let mut targets = vec![IGNORE; t * bs];
                for b in 0..bs {
                    if self.info.kind == TaskKind::Copy {
                        self.copy_episode(&mut inputs, &mut targets, b);
                    } else {
                        self.order_episode(&mut inputs, &mut targets, b);
                    }
                }
                Window {
                    input: WindowInput::Tokens(inputs),
                    target: WindowTarget::Tokens(targets),
                    reset: true,
                }
            }
            TaskKind::Adding | TaskKind::Sine | TaskKind::Flipflop => {
                let (isz, osz) = (self.info.input_size, self.info.output_size);
                let mut x = vec![0.0; t * bs * isz];
                let mut y = vec![0.0; t * bs * osz];
                for b in 0..bs {
                    match self.info.kind {
                        TaskKind::Adding => self.adding_episode(&mut x, &mut y, b),
                        TaskKind::Sine => self.sine_episode(&mut x, &mut y, b),
                        _ => self.flipflop_episode(&mut x, &mut y, b),
                    }
                }
                let mask = (0..t)
                    .map(|i| self.info.kind != TaskKind::Adding || i == t - 1)
                    .collect();
                Window {
                    input: WindowInput::Real(x),
                    target: WindowTarget::Real { y, mask },
                    reset: true,
                }
            }
        }
    }

    fn cursor(&self) -> usize {
        self.episodes
    }

    /// Episodes are independent draws: restoring a cursor replays the generator from the seed.
    fn set_cursor(&mut self, c: usize) {
        self.rng = Rng::new(self.seed ^ 0x7a5c_0000);
        self.episodes = 0;
        while self.episodes < c {
            self.next_window();
        }
    }
}

/// The latch: one unit `h_t = tanh(w·h_{t−1} + x_t)`. Returns `h_t` for every input and
/// `∂h_T/∂h_t` (the product of `w·(1 − h²)` from t+1 to T), which shows contraction (|w| < 1 or
/// saturated units) against memory (|w| > 1 near the fixed points).
pub fn latch(w: f32, h0: f32, inputs: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let mut h = Vec::with_capacity(inputs.len());
    let mut prev = h0;
    for &x in inputs {
        prev = libm::tanhf(w * prev + x);
        h.push(prev);
    }
    let mut d = vec![0.0; h.len()];
    let mut acc = 1.0f32;
    for t in (0..h.len()).rev() {
        d[t] = acc;
        acc *= w * (1.0 - h[t] * h[t]);
    }
    (h, d)
}
