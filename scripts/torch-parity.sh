#!/usr/bin/env bash
# Checks the PyTorch export against PyTorch itself: `rnnlab train` and the exported train.py (on
# one process and under torchrun with two) must give the same losses, to 1e-4 relative.
#
#   bash scripts/torch-parity.sh          # two small cases and their round trips (CI; about a minute)
#   bash scripts/torch-parity.sh --full   # every cell x layers x input x optimizer (49 cases, ~35 min)
#
# Builds rnnlab (the test profile, which `cargo test` has built already) and makes the virtual
# environment with torch (scripts/torch-venv.sh) the first time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

PY="$(bash scripts/torch-venv.sh)"
cargo build --quiet --profile test --bin rnnlab
exec "$PY" scripts/torch_parity.py --rnnlab target/debug/rnnlab --python "$PY" "$@"
