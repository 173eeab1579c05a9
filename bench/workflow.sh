#!/usr/bin/env bash
# Workflow tools on a large tenant: per-call p50/p99 of ticket_list (duty, all, a deep page,
# owner + search), ticket_handle (a transition through the exclusive gateway) and ticket_detail,
# then search: ticket_list + search_value in every category (rare, absent, common, 2-character
# text) and search_tickets (common and rare words, a phrase, two common words never together,
# a prefix, narrow filters, an agent who sees only IT).
# Sequential calls, so the numbers are per-request latency, not throughput under load.
# There is no workflow peer to run here (Loonflow needs its Django stack and MySQL); the
# targets are the issue's absolute ones: list p99 < 20 ms, handle p99 < 10 ms.
# Env: TICKETS (1000000 in all), WORKFLOW_TICKETS (200000 of them), CALLS (300),
#      CASES (comma-separated words: only the cases whose label has one, e.g. "handle,all"),
#      DESKGATE_BIN_DIR (use these binaries instead of a release build),
#      DB_TEMPLATE (a directory: the generated database and keys are kept there and copied for
#      the next run with the same TICKETS/WORKFLOW_TICKETS, so A/B runs start from the same data
#      without paying minutes of generation each time; a template from an older binary is
#      migrated on the copy, never regenerated), RARE_TITLE / RARE_WORD (the rare search words),
#      BACKEND (sqlite, or postgres: the same tenant copied into a throwaway PostgreSQL cluster of
#      bench/pg-cluster.sh, durability on, with `deskgate store copy` (timed) and VACUUM ANALYZE;
#      deskgate-mcp connects as the non-owner role deskgate_server, behind row-level security),
#      PG_TEMPLATE (postgres: a directory where the loaded cluster's data directory and keys are
#      kept, stopped cleanly, and copied back for the next run instead of loading again),
#      PG_CONF (postgres: postgresql.conf lines for the cluster; default "shared_buffers = 2GB"),
#      PG_LOAD (postgres: copy, the default, `deskgate store copy` (218 s at a million tickets),
#      or bulk: bench/pg_bulk_load.py instead (213 s; see that file for what it skips)).
# Output: JSON lines and a markdown table on stdout and in bench/results/workflow-<date>.md.
set -euo pipefail

TICKETS="${TICKETS:-1000000}"
WORKFLOW_TICKETS="${WORKFLOW_TICKETS:-200000}"
CALLS="${CALLS:-300}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"

VENV="$ROOT/.venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"

if [ -n "${DESKGATE_BIN_DIR:-}" ]; then
    BIN="$DESKGATE_BIN_DIR"
else
    for p in deskgate deskgate-mcp; do swift build -c release --product "$p"; done
    BIN="$(swift build -c release --show-bin-path)"
fi

BACKEND="${BACKEND:-sqlite}"
case "$BACKEND" in sqlite|postgres) ;; *) echo "BACKEND must be sqlite or postgres"; exit 2;; esac
# A short path: the PostgreSQL socket lives in it.
TMP="$(mktemp -d /tmp/deskgate-wf.XXXXXX)"
chmod 755 "$TMP"
MCP_PID=""
[ "$BACKEND" = sqlite ] || . "$ROOT/bench/pg-cluster.sh"
cleanup() {
    [ -n "$MCP_PID" ] && kill "$MCP_PID" 2>/dev/null; wait 2>/dev/null || true
    [ "$BACKEND" = sqlite ] || pg_cluster_stop
    rm -rf "$TMP"
}
trap cleanup EXIT
DB="$TMP/db.sqlite"
DG=("$BIN/deskgate" --database "$DB" --keys "$TMP/keys")

echo "==> demo tenant: $((TICKETS - WORKFLOW_TICKETS)) help-desk + $WORKFLOW_TICKETS workflow tickets"
TEMPLATE="${DB_TEMPLATE:+$DB_TEMPLATE/workflow-$TICKETS-$WORKFLOW_TICKETS}"
PG_KEPT="${PG_TEMPLATE:+$PG_TEMPLATE/workflow-$TICKETS-$WORKFLOW_TICKETS-pg}"
if [ "$BACKEND" = postgres ] && [ -n "$PG_KEPT" ] && [ -d "$PG_KEPT/data" ]; then
    echo "    (PostgreSQL template $PG_KEPT: no SQLite copy needed)"
elif [ -n "$TEMPLATE" ] && [ -f "$TEMPLATE/db.sqlite" ]; then
    cp "$TEMPLATE/db.sqlite" "$DB" && cp -r "$TEMPLATE/keys" "$TMP/keys"
    [ ! -f "$TEMPLATE/db.sqlite-wal" ] || cp "$TEMPLATE/db.sqlite-wal" "$DB-wal"
    echo "    copied from $TEMPLATE"
else
    start=$SECONDS
    "${DG[@]}" demo --tickets "$((TICKETS - WORKFLOW_TICKETS))" --workflow-tickets "$WORKFLOW_TICKETS" >/dev/null
    echo "    generated in $((SECONDS - start)) s"
    if [ -n "$TEMPLATE" ]; then
        mkdir -p "$TEMPLATE" && cp "$DB" "$TEMPLATE/db.sqlite" && cp -r "$TMP/keys" "$TEMPLATE/keys"
        [ ! -f "$DB-wal" ] || cp "$DB-wal" "$TEMPLATE/db.sqlite-wal"
    fi
fi
# A template made by an older binary gets this binary's migrations here (timed), not silently
# inside the first command that opens it.
if [ -f "$DB" ]; then
    start=$SECONDS
    "${DG[@]}" migrate >/dev/null
    echo "    migrated to the latest schema in $((SECONDS - start)) s"
fi
SERVER_DB="$DB"
if [ "$BACKEND" = postgres ]; then
    PG_CONF="${PG_CONF:-shared_buffers = 2GB}"
    mkdir -p "$TMP/pg"
    if [ -n "$PG_KEPT" ] && [ -d "$PG_KEPT/data" ]; then
        start=$SECONDS
        pg_cluster_start "$TMP/pg" "$PG_KEPT/data"
        cp -r "$PG_KEPT/keys" "$TMP/keys"
        echo "    PostgreSQL data directory copied from $PG_KEPT and started in $((SECONDS - start)) s"
    else
        pg_cluster_start "$TMP/pg"
        psql_admin -c "CREATE ROLE deskgate_server LOGIN" >/dev/null
        start=$SECONDS
        if [ "${PG_LOAD:-copy}" = bulk ]; then
            "$BIN/deskgate" --database "$PG_URL" --keys "$TMP/keys" migrate >/dev/null
            "$VENV/bin/python" bench/pg_bulk_load.py "$DB" "host=$PG_DIR user=postgres dbname=deskgate"
            echo "    bulk load into PostgreSQL in $((SECONDS - start)) s"
        else
            "${DG[@]}" store copy --to "$PG_URL" >"$TMP/copy.log" 2>&1 || { cat "$TMP/copy.log"; exit 1; }
            echo "    store copy to PostgreSQL in $((SECONDS - start)) s: $(grep '^Copied' "$TMP/copy.log")"
        fi
        start=$SECONDS
        psql_admin -d deskgate -c "VACUUM ANALYZE" >/dev/null
        echo "    VACUUM ANALYZE in $((SECONDS - start)) s"
        "$BIN/deskgate" --database "$PG_URL" --keys "$TMP/keys" store grant-server-role deskgate_server >/dev/null
        if [ -n "$PG_KEPT" ]; then
            start=$SECONDS
            pg_cluster_stop_clean
            mkdir -p "$PG_KEPT" && cp -a "$PG_DATA" "$PG_KEPT/data" && cp -r "$TMP/keys" "$PG_KEPT/keys"
            "${PG_AS[@]}" "$PG_BIN/pg_ctl" start -D "$PG_DATA" -w -s -l "$PG_DIR/server.log" >/dev/null
            echo "    kept in $PG_KEPT ($(du -sh "$PG_KEPT/data" | cut -f1)) in $((SECONDS - start)) s"
        fi
    fi
    rm -f "$DB"
    DB="$PG_URL"
    DG=("$BIN/deskgate" --database "$DB" --keys "$TMP/keys")
    # A template kept by an older binary gets this one's migrations (as the owner: the server's
    # role may not run DDL).
    start=$SECONDS
    "${DG[@]}" migrate >/dev/null
    # A migration that rewrote rows (22 rewrites every relation row) leaves their pages not
    # all-visible: index-only scans would visit the heap until autovacuum came by.
    psql_admin -d deskgate -c "VACUUM ANALYZE" >/dev/null
    echo "    PostgreSQL migrated to the latest schema and vacuumed in $((SECONDS - start)) s"
    SERVER_PASSWORD="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    printf "ALTER ROLE deskgate_server PASSWORD '%s';\n" "$SERVER_PASSWORD" | psql_admin >/dev/null
    SERVER_DB="postgresql://deskgate_server:$SERVER_PASSWORD@/deskgate?host=$PG_DIR"
    PGVERSION="$(psql_admin -At -c 'show server_version')"
    echo "==> PostgreSQL $PGVERSION (fsync $(psql_admin -At -c 'show fsync'), shared_buffers $(psql_admin -At -c 'show shared_buffers'), work_mem $(psql_admin -At -c 'show work_mem')), server as deskgate_server"
fi
# Limits far above any load (issue 19): the limiter's check runs and is measured, never refuses.
"${DG[@]}" tenant settings acme --rate 100000000 --tenant-rate 100000000 --write-quota 100000000 \
    --tenant-write-quota 100000000 >/dev/null 2>&1 || true
ADMIN="$("${DG[@]}" --json token create --tenant acme --user admin@acme.test | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
LEE="$("${DG[@]}" --json token create --tenant acme --user lee@acme.test | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$BIN/deskgate-mcp" --database "$SERVER_DB" --keys "$TMP/keys" --host 127.0.0.1 --port "$PORT" --access-log off \
    >"$TMP/mcp.out" 2>"$TMP/mcp.err" &
MCP_PID=$!
for _ in $(seq 1 100); do grep -q listening "$TMP/mcp.out" 2>/dev/null && break; sleep 0.1; done

mkdir -p bench/results
echo "==> load average before the cases: $(cut -d' ' -f1-3 /proc/loadavg)"
OUT="bench/results/workflow-$([ "$BACKEND" = sqlite ] || echo "$BACKEND-")$(date -u +%Y%m%d-%H%M%S).md"
"$VENV/bin/python" bench/workflow_bench.py "http://127.0.0.1:$PORT/t/acme/mcp" "$DB" "$ADMIN" "$LEE" "$CALLS" | tee "$TMP/results.jsonl"
{
    echo "Workflow tools on $BACKEND${PGVERSION:+ $PGVERSION}, $TICKETS tickets ($WORKFLOW_TICKETS in workflows), $CALLS sequential calls per case, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| case | p50 | p99 | max | total listed |"
    echo "|---|---:|---:|---:|---:|"
    "$VENV/bin/python" bench/workflow_bench.py --table "$TMP/results.jsonl"
} | tee "$OUT"
echo "==> $OUT"
