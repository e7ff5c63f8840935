//! Typed errors of the training core. Every message names the operation and, where shapes are
//! involved, the expected and actual shapes.

/// Everything that can go wrong in the core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A setting is out of range or unparsable.
    #[error("setting `{key}` = {value:?} is not allowed: {reason}")]
    Config {
        key: String,
        value: String,
        reason: String,
    },
    /// Two tensors (or a tensor and a model) disagree in shape.
    #[error("{op}: expected shape {expected}, got {got}")]
    Shape {
        op: String,
        expected: String,
        got: String,
    },
    /// The training or evaluation text cannot be used.
    #[error("{0}")]
    Data(String),
    /// A character the model has never seen.
    #[error(
        "character {ch:?} (U+{code:04X}) at offset {pos} (line {line}, column {col}) is not in the model's vocabulary of {vocab_size} characters"
    )]
    UnknownChar {
        ch: char,
        code: u32,
        pos: usize,
        line: usize,
        col: usize,
        vocab_size: usize,
    },
    /// A model file that cannot be read.
    #[error("model file: {0}")]
    ModelFile(String),
    /// The loss or the gradient stopped being a usable number.
    #[error(
        "training diverged at step {step}: loss {loss}, gradient norm {grad_norm:.3e}. {hint}"
    )]
    Diverged {
        step: u64,
        loss: f32,
        grad_norm: f32,
        hint: String,
    },
}

/// Result alias of the core.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A configuration error.
    pub fn config(key: &str, value: impl ToString, reason: impl Into<String>) -> Self {
        Error::Config {
            key: key.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// A shape mismatch found by `op`.
    pub fn shape(
        op: impl Into<String>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> Self {
        Error::Shape {
            op: op.into(),
            expected: expected.into(),
            got: got.into(),
        }
    }
}
