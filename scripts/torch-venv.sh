#!/usr/bin/env bash
# A Python virtual environment with torch and safetensors from PyPI, for the PyTorch export's
# tests (scripts/torch-parity.sh); made once, then reused. Prints its python's path on stdout.
#
#   bash scripts/torch-venv.sh        # at target/torch-venv, or at $RNNLAB_TORCH_VENV
#
# PyPI has no CPU-only build of torch: its Linux wheel pulls in NVIDIA's CUDA libraries, about
# 5.4 GB installed and 2 minutes on a fast link the first time. Exits 1, saying why, when pip
# cannot install them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${RNNLAB_TORCH_VENV:-$ROOT/target/torch-venv}"
PY="$VENV/bin/python"

say() { printf '[torch-venv] %s\n' "$*" >&2; }

ready() { [ -x "$PY" ] && "$PY" -c 'import torch, safetensors' >/dev/null 2>&1; }

if ready; then
    say "ok: $("$PY" -c 'import torch; print("torch", torch.__version__)') in $VENV"
    echo "$PY"
    exit 0
fi
command -v python3 >/dev/null 2>&1 || {
    say "python3 not found"
    exit 1
}
say "making $VENV with torch and safetensors from PyPI (pip; the first time takes minutes)"
rm -rf "$VENV"
if ! python3 -m venv "$VENV" >&2; then
    say "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    exit 1
fi
if ! "$PY" -m pip install --quiet --disable-pip-version-check torch safetensors >&2; then
    say "pip could not install torch and safetensors"
    exit 1
fi
ready || {
    say "torch was installed but does not import"
    exit 1
}
say "ok: $("$PY" -c 'import torch; print("torch", torch.__version__)') in $VENV"
echo "$PY"
