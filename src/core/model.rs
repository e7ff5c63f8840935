//! The model: stacked recurrent layers between an input (one-hot, embedding or real vectors) and
//! a linear decoder; the forward and backward passes through a window (full BPTT) are in
//! [`super::bptt`].
//!
//! Parameters use PyTorch's names and layouts (see [`Params::named`]).

pub use super::bptt::{BackwardRecord, LayerTrace, Trace};
use super::cell::{Activation, Cell, Gru, Lstm, Rnn};
use super::error::{Error, Result};
use ndarray::{Array1, Array2};

super::settings::choice! {
    /// The setting `cell`: which recurrent cell, without the RNN's nonlinearity.
    pub enum CellType { Rnn = "rnn", Lstm = "lstm", Gru = "gru" }
}

super::settings::choice! {
    /// The setting `residual`: identity shortcuts against vanishing gradients. `layers`: across
    /// stacked layers, `o_0 = h_0`, `o_k = h_k + o_{k-1}`, and the next layer and the decoder read
    /// `o`; `time` (vanilla RNN only): `h_t = h_{t-1} + φ(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)`.
    pub enum Residual { None = "none", Layers = "layers", Time = "time" }
}

super::settings::choice! {
    /// The setting `attention`: `dot` lets the decoder read `[z_t ; a_t]`, where `z_t` is what the
    /// decoder reads without attention and `a_t = Σ_{s≤t} α_{t,s} z_s` over the window, with
    /// `α_{t,·} = softmax_s(z_tᵀ W_a z_s)`.
    pub enum Attention { None = "none", Dot = "dot" }
}

/// Refuses `residual=time` for any cell but the vanilla RNN.
pub fn check_residual(residual: Residual, cell: CellType) -> Result<()> {
    if residual == Residual::Time && cell != CellType::Rnn {
        return Err(Error::config(
            "residual",
            "time",
            format!("residual=time is for the vanilla RNN (cell=rnn) only, not cell={cell}"),
        ));
    }
    Ok(())
}

/// Which recurrent cell the layers use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    Rnn(Activation),
    Lstm,
    Gru,
}

impl CellKind {
    /// The element-wise cell implementation.
    pub fn cell(self) -> &'static dyn Cell {
        match self {
            CellKind::Rnn(Activation::Tanh) => &Rnn(Activation::Tanh, false),
            CellKind::Rnn(Activation::Relu) => &Rnn(Activation::Relu, false),
            CellKind::Rnn(Activation::Sigmoid) => &Rnn(Activation::Sigmoid, false),
            CellKind::Lstm => &Lstm,
            CellKind::Gru => &Gru,
        }
    }

    /// The cell of the settings `cell` and `nonlinearity` (LSTM and GRU ignore the latter).
    pub fn new(cell: CellType, nonlinearity: Activation) -> Self {
        match cell {
            CellType::Rnn => CellKind::Rnn(nonlinearity),
            CellType::Lstm => CellKind::Lstm,
            CellType::Gru => CellKind::Gru,
        }
    }

    /// The setting `cell` of this cell.
    pub fn cell_type(self) -> CellType {
        match self {
            CellKind::Rnn(_) => CellType::Rnn,
            CellKind::Lstm => CellType::Lstm,
            CellKind::Gru => CellType::Gru,
        }
    }

    /// The setting `nonlinearity` of this cell (LSTM and GRU report tanh).
    pub fn activation(self) -> Activation {
        match self {
            CellKind::Rnn(a) => a,
            _ => Activation::Tanh,
        }
    }

    /// `rnn`, `lstm` or `gru` (the model file's `cell`).
    pub fn name(self) -> &'static str {
        self.cell_type().name()
    }

    /// `tanh`, `relu` or `sigmoid` (the model file's `nonlinearity`; LSTM and GRU report `tanh`).
    pub fn nonlinearity(self) -> &'static str {
        match self {
            CellKind::Rnn(a) => a.name(),
            _ => "tanh",
        }
    }

    /// From the two names used in model files, URLs and CLI flags.
    pub fn parse(cell: &str, nonlinearity: &str) -> Result<Self> {
        let act = Activation::from_name(nonlinearity).ok_or_else(|| {
            Error::config(
                "nonlinearity",
                nonlinearity,
                "expected tanh, relu or sigmoid",
            )
        })?;
        let cell = CellType::from_name(cell)
            .ok_or_else(|| Error::config("cell", cell, "expected rnn, lstm or gru"))?;
        Ok(CellKind::new(cell, act))
    }
}

/// The training objective of the decoder output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossKind {
    /// Softmax cross-entropy over characters (nats).
    CrossEntropy,
    /// Mean squared error over real-valued outputs.
    Mse,
}

/// Sizes and kinds: everything needed to build a model except its weights.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSpec {
    pub cell: CellKind,
    /// Vocabulary size V (one-hot/embedding input) or real input width I.
    pub input_size: usize,
    pub hidden: usize,
    pub layers: usize,
    /// Embedding width E; 0 means one-hot (or real-valued) input.
    pub embed: usize,
    /// Decoder width O (V for characters).
    pub output_size: usize,
    pub loss: LossKind,
    /// The characters, in index order (empty for real-valued models).
    pub vocab: Vec<char>,
    /// Residual connections (across layers or through time).
    pub residual: Residual,
    /// Attention of the decoder over the window's states.
    pub attention: Attention,
    /// With attention: how many of the latest states a sampler attends over (the training
    /// window T); 0 otherwise.
    pub window: usize,
}

/// Upper bounds that keep a model within what a browser tab (and this machine) can hold.
pub const MAX_HIDDEN: usize = 4096;
pub const MAX_LAYERS: usize = 4;
pub const MAX_PARAMS: usize = 64 * 1024 * 1024;
/// Largest attention window (a text's sequence length, or a task's episode).
pub const MAX_WINDOW: usize = 2048;

impl ModelSpec {
    /// A character-level model spec.
    pub fn chars(
        cell: CellKind,
        vocab: Vec<char>,
        hidden: usize,
        layers: usize,
        embed: usize,
    ) -> Self {
        let v = vocab.len();
        ModelSpec {
            cell,
            input_size: v,
            hidden,
            layers,
            embed,
            output_size: v,
            loss: LossKind::CrossEntropy,
            vocab,
            residual: Residual::None,
            attention: Attention::None,
            window: 0,
        }
    }

    /// This spec with residual connections `residual` and attention `attention` over windows of
    /// `window` steps.
    pub fn with_remedies(self, residual: Residual, attention: Attention, window: usize) -> Self {
        let window = if attention == Attention::Dot {
            window
        } else {
            0
        };
        ModelSpec {
            residual,
            attention,
            window,
            ..self
        }
    }

    /// The element-wise step of every layer: the cell, or with `residual=time` the RNN that adds
    /// its previous state.
    pub fn step_cell(&self) -> &'static dyn Cell {
        match (self.residual, self.cell) {
            (Residual::Time, CellKind::Rnn(Activation::Tanh)) => &Rnn(Activation::Tanh, true),
            (Residual::Time, CellKind::Rnn(Activation::Relu)) => &Rnn(Activation::Relu, true),
            (Residual::Time, CellKind::Rnn(Activation::Sigmoid)) => &Rnn(Activation::Sigmoid, true),
            _ => self.cell.cell(),
        }
    }

    /// Width of the decoder's input: H, or 2H with attention (`[z_t ; a_t]`).
    pub fn decoder_input(&self) -> usize {
        match self.attention {
            Attention::None => self.hidden,
            Attention::Dot => 2 * self.hidden,
        }
    }

    /// Width of the input to layer `l`.
    pub fn layer_input(&self, l: usize) -> usize {
        match (l, self.embed) {
            (0, 0) => self.input_size,
            (0, e) => e,
            _ => self.hidden,
        }
    }

    /// Number of trainable scalars.
    /// Saturating, so absurd sizes read from a file (or a 32-bit wasm `usize`) cannot overflow.
    pub fn param_count(&self) -> usize {
        let gh = self.cell.cell().gates().saturating_mul(self.hidden);
        let rec = (0..self.layers).fold(0usize, |n, l| {
            let row = self.layer_input(l).saturating_add(self.hidden + 2);
            n.saturating_add(gh.saturating_mul(row))
        });
        let embed = self.input_size.saturating_mul(self.embed);
        let decoder = self.output_size.saturating_mul(self.decoder_input() + 1);
        let attention = match self.attention {
            Attention::None => 0,
            Attention::Dot => self.hidden.saturating_mul(self.hidden),
        };
        embed
            .saturating_add(rec)
            .saturating_add(decoder)
            .saturating_add(attention)
    }

    /// Rejects absurd or inconsistent sizes with a message naming the setting.
    pub fn validate(&self) -> Result<()> {
        if self.hidden == 0 || self.hidden > MAX_HIDDEN {
            return Err(Error::config(
                "hidden",
                self.hidden,
                format!("must be 1..={MAX_HIDDEN}"),
            ));
        }
        if self.layers == 0 || self.layers > MAX_LAYERS {
            return Err(Error::config(
                "layers",
                self.layers,
                format!("must be 1..={MAX_LAYERS}"),
            ));
        }
        if self.input_size == 0 || self.output_size == 0 {
            return Err(Error::Data(
                "the model needs at least one input and one output (empty vocabulary?)".into(),
            ));
        }
        for (key, n) in [
            ("input_size", self.input_size),
            ("output_size", self.output_size),
        ] {
            if n > MAX_PARAMS {
                return Err(Error::config(key, n, format!("must be 1..={MAX_PARAMS}")));
            }
        }
        if self.loss == LossKind::CrossEntropy && self.vocab.len() != self.input_size {
            return Err(Error::shape(
                "model spec",
                format!("vocab of {} chars", self.input_size),
                format!("{}", self.vocab.len()),
            ));
        }
        if self.embed > MAX_HIDDEN {
            return Err(Error::config(
                "embed",
                self.embed,
                format!("must be 0..={MAX_HIDDEN}"),
            ));
        }
        check_residual(self.residual, self.cell.cell_type())?;
        if self.attention == Attention::Dot && !(1..=MAX_WINDOW).contains(&self.window) {
            return Err(Error::config(
                "attention_window",
                self.window,
                format!("must be 1..={MAX_WINDOW} with attention=dot"),
            ));
        }
        let n = self.param_count();
        if n > MAX_PARAMS {
            return Err(Error::config(
                "hidden",
                self.hidden,
                format!("the model would have {n} parameters; the limit is {MAX_PARAMS}"),
            ));
        }
        Ok(())
    }
}

/// One recurrent layer's weights, named as in PyTorch.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// `[G·H, in]`.
    pub w_ih: Array2<f32>,
    /// `[G·H, H]`.
    pub w_hh: Array2<f32>,
    /// `[G·H]`.
    pub b_ih: Array1<f32>,
    /// `[G·H]`.
    pub b_hh: Array1<f32>,
}

/// All trainable tensors (also used for their gradients and optimizer moments).
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// `[V, E]` when the input is embedded.
    pub embedding: Option<Array2<f32>>,
    pub layers: Vec<Layer>,
    /// `W_a` `[H, H]` with attention.
    pub attention: Option<Array2<f32>>,
    /// `[O, H]`, or `[O, 2H]` with attention.
    pub dec_w: Array2<f32>,
    /// `[O]`.
    pub dec_b: Array1<f32>,
}

fn sl(a: &Array2<f32>) -> &[f32] {
    a.as_slice().expect("parameters are contiguous")
}

impl Params {
    /// All-zero tensors shaped for `spec`.
    pub fn zeros(spec: &ModelSpec) -> Self {
        let gh = spec.cell.cell().gates() * spec.hidden;
        Params {
            embedding: (spec.embed > 0).then(|| Array2::zeros((spec.input_size, spec.embed))),
            layers: (0..spec.layers)
                .map(|l| Layer {
                    w_ih: Array2::zeros((gh, spec.layer_input(l))),
                    w_hh: Array2::zeros((gh, spec.hidden)),
                    b_ih: Array1::zeros(gh),
                    b_hh: Array1::zeros(gh),
                })
                .collect(),
            attention: (spec.attention == Attention::Dot)
                .then(|| Array2::zeros((spec.hidden, spec.hidden))),
            dec_w: Array2::zeros((spec.output_size, spec.decoder_input())),
            dec_b: Array1::zeros(spec.output_size),
        }
    }

    /// `(PyTorch name, shape, data)` for every tensor, in a fixed order.
    pub fn named(&self) -> Vec<(String, Vec<usize>, &[f32])> {
        let mut v = Vec::new();
        if let Some(e) = &self.embedding {
            v.push(("embedding.weight".to_string(), e.shape().to_vec(), sl(e)));
        }
        for (k, l) in self.layers.iter().enumerate() {
            v.push((
                format!("rnn.weight_ih_l{k}"),
                l.w_ih.shape().to_vec(),
                sl(&l.w_ih),
            ));
            v.push((
                format!("rnn.weight_hh_l{k}"),
                l.w_hh.shape().to_vec(),
                sl(&l.w_hh),
            ));
            v.push((
                format!("rnn.bias_ih_l{k}"),
                l.b_ih.shape().to_vec(),
                l.b_ih.as_slice().unwrap(),
            ));
            v.push((
                format!("rnn.bias_hh_l{k}"),
                l.b_hh.shape().to_vec(),
                l.b_hh.as_slice().unwrap(),
            ));
        }
        if let Some(a) = &self.attention {
            v.push(("attention.weight".to_string(), a.shape().to_vec(), sl(a)));
        }
        v.push((
            "decoder.weight".to_string(),
            self.dec_w.shape().to_vec(),
            sl(&self.dec_w),
        ));
        v.push((
            "decoder.bias".to_string(),
            self.dec_b.shape().to_vec(),
            self.dec_b.as_slice().unwrap(),
        ));
        v
    }

    /// Mutable data of every tensor, in the order of [`Params::named`].
    pub fn slices_mut(&mut self) -> Vec<&mut [f32]> {
        self.iter_mut().collect()
    }

    /// Data of every tensor, in the order of [`Params::named`].
    pub fn slices(&self) -> Vec<&[f32]> {
        self.iter().collect()
    }

    /// [`Params::slices`] without collecting (no allocation: the optimizer runs every step).
    pub fn iter(&self) -> impl Iterator<Item = &[f32]> {
        let layers = self.layers.iter().flat_map(|l| {
            [
                sl(&l.w_ih),
                sl(&l.w_hh),
                l.b_ih.as_slice().unwrap(),
                l.b_hh.as_slice().unwrap(),
            ]
        });
        let dec = [sl(&self.dec_w), self.dec_b.as_slice().unwrap()];
        let att = self.attention.iter().map(sl);
        self.embedding
            .iter()
            .map(sl)
            .chain(layers)
            .chain(att)
            .chain(dec)
    }

    /// [`Params::slices_mut`] without collecting.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut [f32]> {
        let layers = self.layers.iter_mut().flat_map(|l| {
            [
                l.w_ih.as_slice_mut().unwrap(),
                l.w_hh.as_slice_mut().unwrap(),
                l.b_ih.as_slice_mut().unwrap(),
                l.b_hh.as_slice_mut().unwrap(),
            ]
        });
        let dec = [
            self.dec_w.as_slice_mut().unwrap(),
            self.dec_b.as_slice_mut().unwrap(),
        ];
        let emb = self.embedding.iter_mut().map(|e| e.as_slice_mut().unwrap());
        let att = self.attention.iter_mut().map(|a| a.as_slice_mut().unwrap());
        emb.chain(layers).chain(att).chain(dec)
    }

    /// Sets every value to zero.
    pub fn fill_zero(&mut self) {
        self.iter_mut().for_each(|s| s.fill(0.0));
    }

    /// Whether every value is finite.
    pub fn all_finite(&self) -> bool {
        // The largest exponent-and-mantissa pattern, below infinity's: a reduction the compiler
        // vectorises, unlike an early-exit search.
        self.iter().all(|s| {
            s.iter().fold(0u32, |m, v| m.max(v.to_bits() & 0x7fff_ffff)) < f32::INFINITY.to_bits()
        })
    }
}

/// The recurrent state carried between windows: per layer, `h` (and `c` for LSTM), `[B·H]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    pub h: Vec<Vec<f32>>,
    pub c: Vec<Vec<f32>>,
}

impl State {
    /// The zero state for batch `b`.
    pub fn zeros(spec: &ModelSpec, b: usize) -> Self {
        let n = b * spec.hidden;
        let c = if spec.cell.cell().has_cell_state() {
            n
        } else {
            0
        };
        State {
            h: vec![vec![0.0; n]; spec.layers],
            c: vec![vec![0.0; c]; spec.layers],
        }
    }

    /// Batch size this state was made for.
    pub fn batch(&self, hidden: usize) -> usize {
        self.h.first().map_or(0, |h| h.len() / hidden.max(1))
    }
}

/// Inputs of a window, time-major (`[t][b]`).
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    /// Token ids `[T·B]`.
    Tokens(&'a [u32]),
    /// Real vectors `[T·B·I]`.
    Real(&'a [f32]),
}

/// A model: spec plus weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub spec: ModelSpec,
    pub params: Params,
}
