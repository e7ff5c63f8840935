//! Text to token ids, and the stateful batcher of truncated BPTT.

use super::error::{Error, Result};
use std::collections::BTreeSet;

/// Largest text the core accepts (characters). Larger inputs get an error, not an allocation storm.
pub const MAX_TEXT_CHARS: usize = 20_000_000;

/// The characters of a model, in index order.
#[derive(Clone, Debug, PartialEq)]
pub struct Vocab {
    pub chars: Vec<char>,
}

impl Vocab {
    /// Sorted distinct characters of `text` (the char-rnn convention).
    pub fn from_text(text: &str) -> Result<Self> {
        if text.is_empty() {
            return Err(Error::Data(
                "the text is empty: paste or load some text to learn from".into(),
            ));
        }
        // Inserted one by one: `collect()` into a BTreeSet would first gather every character
        // of the text in a Vec and sort it (memory for the whole text, and one more sort
        // instantiation in the wasm).
        let mut set = BTreeSet::new();
        for c in text.chars() {
            set.insert(c);
        }
        Ok(Vocab {
            chars: set.into_iter().collect(),
        })
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Index of `c`, if known.
    pub fn id(&self, c: char) -> Option<u32> {
        self.chars
            .binary_search(&c)
            .ok()
            .map(|i| i as u32)
            .or_else(|| self.chars.iter().position(|&x| x == c).map(|i| i as u32))
    }

    /// Token ids of `text`; an unknown character is reported with its position.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        let (mut line, mut col) = (1, 1);
        let mut out = Vec::with_capacity(text.len());
        for (pos, c) in text.chars().enumerate() {
            if pos >= MAX_TEXT_CHARS {
                return Err(Error::Data(format!(
                    "the text is longer than {MAX_TEXT_CHARS} characters; use a shorter one"
                )));
            }
            match self.id(c) {
                Some(i) => out.push(i),
                None => {
                    return Err(Error::UnknownChar {
                        ch: c,
                        code: c as u32,
                        pos,
                        line,
                        col,
                        vocab_size: self.len(),
                    });
                }
            }
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        Ok(out)
    }

    /// Characters of the ids (unknown ids become U+FFFD).
    pub fn decode(&self, ids: &[u32]) -> String {
        ids.iter()
            .map(|&i| self.chars.get(i as usize).copied().unwrap_or('\u{FFFD}'))
            .collect()
    }
}

/// B contiguous streams over the data, read window by window.
///
/// Stream `b` is `data[b·L .. (b+1)·L]` with `L = N / B`. Window `k` of a stream has inputs
/// `[kT, kT+T)` and targets `[kT+1, kT+T+1)`. After the last full window the cursor wraps to
/// window 0 and the caller resets the hidden state (a new epoch).
#[derive(Clone, Debug)]
pub struct Streams {
    data: Vec<u32>,
    batch: usize,
    seq_len: usize,
    stream_len: usize,
    /// Next window index.
    pub window: usize,
}

/// One training window, time-major (`[t][b]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub input: WindowInput,
    pub target: WindowTarget,
    /// True when the hidden state must start from zero (new epoch, or independent task episodes).
    pub reset: bool,
}

/// Inputs of a window.
#[derive(Clone, Debug, PartialEq)]
pub enum WindowInput {
    /// Token ids `[T·B]`.
    Tokens(Vec<u32>),
    /// Real vectors `[T·B·I]`.
    Real(Vec<f32>),
}

/// Targets of a window.
#[derive(Clone, Debug, PartialEq)]
pub enum WindowTarget {
    /// Class ids `[T·B]` (`loss::IGNORE` = no loss there).
    Tokens(Vec<u32>),
    /// Real targets `[T·B·O]` and a per-step mask `[T]`.
    Real { y: Vec<f32>, mask: Vec<bool> },
}

/// Anything that feeds a trainer windows: a text's streams or a synthetic task.
pub trait Source {
    /// Batch size B.
    fn batch(&self) -> usize;
    /// The next window.
    fn next_window(&mut self) -> Window;
    /// The next window into `w`, reusing its buffers where the source can.
    fn next_window_into(&mut self, w: &mut Window) {
        *w = self.next_window();
    }
    /// Position to save in a checkpoint (window index), and to restore.
    fn cursor(&self) -> usize;
    fn set_cursor(&mut self, c: usize);
}

impl Streams {
    /// Checks that at least one window fits.
    pub fn new(data: Vec<u32>, batch: usize, seq_len: usize) -> Result<Self> {
        if seq_len == 0 {
            return Err(Error::config("seq-len", 0, "must be at least 1"));
        }
        if batch == 0 {
            return Err(Error::config("batch", 0, "must be at least 1"));
        }
        let stream_len = data.len() / batch;
        if stream_len < seq_len + 1 {
            return Err(Error::Data(format!(
                "the text has {} characters, but batch {batch} × (sequence length {seq_len} + 1) needs at least {}",
                data.len(),
                batch * (seq_len + 1)
            )));
        }
        Ok(Streams {
            data,
            batch,
            seq_len,
            stream_len,
            window: 0,
        })
    }

    /// Windows per epoch.
    pub fn windows(&self) -> usize {
        (self.stream_len - 1) / self.seq_len
    }

    /// The next window; advances the cursor.
    pub fn next_tokens(&mut self) -> Window {
        let mut w = Window {
            input: WindowInput::Tokens(Vec::new()),
            target: WindowTarget::Tokens(Vec::new()),
            reset: false,
        };
        self.fill_tokens(&mut w);
        w
    }

    /// [`Streams::next_tokens`] into `w`, reusing its buffers.
    pub fn fill_tokens(&mut self, w: &mut Window) {
        if self.window >= self.windows() {
            self.window = 0;
        }
        let k = self.window;
        let (b, t) = (self.batch, self.seq_len);
        if !matches!(w.input, WindowInput::Tokens(_)) {
            w.input = WindowInput::Tokens(Vec::new());
        }
        if !matches!(w.target, WindowTarget::Tokens(_)) {
            w.target = WindowTarget::Tokens(Vec::new());
        }
        if let (WindowInput::Tokens(inputs), WindowTarget::Tokens(targets)) =
            (&mut w.input, &mut w.target)
        {
            inputs.clear();
            inputs.resize(t * b, 0);
            targets.clear();
            targets.resize(t * b, 0);
            for s in 0..b {
                let base = s * self.stream_len + k * t;
                for i in 0..t {
                    inputs[i * b + s] = self.data[base + i];
                    targets[i * b + s] = self.data[base + i + 1];
                }
            }
        }
        self.window += 1;
        w.reset = k == 0;
    }

    /// The token ids.
    pub fn data(&self) -> &[u32] {
        &self.data
    }

    /// Total token count.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

impl Source for Streams {
    fn batch(&self) -> usize {
        self.batch
    }

    fn next_window(&mut self) -> Window {
        self.next_tokens()
    }

    fn next_window_into(&mut self, w: &mut Window) {
        self.fill_tokens(w)
    }

    fn cursor(&self) -> usize {
        self.window
    }

    fn set_cursor(&mut self, c: usize) {
        self.window = c;
    }
}

/// Entropy (nats) of the character frequencies of `ids` — the unigram baseline of a loss chart.
pub fn unigram_entropy(ids: &[u32], vocab: usize) -> f64 {
    let mut counts = vec![0usize; vocab];
    for &i in ids {
        counts[i as usize] += 1;
    }
    let n = ids.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * libm::log(p)
        })
        .sum()
}
