//! Setup shared by the test crates (`mod common;`): the corpus and settings they train on.

// Every test crate compiles its own copy and uses only part of it.
#![allow(dead_code)]

use rnnlab::core::Config;

/// The first `n` characters of The Tempest.
pub fn tempest(n: usize) -> String {
    let t = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/www/corpora/the-tempest.txt"
    ))
    .unwrap();
    t.chars().take(n).collect()
}

/// The loss bits stored for one case of `tests/fixtures/native_losses.json`.
pub fn loss_bits(case: &serde_json::Value) -> Vec<u32> {
    case["loss_bits"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_u64().unwrap() as u32).collect())
        .unwrap_or_default()
}

/// Command-line words: `"--hidden 16 --seed 3"` → `["--hidden", "16", "--seed", "3"]`.
pub fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// The default settings with those of `query` (`key=value&…`) set.
pub fn cfg(query: &str) -> Config {
    Config::from_query_strict(query).unwrap()
}
