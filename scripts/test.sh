#!/usr/bin/env bash
# Everything CI checks, in order, stopping at the first failing stage:
#   setup --test, rustfmt, clippy (native, all targets), clippy (each page's wasm32 build),
#   cargo test (native), the PyTorch export against PyTorch (skipped only where pip cannot install
#   torch), wasm-bindgen tests in headless chromium (tests/web.rs),
#   release wasm builds (www/pkg, www/pkg-lab), the API listings (src/web/api/*.d.ts) against them,
#   browser end-to-end tests (tests/e2e) in Chromium, then their Firefox cross-section with
#   the Chromium/Firefox/native-CLI bit-identity test (tests/e2e/engines.spec.mjs).
#
#   bash scripts/test.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
# wasm-bindgen-test-runner: use Debian's chromedriver (headless by default) and give
# tests that train a model more than the default 20 s.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"

T_START=$SECONDS
SUMMARY=()
CURRENT=""

on_exit() {
    local rc=$?
    # The background venv install (see below) does not outlive a failed run.
    if [ -n "${VENV_PID:-}" ] && kill -0 "$VENV_PID" 2>/dev/null; then
        pkill -P "$VENV_PID" 2>/dev/null || true
        kill "$VENV_PID" 2>/dev/null || true
    fi
    if [ "$rc" != 0 ] && [ -n "$CURRENT" ]; then
        echo
        echo "================================================================"
        echo "test.sh: FAILED at stage '$CURRENT' (exit code $rc) after $((SECONDS - T_START))s"
        [ ${#SUMMARY[@]} -eq 0 ] || echo "  passed before it: ${SUMMARY[*]}"
        echo "================================================================"
    fi
}
trap on_exit EXIT

# stage NAME COMMAND...: run one stage, time it, fail fast naming it.
stage() {
    CURRENT="$1"
    shift
    echo
    echo "==> [$CURRENT] $*"
    local t0=$SECONDS
    "$@"
    local dt=$((SECONDS - t0))
    echo "<== [$CURRENT] ok (${dt}s)"
    SUMMARY+=("$CURRENT=${dt}s")
    CURRENT=""
}
skip() {
    echo
    echo "--> [$1] SKIPPED: $2"
    SUMMARY+=("$1=skipped")
}

stage setup bash scripts/setup.sh --test
# The PyTorch venv is mostly a download (torch pulls in NVIDIA's libraries, ~4 GB): it is made
# in the background while the stages below compile, and waited for where the export needs it.
VENV_LOG="$ROOT/target/torch-venv.log"
mkdir -p "$ROOT/target"
T_VENV=$SECONDS
bash scripts/torch-venv.sh >"$VENV_LOG.out" 2>"$VENV_LOG" &
VENV_PID=$!
stage fmt cargo fmt --all -- --check
stage clippy cargo clippy --all-targets -- -D warnings
# Each page's build has only its own classes (scripts/build-web.sh): lint those two builds (all
# the features between them; the wasm tests build the crate with every feature at once).
stage clippy-wasm-playground cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features playground -- -D warnings
stage clippy-wasm-lab cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features lab,series -- -D warnings
stage test cargo test
# The exported train.py against PyTorch itself, from PyPI (a venv in target/, made once, in the
# background since setup).
if wait "$VENV_PID"; then
    SUMMARY+=("torch-venv=$((SECONDS - T_VENV))s-in-background")
    cat "$VENV_LOG"
    stage torch-export bash scripts/torch-parity.sh
else
    cat "$VENV_LOG"
    skip torch-export "pip could not install torch and safetensors (see [torch-venv] above)"
fi
if [ -f tests/web.rs ]; then
    stage test-wasm cargo test --target wasm32-unknown-unknown --test web
else
    skip test-wasm "tests/web.rs does not exist yet"
fi
stage build-web bash scripts/build-web.sh --release
stage api-listing bash scripts/check-api.sh
if [ -f tests/e2e/run.mjs ]; then
    stage e2e node tests/e2e/run.mjs
else
    # harness.mjs as the entry point runs smoke.mjs and every *.spec.mjs in one process.
    stage e2e node tests/e2e/harness.mjs
fi
# The tests registered for Firefox (engines: [..., 'firefox']), in Debian's firefox-esr.
stage e2e-firefox env E2E_BROWSER=firefox node tests/e2e/harness.mjs

echo
echo "================================================================"
echo "test.sh: all stages passed in $((SECONDS - T_START))s: ${SUMMARY[*]}"
echo "================================================================"
