# Sourced by bench/mcp.sh and bench/scale.sh: the tools an MCP benchmark needs, after ROOT is set
# and before anything is timed.
#
# mcp_bench_setup PRODUCT...: installs wrk and nginx from Debian if missing (sudo unless root),
#   the Python SDK peer's pinned requirements (bench/mcp_peer/requirements.txt) into ROOT/.venv,
#   and builds PRODUCTs in release mode unless DESKGATE_BIN_DIR names prebuilt binaries.
#   Sets NGINX, VENV, PY, TOOL (benchtool.py as an array), SDK_VERSION and BIN.
mcp_bench_setup() {
    local sudo="" p missing=()
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
    for p in wrk nginx; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ "${#missing[@]}" -gt 0 ] && ! { [ "${missing[*]}" = nginx ] && command -v nginx >/dev/null 2>&1; }; then
        echo "==> installing ${missing[*]}"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
    VENV="$ROOT/.venv"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    if ! "$VENV/bin/python" -c 'import mcp, uvloop, httptools' 2>/dev/null; then
        echo "==> pip install -r bench/mcp_peer/requirements.txt"
        (cd "$ROOT/bench/mcp_peer" && "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt)
    fi
    PY="$VENV/bin/python"
    TOOL=("$PY" "$ROOT/bench/mcp_peer/benchtool.py")
    SDK_VERSION="$("$PY" -c 'import importlib.metadata as m; print(m.version("mcp"))')"
    if [ -n "${DESKGATE_BIN_DIR:-}" ]; then
        BIN="$DESKGATE_BIN_DIR"
    else
        for p in "$@"; do
            echo "==> swift build -c release --product $p"
            (cd "$ROOT" && swift build -c release --product "$p")
        done
        BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)"
    fi
}
