#!/usr/bin/env bash
# OAuth benchmark (issue 4, "Speed"): in one run, interleaved,
#   1. deskgate-auth's token endpoint answering refresh_token grants (each connection chains the
#      rotated refresh token of its previous answer into its next request),
#   2. deskgate-mcp tools/call get_ticket_metadata with an OAuth access token (JWT),
#   3. the same call with a personal access token (PAT): the baseline the JWT path is held to.
# Tokens come from the real flow (registration, login, consent, PKCE code exchange).
# wrk -t2 -c64 --latency, rounds interleaved (order rotates, reverses every other round), medians,
# server CPU per request. Targets: JWT path < 10 % over PAT; >= 2,000 token issuances per second.
# Env: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (2), TICKETS (1000),
#      AUTH_WORKERS (deskgate-auth --workers; default: the server's own, one per core),
#      DESKGATE_BIN_DIR (skip the release build and bench these binaries).
# Release builds go to .build-bench (a scratch path of their own). Output: a markdown table on
# stdout and in bench/results/auth-<date>.md.
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
TICKETS="${TICKETS:-1000}"
AUTH_FLAGS=(); [ -n "${AUTH_WORKERS:-}" ] && AUTH_FLAGS=(--workers "$AUTH_WORKERS")

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bench/rounds.sh"
cd "$ROOT"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
TOOL=(python3 "$ROOT/bench/auth_tool.py")

if ! dpkg -s wrk >/dev/null 2>&1; then
    echo "==> installing wrk"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk
fi

if [ -n "${DESKGATE_BIN_DIR:-}" ]; then
    BIN="$DESKGATE_BIN_DIR"
else
    for p in deskgate deskgate-auth deskgate-mcp; do
        echo "==> swift build -c release --scratch-path .build-bench --product $p"
        swift build -c release --scratch-path "$ROOT/.build-bench" --product "$p"
    done
    BIN="$(swift build -c release --scratch-path "$ROOT/.build-bench" --show-bin-path)"
fi

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

# --- data ------------------------------------------------------------------------------------
DB="$TMP/bench.sqlite"
DG=("$BIN/deskgate" --database "$DB" --keys "$TMP/keys")
"${DG[@]}" init >/dev/null
"${DG[@]}" demo --tenant acme --tickets "$TICKETS" >/dev/null
PAT="$("${DG[@]}" --json token create --tenant acme --user admin@acme.test \
        --scope tickets:read --scope tickets:write --scope directory:read --name bench | "${TOOL[@]}" token)"

# --- servers: each is told the other's public URL ----------------------------------------------
MCP_PORT="$("${TOOL[@]}" freeport)"
DESKGATE_MCP_PUBLIC_URL="http://127.0.0.1:$MCP_PORT" \
    "$BIN/deskgate-auth" --database "$DB" --keys "$TMP/keys" --host 127.0.0.1 --port 0 --loops 2 --access-log off \
    "${AUTH_FLAGS[@]}" >"$TMP/auth.out" 2>"$TMP/auth.err" &
PIDS+=($!); AUTH_PID=$!
AUTH_BASE="$(wait_listening "$TMP/auth.out")"
[ -n "$AUTH_BASE" ] || { echo "deskgate-auth did not start:"; cat "$TMP/auth.err"; exit 1; }
DESKGATE_AUTH_PUBLIC_URL="$AUTH_BASE" \
    "$BIN/deskgate-mcp" --database "$DB" --keys "$TMP/keys" --host 127.0.0.1 --port "$MCP_PORT" --loops 2 \
    --access-log off >"$TMP/mcp.out" 2>"$TMP/mcp.err" &
PIDS+=($!); MCP_PID=$!
MCP_BASE="$(wait_listening "$TMP/mcp.out")"
[ -n "$MCP_BASE" ] || { echo "deskgate-mcp did not start:"; cat "$TMP/mcp.err"; exit 1; }

tokens() {  # COUNT FILE: COUNT authorizations (consent remembered after the first) + code exchanges
    "${TOOL[@]}" tokens "$AUTH_BASE" "$MCP_BASE" acme admin@acme.test deskgate-demo "$1" >"$2"
}
tokens 1 "$TMP/jwt.json"
JWT="$("${TOOL[@]}" field access_token <"$TMP/jwt.json")"
echo "==> database with $TICKETS tickets; PAT ${PAT:0:10}…, JWT ${JWT:0:16}… (real flow)"

# --- targets ------------------------------------------------------------------------------------
declare -A URL PIDOF LUA
NAMES=()
MCP_URL="$MCP_BASE/t/acme/mcp"
for kind in JWT PAT; do
    token="$PAT"; name="tools/call, PAT"
    if [ "$kind" = JWT ]; then token="$JWT"; name="tools/call, JWT access token"; fi
    echo "==> $name: $("${TOOL[@]}" validate "$MCP_URL" modern "$token" "" "$DB" acme)"
    "${TOOL[@]}" lua modern "$token" "" "$TICKETS" >"$TMP/$kind.lua"
    URL[$name]="$MCP_URL"; PIDOF[$name]="$MCP_PID"; LUA[$name]="$TMP/$kind.lua"; NAMES+=("$name")
done
REFRESH="token endpoint, refresh_token grant"
URL[$REFRESH]="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token_endpoint"])' "$TMP/jwt.json")"
PIDOF[$REFRESH]="$AUTH_PID"; LUA[$REFRESH]="$TMP/refresh.lua"; NAMES+=("$REFRESH")

run_wrk() {  # NAME DURATION [wrk args]
    local name="$1" dur="$2"; shift 2
    if [ "$name" = "$REFRESH" ]; then
        # Fresh chains for every run: a rotated refresh token presented again would revoke its grant.
        tokens "$((CONNECTIONS * 2))" "$TMP/pool.json"
        "${TOOL[@]}" refresh-lua "$TMP/pool.json" "$THREADS" >"$TMP/refresh.lua"
    fi
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$dur" "$@" -s "${LUA[$name]}" "${URL[$name]}"
}

echo "==> warm-up"
for s in "${NAMES[@]}"; do run_wrk "$s" 2s >/dev/null; done

RESULTS="$TMP/results.jsonl"
for round in $(seq "$ROUNDS"); do
    mapfile -t order < <(round_order "$round" "${NAMES[@]}")
    for s in "${order[@]}"; do
        if [ "$s" = "$REFRESH" ]; then   # the pool is minted outside the timed window
            tokens "$((CONNECTIONS * 2))" "$TMP/pool.json"
            "${TOOL[@]}" refresh-lua "$TMP/pool.json" "$THREADS" >"$TMP/refresh.lua"
        fi
        before="$("${TOOL[@]}" cpu "${PIDOF[$s]}")"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "${LUA[$s]}" "${URL[$s]}" >"$TMP/wrk.txt"
        after="$("${TOOL[@]}" cpu "${PIDOF[$s]}")"
        "${TOOL[@]}" record "$TMP/wrk.txt" "$s" "$round" "$before" "$after" | tee -a "$RESULTS"
    done
done

echo "==> validating again after the runs"
for kind in JWT PAT; do
    token="$PAT"; if [ "$kind" = JWT ]; then token="$JWT"; fi
    "${TOOL[@]}" validate "$MCP_URL" modern "$token" "" "$DB" acme >/dev/null
done

DATE="$(date -u +%Y-%m-%dT%H%M%SZ)"
META="## OAuth: token endpoint and JWT vs PAT at deskgate-mcp ($DATE)

- commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(uname -r), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2 || true)
- wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds interleaved, medians
- deskgate-auth and deskgate-mcp --loops 2 --access-log off (deskgate-auth ${AUTH_FLAGS[*]:-with its default workers}), one SQLite database ($BIN)
- refresh_token grant: public client, each connection chaining its rotated refresh token
- tools/call get_ticket_metadata (2026-07-28 era) cycling through tickets 1..$TICKETS"
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/auth-$DATE.md"
"${TOOL[@]}" report "$RESULTS" "$META" | tee "$OUT"
echo "==> written to ${OUT#$ROOT/}"
