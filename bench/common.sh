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
