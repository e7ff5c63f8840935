#!/usr/bin/env bash
# Checks that the committed listing of what JavaScript may call, src/web/api.d.ts, equals the
# TypeScript that wasm-bindgen generated for the last build (www/pkg/rnnlab.d.ts): a change to
# the facade (src/web/api.rs) or to a type crossing it (src/web/types.rs) must update the listing.
#
#   bash scripts/check-api.sh            # after scripts/build-web.sh; exit 1 on a difference
#   bash scripts/check-api.sh --update   # copy the generated listing over the committed one
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

LISTING=src/web/api.d.ts
BUILT=www/pkg/rnnlab.d.ts
[ -f "$BUILT" ] || { echo "check-api.sh: $BUILT not found: run bash scripts/build-web.sh first" >&2; exit 1; }
if [ "${1:-}" = --update ]; then
    cp "$BUILT" "$LISTING"
    echo "check-api.sh: wrote $LISTING"
    exit 0
fi
if ! diff -u "$LISTING" "$BUILT"; then
    echo "check-api.sh: the facade changed but $LISTING did not; review the diff above and run" >&2
    echo "  bash scripts/check-api.sh --update" >&2
    exit 1
fi
echo "check-api.sh: $LISTING matches the build ($(grep -c '^export ' "$LISTING") exports)"
