#!/usr/bin/env bash
# Install what rnnlab needs to build (and, with --test, to test) on a Debian machine.
#
#   bash scripts/setup.sh          # wasm32 target + wasm-bindgen-cli (for build-web.sh / serve.sh)
#   bash scripts/setup.sh --test   # + rustfmt/clippy, Debian chromium + chromium-driver and
#                                  #   firefox-esr, npm ci (playwright-core, puppeteer-core)
#
# Idempotent: every step checks what is already there (and its version) and is
# skipped when it is; a second run takes about a second.
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130 # must equal the `wasm-bindgen = "=..."` pin in Cargo.toml
NODE_MIN_MAJOR=20            # playwright-core needs node >= 20
# puppeteer-core 24.43 sets a screen orientation with every viewport, a WebDriver BiDi command
# that Firefox 140 ESR lacks; 153 ESR has it.
FIREFOX_MIN_MAJOR=153

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_TEST=0
for arg in "$@"; do
    case "$arg" in
        --test) WITH_TEST=1 ;;
        -h | --help)
            sed -n '2,10p' "$0"
            exit 0
            ;;
        *)
            echo "setup.sh: unknown argument '$arg' (use --test)" >&2
            exit 2
            ;;
    esac
done

say() { printf '[setup] %s\n' "$*"; }
die() {
    printf '[setup] ERROR: %s\n' "$*" >&2
    exit 1
}

# --- Rust toolchain ---------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs) first"
command -v rustup >/dev/null 2>&1 || die "rustup not found: the wasm32 target is added with rustup"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" # where cargo install puts wasm-bindgen

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "ok: rust target wasm32-unknown-unknown"
else
    say "adding rust target wasm32-unknown-unknown (rustup target add)"
    rustup target add wasm32-unknown-unknown
fi

# --- wasm-bindgen-cli (wasm-bindgen + wasm-bindgen-test-runner) -------------
wbg_version() { "$1" --version 2>/dev/null | awk '{print $2}'; }
have_wbg() {
    command -v wasm-bindgen >/dev/null 2>&1 &&
        command -v wasm-bindgen-test-runner >/dev/null 2>&1 &&
        [ "$(wbg_version wasm-bindgen)" = "$WASM_BINDGEN_VERSION" ] &&
        [ "$(wbg_version wasm-bindgen-test-runner)" = "$WASM_BINDGEN_VERSION" ]
}
if have_wbg; then
    say "ok: wasm-bindgen $WASM_BINDGEN_VERSION"
else
    if command -v wasm-bindgen >/dev/null 2>&1; then
        say "found wasm-bindgen $(wbg_version wasm-bindgen), need exactly $WASM_BINDGEN_VERSION"
    fi
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION with cargo install (compiles from source: 3-6 min on 2 cores)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
    hash -r
    have_wbg || die "wasm-bindgen $WASM_BINDGEN_VERSION still not on PATH after install (is ~/.cargo/bin on PATH?)"
    say "ok: wasm-bindgen $WASM_BINDGEN_VERSION installed"
fi

command -v python3 >/dev/null 2>&1 || die "python3 not found (serve.sh and the e2e tests serve files with python3 -m http.server)"

if [ "$WITH_TEST" = 0 ]; then
    say "done (build tools ready; run with --test to also install the test tools)"
    exit 0
fi

# --- rustfmt + clippy -------------------------------------------------------
missing_components=()
cargo fmt --version >/dev/null 2>&1 || missing_components+=(rustfmt)
cargo clippy --version >/dev/null 2>&1 || missing_components+=(clippy)
if [ ${#missing_components[@]} -eq 0 ]; then
    say "ok: rustfmt and clippy"
else
    say "adding rustup components: ${missing_components[*]}"
    rustup component add "${missing_components[@]}"
fi

# --- Debian chromium + chromium-driver, firefox-esr (headless browser tests) ---
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
chromium_ok() { deb_installed chromium && deb_installed chromium-driver && [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }
firefox_ok() {
    deb_installed firefox-esr && [ -x /usr/bin/firefox-esr ] &&
        [ "$(deb_version firefox-esr | cut -d. -f1)" -ge "$FIREFOX_MIN_MAJOR" ]
}
debs=()
chromium_ok || debs+=(chromium chromium-driver)
firefox_ok || debs+=(firefox-esr)
if [ ${#debs[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install ${debs[*]} (at /usr/bin/chromium, /usr/bin/chromedriver, /usr/bin/firefox-esr) by hand"
    SUDO=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "not root and no sudo: run 'apt-get install ${debs[*]}' as root"
        SUDO=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt_install() { "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${debs[@]}"; }
    say "installing Debian packages ${debs[*]} (apt-get install)"
    # Only refresh the package lists when there are none, or when the install fails or leaves a
    # Firefox older than $FIREFOX_MIN_MAJOR with the lists we have.
    if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
        say "no apt package lists yet: apt-get update"
        "${SUDO[@]}" apt-get update -q
    fi
    if ! apt_install || ! firefox_ok; then
        say "not installed (or firefox-esr $(deb_version firefox-esr) < $FIREFOX_MIN_MAJOR) with the current package lists: apt-get update, then retry"
        "${SUDO[@]}" apt-get update -q
        apt_install
    fi
fi
chromium_ok || die "chromium + chromium-driver still missing after apt-get install"
firefox_ok || die "firefox-esr $(deb_version firefox-esr) installed, but the tests need >= $FIREFOX_MIN_MAJOR"
say "ok: chromium $(deb_version chromium) + chromium-driver, firefox-esr $(deb_version firefox-esr)"

# --- node + npm packages (playwright-core and puppeteer-core, driving Debian's browsers) ---
command -v node >/dev/null 2>&1 || die "node not found: install Node.js >= $NODE_MIN_MAJOR (with npm)"
command -v npm >/dev/null 2>&1 || die "npm not found: install npm (Node.js >= $NODE_MIN_MAJOR)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge "$NODE_MIN_MAJOR" ] || die "node $(node --version) is too old: playwright-core needs >= $NODE_MIN_MAJOR"

# Up to date when every package the lockfile names is installed at the locked version.
npm_deps_ok() {
    [ -f package-lock.json ] && [ -d node_modules ] || return 1
    node -e '
        const fs = require("fs");
        const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
        for (const [p, info] of Object.entries(lock.packages || {})) {
            if (!p) continue;
            let v;
            try { v = JSON.parse(fs.readFileSync(p + "/package.json", "utf8")).version; } catch { process.exit(1); }
            if (v !== info.version) process.exit(1);
        }' 2>/dev/null
}
if npm_deps_ok; then
    say "ok: node $(node --version), npm packages ($(node -p '["playwright-core", "puppeteer-core"].map((p) => p + " " + require(`./node_modules/${p}/package.json`).version).join(", ")' 2>/dev/null))"
elif [ -f package-lock.json ]; then
    say "installing npm packages from package-lock.json (npm ci; no browser download: the tests use Debian's /usr/bin/chromium and /usr/bin/firefox-esr)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
else
    say "no package-lock.json: npm install"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund
fi

# The series the Series page bundles (www/series/data) are committed copies of files of the npm
# package vega-datasets (see the README for their licences): check that they still are.
for f in co2-concentration.csv seattle-weather.csv; do
    cmp -s "node_modules/vega-datasets/data/$f" "www/series/data/$f" ||
        die "www/series/data/$f differs from node_modules/vega-datasets/data/$f: copy it again"
done
say "ok: www/series/data matches vega-datasets $(node -p 'require("./node_modules/vega-datasets/package.json").version')"

say "done (build + test tools ready)"
