#!/usr/bin/env bash
# Checks that the committed listings of what JavaScript may call equal the TypeScript that
# wasm-bindgen generated for the last build of each page: src/web/api/playground.d.ts against
# www/pkg/rnnlab.d.ts and src/web/api/lab.d.ts (the lab's and the Series page's classes) against
# www/pkg-lab/rnnlab.d.ts. A change to the
# facade (src/web/api/) or to a type crossing it (src/web/types.rs) must update its listing.
#
#   bash scripts/check-api.sh            # after scripts/build-web.sh; exit 1 on a difference
#   bash scripts/check-api.sh --update   # copy the generated listings over the committed ones
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

status=0
for pair in playground:pkg lab:pkg-lab; do
    listing="src/web/api/${pair%%:*}.d.ts"
    built="www/${pair#*:}/rnnlab.d.ts"
    [ -f "$built" ] || { echo "check-api.sh: $built not found: run bash scripts/build-web.sh first" >&2; exit 1; }
    if [ "${1:-}" = --update ]; then
        cp "$built" "$listing"
        echo "check-api.sh: wrote $listing"
    elif ! diff -u "$listing" "$built"; then
        echo "check-api.sh: the facade changed but $listing did not; review the diff above and run" >&2
        echo "  bash scripts/check-api.sh --update" >&2
        status=1
    else
        echo "check-api.sh: $listing matches the build ($(grep -c '^export ' "$listing") exports)"
    fi
done
exit $status
