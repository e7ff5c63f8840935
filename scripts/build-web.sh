#!/usr/bin/env bash
# Build the browser playground's wasm module into www/pkg/ (loaded by index.html).
#
#   bash scripts/build-web.sh            # optimized release build (default)
#   bash scripts/build-web.sh --dev      # faster to compile, slower to run
#
# Needs the wasm32 target and wasm-bindgen-cli: run scripts/setup.sh once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

PROFILE=release
for arg in "$@"; do
    case "$arg" in
        --release) PROFILE=release ;;
        --dev | --debug) PROFILE=dev ;;
        -h | --help)
            sed -n '2,7p' "$0"
            exit 0
            ;;
        *)
            echo "build-web.sh: unknown argument '$arg' (use --release or --dev)" >&2
            exit 2
            ;;
    esac
done

say() { printf '[build-web] %s\n' "$*"; }
die() {
    printf '[build-web] ERROR: %s\n' "$*" >&2
    exit 1
}

command -v wasm-bindgen >/dev/null 2>&1 || die "wasm-bindgen not found: run 'bash scripts/setup.sh' first"

# SIMD128 for the wasm build comes from .cargo/config.toml ([target.wasm32-unknown-unknown]
# rustflags), so that this build, `cargo check/clippy --target wasm32-unknown-unknown` and
# the wasm-bindgen tests all share the same compiled dependencies. A RUSTFLAGS variable
# would replace those flags, so keep SIMD on top of it if one is set.
if [ -n "${RUSTFLAGS:-}" ] && [[ "$RUSTFLAGS" != *simd128* ]]; then
    export RUSTFLAGS="$RUSTFLAGS -C target-feature=+simd128"
fi

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
if [ "$PROFILE" = release ]; then
    cargo_args=(--release)
    out_dir="$TARGET_DIR/wasm32-unknown-unknown/release"
else
    cargo_args=()
    out_dir="$TARGET_DIR/wasm32-unknown-unknown/debug"
fi

say "cargo build --lib --target wasm32-unknown-unknown ${cargo_args[*]:-} (profile: $PROFILE, +simd128)"
t0=$SECONDS
cargo build --lib --target wasm32-unknown-unknown "${cargo_args[@]}"
wasm="$out_dir/rnnlab.wasm"
[ -f "$wasm" ] || die "$wasm was not produced (is crate-type cdylib set in Cargo.toml?)"

say "wasm-bindgen --target web --no-typescript --out-dir www/pkg $wasm"
# Generate into a scratch folder, then move the files over the old ones (each rename is
# atomic), so a page or test reading www/pkg meanwhile never finds it missing.
tmp_pkg="www/.pkg.tmp.$$"
rm -rf "$tmp_pkg"
trap 'rm -rf "$tmp_pkg"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$tmp_pkg" "$wasm"
mkdir -p www/pkg
for old in www/pkg/* www/pkg/.[!.]*; do
    [ -e "$old" ] || continue
    [ -e "$tmp_pkg/${old#www/pkg/}" ] || rm -rf "$old" # stale output of an older build
done
(cd "$tmp_pkg" && find . -type d -exec mkdir -p "../pkg/{}" \; && find . ! -type d -exec mv -f {} "../pkg/{}" \;)
rm -rf "$tmp_pkg"

size_of() { wc -c <"$1" | tr -d ' '; }
gz_size_of() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
human() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.2f MiB", b / 1048576; else printf "%.1f KiB", b / 1024 }'; }
for f in www/pkg/rnnlab_bg.wasm www/pkg/rnnlab.js; do
    [ -f "$f" ] || die "wasm-bindgen did not write $f"
    s=$(size_of "$f")
    g=$(gz_size_of "$f")
    say "$(printf '%-24s %10s  (gzip -9: %s)' "$f" "$(human "$s")" "$(human "$g")")"
done
say "done in $((SECONDS - t0))s: www/pkg/ is ready (serve the repo root and open index.html)"
