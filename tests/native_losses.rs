//! Native half of the cross-target determinism check: the runs described in
//! `tests/fixtures/native_losses.json` must give exactly the loss bits stored there (on three
//! threads; one case has a batch of three shards).
//! `RNNLAB_WRITE_FIXTURES=1 cargo test --test native_losses` rewrites the bits; `tests/web.rs`
//! checks that the wasm build reproduces them.

mod common;

use common::loss_bits;
use rnnlab::core::exec::Threads;
use rnnlab::core::session::TextSession;
use rnnlab::core::Config;
use serde_json::Value;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/native_losses.json"
);

fn config(query: &str) -> Config {
    let (c, notes) = Config::from_query(query);
    assert!(notes.is_empty(), "fixture query {query:?}: {notes:?}");
    c
}

fn run(case: &Value, corpus: &str) -> Vec<u32> {
    let c = config(case["query"].as_str().unwrap());
    let text: String = corpus
        .chars()
        .take(case["text_chars"].as_u64().unwrap() as usize)
        .collect();
    let mut s = TextSession::new(&c, &text, 0.1).unwrap();
    // Three threads here, one in wasm: the same bits (src/core/shards.rs).
    s.trainer.set_executor(Box::new(Threads::new(3)));
    (0..case["steps"].as_u64().unwrap())
        .map(|_| s.step().unwrap().loss.to_bits())
        .collect()
}

#[test]
fn native_losses_match_the_fixture() {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    let corpus = std::fs::read_to_string(format!(
        "{}/{}",
        env!("CARGO_MANIFEST_DIR"),
        doc["text_file"].as_str().unwrap()
    ))
    .unwrap();
    let write = std::env::var("RNNLAB_WRITE_FIXTURES").is_ok_and(|v| v == "1");
    for case in doc["cases"].as_array_mut().unwrap() {
        let bits = run(case, &corpus);
        let name = case["name"].as_str().unwrap().to_string();
        if write {
            case["loss_bits"] = bits.iter().copied().collect();
            continue;
        }
        let want = loss_bits(case);
        assert!(
            !want.is_empty(),
            "{name}: no loss bits stored; run with RNNLAB_WRITE_FIXTURES=1"
        );
        assert_eq!(bits, want, "{name}: native losses differ from the fixture");
    }
    if write {
        std::fs::write(FIXTURE, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    }
}
