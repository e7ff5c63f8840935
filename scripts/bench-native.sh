#!/usr/bin/env bash
# Native training-step speed: runs the criterion bench (benches/train_step.rs) and turns
# its summary table into JSON for scripts/bench-web.sh (the wasm/native ratio).
#
#   bash scripts/bench-native.sh                 # writes target/bench/native.json
#   bash scripts/bench-native.sh OUT.json
#
# The full criterion output is kept in target/bench/native.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

case "${1:-}" in
    -h | --help)
        sed -n '2,8p' "$0"
        exit 0
        ;;
esac
OUT="${1:-target/bench/native.json}"
mkdir -p "$(dirname "$OUT")" target/bench
LOG=target/bench/native.log

say() { printf '[bench-native] %s\n' "$*"; }

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "load average: $LOAD_BEFORE on $(nproc) CPUs (busy machines give noisy figures)"
say "cargo bench --bench train_step (log: $LOG)"
cargo bench --bench train_step 2>&1 | tee "$LOG"

# The summary table rows look like `| lstm B=32 | 1.234 | 648123 | 12.34 |`; criterion's own
# estimates like `lstm_b32   time:   [1.2 ms 1.3 ms 1.4 ms]` (the name may be on the line
# before).
python3 - "$LOG" "$OUT" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import json, re, sys

log, out, load_before, load_after = sys.argv[1:5]
text = open(log, encoding="utf-8", errors="replace").read()
rows = []
for m in re.finditer(r"^\| (rnn|lstm|gru) B=(\d+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", text, re.M):
    rows.append({
        "cell": m[1], "hidden": 128, "seqLen": 25, "batch": int(m[2]),
        "msPerStep": float(m[3]), "charsPerSec": float(m[4]), "gflops": float(m[5]),
    })
if not rows:
    sys.exit("bench-native: no summary table in the bench output (see " + log + ")")
unit = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}
criterion = {}
for m in re.finditer(r"^(\w+)\s*\n?\s*time:\s+\[\S+ \S+ ([\d.]+) (ns|µs|us|ms|s) ", text, re.M):
    criterion[m[1]] = float(m[2]) * unit[m[3]]
for r in rows:
    r["criterionMs"] = criterion.get(f"{r['cell']}_b{r['batch']}")
doc = {"kind": "native", "loadAverage": f"{load_before} -> {load_after}", "rows": rows,
       "criterionMs": criterion}
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2)
print(f"[bench-native] {len(rows)} configs -> {out}")
EOF
