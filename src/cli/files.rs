//! Reading texts and model files and writing models, with messages that name the file.

use super::{Fail, Outcome};
use clap::Args;
use rnnlab::core::data::{Vocab, MAX_TEXT_CHARS};
use rnnlab::core::io::{self, Loaded, MAX_FILE_BYTES};
use rnnlab::core::{Error, LossKind};
use std::fs;
use std::path::{Path, PathBuf};

/// The model and the text a command reads (`--model M --text FILE`); each command's help says
/// what it does with the text.
#[derive(Args, Debug)]
pub struct ModelText {
    /// Model file (or checkpoint)
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Text file (UTF-8, only characters the model knows)
    #[arg(long, value_name = "FILE")]
    pub text: PathBuf,
}

fn size_of(path: &Path, what: &str) -> Outcome<u64> {
    let meta = fs::metadata(path)
        .map_err(|e| Fail(format!("cannot read {what} `{}`: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(Fail(format!(
            "{what} `{}` is a directory, not a file",
            path.display()
        )));
    }
    Ok(meta.len())
}

pub fn read_bytes(path: &Path, what: &str, limit: u64) -> Outcome<Vec<u8>> {
    let len = size_of(path, what)?;
    if len > limit {
        return Err(Fail(format!(
            "{what} `{}` is {} MB; the limit is {} MB",
            path.display(),
            len >> 20,
            limit >> 20
        )));
    }
    fs::read(path).map_err(|e| Fail(format!("cannot read {what} `{}`: {e}", path.display())))
}

/// A whole UTF-8 text file; empty, oversized and non-UTF-8 files are refused.
pub fn read_text(path: &Path) -> Outcome<String> {
    let bytes = read_bytes(path, "text file", 4 * MAX_TEXT_CHARS as u64)?;
    if bytes.is_empty() {
        return Err(Fail(format!(
            "text file `{}` is empty: give it some text to work on",
            path.display()
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let byte = e.as_bytes()[at];
        Fail(format!(
            "text file `{}` is not UTF-8 text: byte 0x{byte:02X} at byte offset {at} is not valid UTF-8 (convert it, e.g. with iconv, first)",
            path.display()
        ))
    })
}

/// A model file or checkpoint, checked by the core.
pub fn read_model(path: &Path) -> Outcome<Loaded> {
    let bytes = read_bytes(path, "model file", MAX_FILE_BYTES as u64)?;
    io::load(&bytes).map_err(|e| match e {
        Error::ModelFile(m) => Fail(format!("model file `{}`: {m}", path.display())),
        e => Fail(format!("model file `{}`: {e}", path.display())),
    })
}

/// A character model (not a real-valued one) from a file.
pub fn read_char_model(path: &Path) -> Outcome<Loaded> {
    let loaded = read_model(path)?;
    if loaded.model.spec.loss != LossKind::CrossEntropy {
        return Err(Fail(format!(
            "model file `{}` holds a real-valued model, not a character model",
            path.display()
        )));
    }
    Ok(loaded)
}

/// Adds the text file's name to a core error about its contents.
pub fn text_error(path: &Path, e: Error) -> Fail {
    match e {
        Error::UnknownChar { .. } => Fail(format!("text file `{}`: {e}", path.display())),
        Error::Data(m) => Fail(format!("text file `{}`: {m}", path.display())),
        e => e.into(),
    }
}

/// Token ids of `text` in the model's vocabulary.
pub fn encode(vocab: &[char], text: &str, path: &Path) -> Outcome<Vec<u32>> {
    Vocab {
        chars: vocab.to_vec(),
    }
    .encode(text)
    .map_err(|e| text_error(path, e))
}

/// The text of `path` and its token ids in the model's vocabulary; a text of more than `limit`
/// characters is refused, naming `command`, before anything is run.
fn read_ids(
    path: &Path,
    vocab: &[char],
    limit: usize,
    command: &str,
) -> Outcome<(String, Vec<u32>)> {
    let text = read_text(path)?;
    let n = text.chars().count();
    if n > limit {
        return Err(Fail(format!(
            "text file `{}` has {n} characters; {command} reads at most {limit}",
            path.display()
        )));
    }
    let ids = encode(vocab, &text, path)?;
    Ok((text, ids))
}

impl ModelText {
    /// The character model, the text (at most `limit` characters for `command`) and its ids.
    pub fn read(&self, limit: usize, command: &str) -> Outcome<(Loaded, String, Vec<u32>)> {
        let loaded = read_char_model(&self.model)?;
        let (text, ids) = read_ids(&self.text, &loaded.model.spec.vocab, limit, command)?;
        Ok((loaded, text, ids))
    }
}

/// A character as the tables show it: quoted and escaped (`'a'`, `' '`, `'\n'`).
pub fn shown(c: char) -> String {
    format!("{c:?}")
}

/// Refuses an output path whose directory does not exist (checked before any work is done).
pub fn check_target(path: &Path, flag: &str) -> Outcome {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Fail(format!(
            "{flag} `{}`: the directory `{}` does not exist",
            path.display(),
            dir.display()
        )));
    }
    if path.is_dir() {
        return Err(Fail(format!("{flag} `{}` is a directory", path.display())));
    }
    // Find out now, not after a long run, whether the directory is writable.
    let tmp = tmp_path(path);
    fs::write(&tmp, b"").map_err(|e| {
        Fail(format!(
            "{flag} `{}`: cannot write there: {e}",
            path.display()
        ))
    })?;
    let _ = fs::remove_file(&tmp);
    Ok(())
}

/// Writes `bytes` to `path` atomically: to `path.tmp` first, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Outcome {
    let tmp = tmp_path(path);
    let res = fs::write(&tmp, bytes).and_then(|_| fs::rename(&tmp, path));
    res.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Fail(format!("cannot write `{}`: {e}", path.display()))
    })
}

/// `path` with `.tmp` appended: where a file is written before it is renamed into place.
pub fn tmp_path(path: &Path) -> PathBuf {
    let mut tmp = PathBuf::from(path).into_os_string();
    tmp.push(".tmp");
    PathBuf::from(tmp)
}
