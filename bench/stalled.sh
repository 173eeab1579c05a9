#!/usr/bin/env bash
# Stalled connections (issue 20): how much of its throughput normal traffic keeps while STALLED
# connections (default 200: silent, slow heads, slow bodies, reopened as soon as they are cut) sit
# on the server. deskgate-echo and nginx (the peer), each measured clean and under attack in the
# same run, rounds interleaved; the attack starts 12 s before wrk so the header timeout (10 s) has
# already cut the first wave and the steady state is measured.
# Env: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (2), STALLED (200),
#      DESKGATE_ECHO_BIN (bench this binary instead of a release build).
# Output: markdown on stdout and in bench/results/stalled-<date>.md.
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
STALLED="${STALLED:-200}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bench/nginx-fixed.sh"
cd "$ROOT"
HELPER=(python3 "$ROOT/bench/benchlib.py")
STALL=(python3 "$ROOT/bench/stalled_clients.py")
. "$ROOT/bench/common.sh"
bench_need_packages nginx wrk
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
bench_echo_binary

TMP="$(mktemp -d)"
ECHO_PID=""; NGINX_PID=""; ATTACK_PID=""
cleanup() {
    for p in "$ATTACK_PID" "$ECHO_PID" "$NGINX_PID"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

bench_plain_pair

declare -A URL=([deskgate-echo]="$ECHO_URL/bench" [nginx]="$NGINX_URL/bench")
declare -A PORT=([deskgate-echo]="${ECHO_URL##*:}" [nginx]="$NGINX_PORT")
declare -A PID=([deskgate-echo]="$ECHO_PID" [nginx]="$NGINX_PID")
RESULTS="$TMP/results.jsonl"
SECS="${DURATION%s}"

run() {  # SERVER ROUND LABEL
    local s="$1" before after
    before="$("${HELPER[@]}" cpu "${PID[$s]}")"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${URL[$s]}" >"$TMP/wrk.txt"
    after="$("${HELPER[@]}" cpu "${PID[$s]}")"
    "${HELPER[@]}" record "$TMP/wrk.txt" "$3" "$2" "$before" "$after" | tee -a "$RESULTS"
}

for s in deskgate-echo nginx; do wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "${URL[$s]}" >/dev/null; done
for round in $(seq "$ROUNDS"); do
    if (( round % 2 )); then order=(deskgate-echo nginx); else order=(nginx deskgate-echo); fi
    for s in "${order[@]}"; do
        run "$s" "$round" "$s"
        "${STALL[@]}" attack 127.0.0.1 "${PORT[$s]}" "$STALLED" $(( SECS + 14 )) >"$TMP/attack.json" &
        ATTACK_PID=$!
        sleep 12
        run "$s" "$round" "$s + $STALLED stalled"
        wait "$ATTACK_PID"; ATTACK_PID=""
        echo "   attack on $s: $(cat "$TMP/attack.json")"
    done
done

DATE="$(date -u +%Y-%m-%dT%H%M%SZ)"
META="## Stalled connections: deskgate-echo and nginx, clean and with $STALLED stalled ($DATE)

- commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(uname -r)
- wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds interleaved; stalled: a third silent, a third
  slow heads, a third slow bodies, each reopened as soon as the server cuts it
- deskgate-echo --loops 2 (header timeout 10 s); nginx 2 workers, default client_header/body timeouts (60 s)"
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/stalled-$DATE.md"
{ "${HELPER[@]}" report "$RESULTS" "$META"; echo; "${STALL[@]}" ratios "$RESULTS"; } | tee "$OUT"
echo "==> written to ${OUT#$ROOT/}"
