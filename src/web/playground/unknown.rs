//! A model whose vocabulary does not cover the text still loads: sampling and looking inside need
//! only the model. Training needs a text it can read, so until the user says how — drop the
//! unknown characters, map them to one the model knows, or give another text — the session trains
//! on nothing and says why.

use crate::core::config::Config;
use crate::core::data::Vocab;
use crate::core::error::{Error, Result};
use crate::core::model::Model;
use crate::core::session::TextSession;
use crate::core::trainer::Snapshot;

/// What was loaded and the text it could not read, kept until the user decides.
#[derive(Clone)]
pub struct Unknown {
    /// The distinct characters the model does not know, in order of appearance.
    pub chars: Vec<char>,
    /// How many characters of the text they are.
    pub count: usize,
    pub text: String,
    pub config: Config,
    pub model: Model,
    pub checkpoint: Option<Snapshot>,
}

/// How to make the text readable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fix {
    /// Leave the unknown characters out.
    Drop,
    /// Write this known character for each of them.
    Map(char),
}

impl Unknown {
    /// What `vocab` cannot read of `text` (`None` when it reads all of it).
    pub fn find(vocab: &[char], text: &str) -> Option<(Vec<char>, usize)> {
        let mut chars = Vec::new();
        let mut count = 0;
        for c in text.chars().filter(|c| !vocab.contains(c)) {
            count += 1;
            if !chars.contains(&c) {
                chars.push(c);
            }
        }
        (count > 0).then_some((chars, count))
    }

    /// Why training waits, and the ways forward.
    pub fn message(&self) -> String {
        let some: String = self.chars.iter().take(20).collect();
        let more = if self.chars.len() > 20 { "…" } else { "" };
        format!(
            "training needs a text the model can read: {} characters of this text ({} distinct: {some}{more}) are not in the model's vocabulary. Drop them, map them to a character the model knows, or use another text; sampling and looking inside work meanwhile",
            self.count,
            self.chars.len()
        )
    }

    /// The text with the unknown characters fixed.
    pub fn fixed(&self, fix: Fix, vocab: &[char]) -> Result<String> {
        if let Fix::Map(c) = fix {
            if !vocab.contains(&c) {
                let why = "map the unknown characters to one the model knows";
                return Err(Error::config("map to", c, why));
            }
        }
        Ok(self
            .text
            .chars()
            .filter_map(|c| match fix {
                _ if vocab.contains(&c) => Some(c),
                Fix::Drop => None,
                Fix::Map(m) => Some(m),
            })
            .collect())
    }
}

/// A session for `model` that trains on nothing the user gave: a stand-in text made of the
/// model's own characters, long enough for its windows. Its trainer is never stepped.
pub fn idle_session(config: &Config, model: Model) -> Result<TextSession> {
    let vocab = Vocab {
        chars: model.spec.vocab.clone(),
    };
    let need = config.seq_len * config.batch + 2;
    let text: String = vocab.chars.iter().cycle().take(need.max(2)).collect();
    TextSession::with_model(config, model, &text, 0.0, None)
}
