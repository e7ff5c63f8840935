#!/usr/bin/env bash
# Build the pages' wasm modules: the playground's (index.html and the bench page) into www/pkg/,
# the lab's and the Series page's into www/pkg-lab/, and the same without SIMD into
# www/pkg-scalar/ and www/pkg-lab-scalar/. Each build exports only its pages' classes (cargo
# features `playground`, `lab` and `series`, src/web/api/), so no page downloads code it never
# runs.
#
#   bash scripts/build-web.sh                # optimized release build (default)
#   bash scripts/build-web.sh --dev          # faster to compile, slower to run (SIMD only)
#   bash scripts/build-web.sh --no-scalar    # only the SIMD builds (www/pkg/, www/pkg-lab/)
#   bash scripts/build-web.sh --with-scalar  # both builds, also with --dev
#   bash scripts/build-web.sh --scalar-only  # only the builds without SIMD
#
# www/pkg/ is built with WebAssembly SIMD (simd128); www/pkg-scalar/ is the same code without
# it, for browsers that lack SIMD. www/shared/loader.js picks one of them by feature detection.
# The scalar build uses its own target folder (target/wasm-scalar/), so the two builds never
# invalidate each other's compiled dependencies; it adds ~100 s to a cold build and ~30 s to
# a rebuild on 2 cores. RNNLAB_WITH_SCALAR=0 is --no-scalar, =1 --with-scalar.
#
# Release builds drop the wasm's "name" custom section (function names for stack traces: 26 KiB
# gzipped, ~273 KiB remain); panic messages keep their text and source location. --dev builds
# keep the names.
#
# Needs the wasm32 target and wasm-bindgen-cli: run scripts/setup.sh once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

PROFILE=release
SIMD=1
SCALAR="${RNNLAB_WITH_SCALAR:-}"
for arg in "$@"; do
    case "$arg" in
        --release) PROFILE=release ;;
        --dev | --debug) PROFILE=dev ;;
        --with-scalar) SCALAR=1 ;;
        --no-scalar) SCALAR=0 ;;
        --scalar-only)
            SIMD=0
            SCALAR=1
            ;;
        -h | --help)
            sed -n '2,21p' "$0"
            exit 0
            ;;
        *)
            echo "build-web.sh: unknown argument '$arg' (use --release, --dev, --with-scalar, --no-scalar or --scalar-only)" >&2
            exit 2
            ;;
    esac
done

# The scalar build comes with release builds unless asked otherwise.
if [ -z "$SCALAR" ]; then
    if [ "$PROFILE" = release ]; then SCALAR=1; else SCALAR=0; fi
fi

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
USER_RUSTFLAGS="${RUSTFLAGS:-}"
if [ -n "${RUSTFLAGS:-}" ] && [[ "$RUSTFLAGS" != *simd128* ]]; then
    export RUSTFLAGS="$RUSTFLAGS -C target-feature=+simd128"
fi

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
SCALAR_TARGET_DIR="$TARGET_DIR/wasm-scalar"
if [ "$PROFILE" = release ]; then
    cargo_args=(--release)
    profile_dir=release
    # The name section is only read by debuggers and stack traces; see the header.
    bindgen_args=(--remove-name-section --remove-producers-section)
else
    cargo_args=()
    profile_dir=debug
    bindgen_args=()
fi

# Scratch folders of wasm-bindgen output (see bindgen_into; a build in a subshell makes its
# own), removed on exit.
cleanup() { rm -rf www/.pkg.tmp.*."$$"; }
trap cleanup EXIT

# bindgen_into WASM DIR: the wasm-bindgen JS glue and wasm for WASM, into www/DIR.
bindgen_into() {
    local wasm="$1" dir="www/$2"
    [ -f "$wasm" ] || die "$wasm was not produced (is crate-type cdylib set in Cargo.toml?)"
    say "wasm-bindgen --target web ${bindgen_args[*]:-}${bindgen_args[*]:+ }--out-dir $dir $wasm"
    # Generate into a scratch folder, then move the files over the old ones (each rename is
    # atomic), so a page or test reading $dir meanwhile never finds it missing.
    local tmp="www/.pkg.tmp.$2.$$"
    rm -rf "$tmp"
    wasm-bindgen --target web "${bindgen_args[@]}" --out-dir "$tmp" "$wasm"
    mkdir -p "$dir"
    local old
    for old in "$dir"/* "$dir"/.[!.]*; do
        [ -e "$old" ] || continue
        [ -e "$tmp/${old#"$dir"/}" ] || rm -rf "$old" # stale output of an older build
    done
    (cd "$tmp" && find . -type d -exec mkdir -p "../$2/{}" \; && find . ! -type d -exec mv -f {} "../$2/{}" \;)
    rm -rf "$tmp"
}

t0=$SECONDS
pkgs=()
# Each build: its cargo features and its folder under www/ (the scalar one adds -scalar).
PAGES=(playground:pkg lab,series:pkg-lab)
build_simd() {
    for p in "${PAGES[@]}"; do
        feature="${p%%:*}" dir="${p#*:}"
        say "cargo build --lib --target wasm32-unknown-unknown ${cargo_args[*]:-} --features $feature (profile: $PROFILE, +simd128)"
        t1=$SECONDS
        cargo build --lib --target wasm32-unknown-unknown "${cargo_args[@]}" --no-default-features --features "$feature"
        bindgen_into "$TARGET_DIR/wasm32-unknown-unknown/$profile_dir/rnnlab.wasm" "$dir"
        say "simd128 build ($feature): $((SECONDS - t1))s"
    done
}

build_scalar() {
    # Flags from the environment replace those of .cargo/config.toml (which add +simd128 to
    # every wasm32 build). CARGO_ENCODED_RUSTFLAGS is used because a target-specific
    # CARGO_TARGET_<triple>_RUSTFLAGS would be merged with the config's list, keeping SIMD.
    # Any RUSTFLAGS given are kept instead, less their SIMD settings.
    # The config's own flags (less SIMD) come first: .cargo/config.toml names them once.
    config_flags="$(sed -n 's/^rustflags = \[\(.*\)\]$/\1/p' .cargo/config.toml | tr -d '",')"
    user_flags=()
    read -r -a user_flags <<<"${USER_RUSTFLAGS:-$config_flags}"
    kept=()
    for ((i = 0; i < ${#user_flags[@]}; i++)); do
        f="${user_flags[i]}"
        if [ "$f" = -C ] && [[ "${user_flags[i + 1]:-}" == *simd128* ]]; then
            i=$((i + 1))
        elif [[ "$f" != *simd128* ]]; then
            kept+=("$f")
        fi
    done
    kept+=("-Ctarget-feature=-simd128")
    encoded="$(printf '%s\x1f' "${kept[@]}")"
    encoded="${encoded%$'\x1f'}"
    for p in "${PAGES[@]}"; do
        feature="${p%%:*}" dir="${p#*:}-scalar"
        say "cargo build --lib --target wasm32-unknown-unknown ${cargo_args[*]:-} --features $feature --target-dir $SCALAR_TARGET_DIR (profile: $PROFILE, no SIMD)"
        t1=$SECONDS
        env -u RUSTFLAGS CARGO_ENCODED_RUSTFLAGS="$encoded" \
            cargo build --lib --target wasm32-unknown-unknown "${cargo_args[@]}" --target-dir "$SCALAR_TARGET_DIR" \
            --no-default-features --features "$feature"
        bindgen_into "$SCALAR_TARGET_DIR/wasm32-unknown-unknown/$profile_dir/rnnlab.wasm" "$dir"
        say "scalar build ($feature): $((SECONDS - t1))s"
    done
}

# The two builds use their own target folders, so they run side by side when both are asked
# for: most of a release build is its last, single-threaded step (codegen-units = 1, LTO), so
# on 2 cores the pair takes little longer than one. The scalar build's output follows the other's.
for p in "${PAGES[@]}"; do
    [ "$SIMD" = 0 ] || pkgs+=("${p#*:}")
    [ "$SCALAR" = 0 ] || pkgs+=("${p#*:}-scalar")
done
if [ "$SIMD" = 1 ] && [ "$SCALAR" = 1 ]; then
    scalar_log="$TARGET_DIR/build-web-scalar.log"
    mkdir -p "$TARGET_DIR"
    # Each in a subshell of its own, where set -e stops it at its first failing command.
    build_scalar >"$scalar_log" 2>&1 &
    scalar_pid=$!
    build_simd &
    simd_pid=$!
    simd_rc=0
    wait "$simd_pid" || simd_rc=$?
    scalar_rc=0
    wait "$scalar_pid" || scalar_rc=$?
    cat "$scalar_log"
    [ "$simd_rc" = 0 ] || die "the simd128 build failed"
    [ "$scalar_rc" = 0 ] || die "the scalar build failed (its output is above)"
elif [ "$SIMD" = 1 ]; then
    build_simd
else
    build_scalar
fi

size_of() { wc -c <"$1" | tr -d ' '; }
gz_size_of() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
human() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.2f MiB", b / 1048576; else printf "%.1f KiB", b / 1024 }'; }
for p in "${pkgs[@]}"; do
    for f in "www/$p/rnnlab_bg.wasm" "www/$p/rnnlab.js"; do
        [ -f "$f" ] || die "wasm-bindgen did not write $f"
        s=$(size_of "$f")
        g=$(gz_size_of "$f")
        say "$(printf '%-31s %10s  (gzip -9: %s)' "$f" "$(human "$s")" "$(human "$g")")"
    done
done
say "done in $((SECONDS - t0))s: ${pkgs[*]/#/www/} ready (serve the repo root and open index.html)"
