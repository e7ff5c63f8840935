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
BACKGROUND=()

on_exit() {
    local rc=$?
    # Work started in the background (see `background`) does not outlive a failed run.
    local pid
    for pid in "${BACKGROUND[@]}"; do
        kill -0 "$pid" 2>/dev/null && kill -- "-$pid" 2>/dev/null
    done
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

# background LOG COMMAND...: starts COMMAND in a process group of its own (killed if this run
# fails), its output into LOG; `$!` is its pid. `finish PID LOG` waits for it and prints LOG.
background() {
    local log="$1"
    shift
    setsid "$@" >"$log" 2>&1 &
    BACKGROUND+=($!)
}
finish() {
    local rc=0
    wait "$1" || rc=$?
    cat "$2"
    return $rc
}
mkdir -p "$ROOT/target"
# Two long parts run beside the stages below, since neither keeps both cores busy: the PyTorch
# venv is mostly a download (PyPI's torch pulls in NVIDIA's libraries, ~4 GB), and most of a
# release wasm build is its single-threaded last step (codegen-units = 1, LTO). The wasm builds
# use target/web/, so their cargo lock never holds up the native stages.
T_BG=$SECONDS
VENV_LOG="$ROOT/target/torch-venv.log"
background "$VENV_LOG" bash -c 'bash scripts/torch-venv.sh >/dev/null'
VENV_PID=$!
WEB_LOG="$ROOT/target/build-web.log"
background "$WEB_LOG" env CARGO_TARGET_DIR="$ROOT/target/web" bash scripts/build-web.sh --release
WEB_PID=$!
stage fmt cargo fmt --all -- --check
stage clippy cargo clippy --all-targets -- -D warnings
# Each page's build has only its own classes (scripts/build-web.sh): lint those two builds (all
# the features between them; the wasm tests build the crate with every feature at once).
stage clippy-wasm-playground cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features playground -- -D warnings
stage clippy-wasm-lab cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features lab,series -- -D warnings
stage test cargo test
# The exported train.py against PyTorch itself, from PyPI (a venv in target/, made once, in the
# background since setup).
if finish "$VENV_PID" "$VENV_LOG"; then
    SUMMARY+=("torch-venv-ready-at=$((SECONDS - T_BG))s")
    stage torch-export bash scripts/torch-parity.sh
else
    skip torch-export "pip could not install torch and safetensors (see [torch-venv] above)"
fi
if [ -f tests/web.rs ]; then
    stage test-wasm cargo test --target wasm32-unknown-unknown --test web
else
    skip test-wasm "tests/web.rs does not exist yet"
fi
# The release wasm builds started beside the stages above: their log, once they are done.
stage build-web finish "$WEB_PID" "$WEB_LOG"
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
