#!/usr/bin/env bash
# HTTP core benchmark: deskgate-echo vs nginx serving the same fixed JSON body.
# wrk -t2 -c64 --latency, runs interleaved (ABBA order across rounds), medians reported.
# Env: ROUNDS (default 3), DURATION (default 10s), CONNECTIONS (64), THREADS (2),
#      DESKGATE_ECHO_BIN (skip the release build and bench this binary).
# Output: a markdown table on stdout and in bench/results/http-<date>.md.
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bench/nginx-fixed.sh"
cd "$ROOT"
HELPER=(python3 "$ROOT/bench/benchlib.py")
. "$ROOT/bench/common.sh"
bench_need_packages nginx wrk
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
bench_echo_binary

TMP="$(mktemp -d)"
ECHO_PID=""; NGINX_PID=""
cleanup() {
    [ -n "$ECHO_PID" ] && kill "$ECHO_PID" 2>/dev/null || true
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

bench_plain_pair

# --- runs ----------------------------------------------------------------------------
declare -A URL=([deskgate-echo]="$ECHO_URL/bench" [nginx]="$NGINX_URL/bench")
declare -A PID=([deskgate-echo]="$ECHO_PID" [nginx]="$NGINX_PID")
RESULTS="$TMP/results.jsonl"

echo "==> warm-up"
for s in deskgate-echo nginx; do wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "${URL[$s]}" >/dev/null; done

for round in $(seq "$ROUNDS"); do
    if (( round % 2 )); then order=(deskgate-echo nginx); else order=(nginx deskgate-echo); fi
    for s in "${order[@]}"; do
        before="$("${HELPER[@]}" cpu "${PID[$s]}")"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${URL[$s]}" >"$TMP/wrk.txt"
        after="$("${HELPER[@]}" cpu "${PID[$s]}")"
        "${HELPER[@]}" record "$TMP/wrk.txt" "$s" "$round" "$before" "$after" | tee -a "$RESULTS"
    done
done

# --- report ------------------------------------------------------------------------------
DATE="$(date -u +%Y-%m-%dT%H%M%SZ)"
META="## HTTP core: deskgate-echo vs nginx ($DATE)

- commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(uname -r)
- $("$NGINX" -v 2>&1 | head -1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)
- wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds interleaved, $(wc -c <"$TMP/body.json")-byte JSON body
- deskgate-echo --loops 2 --access-log off ($ECHO_BIN); nginx 2 workers, keepalive_requests 1000000, access_log off"
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/http-$DATE.md"
"${HELPER[@]}" report "$RESULTS" "$META" | tee "$OUT"
echo "==> written to ${OUT#$ROOT/}"
