#!/usr/bin/env bash
# MCP benchmark: deskgate-mcp vs the official Python MCP SDK (FastMCP/MCPServer) serving the
# same tools/call get_ticket_metadata from the same SQLite file, plus deskgate-echo /bench as the
# bare-HTTP floor and deskgate-echo --canned (the same request bytes on the same path answered
# with a recorded deskgate-mcp reply: the ceiling for this exchange, with none of the MCP work).
# wrk -t2 -c64 --latency, interleaved rounds, medians, CPU per request.
# Eras: modern 2026-07-28 (stateless, _meta + Mcp-Method/Mcp-Name headers) for both MCP servers,
# and the handshake era 2025-11-25 (deskgate: one initialized session; the SDK peer is stateless,
# so its handshake-era requests carry MCP-Protocol-Version and no session).
# Env: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (2), TICKETS (1000),
#      ERAS ("modern handshake"), DESKGATE_BIN_DIR (skip the release build, use these binaries).
# Output: markdown table on stdout and in bench/results/mcp-<date>.md.
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
TICKETS="${TICKETS:-1000}"
ERAS="${ERAS:-modern handshake}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bench/nginx-fixed.sh"
cd "$ROOT"
. "$ROOT/bench/mcp-setup.sh"
. "$ROOT/bench/rounds.sh"
mcp_bench_setup deskgate deskgate-mcp deskgate-echo

TMP="$(mktemp -d)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

wait_listening() {  # FILE -> URL
    for _ in $(seq 200); do grep -q '^listening ' "$1" && break; sleep 0.1; done
    sed -n 's/^listening \(http:[^ ]*\)$/\1/p' "$1" | head -1
}

# --- data ------------------------------------------------------------------------------
DB="$TMP/bench.sqlite"
DG=("$BIN/deskgate" --database "$DB" --keys "$TMP/keys")
"${DG[@]}" init >/dev/null
"${DG[@]}" demo --tenant acme --tickets "$TICKETS" >/dev/null
# Limits far above any load (issue 19): the limiter's check runs and is measured, never refuses.
"${DG[@]}" tenant settings acme --rate 100000000 --tenant-rate 100000000 --write-quota 100000000 \
    --tenant-write-quota 100000000 >/dev/null 2>&1 || true
TOKEN="$("${DG[@]}" --json token create --tenant acme --user admin@acme.test \
          --scope tickets:read --scope tickets:write --scope directory:read --name bench | "${TOOL[@]}" token)"
echo "==> database with $TICKETS tickets, PAT ${TOKEN:0:10}…"

# --- servers ----------------------------------------------------------------------------
"$BIN/deskgate-mcp" --database "$DB" --keys "$TMP/keys" --host 127.0.0.1 --port 0 --loops 2 --access-log off \
    >"$TMP/mcp.out" 2>"$TMP/mcp.err" &
PIDS+=($!); MCP_PID=$!
MCP_BASE="$(wait_listening "$TMP/mcp.out")"
[ -n "$MCP_BASE" ] || { echo "deskgate-mcp did not start:"; cat "$TMP/mcp.err"; exit 1; }

PEER_PORT="$("${TOOL[@]}" freeport)"
DESKGATE_DATABASE="$DB" DESKGATE_PEER_TOKEN="$TOKEN" "$VENV/bin/uvicorn" server:app \
    --app-dir "$ROOT/bench/mcp_peer" --host 127.0.0.1 --port "$PEER_PORT" \
    --workers 2 --loop uvloop --http httptools --no-access-log --log-level warning \
    >"$TMP/peer.out" 2>"$TMP/peer.err" &
PIDS+=($!); PEER_PID=$!
PEER_BASE="http://127.0.0.1:$PEER_PORT"

"$BIN/deskgate-echo" --host 127.0.0.1 --port 0 --loops 2 --access-log off >"$TMP/echo.out" 2>"$TMP/echo.err" &
PIDS+=($!); ECHO_PID=$!
ECHO_BASE="$(wait_listening "$TMP/echo.out")"
[ -n "$ECHO_BASE" ] || { echo "deskgate-echo did not start:"; cat "$TMP/echo.err"; exit 1; }

for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$PEER_PORT") 2>/dev/null && break; sleep 0.2; done
sleep 1  # both workers up, not just the first

# --- targets: name -> url, era, pid, lua ----------------------------------------------------
declare -A URL PIDOF LUA ERA_OF
NAMES=()
register() {  # NAME URL ERA PID SESSION: a timed target with its wrk script
    local name="$1" url="$2" era="$3" pid="$4" sess="$5"
    "${TOOL[@]}" lua "$era" "$TOKEN" "$sess" "$TICKETS" >"$TMP/${name// /_}.lua"
    URL[$name]="$url"; PIDOF[$name]="$pid"; LUA[$name]="$TMP/${name// /_}.lua"; ERA_OF[$name]="$era"
    NAMES+=("$name")
}
add_mcp() {  # NAME URL ERA PID
    local name="$1" url="$2" era="$3" pid="$4" sess=""
    if [ "$era" = handshake ]; then sess="$("${TOOL[@]}" session "$url" "$TOKEN")"; fi
    echo "==> $name: $("${TOOL[@]}" validate "$url" "$era" "$TOKEN" "$sess" "$DB" acme)${sess:+ (session ${sess:0:8}…)}"
    register "$name" "$url" "$era" "$pid" "$sess"
}
for era in $ERAS; do
    add_mcp "deskgate-mcp $era" "$MCP_BASE/t/acme/mcp" "$era" "$MCP_PID"
    add_mcp "python-sdk $era" "$PEER_BASE/t/acme/mcp" "$era" "$PEER_PID"
done
"${TOOL[@]}" fetch "$ECHO_BASE/bench" >/dev/null
URL["deskgate-echo /bench"]="$ECHO_BASE/bench"; PIDOF["deskgate-echo /bench"]="$ECHO_PID"; LUA["deskgate-echo /bench"]=""
NAMES+=("deskgate-echo /bench")

# The ceiling: deskgate-echo answering the same request bytes on the same path with a recorded
# deskgate-mcp answer (ticket 500), so the HTTP exchange, request and reply sizes and wrk's own
# work are those of the real call, and none of the MCP work is done.
first_era="${ERAS%% *}"; sess=""
[ "$first_era" = handshake ] && sess="$("${TOOL[@]}" session "$MCP_BASE/t/acme/mcp" "$TOKEN")"
echo "==> canned answer: $("${TOOL[@]}" answer "$MCP_BASE/t/acme/mcp" "$first_era" "$TOKEN" "$sess" 500 "$TMP/canned.json")"
"$BIN/deskgate-echo" --host 127.0.0.1 --port 0 --loops 2 --access-log off --canned "$TMP/canned.json" \
    >"$TMP/canned.out" 2>"$TMP/canned.err" &
PIDS+=($!); CANNED_PID=$!
CANNED_BASE="$(wait_listening "$TMP/canned.out")"
[ -n "$CANNED_BASE" ] || { echo "deskgate-echo --canned did not start:"; cat "$TMP/canned.err"; exit 1; }
# The same ceiling from nginx, so that it does not rest on our own HTTP core.
NGINX_PORT="$("${TOOL[@]}" freeport)"
nginx_fixed_start "$NGINX" "$TMP/nginx" "$NGINX_PORT" /t/acme/mcp "$TMP/canned.json"
PIDS+=("$NGINX_PID")
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$NGINX_PORT") 2>/dev/null && break; sleep 0.1; done

add_canned() {  # NAME URL ERA PID SESSION
    echo "==> $1: $("${TOOL[@]}" check-canned "$2" "$3" "$TOKEN" "$5" "$TMP/canned.json")"
    register "$@"
}
for era in $ERAS; do
    # A real session id in the handshake era, so the request bytes are those deskgate-mcp gets.
    sess=""
    [ "$era" = handshake ] && sess="$("${TOOL[@]}" session "$MCP_BASE/t/acme/mcp" "$TOKEN")"
    add_canned "deskgate-echo canned $era" "$CANNED_BASE/t/acme/mcp" "$era" "$CANNED_PID" "$sess"
    add_canned "nginx canned $era" "http://127.0.0.1:$NGINX_PORT/t/acme/mcp" "$era" "$NGINX_PID" "$sess"
done

run_wrk() {  # NAME DURATION [--latency]
    local name="$1" dur="$2"; shift 2
    local script=(); [ -n "${LUA[$name]}" ] && script=(-s "${LUA[$name]}")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$dur" "$@" "${script[@]}" "${URL[$name]}"
}

echo "==> warm-up"
for s in "${NAMES[@]}"; do run_wrk "$s" 2s >/dev/null; done

RESULTS="$TMP/results.jsonl"
for round in $(seq "$ROUNDS"); do
    mapfile -t order < <(round_order "$round" "${NAMES[@]}")
    for s in "${order[@]}"; do
        before="$("${TOOL[@]}" cpu "${PIDOF[$s]}")"
        run_wrk "$s" "$DURATION" --latency >"$TMP/wrk.txt"
        after="$("${TOOL[@]}" cpu "${PIDOF[$s]}")"
        "${TOOL[@]}" record "$TMP/wrk.txt" "$s" "$round" "$before" "$after" | tee -a "$RESULTS"
    done
done

echo "==> validating again after the runs"
for s in "${NAMES[@]}"; do
    [ -n "${LUA[$s]}" ] || continue
    if [[ "$s" == *" canned "* ]]; then
        "${TOOL[@]}" check-canned "${URL[$s]}" "${ERA_OF[$s]}" "$TOKEN" "" "$TMP/canned.json" >/dev/null
        continue
    fi
    sess=""; [ "${ERA_OF[$s]}" = handshake ] && sess="$("${TOOL[@]}" session "${URL[$s]}" "$TOKEN")"
    "${TOOL[@]}" validate "${URL[$s]}" "${ERA_OF[$s]}" "$TOKEN" "$sess" "$DB" acme >/dev/null
done

# --- report ---------------------------------------------------------------------------------------
DATE="$(date -u +%Y-%m-%dT%H%M%SZ)"
META="## MCP: deskgate-mcp vs the Python MCP SDK vs deskgate-echo ($DATE)

- commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(uname -r), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)
- wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds interleaved; POST tools/call get_ticket_metadata
  cycling through tickets 1..$TICKETS, bearer PAT; eras: $ERAS
- deskgate-mcp --loops 2 --access-log off ($BIN)
- python-sdk: mcp $SDK_VERSION MCPServer, async tool, stateless_http + json_response, uvicorn --workers 2 --loop uvloop --http httptools, $("$PY" --version)
- deskgate-echo --loops 2 --access-log off, GET /bench (bare HTTP core)
- deskgate-echo --canned and nginx \`return 200\` (2 workers): the same requests on /t/acme/mcp answered with a recorded deskgate-mcp reply (the ceiling: no MCP work)"
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/mcp-$DATE.md"
"${TOOL[@]}" report "$RESULTS" "$META" | tee "$OUT"
echo "==> written to ${OUT#$ROOT/}"
