//! Shards run by another copy of the model (a browser's gradient worker): a shard's task and
//! result as plain words (`u32`; floats by their bits), and the [`Replica`] that runs a task
//! with the weights it is given. It runs the same [`Job::run`] on the same numbers, so its
//! result has the bits the shard would have had where the step began.

use super::data::{Window, WindowInput, WindowTarget};
use super::diag::BatchDiag;
use super::error::{Error, Result};
use super::model::{Model, ModelSpec, Params, State};
use super::shards::{Job, Shard};

/// First word of a task, and of a result (a mixed-up message is an error, not wrong numbers).
const TASK: u32 = 0x7461_736b;
const RESULT: u32 = 0x7265_7375;

/// Words, written in order with their lengths where they vary.
#[derive(Default)]
struct Writer(Vec<u32>);

impl Writer {
    fn word(&mut self, w: usize) {
        self.0.push(w as u32);
    }

    fn words(&mut self, v: &[u32]) {
        self.word(v.len());
        self.0.extend_from_slice(v);
    }

    fn floats(&mut self, v: &[f32]) {
        self.word(v.len());
        self.0.extend(v.iter().map(|x| x.to_bits()));
    }

    fn rows(&mut self, v: &[Vec<f32>]) {
        self.word(v.len());
        v.iter().for_each(|r| self.floats(r));
    }
}

/// Words read back in the order written.
struct Reader<'a>(&'a [u32]);

fn cut() -> Error {
    Error::Data("a gradient worker's message is cut short or mixed up".into())
}

impl Reader<'_> {
    fn word(&mut self) -> Result<usize> {
        let (w, rest) = self.0.split_first().ok_or_else(cut)?;
        self.0 = rest;
        Ok(*w as usize)
    }

    fn words(&mut self) -> Result<&[u32]> {
        let n = self.word()?;
        if n > self.0.len() {
            return Err(cut());
        }
        let (v, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(v)
    }

    fn floats_into(&mut self, out: &mut Vec<f32>) -> Result<()> {
        let v = self.words()?;
        out.clear();
        out.extend(v.iter().map(|w| f32::from_bits(*w)));
        Ok(())
    }

    fn rows_into(&mut self, out: &mut Vec<Vec<f32>>) -> Result<()> {
        let n = self.word()?;
        if n > self.0.len() {
            return Err(cut());
        }
        out.resize_with(n, Vec::new);
        out.iter_mut().try_for_each(|r| self.floats_into(r))
    }
}

/// The `b` shard streams `w` and `state` with the batch's denominators `n`, `last_n`, as words.
pub fn encode_task(
    w: &Window,
    state: &State,
    b: usize,
    n: usize,
    last_n: Option<usize>,
) -> Vec<u32> {
    let mut o = Writer::default();
    o.word(TASK as usize);
    o.word(b);
    o.word(n);
    o.word(last_n.map_or(0, |n| n + 1));
    o.word(usize::from(w.reset));
    match &w.input {
        WindowInput::Tokens(t) => {
            o.word(0);
            o.words(t);
        }
        WindowInput::Real(x) => {
            o.word(1);
            o.floats(x);
        }
    }
    match &w.target {
        WindowTarget::Tokens(t) => {
            o.word(0);
            o.words(t);
        }
        WindowTarget::Real { y, mask } => {
            o.word(1);
            o.floats(y);
            o.words(&mask.iter().map(|m| u32::from(*m)).collect::<Vec<_>>());
        }
    }
    o.rows(&state.h);
    o.rows(&state.c);
    o.0
}

/// Reads a task into `w` and `state`; returns its streams and denominators.
fn decode_task(
    v: &[u32],
    w: &mut Window,
    state: &mut State,
) -> Result<(usize, usize, Option<usize>)> {
    let mut r = Reader(v);
    if r.word()? != TASK as usize {
        return Err(cut());
    }
    let (b, n, last_n) = (r.word()?, r.word()?, r.word()?.checked_sub(1));
    w.reset = r.word()? == 1;
    w.input = match r.word()? {
        0 => WindowInput::Tokens(r.words()?.to_vec()),
        _ => {
            let mut x = Vec::new();
            r.floats_into(&mut x)?;
            WindowInput::Real(x)
        }
    };
    w.target = match r.word()? {
        0 => WindowTarget::Tokens(r.words()?.to_vec()),
        _ => {
            let mut y = Vec::new();
            r.floats_into(&mut y)?;
            let mask = r.words()?.iter().map(|m| *m == 1).collect();
            WindowTarget::Real { y, mask }
        }
    };
    r.rows_into(&mut state.h)?;
    r.rows_into(&mut state.c)?;
    Ok((b, n, last_n))
}

/// What shard `sh` found (its gradient, loss, hits, end state and diagnostics), as words into
/// `out`, reusing its buffer (a replica writes one every step); a forward pass that failed says
/// only that (the trainer then runs the shard itself, to give the same error).
fn encode_result_into(sh: &Shard, out: &mut Vec<u32>) {
    out.clear();
    let mut o = Writer(std::mem::take(out));
    encode_result_words(sh, &mut o);
    *out = o.0;
}

/// [`encode_result_into`]'s words.
fn encode_result_words(sh: &Shard, o: &mut Writer) {
    o.word(RESULT as usize);
    o.word(usize::from(sh.error.is_some()));
    if sh.error.is_some() {
        return;
    }
    let bits = sh.loss_sum.to_bits();
    o.word((bits >> 32) as usize);
    o.word(bits as u32 as usize);
    o.word(sh.hits.0);
    o.word(sh.hits.1);
    // The gradient straight from its tensors into one buffer of the right size.
    let g = sh.grads.as_ref().map(|g| g.slices()).unwrap_or_default();
    let n = g.iter().map(|s| s.len()).sum::<usize>();
    o.0.reserve(n + 1 + 2 * sh.end.h.iter().map(Vec::len).sum::<usize>());
    o.word(n);
    for s in g {
        o.0.extend(s.iter().map(|x| x.to_bits()));
    }
    o.rows(&sh.end.h);
    o.rows(&sh.end.c);
    o.word(usize::from(sh.diag.is_some()));
    if let Some(d) = &sh.diag {
        o.rows(&d.dh_total);
        o.rows(&d.dh_last);
        let sat: Vec<u32> = d
            .saturation
            .iter()
            .flat_map(|&(a, b)| [a as u32, b as u32])
            .collect();
        o.words(&sat);
    }
}

/// Reads a result into `sh` (whose gradient buffer, if any, is zero); returns false when the
/// shard failed and must run where the step began.
pub fn decode_result(v: &[u32], spec: &ModelSpec, sh: &mut Shard) -> Result<bool> {
    let mut r = Reader(v);
    if r.word()? != RESULT as usize {
        return Err(cut());
    }
    if r.word()? == 1 {
        return Ok(false);
    }
    let bits = ((r.word()? as u64) << 32) | r.word()? as u64;
    sh.loss_sum = f64::from_bits(bits);
    sh.hits = (r.word()?, r.word()?);
    let g = r.words()?;
    let grads = sh.grads.get_or_insert_with(|| Params::zeros(spec));
    if g.len() != grads.slices().iter().map(|s| s.len()).sum::<usize>() {
        return Err(cut());
    }
    let mut g = g.iter();
    for s in grads.slices_mut() {
        s.iter_mut()
            .zip(&mut g)
            .for_each(|(x, w)| *x = f32::from_bits(*w));
    }
    r.rows_into(&mut sh.end.h)?;
    r.rows_into(&mut sh.end.c)?;
    sh.diag = match r.word()? {
        0 => None,
        _ => {
            let mut d = BatchDiag::default();
            r.rows_into(&mut d.dh_total)?;
            r.rows_into(&mut d.dh_last)?;
            let sat = r.words()?;
            d.saturation = sat
                .chunks_exact(2)
                .map(|p| (p[0] as usize, p[1] as usize))
                .collect();
            Some(d)
        }
    };
    sh.error = None;
    sh.ran = true;
    Ok(true)
}

/// A copy of a model that runs shards of another's steps, with the weights each task brings.
pub struct Replica {
    model: Model,
    shard: Shard,
    window: Window,
    state: State,
    /// The latest task's result, its buffer kept from step to step.
    result: Vec<u32>,
}

impl Replica {
    /// A replica of `model` (its weights are replaced by every task's).
    pub fn new(model: Model) -> Self {
        let w = Window {
            input: WindowInput::Tokens(Vec::new()),
            target: WindowTarget::Tokens(Vec::new()),
            reset: false,
        };
        Replica {
            model,
            shard: Shard::default(),
            window: w,
            state: State::default(),
            result: Vec::new(),
        }
    }

    /// Runs a shard's `task` ([`super::Trainer::shard_task`]) with `weights` (every tensor, in
    /// [`Params::slices`] order); the result is for [`super::Trainer::put_shard`].
    pub fn run(&mut self, weights: &[f32], task: &[u32]) -> Result<Vec<u32>> {
        self.check_weights(weights.len())?;
        let mut rest = weights;
        for s in self.weights_mut() {
            let (w, tail) = rest.split_at(s.len());
            s.copy_from_slice(w);
            rest = tail;
        }
        self.run_task(task).map(<[u32]>::to_vec)
    }

    /// Whether `n` weights fit the model (an error names both counts).
    pub fn check_weights(&self, n: usize) -> Result<()> {
        let want = self.model.spec.param_count();
        if n == want {
            return Ok(());
        }
        Err(Error::shape(
            "gradient worker weights",
            format!("{want} weights"),
            format!("{n}"),
        ))
    }

    /// Its weights, every tensor in [`Params::slices`] order, for the caller to overwrite with
    /// the training model's before [`Replica::run_task`] (a browser copies them straight from
    /// the message that brought them).
    pub fn weights_mut(&mut self) -> Vec<&mut [f32]> {
        self.model.params.slices_mut()
    }

    /// The latest task's result ([`Replica::run_task`]'s).
    pub fn result(&self) -> &[u32] {
        &self.result
    }

    /// Runs a shard's `task` with the weights it holds; the result (for
    /// [`super::Trainer::put_shard`]) stays here until the next task.
    pub fn run_task(&mut self, task: &[u32]) -> Result<&[u32]> {
        let (b, n, last_n) = decode_task(task, &mut self.window, &mut self.state)?;
        if self.state.batch(self.model.spec.hidden) != b {
            return Err(cut());
        }
        let all = 0..b;
        let job = Job {
            model: &self.model,
            window: &self.window,
            state: &self.state,
            parts: std::slice::from_ref(&all),
            n,
            last_n,
        };
        job.run(0, &mut self.shard);
        encode_result_into(&self.shard, &mut self.result);
        if let Some(g) = self.shard.grads.as_mut() {
            g.fill_zero();
        }
        Ok(&self.result)
    }
}
