//! Model files: safetensors with PyTorch's tensor names, so a `torch.nn.LSTM` model saved with
//! the same names loads as is. Works on bytes only (the caller reads and writes files).
//!
//! Metadata (all strings): `format`="rnnlab", `cell`, `nonlinearity`, `hidden_size`,
//! `num_layers`, `embedding_dim` ("0" for one-hot), `vocab` (JSON list of characters); optional
//! `loss` ("ce"|"mse"), `input_size`, `output_size` for real-valued models. A checkpoint adds
//! optimizer moments (`optim.s1.<name>`, `optim.s2.<name>`), the carried hidden state
//! (`state.h_l{k}`, `state.c_l{k}`) and `optim.*`/`train.*` metadata; plain loaders ignore them.
//! `train.held_out` is how many characters at the end of the text were held out for validation
//! (the exported PyTorch script trains on the rest, as rnnlab did).
//!
//! Optional remedies: `residual` ("none"|"layers"|"time") and `attention` ("none"|"dot"), both
//! "none" when absent (older files). With attention the file holds `attention.weight` `[H, H]`,
//! `decoder.weight` is `[O, 2H]`, and `attention_window` is how many states a sampler attends over.

use super::error::{Error, Result};
use super::model::{Attention, CellKind, LossKind, Model, ModelSpec, Params, Residual, State};
use super::optim::{OptKind, Optimizer};
use super::settings::SettingValue;
use super::trainer::Snapshot;
use safetensors::tensor::{Dtype, Metadata};
use safetensors::SafeTensors;
use std::collections::{BTreeMap, HashMap};

/// Largest model file accepted (bytes).
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// A loaded file: the model, and the training state when it was a checkpoint.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub model: Model,
    pub checkpoint: Option<Snapshot>,
    /// `train.config` (the settings query) when present.
    pub config: Option<String>,
}

fn le_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A tensor to write: name, shape and little-endian bytes.
type TensorBytes = (String, Vec<usize>, Vec<u8>);

/// What a checkpoint holds besides the model.
pub struct Checkpoint<'a> {
    pub snapshot: &'a Snapshot,
    /// The settings query (`train.config`).
    pub config: &'a str,
    /// Characters at the end of the text held out for validation (`train.held_out`).
    pub held_out: usize,
}

/// Serialises a model, plus its training state for a checkpoint.
pub fn save(model: &Model, ckpt: Option<&Checkpoint>) -> Result<Vec<u8>> {
    save_with(model, ckpt, &[])
}

/// [`save`] with `extra` metadata pairs (a series model's `series.*`).
pub fn save_with(
    model: &Model,
    ckpt: Option<&Checkpoint>,
    extra: &[(String, String)],
) -> Result<Vec<u8>> {
    let mut meta = spec_metadata(&model.spec);
    meta.extend(extra.iter().cloned());
    let mut tensors = param_tensors(&model.params);
    if let Some(c) = ckpt {
        push_optimizer_tensors(&model.params, &c.snapshot.opt, &mut tensors);
        push_state_tensors(&c.snapshot.state, model.spec.hidden, &mut tensors);
        insert_checkpoint_metadata(c, &mut meta);
    }
    serialize(tensors, meta)
}

/// The metadata that describes the model: format, cell, sizes, vocabulary and loss.
fn spec_metadata(s: &ModelSpec) -> HashMap<String, String> {
    let mut meta: HashMap<String, String> = HashMap::new();
    meta.insert("format".into(), "rnnlab".into());
    meta.insert("cell".into(), s.cell.name().into());
    meta.insert("nonlinearity".into(), s.cell.nonlinearity().into());
    meta.insert("hidden_size".into(), s.hidden.to_string());
    meta.insert("num_layers".into(), s.layers.to_string());
    meta.insert("embedding_dim".into(), s.embed.to_string());
    let mut vocab = String::from("[");
    for (i, c) in s.vocab.iter().enumerate() {
        if i > 0 {
            vocab.push(',');
        }
        push_json_str(&mut vocab, c.encode_utf8(&mut [0; 4]));
    }
    vocab.push(']');
    meta.insert("vocab".into(), vocab);
    meta.insert(
        "loss".into(),
        if s.loss == LossKind::Mse { "mse" } else { "ce" }.into(),
    );
    meta.insert("input_size".into(), s.input_size.to_string());
    meta.insert("output_size".into(), s.output_size.to_string());
    for (k, v) in [
        ("residual", s.residual.name()),
        ("attention", s.attention.name()),
    ] {
        meta.insert(k.into(), v.into());
    }
    if s.attention == Attention::Dot {
        meta.insert("attention_window".into(), s.window.to_string());
    }
    meta
}

/// Every parameter's PyTorch name and shape, in [`Params::named`] order.
type Shapes = Vec<(String, Vec<usize>)>;

fn param_shapes(params: &Params) -> Shapes {
    params
        .named()
        .into_iter()
        .map(|(n, sh, _)| (n, sh))
        .collect()
}

/// Every parameter under its PyTorch name.
fn param_tensors(params: &Params) -> Vec<TensorBytes> {
    params
        .named()
        .into_iter()
        .map(|(n, sh, d)| (n, sh, le_bytes(d)))
        .collect()
}

/// The optimizer's moments of every parameter: `optim.s1.<name>`, and `optim.s2.<name>` when the
/// optimizer keeps a second moment.
fn push_optimizer_tensors(params: &Params, opt: &Optimizer, tensors: &mut Vec<TensorBytes>) {
    for (i, (n, sh)) in param_shapes(params).iter().enumerate() {
        tensors.push((format!("optim.s1.{n}"), sh.clone(), le_bytes(&opt.s1[i])));
        if let Some(v) = opt.s2.get(i) {
            tensors.push((format!("optim.s2.{n}"), sh.clone(), le_bytes(v)));
        }
    }
}

/// The carried hidden state, `state.h_l{k}` `[B, H]`, and the cell state `state.c_l{k}` where
/// there is one.
fn push_state_tensors(state: &State, hidden: usize, tensors: &mut Vec<TensorBytes>) {
    for (k, h) in state.h.iter().enumerate() {
        tensors.push((
            format!("state.h_l{k}"),
            vec![h.len() / hidden, hidden],
            le_bytes(h),
        ));
    }
    for (k, c) in state.c.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
        tensors.push((
            format!("state.c_l{k}"),
            vec![c.len() / hidden, hidden],
            le_bytes(c),
        ));
    }
}

/// The checkpoint's `optim.*` (kind, rates, step count, the two hyperparameters `h1`, `h2`) and
/// `train.*` (step, characters, cursor, settings query, held-out characters) metadata.
fn insert_checkpoint_metadata(c: &Checkpoint, meta: &mut HashMap<String, String>) {
    let snap = c.snapshot;
    let (h1, h2) = match snap.opt.kind {
        OptKind::Sgd { momentum } => (momentum, 0.0),
        OptKind::Adam { beta1, beta2, .. } => (beta1, beta2),
        OptKind::RmsProp { alpha, .. } => (alpha, 0.0),
        OptKind::Adagrad { .. } => (0.0, 0.0),
    };
    for (k, v) in [
        ("optim.kind", snap.opt.kind.name().to_string()),
        ("optim.lr", snap.opt.lr.to_string()),
        ("optim.weight_decay", snap.opt.weight_decay.to_string()),
        ("optim.t", snap.opt.t.to_string()),
        ("optim.h1", h1.to_string()),
        ("optim.h2", h2.to_string()),
        ("train.step", snap.step.to_string()),
        ("train.chars", snap.chars.to_string()),
        ("train.cursor", snap.cursor.to_string()),
        ("train.config", c.config.to_string()),
        ("train.held_out", c.held_out.to_string()),
    ] {
        meta.insert(k.into(), v);
    }
}

/// The safetensors bytes of `tensors` and `meta`: an 8-byte little-endian header length, the
/// JSON header with its keys sorted (so the same model always gives the same bytes), compact and
/// padded with spaces to keep the data 8-byte aligned, then the tensors' data in name order.
/// That is what `safetensors::serialize` writes for tensors of one dtype, with a sorted header;
/// written here because that function sorts the tensors with a stable sort of its own and
/// writes the metadata in hash-map order, to be parsed and written again: two more sorts and a
/// second header in the wasm. The JSON is written by hand, byte for byte what `serde_json`
/// writes (tests/core.rs checks it): serde_json's serializer for these types was 16 KB of the
/// wasm (about 5 KB gzipped), this writer a small part of that.
fn serialize(tensors: Vec<TensorBytes>, meta: HashMap<String, String>) -> Result<Vec<u8>> {
    // Filled by inserting: collecting into a BTreeMap sorts a Vec first, one more sort
    // instantiation in the wasm per map type.
    let mut by_name: BTreeMap<&str, &TensorBytes> = BTreeMap::new();
    for t in &tensors {
        if by_name.insert(&t.0, t).is_some() {
            return Err(Error::ModelFile(format!("writing: tensor `{}` twice", t.0)));
        }
    }
    // Every top-level entry as JSON, by key: the tensors and `__metadata__`.
    let mut top: BTreeMap<&str, String> = BTreeMap::new();
    let mut offset = 0;
    for (&name, (_, shape, data)) in &by_name {
        if data.len() != 4 * shape.iter().product::<usize>() {
            return Err(Error::ModelFile(format!(
                "writing: tensor `{name}` has {} bytes for shape {shape:?}",
                data.len()
            )));
        }
        let end = offset + data.len();
        let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
        let entry = format!(
            "{{\"data_offsets\":[{offset},{end}],\"dtype\":\"F32\",\"shape\":[{}]}}",
            dims.join(",")
        );
        offset = end;
        top.insert(name, entry);
    }
    let mut sorted = BTreeMap::new();
    for (k, v) in &meta {
        sorted.insert(k.as_str(), v.as_str());
    }
    top.insert(
        "__metadata__",
        json_object(sorted.iter().map(|(k, v)| (*k, json_str(v)))),
    );
    let mut h = json_object(top.iter().map(|(k, v)| (*k, v.clone()))).into_bytes();
    while !h.len().is_multiple_of(8) {
        h.push(b' ');
    }
    let mut out = Vec::with_capacity(8 + h.len() + offset);
    out.extend_from_slice(&(h.len() as u64).to_le_bytes());
    out.extend_from_slice(&h);
    for (_, _, data) in by_name.values() {
        out.extend_from_slice(data);
    }
    Ok(out)
}

/// `{"key":value,…}` of already written JSON values, in the given order.
fn json_object<'a>(entries: impl Iterator<Item = (&'a str, String)>) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, k);
        out.push(':');
        out.push_str(&v);
    }
    out.push('}');
    out
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s);
    out
}

/// `s` as a JSON string, escaped as serde_json escapes: `"` and `\`, and the control
/// characters as `\b \t \n \f \r` or `\u00xx`; everything else as it is.
fn push_json_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn meta_get<'a>(m: &'a HashMap<String, String>, k: &str) -> Result<&'a str> {
    m.get(k).map(String::as_str).ok_or_else(|| Error::ModelFile(format!("missing metadata `{k}` (rnnlab files carry format, cell, nonlinearity, hidden_size, num_layers, embedding_dim and vocab)")))
}

fn meta_num(m: &HashMap<String, String>, k: &str) -> Result<usize> {
    let v = meta_get(m, k)?;
    v.parse()
        .map_err(|_| Error::ModelFile(format!("metadata `{k}` = {v:?} is not a whole number")))
}

/// Largest step or character count a checkpoint may carry: 2⁵³, the last count a page (a JS
/// number) shows exactly, and far from overflowing as training goes on.
const MAX_COUNT: u64 = 1 << 53;

fn meta_count(m: &HashMap<String, String>, k: &str) -> Result<u64> {
    let v = meta_get(m, k)?;
    v.parse()
        .ok()
        .filter(|&n: &u64| n <= MAX_COUNT)
        .ok_or_else(|| {
            Error::ModelFile(format!(
                "metadata `{k}` = {v:?} is not a whole number up to 2^53"
            ))
        })
}

/// A number in `[0, max)` (`max` = ∞ for no upper bound): rates, decays and momenta.
fn meta_f32(m: &HashMap<String, String>, k: &str, max: f32) -> Result<f32> {
    let v = meta_get(m, k)?;
    super::decimal::parse_f32(v)
        .filter(|x: &f32| (0.0..max).contains(x))
        .ok_or_else(|| {
            let range = if max.is_finite() {
                format!("in [0, {max})")
            } else {
                "finite and ≥ 0".into()
            };
            Error::ModelFile(format!("metadata `{k}` = {v:?} is not a number {range}"))
        })
}

fn read_f32(st: &SafeTensors, name: &str, shape: &[usize]) -> Result<Vec<f32>> {
    let t = st.tensor(name).map_err(|_| {
        Error::ModelFile(format!(
            "missing tensor `{name}` (expected shape {shape:?})"
        ))
    })?;
    if t.shape() != shape {
        return Err(Error::shape(
            format!("loading tensor `{name}`"),
            format!("{shape:?}"),
            format!("{:?}", t.shape()),
        ));
    }
    let d = t.data();
    let v: Vec<f32> = match t.dtype() {
        Dtype::F32 => d
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
        Dtype::F64 => d
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().unwrap()) as f32)
            .collect(),
        other => {
            return Err(Error::ModelFile(format!(
                "tensor `{name}` has dtype {other:?}; rnnlab reads F32 (or F64)"
            )))
        }
    };
    if let Some(bad) = v.iter().position(|x| !x.is_finite()) {
        return Err(Error::ModelFile(format!(
            "tensor `{name}` holds a non-finite value at index {bad}"
        )));
    }
    Ok(v)
}

/// Reads a model file (or checkpoint) from its bytes.
pub fn load(bytes: &[u8]) -> Result<Loaded> {
    check_size(bytes)?;
    let (header, st) = parse(bytes)?;
    let empty = HashMap::new();
    let m = header.metadata().as_ref().unwrap_or(&empty);
    let spec = read_spec(m)?;
    let (params, names) = read_params(&st, &spec)?;
    let model = Model { spec, params };
    let checkpoint = if m.contains_key("optim.kind") {
        Some(read_checkpoint(&st, m, &model, &names)?)
    } else {
        None
    };
    Ok(Loaded {
        model,
        checkpoint,
        config: m.get("train.config").cloned(),
    })
}

/// [`load`], and every metadata pair of the file (for the `series.*` of a series model).
pub fn load_with_metadata(bytes: &[u8]) -> Result<(Loaded, HashMap<String, String>)> {
    let loaded = load(bytes)?;
    let (header, _) = parse(bytes)?;
    Ok((loaded, header.metadata().clone().unwrap_or_default()))
}

/// Refuses an empty file and one over [`MAX_FILE_BYTES`].
fn check_size(bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() {
        return Err(Error::ModelFile("the file is empty".into()));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::ModelFile(format!(
            "the file is {} MB; the limit is {} MB",
            bytes.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(())
}

/// The safetensors header (for its metadata) and tensors.
fn parse(bytes: &[u8]) -> Result<(Metadata, SafeTensors<'_>)> {
    let (_, header) = SafeTensors::read_metadata(bytes)
        .map_err(|e| Error::ModelFile(format!("not a readable safetensors file ({e})")))?;
    let st = SafeTensors::deserialize(bytes)
        .map_err(|e| Error::ModelFile(format!("not a readable safetensors file ({e})")))?;
    Ok((header, st))
}

/// The model spec from the metadata: `format` must be rnnlab; cell, vocabulary, loss and sizes,
/// checked as a whole.
fn read_spec(m: &HashMap<String, String>) -> Result<ModelSpec> {
    let format = meta_get(m, "format")?;
    if format != "rnnlab" {
        return Err(Error::ModelFile(format!(
            "metadata `format` is {format:?}, expected \"rnnlab\""
        )));
    }
    let cell = CellKind::parse(meta_get(m, "cell")?, meta_get(m, "nonlinearity")?)
        .map_err(|e| Error::ModelFile(e.to_string()))?;
    let chars = read_vocab(m)?;
    let loss = read_loss(m)?;
    let (input_size, output_size) = match loss {
        LossKind::CrossEntropy => (chars.len(), chars.len()),
        LossKind::Mse => (meta_num(m, "input_size")?, meta_num(m, "output_size")?),
    };
    let spec = ModelSpec {
        cell,
        input_size,
        hidden: meta_num(m, "hidden_size")?,
        layers: meta_num(m, "num_layers")?,
        embed: meta_num(m, "embedding_dim")?,
        output_size,
        loss,
        vocab: chars,
        residual: Residual::None,
        attention: Attention::None,
        window: 0,
    };
    let (residual, attention) = read_remedies(m)?;
    let window = match attention {
        Attention::Dot => meta_num(m, "attention_window")?,
        Attention::None => 0,
    };
    let spec = spec.with_remedies(residual, attention, window);
    spec.validate()
        .map_err(|e| Error::ModelFile(e.to_string()))?;
    Ok(spec)
}

/// `residual` and `attention`: "none" when absent.
fn read_remedies(m: &HashMap<String, String>) -> Result<(Residual, Attention)> {
    fn named<T: SettingValue>(m: &HashMap<String, String>, k: &str) -> Result<T> {
        T::parse(k, m.get(k).map_or("none", String::as_str))
            .map_err(|e| Error::ModelFile(format!("metadata: {e}")))
    }
    Ok((named(m, "residual")?, named(m, "attention")?))
}

/// `vocab`: a JSON list of single, distinct characters.
fn read_vocab(m: &HashMap<String, String>) -> Result<Vec<char>> {
    let vocab_json = meta_get(m, "vocab")?;
    let vocab: Vec<String> = serde_json::from_str(vocab_json).map_err(|e| {
        Error::ModelFile(format!(
            "metadata `vocab` is not a JSON list of strings: {e}"
        ))
    })?;
    let mut chars = Vec::with_capacity(vocab.len());
    for s in &vocab {
        let mut it = s.chars();
        match (it.next(), it.next()) {
            (Some(c), None) if !chars.contains(&c) => chars.push(c),
            _ => {
                return Err(Error::ModelFile(format!(
                    "metadata `vocab` entry {s:?} is not a single, distinct character"
                )))
            }
        }
    }
    Ok(chars)
}

/// `loss`: ce (the default) or mse.
fn read_loss(m: &HashMap<String, String>) -> Result<LossKind> {
    match m.get("loss").map(String::as_str) {
        None | Some("ce") => Ok(LossKind::CrossEntropy),
        Some("mse") => Ok(LossKind::Mse),
        Some(o) => Err(Error::ModelFile(format!(
            "metadata `loss` = {o:?}, expected ce or mse"
        ))),
    }
}

/// Every parameter of `spec`, each checked for its shape, and their names and shapes; any
/// tensor that is neither a parameter nor checkpoint state is refused.
fn read_params(st: &SafeTensors, spec: &ModelSpec) -> Result<(Params, Shapes)> {
    let mut params = Params::zeros(spec);
    let names = param_shapes(&params);
    for ((n, sh), dst) in names.iter().zip(params.slices_mut()) {
        dst.copy_from_slice(&read_f32(st, n, sh)?);
    }
    let known = |n: &str| {
        names.iter().any(|(k, _)| k == n) || n.starts_with("optim.") || n.starts_with("state.")
    };
    if let Some(extra) = st.names().into_iter().find(|n| !known(n)) {
        return Err(Error::ModelFile(format!(
            "unexpected tensor `{extra}` for a {}-layer {} model",
            spec.layers,
            spec.cell.name()
        )));
    }
    Ok((params, names))
}

/// The training snapshot of a checkpoint: optimizer, carried state and position.
fn read_checkpoint(
    st: &SafeTensors,
    m: &HashMap<String, String>,
    model: &Model,
    names: &[(String, Vec<usize>)],
) -> Result<Snapshot> {
    let opt = read_optimizer(st, m, names)?;
    let state = read_state(st, &model.spec)?;
    Ok(Snapshot {
        params: model.params.clone(),
        opt,
        state,
        cursor: meta_num(m, "train.cursor")?,
        step: meta_count(m, "train.step")?,
        chars: meta_count(m, "train.chars")?,
    })
}

/// The optimizer from its `optim.*` metadata, with the moments of every parameter.
fn read_optimizer(
    st: &SafeTensors,
    m: &HashMap<String, String>,
    names: &[(String, Vec<usize>)],
) -> Result<Optimizer> {
    let (h1, h2) = (meta_f32(m, "optim.h1", 1.0)?, meta_f32(m, "optim.h2", 1.0)?);
    let kind = match meta_get(m, "optim.kind")? {
        "sgd" => OptKind::Sgd { momentum: h1 },
        "adam" => OptKind::Adam {
            beta1: h1,
            beta2: h2,
            eps: 1e-8,
        },
        "rmsprop" => OptKind::RmsProp {
            alpha: h1,
            eps: 1e-8,
        },
        "adagrad" => OptKind::Adagrad { eps: 1e-10 },
        o => {
            return Err(Error::ModelFile(format!(
                "metadata `optim.kind` = {o:?} is unknown"
            )))
        }
    };
    let sizes: Vec<usize> = names.iter().map(|(_, s)| s.iter().product()).collect();
    let (lr, weight_decay) = (
        meta_f32(m, "optim.lr", f32::INFINITY)?,
        meta_f32(m, "optim.weight_decay", f32::INFINITY)?,
    );
    let mut opt = Optimizer::new(kind, lr, weight_decay, &sizes);
    opt.t = meta_count(m, "optim.t")?;
    for (i, (n, sh)) in names.iter().enumerate() {
        opt.s1[i] = read_f32(st, &format!("optim.s1.{n}"), sh)?;
        if !opt.s2.is_empty() {
            opt.s2[i] = read_f32(st, &format!("optim.s2.{n}"), sh)?;
        }
    }
    Ok(opt)
}

/// The carried state `state.h_l{k}` (and `state.c_l{k}` for an LSTM), `[B, H]` with B from
/// `state.h_l0`.
fn read_state(st: &SafeTensors, spec: &ModelSpec) -> Result<State> {
    let hs = spec.hidden;
    let batch = st
        .tensor("state.h_l0")
        .map(|t| t.shape().first().copied().unwrap_or(0))
        .map_err(|_| Error::ModelFile("checkpoint lacks `state.h_l0`".into()))?;
    let mut state = State::zeros(spec, batch);
    for k in 0..spec.layers {
        state.h[k] = read_f32(st, &format!("state.h_l{k}"), &[batch, hs])?;
        if !state.c[k].is_empty() {
            state.c[k] = read_f32(st, &format!("state.c_l{k}"), &[batch, hs])?;
        }
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        let tricky: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("é😀\u{7f}\u{2028}".chars())
            .collect();
        for s in [tricky.as_str(), "", "plain", "\"\\"] {
            assert_eq!(json_str(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
        let vocab: Vec<char> = tricky.chars().collect();
        let spec = ModelSpec::chars(
            CellKind::new(
                crate::core::model::CellType::Lstm,
                crate::core::cell::Activation::Tanh,
            ),
            vocab.clone(),
            2,
            1,
            0,
        );
        let m = spec_metadata(&spec);
        let strings: Vec<String> = vocab.iter().map(|c| c.to_string()).collect();
        assert_eq!(m["vocab"], serde_json::to_string(&strings).unwrap());
    }
}
