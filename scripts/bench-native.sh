#!/usr/bin/env bash
# Native training-step speed: runs the criterion bench (benches/train_step.rs) on one or more
# thread counts and turns its summary table into JSON for scripts/bench-web.sh (the wasm/native
# ratio); with --torch, times the same models, batches and optimizer in PyTorch on the CPU
# (scripts/bench_torch.py, in the venv of scripts/torch-venv.sh) and prints both side by side.
#
#   bash scripts/bench-native.sh                      # 1 thread and all cores -> target/bench/native.json
#   bash scripts/bench-native.sh --threads 1,2 --torch
#   bash scripts/bench-native.sh --threads 2 OUT.json
#   BENCH_CELLS=lstm bash scripts/bench-native.sh    # only the LSTM (default rnn,lstm,gru)
#
# The full criterion output is kept in target/bench/native.log, the table in native.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '[bench-native] %s\n' "$*"; }
die() {
    printf '[bench-native] ERROR: %s\n' "$*" >&2
    exit 1
}

THREADS="1,$(nproc)"
TORCH=0
OUT=target/bench/native.json
while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help)
            sed -n '2,11p' "$0"
            exit 0
            ;;
        --threads)
            [ $# -ge 2 ] || die "--threads needs a value like 1,2"
            THREADS="$2"
            shift
            ;;
        --threads=*) THREADS="${1#--threads=}" ;;
        --torch) TORCH=1 ;;
        -*) die "unknown option '$1' (use --threads N[,N...], --torch or --help)" ;;
        *) OUT="$1" ;;
    esac
    shift
done
[[ "$THREADS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--threads $THREADS: expected counts like 1 or 1,2"
THREADS="$(tr ',' '\n' <<<"$THREADS" | sort -nu | paste -sd,)"
mkdir -p "$(dirname "$OUT")" target/bench
LOG=target/bench/native.log
TORCH_LOG=target/bench/torch.jsonl

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "load average: $LOAD_BEFORE on $(nproc) CPUs (busy machines give noisy figures)"
export BENCH_CELLS="${BENCH_CELLS:-rnn,lstm,gru}"
say "BENCH_THREADS=$THREADS BENCH_CELLS=$BENCH_CELLS cargo bench --bench train_step (log: $LOG)"
BENCH_THREADS="$THREADS" cargo bench --bench train_step 2>&1 | tee "$LOG"

: >"$TORCH_LOG"
if [ "$TORCH" = 1 ]; then
    PY="$(bash scripts/torch-venv.sh)" || die "no PyTorch (scripts/torch-venv.sh could not make its venv)"
    for n in ${THREADS//,/ }; do
        say "PyTorch on $n thread(s): $PY scripts/bench_torch.py --threads $n"
        "$PY" scripts/bench_torch.py --threads "$n" --cells "${BENCH_CELLS:-rnn,lstm,gru}" | tee -a "$TORCH_LOG"
    done
fi

# The summary table rows look like `| lstm B=32 threads=2 | 1.234 | 648123 | 12.34 |`;
# criterion's own estimates like `lstm_b32_t2   time:   [1.2 ms 1.3 ms 1.4 ms]` (the name may
# be on the line before).
python3 - "$LOG" "$TORCH_LOG" "$OUT" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, re, sys

log, torch_log, out, load_before, load_after = sys.argv[1:6]
text = open(log, encoding="utf-8", errors="replace").read()
rows = []
pattern = r"^\| (rnn|lstm|gru) B=(\d+) threads=(\d+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+|–) \|$"
for m in re.finditer(pattern, text, re.M):
    rows.append({
        "cell": m[1], "hidden": 128, "seqLen": 25, "batch": int(m[2]), "threads": int(m[3]),
        "msPerStep": float(m[4]), "charsPerSec": float(m[5]), "gflops": float(m[6]),
        "cpuMsPerStep": None if m[7] == "–" else float(m[7]),
    })
if not rows:
    sys.exit("bench-native: no summary table in the bench output (see " + log + ")")
unit = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}
criterion = {}
for m in re.finditer(r"^(\w+)\s*\n?\s*time:\s+\[\S+ \S+ ([\d.]+) (ns|µs|us|ms|s) ", text, re.M):
    criterion[m[1]] = float(m[2]) * unit[m[3]]
torch = [json.loads(l) for l in open(torch_log, encoding="utf-8") if l.strip()]
key = lambda r: (r["cell"], r["batch"], r["threads"])
by_torch = {key(t): t for t in torch}
for r in rows:
    r["criterionMs"] = criterion.get(f"{r['cell']}_b{r['batch']}_t{r['threads']}")
    t = by_torch.get(key(r))
    if t:
        r["torchMsPerStep"], r["torchCharsPerSec"] = t["msPerStep"], t["charsPerSec"]
        r["torchCpuMsPerStep"] = t.get("cpuMsPerStep")
load = f"{load_before} -> {load_after}"
doc = {"kind": "native", "loadAverage": load, "rows": rows, "criterionMs": criterion}
if torch:
    doc["torch"] = torch[0]["torch"]
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2)
head = "| config (V=65 H=128 T=25, Adam) | threads | rnnlab ms/step | rnnlab chars/s | rnnlab CPU ms/step |"
sep = "|---|---|---|---|---|"
if torch:
    head += f" PyTorch {torch[0]['torch']} chars/s | PyTorch CPU ms/step | rnnlab/PyTorch |"
    sep += "---|---|---|"
lines = [head, sep]
for r in rows:
    cpu = r["cpuMsPerStep"]
    line = f"| {r['cell']} B={r['batch']} | {r['threads']} | {r['msPerStep']:.3f} | {r['charsPerSec']:,.0f} | {'–' if cpu is None else cpu} |"
    if torch:
        tc = r.get("torchCharsPerSec")
        line += f" {tc:,.0f} | {r['torchCpuMsPerStep']} | {r['charsPerSec'] / tc:.2f}× |" if tc else " – | – | – |"
    lines.append(line)
lines.append(f"\nLoad average (1, 5, 15 min) before -> after: {load}. Wall-clock medians; CPU ms/step is"
             " the process's CPU time (all threads) per step, which a busy machine distorts less.")
md = "\n".join(lines) + "\n"
open(re.sub(r"\.json$", "", out) + ".md", "w", encoding="utf-8").write(md)
print(md)
print(f"[bench-native] {len(rows)} configs -> {out}")
PY
