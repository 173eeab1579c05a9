#!/usr/bin/env bash
# Native TLS benchmark: deskgate-echo --tls-cert/--tls-key vs nginx (2 workers) serving the same
# fixed JSON body with the same EC P-256 certificate, in one run, rounds interleaved (ABBA):
#   keep-alive   wrk -t2 -c64 on kept-alive HTTPS connections: requests/s
#   handshake    wrk -t2 -c64 -H "Connection: close": one full TLS handshake per request
# Env: ROUNDS (default 3), DURATION (default 10s), CONNECTIONS (64), THREADS (2),
#      DESKGATE_ECHO_BIN (skip the release build and bench this binary).
# Output: two markdown tables on stdout and in bench/results/tls-<date>.md.
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HELPER=(python3 "$ROOT/bench/benchlib.py")
. "$ROOT/bench/common.sh"
bench_need_packages nginx wrk curl openssl
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

# --- one certificate for both ------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
chmod 600 "$TMP/key.pem"
fetch() { curl -sf --cacert "$TMP/cert.pem" "$1"; }

# --- deskgate-echo -----------------------------------------------------------------
"$ECHO_BIN" --host 127.0.0.1 --port 0 --loops 2 --access-log off \
    --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" >"$TMP/echo.out" 2>"$TMP/echo.err" &
ECHO_PID=$!
for _ in $(seq 100); do grep -q '^listening ' "$TMP/echo.out" && break; sleep 0.1; done
ECHO_URL="$(sed -n 's/^listening \(https:[^ ]*\)$/\1/p' "$TMP/echo.out" | head -1)"
[ -n "$ECHO_URL" ] || { echo "deskgate-echo did not start:"; cat "$TMP/echo.err"; exit 1; }
fetch "$ECHO_URL/bench" >"$TMP/body.json"

# --- nginx: same body, same certificate, TLS 1.2/1.3, session cache and tickets ------------
NGINX_PORT="$("${HELPER[@]}" freeport)"
case "$(cat "$TMP/body.json")" in *"'"*|*'$'*) echo "body has a quote or a dollar sign"; exit 1;; esac
BODY="$(sed 's/\\/\\\\/g' "$TMP/body.json")"
mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        ssl_certificate $TMP/cert.pem;
        ssl_certificate_key $TMP/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:SSL:10m;
        location = /bench { default_type application/json; return 200 '$BODY'; }
    }
}
CONF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/nginx.err" &
NGINX_PID=$!
NGINX_URL="https://localhost:$NGINX_PORT"
for _ in $(seq 100); do fetch "$NGINX_URL/bench" >"$TMP/nginx-body.json" 2>/dev/null && break; sleep 0.1; done
cmp -s "$TMP/body.json" "$TMP/nginx-body.json" || { echo "bodies differ"; cat "$TMP/nginx/nginx.err"; exit 1; }
echo "==> both serve the same $(wc -c <"$TMP/body.json")-byte body over TLS"

declare -A URL=([deskgate-echo]="$ECHO_URL/bench" [nginx]="$NGINX_URL/bench")
declare -A PID=([deskgate-echo]="$ECHO_PID" [nginx]="$NGINX_PID")

echo "==> warm-up"
for s in deskgate-echo nginx; do wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "${URL[$s]}" >/dev/null; done

for round in $(seq "$ROUNDS"); do
    if (( round % 2 )); then order=(deskgate-echo nginx); else order=(nginx deskgate-echo); fi
    for mode in keepalive handshake; do
        extra=(); [ "$mode" = handshake ] && extra=(-H "Connection: close")
        for s in "${order[@]}"; do
            before="$("${HELPER[@]}" cpu "${PID[$s]}")"
            wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${extra[@]}" "${URL[$s]}" >"$TMP/wrk.txt"
            after="$("${HELPER[@]}" cpu "${PID[$s]}")"
            "${HELPER[@]}" record "$TMP/wrk.txt" "$s" "$round" "$before" "$after" | tee -a "$TMP/$mode.jsonl"
        done
    done
done

DATE="$(date -u +%Y-%m-%dT%H%M%SZ)"
COMMON="- commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(uname -r), $(openssl version)
- $("$NGINX" -v 2>&1 | head -1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)
- wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds interleaved, $(wc -c <"$TMP/body.json")-byte JSON body, EC P-256 certificate
- deskgate-echo --loops 2 --access-log off ($ECHO_BIN); nginx 2 workers, keepalive_requests 1000000, access_log off, ssl_session_cache shared"
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/tls-$DATE.md"
{
    "${HELPER[@]}" report "$TMP/keepalive.jsonl" "## Native TLS, keep-alive: deskgate-echo vs nginx ($DATE)

$COMMON"
    echo
    "${HELPER[@]}" report "$TMP/handshake.jsonl" "## Native TLS, one handshake per request (Connection: close) ($DATE)

$COMMON"
} | tee "$OUT"
echo "==> written to ${OUT#$ROOT/}"
