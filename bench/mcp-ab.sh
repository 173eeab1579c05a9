#!/usr/bin/env bash
# Same-run A/B of two deskgate builds on the bench/mcp.sh load (2026-07-28 era, wrk -t2 -c64,
# tools/call get_ticket_metadata over tickets 1..1000, bearer PAT), for when the machine is too busy
# for absolute numbers to mean much: both servers run at once, each on its own demo database made
# by its own CLI, and the runs alternate A B B A … so drift hits both alike.
# Env: A_BIN_DIR, B_BIN_DIR (release bin directories; required), RUNS (4), DURATION (8s).
# Output: one JSON line per run (benchtool.py record), then medians.
set -euo pipefail
: "${A_BIN_DIR:?release bin dir of build A}" "${B_BIN_DIR:?release bin dir of build B}"
RUNS="${RUNS:-4}"
DURATION="${DURATION:-8s}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"; [ -x "$PY" ] || PY=python3
TOOL=("$PY" "$ROOT/bench/mcp_peer/benchtool.py")
TMP="$(mktemp -d)"
declare -A BIN=([A]="$A_BIN_DIR" [B]="$B_BIN_DIR") URL PID LUA
cleanup() { for p in "${PID[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
for n in A B; do
    d="$TMP/$n"; mkdir -p "$d"
    DG=("${BIN[$n]}/deskgate" --database "$d/db.sqlite" --keys "$d/keys")
    "${DG[@]}" init >/dev/null
    "${DG[@]}" demo --tenant acme --tickets 1000 >/dev/null
    # Limits far above any load (issue 19): the limiter's check runs and is measured, never refuses.
    "${DG[@]}" tenant settings acme --rate 100000000 --tenant-rate 100000000 --write-quota 100000000 \
        --tenant-write-quota 100000000 >/dev/null 2>&1 || true
    tok="$("${DG[@]}" --json token create --tenant acme --user admin@acme.test --scope tickets:read \
           --scope tickets:write --scope directory:read --name ab | "${TOOL[@]}" token)"
    "${BIN[$n]}/deskgate-mcp" --database "$d/db.sqlite" --keys "$d/keys" --host 127.0.0.1 --port 0 --loops 2 \
        --access-log off >"$d/out" 2>"$d/err" &
    PID[$n]=$!
    for _ in $(seq 100); do grep -q '^listening ' "$d/out" && break; sleep 0.1; done
    URL[$n]="$(sed -n 's/^listening \(http:[^ ]*\)$/\1/p' "$d/out" | head -1)/t/acme/mcp"
    echo "==> $n (${BIN[$n]}): $("${TOOL[@]}" validate "${URL[$n]}" modern "$tok" "" "$d/db.sqlite" acme)"
    "${TOOL[@]}" lua modern "$tok" "" 1000 >"$d/req.lua"; LUA[$n]="$d/req.lua"
done
for n in A B; do wrk -t2 -c64 -d2s -s "${LUA[$n]}" "${URL[$n]}" >/dev/null; done
for run in $(seq "$RUNS"); do
    order="A B"; (( run % 2 == 0 )) && order="B A"
    for n in $order; do
        before="$("${TOOL[@]}" cpu "${PID[$n]}")"
        wrk -t2 -c64 -d"$DURATION" --latency -s "${LUA[$n]}" "${URL[$n]}" >"$TMP/wrk.txt"
        after="$("${TOOL[@]}" cpu "${PID[$n]}")"
        "${TOOL[@]}" record "$TMP/wrk.txt" "$n" "$run" "$before" "$after" | tee -a "$TMP/runs.jsonl"
    done
done
"$PY" - "$TMP/runs.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
med = {n: {k: statistics.median(r[k] for r in runs if r["server"] == n) for k in ("rps", "p99_ms", "cpu_us_per_req")}
       for n in ("A", "B")}
for n, m in med.items():
    print(f"{n}: {m['rps']:,.0f} req/s, p99 {m['p99_ms']:.2f} ms, {m['cpu_us_per_req']:.1f} µs CPU per request")
print(f"B / A: {med['B']['rps'] / med['A']['rps']:.2f}x req/s, {med['B']['cpu_us_per_req'] / med['A']['cpu_us_per_req']:.2f}x CPU")
PY
