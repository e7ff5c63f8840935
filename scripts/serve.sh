#!/usr/bin/env bash
# Build the rnnlab playground and serve it on http://127.0.0.1:PORT/ (default 8000;
# if that port is busy, the next free one is used).
#
#   bash scripts/serve.sh            # setup (first run only) + release wasm build + serve
#   bash scripts/serve.sh 9000       # prefer port 9000
#   bash scripts/serve.sh --dev      # faster, unoptimized wasm build
#
# Stop the server with Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT=8000
BUILD_ARGS=()
for arg in "$@"; do
    case "$arg" in
        --dev | --release) BUILD_ARGS+=("$arg") ;;
        -h | --help)
            sed -n '2,9p' "$0"
            exit 0
            ;;
        *)
            if ! [[ "$arg" =~ ^[0-9]+$ ]] || [ "$arg" -lt 1 ] || [ "$arg" -gt 65535 ]; then
                echo "serve.sh: '$arg' is not a port number (usage: serve.sh [PORT] [--dev])" >&2
                exit 2
            fi
            PORT="$arg"
            ;;
    esac
done

bash scripts/setup.sh
bash scripts/build-web.sh "${BUILD_ARGS[@]}"

[ -f index.html ] || echo "[serve] WARNING: no index.html at the repo root yet; the server will show a file listing" >&2

# First free port at or after $PORT on 127.0.0.1.
free_port=$(
    python3 - "$PORT" <<'EOF'
import socket, sys
start = int(sys.argv[1])
for port in range(start, min(start + 100, 65536)):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    sys.exit(f"no free port in {start}..{start + 99}")
EOF
)
[ "$free_port" = "$PORT" ] || echo "[serve] port $PORT is busy, using $free_port"

echo
echo "  rnnlab playground: http://127.0.0.1:$free_port/"
echo
echo "  (serving $ROOT; Ctrl-C to stop)"
echo
exec python3 -m http.server --bind 127.0.0.1 --directory "$ROOT" "$free_port"
