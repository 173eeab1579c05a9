#!/usr/bin/env bash
# Workflow tools on a large tenant: per-call p50/p99 of ticket_list (duty, all, a deep page,
# owner + search), ticket_handle (a transition through the exclusive gateway) and ticket_detail,
# then search: ticket_list + search_value in every category (rare, absent, common, 2-character
# text) and search_tickets (common and rare words, a phrase, two common words never together,
# a prefix, narrow filters, an agent who sees only IT).
# Sequential calls, so the numbers are per-request latency, not throughput under load.
# There is no workflow peer to run here (Loonflow needs its Django stack and MySQL); the
# targets are the issue's absolute ones: list p99 < 20 ms, handle p99 < 10 ms.
# Env: TICKETS (1000000 in all), WORKFLOW_TICKETS (200000 of them), CALLS (300),
#      CASES (comma-separated words: only the cases whose label has one, e.g. "handle,all"),
#      DESKGATE_BIN_DIR (use these binaries instead of a release build),
#      DB_TEMPLATE (a directory: the generated database and keys are kept there and copied for
#      the next run with the same TICKETS/WORKFLOW_TICKETS, so A/B runs start from the same data
#      without paying minutes of generation each time; a template from an older binary is
#      migrated on the copy, never regenerated), RARE_TITLE / RARE_WORD (the rare search words).
# Output: JSON lines and a markdown table on stdout and in bench/results/workflow-<date>.md.
set -euo pipefail

TICKETS="${TICKETS:-1000000}"
WORKFLOW_TICKETS="${WORKFLOW_TICKETS:-200000}"
CALLS="${CALLS:-300}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"

VENV="$ROOT/.venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"

if [ -n "${DESKGATE_BIN_DIR:-}" ]; then
    BIN="$DESKGATE_BIN_DIR"
else
    for p in deskgate deskgate-mcp; do swift build -c release --product "$p"; done
    BIN="$(swift build -c release --show-bin-path)"
fi

TMP="$(mktemp -d)"
MCP_PID=""
cleanup() { [ -n "$MCP_PID" ] && kill "$MCP_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
DB="$TMP/db.sqlite"
DG=("$BIN/deskgate" --database "$DB" --keys "$TMP/keys")

echo "==> demo tenant: $((TICKETS - WORKFLOW_TICKETS)) help-desk + $WORKFLOW_TICKETS workflow tickets"
TEMPLATE="${DB_TEMPLATE:+$DB_TEMPLATE/workflow-$TICKETS-$WORKFLOW_TICKETS}"
if [ -n "$TEMPLATE" ] && [ -f "$TEMPLATE/db.sqlite" ]; then
    cp "$TEMPLATE/db.sqlite" "$DB" && cp -r "$TEMPLATE/keys" "$TMP/keys"
    [ ! -f "$TEMPLATE/db.sqlite-wal" ] || cp "$TEMPLATE/db.sqlite-wal" "$DB-wal"
    echo "    copied from $TEMPLATE"
else
    start=$SECONDS
    "${DG[@]}" demo --tickets "$((TICKETS - WORKFLOW_TICKETS))" --workflow-tickets "$WORKFLOW_TICKETS" >/dev/null
    echo "    generated in $((SECONDS - start)) s"
    if [ -n "$TEMPLATE" ]; then
        mkdir -p "$TEMPLATE" && cp "$DB" "$TEMPLATE/db.sqlite" && cp -r "$TMP/keys" "$TEMPLATE/keys"
        [ ! -f "$DB-wal" ] || cp "$DB-wal" "$TEMPLATE/db.sqlite-wal"
    fi
fi
# A template made by an older binary gets this binary's migrations here (timed), not silently
# inside the first command that opens it.
start=$SECONDS
"${DG[@]}" migrate >/dev/null
echo "    migrated to the latest schema in $((SECONDS - start)) s"
ADMIN="$("${DG[@]}" --json token create --tenant acme --user admin@acme.test | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
LEE="$("${DG[@]}" --json token create --tenant acme --user lee@acme.test | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$BIN/deskgate-mcp" --database "$DB" --keys "$TMP/keys" --host 127.0.0.1 --port "$PORT" --access-log off \
    >"$TMP/mcp.out" 2>"$TMP/mcp.err" &
MCP_PID=$!
for _ in $(seq 1 100); do grep -q listening "$TMP/mcp.out" 2>/dev/null && break; sleep 0.1; done

mkdir -p bench/results
OUT="bench/results/workflow-$(date -u +%Y%m%d-%H%M%S).md"
"$VENV/bin/python" bench/workflow_bench.py "http://127.0.0.1:$PORT/t/acme/mcp" "$DB" "$ADMIN" "$LEE" "$CALLS" | tee "$TMP/results.jsonl"
{
    echo "Workflow tools, $TICKETS tickets ($WORKFLOW_TICKETS in workflows), $CALLS sequential calls per case, $(date -u +%Y-%m-%d)"
    echo
    echo "| case | p50 | p99 | max | total listed |"
    echo "|---|---:|---:|---:|---:|"
    "$VENV/bin/python" bench/workflow_bench.py --table "$TMP/results.jsonl"
} | tee "$OUT"
echo "==> $OUT"
