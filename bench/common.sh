# Sourced by the benchmark scripts (http.sh, tls.sh, stalled.sh): what each needs before it runs.
#
# bench_need_packages PKG...: installs the Debian packages that are missing (as root, or with sudo).
# bench_echo_binary: sets ECHO_BIN to $DESKGATE_ECHO_BIN when given, else builds deskgate-echo in
#   release into .build-bench (kept apart from the debug build the tests use) and points at it.

bench_need_packages() {
    local missing=() p sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ "${#missing[@]}" -gt 0 ] || return 0
    echo "==> installing ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

bench_echo_binary() {
    command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
    if [ -n "${DESKGATE_ECHO_BIN:-}" ]; then
        ECHO_BIN="$DESKGATE_ECHO_BIN"
        return 0
    fi
    echo "==> swift build -c release --scratch-path .build-bench --product deskgate-echo"
    swift build -c release --scratch-path .build-bench --product deskgate-echo
    ECHO_BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/deskgate-echo"
}

# bench_plain_pair: deskgate-echo (plain HTTP, 2 loops, no access log) and nginx answering /bench
#   with the very bytes deskgate-echo answers (bench/nginx-fixed.sh), both ready. Needs TMP,
#   HELPER, ECHO_BIN and NGINX; sets ECHO_PID, ECHO_URL, NGINX_PID, NGINX_PORT, NGINX_URL and
#   leaves the body in $TMP/body.json. Exits when either does not start or the bodies differ.
bench_plain_pair() {
    "$ECHO_BIN" --host 127.0.0.1 --port 0 --loops 2 --access-log off >"$TMP/echo.out" 2>"$TMP/echo.err" &
    ECHO_PID=$!
    for _ in $(seq 100); do grep -q '^listening ' "$TMP/echo.out" && break; sleep 0.1; done
    ECHO_URL="$(sed -n 's/^listening \(http:[^ ]*\)$/\1/p' "$TMP/echo.out" | head -1)"
    [ -n "$ECHO_URL" ] || { echo "deskgate-echo did not start:"; cat "$TMP/echo.err"; exit 1; }
    "${HELPER[@]}" fetch "$ECHO_URL/bench" >"$TMP/body.json"
    NGINX_PORT="$("${HELPER[@]}" freeport)"
    nginx_fixed_start "$NGINX" "$TMP/nginx" "$NGINX_PORT" /bench "$TMP/body.json"
    NGINX_URL="http://127.0.0.1:$NGINX_PORT"
    for _ in $(seq 100); do "${HELPER[@]}" fetch "$NGINX_URL/bench" >"$TMP/nginx-body.json" 2>/dev/null && break; sleep 0.1; done
    cmp -s "$TMP/body.json" "$TMP/nginx-body.json" || { echo "bodies differ"; cat "$TMP/nginx/nginx.err"; exit 1; }
    echo "==> both serve the same $(wc -c <"$TMP/body.json")-byte body"
}
