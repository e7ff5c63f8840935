//! Seeded mutations of model files and texts for `tests/fuzz.rs`.
//!
//! Written here rather than taken from cargo-fuzz/libFuzzer because those need a nightly
//! toolchain, which CI cannot install (it reaches only the crates.io, PyPI, Debian and npm
//! registries). Plain byte flips almost never get past the JSON header of a safetensors file, so
//! most mutations are structure-aware: they edit one field of the parsed header (a metadata value,
//! a shape, a dtype, the data offsets) or poke values into one tensor's data, and write the file
//! back with a correct length prefix.

use rnnlab::core::rng::Rng;
use serde_json::{json, Map, Value};

/// What one mutation did, for the failure message that reproduces it.
pub type Note = String;

/// Strings a metadata value or a vocabulary entry is replaced with: edges, junk and huge numbers.
const VALUES: &[&str] = &[
    "",
    "0",
    "1",
    "-1",
    "2",
    "4096",
    "4097",
    "65536",
    "1e9",
    "18446744073709551615",
    "99999999999999999999999",
    "NaN",
    "inf",
    "-0",
    "0.5",
    "lstm",
    "gru",
    "rnn",
    "tanh",
    "relu",
    "sigmoid",
    "ce",
    "mse",
    "rnnlab",
    "[]",
    "[\"a\"]",
    "[\"a\",\"a\"]",
    "[\"ab\"]",
    "[1,2]",
    "{}",
    "null",
    "\u{0}",
    "é",
    "🙂",
    "\u{FFFD}",
];

/// Raw f32 bit patterns poked into tensor data (NaN, ±inf, subnormal, huge).
const POKES: &[u32] = &[
    0x7fc0_0000,
    0x7f80_0000,
    0xff80_0000,
    0x0000_0001,
    0x7f7f_ffff,
    0xffff_ffff,
];

/// A mutated copy of the safetensors file `bytes` and what was done.
pub fn model_file(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, Note) {
    match rng.below(10) {
        0 => bytes_flip(bytes, rng),
        1 => truncate(bytes, rng),
        2 => splice(bytes, rng),
        3 | 4 => poke_data(bytes, rng),
        _ => edit_header(bytes, rng),
    }
}

/// A few random bytes anywhere set to random values.
fn bytes_flip(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, Note) {
    let mut out = bytes.to_vec();
    let n = 1 + rng.below(8);
    for _ in 0..n {
        let i = rng.below(out.len());
        out[i] = rng.below(256) as u8;
    }
    (out, format!("{n} random bytes"))
}

/// The file cut at a random length (possibly inside the length prefix).
fn truncate(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, Note) {
    let n = rng.below(bytes.len());
    (bytes[..n].to_vec(), format!("cut to {n} bytes"))
}

/// A random range deleted or repeated.
fn splice(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, Note) {
    let a = rng.below(bytes.len());
    let b = (a + 1 + rng.below(64)).min(bytes.len());
    let mut out = bytes[..a].to_vec();
    if rng.below(2) == 0 {
        out.extend_from_slice(&bytes[a..b]);
        out.extend_from_slice(&bytes[a..]);
        (out, format!("bytes {a}..{b} repeated"))
    } else {
        out.extend_from_slice(&bytes[b..]);
        (out, format!("bytes {a}..{b} deleted"))
    }
}

/// The header as JSON, and where the data starts.
fn split(bytes: &[u8]) -> (Map<String, Value>, usize) {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header: Value = serde_json::from_slice(&bytes[8..8 + n]).expect("a seed file's header");
    (header.as_object().unwrap().clone(), 8 + n)
}

/// A file from a header and data.
fn join(header: &Map<String, Value>, data: &[u8]) -> Vec<u8> {
    let h = serde_json::to_vec(header).unwrap();
    let mut out = (h.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    out
}

/// Tensor names of a header, sorted.
fn tensors(header: &Map<String, Value>) -> Vec<String> {
    let mut v: Vec<String> = header
        .keys()
        .filter(|k| *k != "__metadata__")
        .cloned()
        .collect();
    v.sort();
    v
}

/// Tensor names of a file, sorted.
pub fn tensor_names(bytes: &[u8]) -> Vec<String> {
    tensors(&split(bytes).0)
}

/// `bytes` with value `index` of tensor `name` set to the f32 bits `bits` (`None` when the
/// tensor has fewer values).
pub fn poke(bytes: &[u8], name: &str, index: usize, bits: u32) -> Option<Vec<u8>> {
    let (header, start) = split(bytes);
    let offsets = &header[name]["data_offsets"];
    let (a, b) = (offsets[0].as_u64()? as usize, offsets[1].as_u64()? as usize);
    let i = start + a + 4 * index;
    (i + 4 <= start + b).then(|| {
        let mut out = bytes.to_vec();
        out[i..i + 4].copy_from_slice(&bits.to_le_bytes());
        out
    })
}

/// NaN, infinity or another odd bit pattern written into one value of one tensor's data. The
/// note names the tensor when the value is not finite: the loader must name it.
fn poke_data(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, Note) {
    let names = tensor_names(bytes);
    let name = &names[rng.below(names.len())];
    let bits = POKES[rng.below(POKES.len())];
    let index = rng.below(64);
    let Some(out) = poke(bytes, name, index, bits) else {
        return (bytes.to_vec(), format!("nothing poked (`{name}` is short)"));
    };
    let finite = f32::from_bits(bits).is_finite();
    let note = if finite {
        "poked finite"
    } else {
        "poked non-finite"
    };
    (out, format!("{note} {bits:#x} into tensor `{name}`"))
}

/// One field of the header changed: a metadata value set, added or removed; a tensor's shape,
/// dtype or offsets changed; a tensor removed or duplicated under another name.
fn edit_header(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, Note) {
    let (mut header, start) = split(bytes);
    let data = &bytes[start..];
    let note = match rng.below(6) {
        0 | 1 => edit_metadata(&mut header, rng),
        2 => edit_shape(&mut header, rng),
        3 => edit_tensor_field(&mut header, rng),
        4 => {
            let names = tensors(&header);
            let name = names[rng.below(names.len())].clone();
            header.remove(&name);
            format!("tensor `{name}` removed")
        }
        _ => {
            let names = tensors(&header);
            let name = names[rng.below(names.len())].clone();
            let copy = header[&name].clone();
            header.insert(format!("{name}.extra"), copy);
            format!("tensor `{name}` repeated as `{name}.extra`")
        }
    };
    (join(&header, data), note)
}

/// A metadata key set to one of [`VALUES`], or removed.
fn edit_metadata(header: &mut Map<String, Value>, rng: &mut Rng) -> Note {
    let meta = header
        .entry("__metadata__")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .unwrap();
    let mut keys: Vec<String> = meta.keys().cloned().collect();
    keys.sort();
    keys.push("train.config".into());
    let key = keys[rng.below(keys.len())].clone();
    if rng.below(5) == 0 {
        meta.remove(&key);
        return format!("metadata `{key}` removed");
    }
    let value = VALUES[rng.below(VALUES.len())];
    meta.insert(key.clone(), json!(value));
    format!("metadata `{key}` = {value:?}")
}

/// One dimension of one tensor's shape changed, or a dimension added or dropped.
fn edit_shape(header: &mut Map<String, Value>, rng: &mut Rng) -> Note {
    let names = tensors(header);
    let name = names[rng.below(names.len())].clone();
    let shape = header[&name]["shape"].as_array_mut().unwrap();
    let dims = [0u64, 1, 2, 3, 4096, 1 << 20, 1 << 40, u64::MAX];
    match rng.below(3) {
        0 if !shape.is_empty() => {
            let i = rng.below(shape.len());
            shape[i] = json!(dims[rng.below(dims.len())]);
        }
        1 => shape.push(json!(dims[rng.below(dims.len())])),
        _ => {
            shape.pop();
        }
    }
    format!("tensor `{name}` shape {:?}", header[&name]["shape"])
}

/// One tensor's dtype or data offsets changed.
fn edit_tensor_field(header: &mut Map<String, Value>, rng: &mut Rng) -> Note {
    let names = tensors(header);
    let name = names[rng.below(names.len())].clone();
    let t = header[&name].as_object_mut().unwrap();
    if rng.below(2) == 0 {
        let dtypes = ["F64", "F16", "BF16", "I64", "U8", "BOOL", "F8_E4M3", "X"];
        let d = dtypes[rng.below(dtypes.len())];
        t.insert("dtype".into(), json!(d));
        return format!("tensor `{name}` dtype {d}");
    }
    let ends = [0u64, 1, 3, 4, 8, 1 << 20, u64::MAX];
    let (a, b) = (ends[rng.below(ends.len())], ends[rng.below(ends.len())]);
    t.insert("data_offsets".into(), json!([a, b]));
    format!("tensor `{name}` offsets [{a}, {b}]")
}

/// A mutated text: characters inserted, deleted or replaced, runs repeated, or odd characters
/// (controls, combining marks, astral planes, U+FFFD) spliced in.
pub fn text(seed: &str, rng: &mut Rng) -> (String, Note) {
    let mut chars: Vec<char> = seed.chars().collect();
    let odd = [
        '\0',
        '\r',
        '\t',
        '\u{301}',
        '\u{FEFF}',
        '\u{FFFD}',
        '🙂',
        '\u{10FFFF}',
        '"',
        '<',
    ];
    let n = 1 + rng.below(6);
    for _ in 0..n {
        let i = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if i < chars.len() => {
                chars.remove(i);
            }
            1 => chars.insert(i, odd[rng.below(odd.len())]),
            2 if i < chars.len() => {
                chars[i] = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?')
            }
            _ => {
                let j = (i + rng.below(40)).min(chars.len());
                let run: Vec<char> = chars[i..j].to_vec();
                for _ in 0..rng.below(50) {
                    chars.splice(i..i, run.iter().copied());
                }
            }
        }
    }
    (chars.into_iter().collect(), format!("{n} text edits"))
}

/// A mutated CSV: the text mutations above, plus edits of whole fields and lines: a field
/// emptied or replaced by an odd value, a separator or quote added or dropped, a line
/// duplicated or deleted.
pub fn csv(seed: &str, rng: &mut Rng) -> (String, Note) {
    let (text, note) = if rng.below(2) == 0 {
        text(seed, rng)
    } else {
        (seed.to_string(), "no text edits".into())
    };
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let odd = [
        "",
        "NaN",
        "inf",
        "-",
        "1e999",
        "-1e-999",
        "0x10",
        "1,5",
        "\"\"",
        "\"",
        " 7 ",
        "١٢",
        "99999999999999999999999999999999999999999",
    ];
    let n = rng.below(5);
    for _ in 0..n {
        let l = rng.below(lines.len());
        match rng.below(5) {
            0 => {
                let mut fields: Vec<String> = lines[l].split(',').map(str::to_string).collect();
                let f = rng.below(fields.len());
                fields[f] = odd[rng.below(odd.len())].to_string();
                lines[l] = fields.join(",");
            }
            1 => {
                let at: Vec<usize> = lines[l].char_indices().map(|(i, _)| i).collect();
                let i = at.get(rng.below(at.len() + 1)).copied();
                let i = i.unwrap_or(lines[l].len());
                lines[l].insert(i, ',');
            }
            2 => lines[l].push('"'),
            3 => {
                let dup = lines[l].clone();
                lines.insert(l, dup);
            }
            _ => {
                lines.remove(l);
                if lines.is_empty() {
                    lines.push(String::new());
                }
            }
        }
    }
    (lines.join("\n"), format!("{note}, {n} CSV edits"))
}
