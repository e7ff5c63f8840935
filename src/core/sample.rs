//! Sampling characters from a model.

use super::error::{Error, Result};
use super::loss::softmax;
use super::model::{Attention, Input, LossKind, Model, State};
use super::rng::Rng;
use std::cmp::Ordering;

/// How to pick each next character.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleOpts {
    /// Characters to generate.
    pub len: usize,
    /// Softmax temperature (> 0); lower is more conservative.
    pub temperature: f32,
    /// Always take the most likely character.
    pub greedy: bool,
    /// Sample only among the k most likely characters (0 = all).
    pub top_k: usize,
    pub seed: u64,
}

impl Default for SampleOpts {
    fn default() -> Self {
        SampleOpts {
            len: 200,
            temperature: 1.0,
            greedy: false,
            top_k: 0,
            seed: 1,
        }
    }
}

/// Largest number of characters one call generates.
pub const MAX_SAMPLE_LEN: usize = 100_000;

/// A generated text with the distribution each character was drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct Sampled {
    /// Generated characters (without the prime).
    pub text: String,
    pub ids: Vec<u32>,
    /// For each generated character, the probabilities (after temperature, before top-k) it was
    /// drawn from, `[len][V]`; index 0 is the distribution right after the prime.
    pub probs: Vec<Vec<f32>>,
}

/// Checks that `model` can be sampled with `opts` and encodes `prime` (an empty prime becomes a
/// newline if the vocabulary has one, else its first character).
pub fn prime_ids(model: &Model, prime: &str, opts: &SampleOpts) -> Result<Vec<u32>> {
    let spec = &model.spec;
    if spec.loss != LossKind::CrossEntropy {
        return Err(Error::Data(
            "sampling needs a character model (this one predicts real values)".into(),
        ));
    }
    if !(opts.temperature > 0.0 && opts.temperature.is_finite()) {
        return Err(Error::config(
            "temperature",
            opts.temperature,
            "must be a positive number",
        ));
    }
    if opts.len > MAX_SAMPLE_LEN {
        return Err(Error::config(
            "len",
            opts.len,
            format!("at most {MAX_SAMPLE_LEN} characters per sample"),
        ));
    }
    let vocab = super::data::Vocab {
        chars: spec.vocab.clone(),
    };
    let mut ids = vocab.encode(prime)?;
    if ids.is_empty() {
        ids.push(vocab.id('\n').unwrap_or(0));
    }
    Ok(ids)
}

/// What a sampler carries from one character to the next: the layers' state and, with attention,
/// the last `window` states `z` the decoder attends over (a ring kept oldest first) with their
/// keys `u = W_a z`.
#[derive(Clone, Debug)]
pub struct Carry {
    pub state: State,
    z: Vec<f32>,
    u: Vec<f32>,
}

impl Carry {
    /// Runs `ids` (a non-empty prime) through `model` from a zero state, one character at a time
    /// (the same bits as one window: every sum of a window's products runs in the same order row
    /// by row), so that with attention every step attends over the last `window` states; the
    /// carry and the logits of the next character.
    pub fn start(model: &Model, ids: &[u32]) -> Result<(Carry, Vec<f32>)> {
        let mut carry = Carry {
            state: State::zeros(&model.spec, 1),
            z: Vec::new(),
            u: Vec::new(),
        };
        let mut logits = Vec::new();
        for &id in ids {
            logits = carry.step(model, id)?;
        }
        Ok((carry, logits))
    }

    /// Reads one character; the logits of the next.
    pub fn step(&mut self, model: &Model, id: u32) -> Result<Vec<f32>> {
        let tr = model.forward(Input::Tokens(&[id]), 1, &self.state)?;
        self.state = tr.final_state();
        let (Some(top), Attention::Dot) = (tr.layers.last(), model.spec.attention) else {
            return Ok(tr.logits);
        };
        let hs = model.spec.hidden;
        let z = top.out();
        self.z.extend_from_slice(z);
        self.u.extend(model.attention_key(z));
        let keep = model.spec.window * hs;
        for ring in [&mut self.z, &mut self.u] {
            if ring.len() > keep {
                let from = ring.len() - keep;
                ring.copy_within(from.., 0);
                ring.truncate(keep);
            }
        }
        Ok(model.decode_attending(&self.z, &self.u))
    }
}

/// Generates `opts.len` characters after `prime`, from a zero state. An empty prime starts from a
/// newline if the vocabulary has one, else from its first character.
pub fn sample(model: &Model, prime: &str, opts: SampleOpts) -> Result<Sampled> {
    let spec = &model.spec;
    let ids = prime_ids(model, prime, &opts)?;
    let mut rng = Rng::new(opts.seed);
    let (mut carry, mut logits) = Carry::start(model, &ids)?;
    let mut out = Sampled {
        text: String::new(),
        ids: Vec::new(),
        probs: Vec::new(),
    };
    for i in 0..opts.len {
        let (id, p) = pick(&logits, &opts, &mut rng);
        out.ids.push(id as u32);
        out.text.push(spec.vocab[id]);
        out.probs.push(p);
        if i + 1 < opts.len {
            logits = carry.step(model, id as u32)?;
        }
    }
    Ok(out)
}

/// The next character from `logits` under `opts`, and the distribution (after temperature) it
/// was drawn from.
pub fn pick(logits: &[f32], opts: &SampleOpts, rng: &mut Rng) -> (usize, Vec<f32>) {
    let p = softmax(logits, opts.temperature);
    let id = if opts.greedy {
        argmax(logits)
    } else {
        draw(&p, opts.top_k, rng)
    };
    (id, p)
}

/// Index of the largest value (first on ties).
pub fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if *x > v[best] {
            best = i;
        }
    }
    best
}

/// The `k` most likely indices with their probabilities, most likely first (ties to the lower
/// index).
pub fn top_k(p: &[f32], k: usize) -> Vec<(usize, f32)> {
    top_indices(p, k, f32::total_cmp)
        .into_iter()
        .map(|i| (i, p[i]))
        .collect()
}

/// Indices of the `k` largest values of `v` under `cmp`, largest first, ties to the lower index.
///
/// Written out rather than `select_nth_unstable_by` + `sort_unstable_by`: `k` is small (the top
/// few characters, the listed units), one pass with an insertion into `k` kept indices is
/// linear in practice (most values lose to the smallest kept one), and it keeps two sort
/// instantiations per caller out of the wasm.
pub fn top_indices<T>(v: &[T], k: usize, cmp: fn(&T, &T) -> Ordering) -> Vec<usize> {
    let k = k.min(v.len());
    let mut best: Vec<usize> = Vec::with_capacity(k + 1);
    if k == 0 {
        return best;
    }
    for (i, x) in v.iter().enumerate() {
        let beats = |&j: &usize| cmp(x, &v[j]) == Ordering::Greater;
        if best.len() == k && !beats(&best[k - 1]) {
            continue;
        }
        let at = best.iter().position(beats).unwrap_or(best.len());
        best.insert(at, i);
        best.truncate(k);
    }
    best
}

/// One draw from `p` (among the `k` likeliest when `k > 0`).
pub fn draw(p: &[f32], k: usize, rng: &mut Rng) -> usize {
    let cand: Vec<(usize, f32)> = if k == 0 || k >= p.len() {
        p.iter().copied().enumerate().collect()
    } else {
        top_k(p, k)
    };
    let total: f32 = cand.iter().map(|c| c.1).sum();
    let mut r = rng.uniform() * total;
    for &(i, q) in &cand {
        if r < q {
            return i;
        }
        r -= q;
    }
    cand.last().map_or(0, |c| c.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: every index sorted, largest first, ties to the lower index.
    fn by_sorting(v: &[f32], k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
        idx.truncate(k);
        idx
    }

    #[test]
    fn top_indices_equal_a_full_sort_with_ties_and_any_k() {
        let mut rng = Rng::new(7);
        for n in [0, 1, 2, 5, 65, 300] {
            // Few distinct values, so ties are common.
            let v: Vec<f32> = (0..n).map(|_| (rng.uniform() * 6.0).floor()).collect();
            for k in [0, 1, 3, 10, n, n + 4] {
                assert_eq!(
                    top_indices(&v, k, f32::total_cmp),
                    by_sorting(&v, k),
                    "n {n} k {k}"
                );
            }
        }
        assert_eq!(top_k(&[0.1, 0.5, 0.4], 2), vec![(1, 0.5), (2, 0.4)]);
    }
}
