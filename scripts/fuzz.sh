#!/usr/bin/env bash
# Seeded mutation fuzzing (tests/fuzz.rs): mutated model files, texts and links go through the
# page's own entry points and must load or be refused with a message, never panic.
#
#   bash scripts/fuzz.sh [CASES] [SEED]    # default 100000 cases per target, seed 1
#
# It runs in the test profile (optimised, with overflow checks on, so an arithmetic overflow
# is found as a panic rather than wrapping silently). CI runs the default slice of 2500 cases
# per target inside `cargo test`. A failure names the seed and case; replay it with
#   RNNLAB_FUZZ_SEED=S RNNLAB_FUZZ_FROM=K RNNLAB_FUZZ_CASES=1 cargo test --test fuzz
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
RNNLAB_FUZZ_CASES="${1:-100000}" RNNLAB_FUZZ_SEED="${2:-1}" \
    cargo test --test fuzz -- --nocapture
