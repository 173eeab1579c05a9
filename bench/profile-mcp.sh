#!/usr/bin/env bash
# Instruction profile of one MCP tools/call get_ticket_metadata with a PAT (the bench/mcp.sh
# request), counted by valgrind's callgrind: repeatable on a busy machine, where wall time is not.
#
# A release build of deskgate-mcp --loops 1 runs under callgrind; a fixed load (CALLS requests over
# CONNECTIONS keep-alive sockets in lock-step rounds, tickets 1..TICKETS in turn, the exact headers
# and body wrk sends) follows a warm-up; counters are zeroed after the warm-up and dumped after the
# load, so the dump holds exactly CALLS calls (plus one /healthz nudge at each end, noise).
# With FLOOR=1 the same load runs against deskgate-echo GET /bench: the bare HTTP exchange.
#
# Env: CALLS (2000), WARMUP (300), CONNECTIONS (8), TICKETS (1000), ERA (modern | handshake),
#      SCRATCH (.build-bench: release build directory), FLOOR (0), DESKGATE_BIN_DIR (profile these
#      binaries, no build), LABEL (names the output files; default: the current commit).
# Output: total and per-call instructions, the per-part table (bench/callgrind_parts.py), and the
#         callgrind file under bench/results/ (not committed).
set -euo pipefail

CALLS="${CALLS:-2000}"
WARMUP="${WARMUP:-300}"
CONNECTIONS="${CONNECTIONS:-8}"
TICKETS="${TICKETS:-1000}"
ERA="${ERA:-modern}"
SCRATCH="${SCRATCH:-.build-bench}"
FLOOR="${FLOOR:-0}"
LABEL="${LABEL:-$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --short HEAD 2>/dev/null || echo unknown)}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
command -v valgrind >/dev/null 2>&1 || { echo "valgrind is needed (apt-get install valgrind)"; exit 1; }
PY="$ROOT/.venv/bin/python"; [ -x "$PY" ] || PY=python3
TOOL=("$PY" "$ROOT/bench/mcp_peer/benchtool.py")

if [ -z "${DESKGATE_BIN_DIR:-}" ]; then
    for p in deskgate deskgate-mcp deskgate-echo; do
        swift build -c release --scratch-path "$SCRATCH" --product "$p" >/dev/null
    done
    BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)"
else
    BIN="$DESKGATE_BIN_DIR"
fi

TMP="$(mktemp -d)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

DB="$TMP/bench.sqlite"
DG=("$BIN/deskgate" --database "$DB" --keys "$TMP/keys")
"${DG[@]}" init >/dev/null
"${DG[@]}" demo --tenant acme --tickets "$TICKETS" >/dev/null
# Limits far above any load (issue 19): the limiter's check runs and is measured, never refuses.
"${DG[@]}" tenant settings acme --rate 100000000 --tenant-rate 100000000 --write-quota 100000000 \
    --tenant-write-quota 100000000 >/dev/null 2>&1 || true
TOKEN="$("${DG[@]}" --json token create --tenant acme --user admin@acme.test \
          --scope tickets:read --scope tickets:write --scope directory:read --name profile | "${TOOL[@]}" token)"

if [ "$FLOOR" = 1 ]; then
    SERVER=("$BIN/deskgate-echo" --host 127.0.0.1 --port 0 --loops 1 --access-log off)
    NUDGE=/bench
else
    SERVER=("$BIN/deskgate-mcp" --database "$DB" --keys "$TMP/keys" --host 127.0.0.1 --port 0 --loops 1 --access-log off)
    NUDGE=/healthz
fi
OUT="$TMP/callgrind.out"
valgrind --tool=callgrind --callgrind-out-file="$OUT.%p" "${SERVER[@]}" >"$TMP/server.out" 2>"$TMP/server.err" &
PID=$!
for _ in $(seq 600); do grep -qs '^listening ' "$TMP/server.out" && break; sleep 0.1; done
BASE="$(sed -n 's/^listening \(http:[^ ]*\)$/\1/p' "$TMP/server.out" | head -1)"
[ -n "$BASE" ] || { echo "server did not start:"; cat "$TMP/server.err"; exit 1; }

if [ "$FLOOR" = 1 ]; then
    TARGET="GET:$BASE/bench"; SESSION=""
else
    TARGET="$BASE/t/acme/mcp"; SESSION=""
    [ "$ERA" = handshake ] && SESSION="$("${TOOL[@]}" session "$TARGET" "$TOKEN")"
fi

# callgrind_control reaches the process through vgdb; a request makes sure it is not parked in epoll_wait.
control() {  # FLAG
    callgrind_control "$1" "$PID" >/dev/null 2>&1 &
    local c=$!
    sleep 1; "${TOOL[@]}" fetch "$BASE$NUDGE" >/dev/null; wait "$c"
}
"${TOOL[@]}" drive "$TARGET" "$ERA" "$TOKEN" "$SESSION" "$WARMUP" "$CONNECTIONS" "$TICKETS" >/dev/null
control -z
"${TOOL[@]}" drive "$TARGET" "$ERA" "$TOKEN" "$SESSION" "$CALLS" "$CONNECTIONS" "$TICKETS" >/dev/null
control -d
DUMP="$(ls -t "$OUT".* | grep -v "\.$PID$" | head -1 || true)"
[ -n "$DUMP" ] || DUMP="$(ls -t "$OUT".* | head -1)"

mkdir -p "$ROOT/bench/results"
NAME="profile-$([ "$FLOOR" = 1 ] && echo echo || echo "mcp-$ERA")-$LABEL"
cp "$DUMP" "$ROOT/bench/results/$NAME.callgrind"
echo "== $NAME: $CALLS calls, $CONNECTIONS connections, $(basename "$BIN") build in $BIN"
"$PY" "$ROOT/bench/callgrind_parts.py" "$ROOT/bench/results/$NAME.callgrind" "$CALLS" | tee "$ROOT/bench/results/$NAME.txt"
echo "== callgrind file: bench/results/$NAME.callgrind (callgrind_annotate --inclusive=yes, swift demangle)"
