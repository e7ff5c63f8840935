#!/usr/bin/env bash
# Training speed in the browser: builds the release wasm, serves the repo, runs www/bench/
# in headless chromium (tests/e2e/bench.mjs) and prints JSON and markdown tables: RNN/LSTM/GRU
# at batch 1 and 32, LSTM sweeps of H and T, a memory soak and the playground's fps.
#
#   bash scripts/bench-web.sh               # build, speed tables, 60 s soaks, 10 s of fps
#   bash scripts/bench-web.sh --native      # first run scripts/bench-native.sh: adds wasm/native
#   bash scripts/bench-web.sh --no-build    # use the wasm already in www/pkg/
#   SOAK=1800 bash scripts/bench-web.sh     # the full 30-minute memory soak
#   FLAVOUR=both bash scripts/bench-web.sh  # SIMD and scalar builds side by side
#   bash scripts/bench-web.sh --threads 2   # threads for the native run and the page: batch-32
#                                           # rows timed on 1 and 2 threads (www/shared/pool.js)
#
# More settings (STEPS, BUDGET, WARMUP, SETS, SOAK_WHAT, FPS_SECONDS, NATIVE=FILE, OUT) are
# described at the top of tests/e2e/bench.mjs. Results: target/bench/web.json and web.md.
# Timings are only as good as the machine is quiet: the load average is printed with them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD=1
RUN_NATIVE=0
THREADS="$(nproc)"
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --native) RUN_NATIVE=1 ;;
        --threads)
            THREADS="${2:-}"
            shift
            ;;
        --threads=*) THREADS="${1#--threads=}" ;;
        -h | --help)
            sed -n '2,16p' "$0"
            exit 0
            ;;
        *)
            echo "bench-web.sh: unknown argument '$1' (use --native, --no-build, --threads N or --help)" >&2
            exit 2
            ;;
    esac
    shift
done
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || {
    echo "bench-web.sh: --threads '$THREADS': expected a count like 2" >&2
    exit 2
}
export THREADS

say() { printf '[bench-web] %s\n' "$*" >&2; }
die() {
    printf '[bench-web] ERROR: %s\n' "$*" >&2
    exit 1
}

command -v node >/dev/null 2>&1 || die "node not found: run 'bash scripts/setup.sh --test' first"
[ -d node_modules/playwright-core ] || die "playwright-core is not installed: run 'bash scripts/setup.sh --test' first"

FLAVOUR="${FLAVOUR:-auto}"
case "$FLAVOUR" in
    auto | simd | scalar | both) export FLAVOUR ;;
    *) die "FLAVOUR must be auto, simd, scalar or both (not '$FLAVOUR')" ;;
esac

if [ "$BUILD" = 1 ]; then
    bash scripts/build-web.sh --release >&2 # both builds: www/pkg/ and www/pkg-scalar/
fi

if [ "$RUN_NATIVE" = 1 ]; then
    bash scripts/bench-native.sh --threads "1,$THREADS" target/bench/native.json >&2
    export NATIVE=target/bench/native.json
fi

say "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (busy machines give noisy figures); threads: $THREADS"
node tests/e2e/bench.mjs
