#!/usr/bin/env bash
# Scale-out benchmark: deskgate-mcp on PostgreSQL, tools/call get_ticket_metadata with a PAT, against
# the same on SQLite (one process, the embedded default), the Python SDK peer of bench/mcp.sh, and
# pgbench -S (select-only, same connection count and threads) on the same cluster as the ceiling of
# one indexed read on this machine; then 1, 2, 4 … deskgate-mcp processes on the same PostgreSQL
# database, each driven by its own wrk (the connections split between them), and the largest count
# also behind an nginx upstream. Writes: add_ticket_tags / remove_ticket_tags alternating, on
# PostgreSQL and on SQLite. All in one run, interleaved rounds, medians, CPU per request of deskgate,
# of the PostgreSQL cluster and of the whole machine. Then a profile phase: statements per call and
# their execution time (pg_stat_statements) and sequential-call latency on each engine.
# The PostgreSQL cluster is a throwaway one (bench/pg-cluster.sh) with durability ON: fsync,
# synchronous_commit and full_page_writes at their defaults, as a deployment runs.
# Env: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (2), TICKETS (1000), PROCESSES ("1 2 4"),
#      PGBENCH_SCALE (10), WRITES (on), NGINX_LB (on), PROFILE_CALLS (2000),
#      DESKGATE_BIN_DIR (skip the release build, use these binaries).
# Output: markdown on stdout and in bench/results/scale-<date>.md.
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
TICKETS="${TICKETS:-1000}"
PROCESSES="${PROCESSES:-1 2 4}"
PGBENCH_SCALE="${PGBENCH_SCALE:-10}"
WRITES="${WRITES:-on}"
NGINX_LB="${NGINX_LB:-on}"
PROFILE_CALLS="${PROFILE_CALLS:-2000}"
case "$DURATION" in *s) SECONDS_EACH="${DURATION%s}";; *) echo "DURATION must be in seconds, like 10s"; exit 2;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/bench/mcp-setup.sh"
. "$ROOT/bench/pg-cluster.sh"
. "$ROOT/bench/rounds.sh"
mcp_bench_setup deskgate deskgate-mcp
ST=("$PY" "$ROOT/bench/scale_tool.py")
MAXP=1; for n in $PROCESSES; do (( n > MAXP )) && MAXP=$n; done

TMP="$(mktemp -d /tmp/deskgate-scale.XXXXXX)"
chmod 755 "$TMP"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    pg_cluster_stop
    rm -rf "$TMP"
}
trap cleanup EXIT

wait_listening() {  # FILE -> URL
    for _ in $(seq 200); do grep -q '^listening ' "$1" && break; sleep 0.1; done
    sed -n 's/^listening \(http:[^ ]*\)$/\1/p' "$1" | head -1
}

# --- PostgreSQL, data -------------------------------------------------------------------------------
mkdir -p "$TMP/pg"
pg_cluster_start "$TMP/pg"
PGVERSION="$(psql_admin -At -c 'show server_version')"
echo "==> PostgreSQL $PGVERSION on $TMP/pg (fsync $(psql_admin -At -c 'show fsync'), synchronous_commit $(psql_admin -At -c 'show synchronous_commit'))"

# Reads cycle through tickets 1..TICKETS; writes go to TICKETS+1..2*TICKETS, so the tags they leave
# never reach a read's reply.
DB="$TMP/bench.sqlite"
DG=("$BIN/deskgate" --database "$DB" --keys "$TMP/keys")
"${DG[@]}" init >/dev/null
"${DG[@]}" demo --tenant acme --tickets "$((2 * TICKETS))" >/dev/null
# Limits far above any load (issue 19): the limiter's check runs and is measured, never refuses.
"${DG[@]}" tenant settings acme --rate 100000000 --tenant-rate 100000000 --write-quota 100000000 \
    --tenant-write-quota 100000000 >/dev/null 2>&1 || true
TOKEN="$("${DG[@]}" --json token create --tenant acme --user admin@acme.test \
          --scope tickets:read --scope tickets:write --scope directory:read --name bench | "${TOOL[@]}" token)"
# The same rows (and the same PAT) on PostgreSQL.
"${DG[@]}" store copy --to "$PG_URL" >"$TMP/copy.log" 2>&1 || { cat "$TMP/copy.log"; exit 1; }
echo "==> $((2 * TICKETS)) demo tickets on SQLite and PostgreSQL ($(tail -2 "$TMP/copy.log" | head -1 | cut -c1-60)…), PAT ${TOKEN:0:10}…"

psql_admin -c "CREATE DATABASE pgbench" >/dev/null
"$PG_BIN/pgbench" -i -q -s "$PGBENCH_SCALE" -h "$PG_DIR" -U postgres pgbench >"$TMP/pgbench-init.log" 2>&1 \
    || { cat "$TMP/pgbench-init.log"; exit 1; }
psql_admin -d pgbench -c "VACUUM ANALYZE" >/dev/null
psql_admin -d deskgate -c "VACUUM ANALYZE" >/dev/null
echo "==> pgbench -i -s $PGBENCH_SCALE"

# --- servers ----------------------------------------------------------------------------------------
start_mcp() {  # NAME DATABASE -> sets STARTED_URL, STARTED_PID
    "$BIN/deskgate-mcp" --database "$2" --keys "$TMP/keys" --host 127.0.0.1 --port 0 --loops 2 --access-log off \
        >"$TMP/$1.out" 2>"$TMP/$1.err" &
    STARTED_PID=$!; PIDS+=("$STARTED_PID")
    STARTED_URL="$(wait_listening "$TMP/$1.out")"
    [ -n "$STARTED_URL" ] || { echo "deskgate-mcp ($1) did not start:"; cat "$TMP/$1.err"; exit 1; }
}
start_mcp sqlite "$DB"; SQLITE_URL="$STARTED_URL"; SQLITE_PID="$STARTED_PID"
PG_URLS=(); PG_PIDS=()
for i in $(seq "$MAXP"); do
    start_mcp "pg$i" "$PG_URL"; PG_URLS+=("$STARTED_URL"); PG_PIDS+=("$STARTED_PID")
done

PEER_PORT="$("${TOOL[@]}" freeport)"
DESKGATE_DATABASE="$DB" DESKGATE_PEER_TOKEN="$TOKEN" "$VENV/bin/uvicorn" server:app \
    --app-dir "$ROOT/bench/mcp_peer" --host 127.0.0.1 --port "$PEER_PORT" \
    --workers 2 --loop uvloop --http httptools --no-access-log --log-level warning \
    >"$TMP/peer.out" 2>"$TMP/peer.err" &
PEER_PID=$!; PIDS+=("$PEER_PID")
for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$PEER_PORT") 2>/dev/null && break; sleep 0.2; done
sleep 1  # both workers up

# The realistic front for several processes: nginx (2 workers) with an upstream of all of them.
if [ "$NGINX_LB" = on ] && (( MAXP > 1 )); then
    LB_PORT="$("${TOOL[@]}" freeport)"
    mkdir -p "$TMP/nginx/logs"
    {
        echo "worker_processes 2; daemon off; pid $TMP/nginx/nginx.pid; error_log $TMP/nginx/logs/error.log warn;"
        echo "events { worker_connections 4096; }"
        echo "http { access_log off; keepalive_requests 1000000;"
        echo "  upstream deskgate { keepalive 64; keepalive_requests 1000000;"
        for u in "${PG_URLS[@]}"; do echo "    server ${u#http://};"; done
        echo "  }"
        echo "  server { listen 127.0.0.1:$LB_PORT; location / { proxy_pass http://deskgate; proxy_http_version 1.1;"
        echo "    proxy_set_header Connection \"\"; proxy_buffering off; } } }"
    } >"$TMP/nginx/nginx.conf"
    "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/nginx.err" &
    LB_PID=$!; PIDS+=("$LB_PID")
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$LB_PORT") 2>/dev/null && break; sleep 0.1; done
fi

# --- targets ----------------------------------------------------------------------------------------
# A target: kind (wrk | pgbench), the URLs its wrk runs drive (one per process), the deskgate pids
# whose CPU counts, and read or write.
declare -A KIND URLS DGPIDS WORK
NAMES=()
target() {  # NAME KIND WORK "URL..." "PID,PID"
    NAMES+=("$1"); KIND[$1]="$2"; WORK[$1]="$3"; URLS[$1]="$4"; DGPIDS[$1]="$5"
}
"${TOOL[@]}" lua modern "$TOKEN" "" "$TICKETS" >"$TMP/read.lua"
echo "==> deskgate-sqlite: $("${TOOL[@]}" validate "$SQLITE_URL/t/acme/mcp" modern "$TOKEN" "" "$DB" acme)"
echo "==> python-sdk: $("${TOOL[@]}" validate "http://127.0.0.1:$PEER_PORT/t/acme/mcp" modern "$TOKEN" "" "$DB" acme)"
for u in "${PG_URLS[@]}"; do
    echo "==> deskgate-pg $u: $("${TOOL[@]}" validate "$u/t/acme/mcp" modern "$TOKEN" "" "$DB" acme)"
done
target "pgbench -S" pgbench read "" ""
for n in $PROCESSES; do
    urls=""; pids=""
    for i in $(seq 0 $((n - 1))); do urls+="${PG_URLS[$i]}/t/acme/mcp "; pids+="${PG_PIDS[$i]},"; done
    target "deskgate-pg read ×$n" wrk read "$urls" "$pids"
done
if [ -n "${LB_PID:-}" ]; then
    pids="$LB_PID,"; for p in "${PG_PIDS[@]}"; do pids+="$p,"; done
    target "deskgate-pg read ×$MAXP via nginx" wrk read "http://127.0.0.1:$LB_PORT/t/acme/mcp" "$pids"
fi
target "deskgate-sqlite read ×1" wrk read "$SQLITE_URL/t/acme/mcp" "$SQLITE_PID,"
target "python-sdk read (sqlite)" wrk read "http://127.0.0.1:$PEER_PORT/t/acme/mcp" "$PEER_PID,"
if [ "$WRITES" = on ]; then
    target "deskgate-pg write ×1" wrk write "${PG_URLS[0]}/t/acme/mcp" "${PG_PIDS[0]},"
    if (( MAXP > 1 )); then
        urls=""; pids=""
        for i in $(seq 0 $((MAXP - 1))); do urls+="${PG_URLS[$i]}/t/acme/mcp "; pids+="${PG_PIDS[$i]},"; done
        target "deskgate-pg write ×$MAXP" wrk write "$urls" "$pids"
    fi
    target "deskgate-sqlite write ×1" wrk write "$SQLITE_URL/t/acme/mcp" "$SQLITE_PID,"
fi

run_target() {  # NAME DURATION_SECONDS ROUND (0: warm-up) -> prints a JSON line when ROUND > 0
    local name="$1" secs="$2" rnd="$3" before after files=() u i=0 n
    if [ "${KIND[$name]}" = pgbench ]; then
        before="$("${ST[@]}" snapshot "" "$PG_POSTMASTER_PID")"
        "$PG_BIN/pgbench" -S -M prepared -n -c "$CONNECTIONS" -j "$THREADS" -T "$secs" --log --log-prefix="$TMP/pgblog-$rnd" \
            -h "$PG_DIR" -U postgres pgbench >"$TMP/pgbench.out" 2>&1 || { cat "$TMP/pgbench.out"; exit 1; }
        after="$("${ST[@]}" snapshot "" "$PG_POSTMASTER_PID")"
        if (( rnd > 0 )); then
            "${ST[@]}" record-pgbench "$TMP/pgbench.out" "$TMP/pgblog-$rnd" "$name" "$rnd" "$before" "$after"
        else
            rm -f "$TMP/pgblog-$rnd".*
        fi
        return
    fi
    read -r -a urls <<<"${URLS[$name]}"
    n="${#urls[@]}"
    local c=$((CONNECTIONS / n)) t=$((THREADS / n)); (( t >= 1 )) || t=1
    local scripts=() slice=$((TICKETS / n)) wpids=()
    for i in $(seq 0 $((n - 1))); do
        if [ "${WORK[$name]}" = write ]; then
            # Each wrk (process) its own slice of the write tickets; tag names unique per round,
            # process count and wrk (each target runs once a round; the engines' databases are
            # separate), since the last adds of a run stay on their tickets.
            "${ST[@]}" write-lua "$TOKEN" "$((TICKETS + 1 + i * slice))" "$((TICKETS + (i + 1) * slice))" \
                "$((2 * c))" "r$rnd-n$n-w$i" >"$TMP/write-$rnd-$i.lua"
            scripts+=("$TMP/write-$rnd-$i.lua")
        else
            scripts+=("$TMP/read.lua")
        fi
    done
    before="$("${ST[@]}" snapshot "${DGPIDS[$name]}" "$PG_POSTMASTER_PID")"
    i=0
    for u in "${urls[@]}"; do
        wrk -t"$t" -c"$c" -d"${secs}s" --latency -s "${scripts[$i]}" "$u" >"$TMP/wrk$i.txt" 2>&1 &
        wpids+=($!); files+=("$TMP/wrk$i.txt"); i=$((i + 1))
    done
    for p in "${wpids[@]}"; do wait "$p"; done
    after="$("${ST[@]}" snapshot "${DGPIDS[$name]}" "$PG_POSTMASTER_PID")"
    if (( rnd > 0 )); then
        "${ST[@]}" record-wrk "$name" "$rnd" "$before" "$after" "${files[@]}"
        # Keep the wrk output of a run with errors, to see what they were.
        if grep -qE 'Non-2xx|Socket errors|tool errors: [1-9]' "${files[@]}"; then
            mkdir -p "$ROOT/bench/results"
            cat "${files[@]}" >"$ROOT/bench/results/scale-errors-r$rnd-${name//[^A-Za-z0-9]/_}.txt"
        fi
    fi
    return 0
}

echo "==> warm-up"
for s in "${NAMES[@]}"; do run_target "$s" 2 0 >/dev/null; done

RESULTS="$TMP/results.jsonl"
for round in $(seq "$ROUNDS"); do
    mapfile -t order < <(round_order "$round" "${NAMES[@]}")
    for s in "${order[@]}"; do
        echo "$(date -u +%H:%M:%S) round $round: $s" >>"$TMP/timeline.txt"
        run_target "$s" "$SECONDS_EACH" "$round" | tee -a "$RESULTS"
    done
done

echo "==> validating again after the runs"
"${TOOL[@]}" validate "$SQLITE_URL/t/acme/mcp" modern "$TOKEN" "" "$DB" acme >/dev/null
for u in "${PG_URLS[@]}"; do "${TOOL[@]}" validate "$u/t/acme/mcp" modern "$TOKEN" "" "$DB" acme >/dev/null; done

# --- profile: statements per call, and sequential-call latency on each engine ----------------------
echo "==> profile: $PROFILE_CALLS sequential calls per engine and kind, pg_stat_statements on"
PROFILE="$TMP/profile.md"
psql_admin -c "ALTER SYSTEM SET pg_stat_statements.track = 'top'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1
{
    echo "Sequential calls (one connection, nothing else in flight; client-side latency after a tenth as warm-up):"
    echo
    echo "| engine | call | mean | p50 |"
    echo "|---|---|---:|---:|"
} >"$PROFILE"
for kind in read write; do
    if [ "$kind" = read ]; then first=1; span="$TICKETS"; else first=$((TICKETS + 1)); span="$TICKETS"; fi
    for engine in sqlite pg; do
        url="$SQLITE_URL/t/acme/mcp"; [ "$engine" = pg ] && url="${PG_URLS[0]}/t/acme/mcp"
        [ "$engine" = pg ] && psql_admin -c "SELECT pg_stat_statements_reset()" >/dev/null
        res="$("${ST[@]}" sequential "$url" "$TOKEN" "$kind" "$PROFILE_CALLS" "$first" "$span" "prof-$engine")"
        "${ST[@]}" sequential-row "$res" "$engine" "$kind" >>"$PROFILE"
        if [ "$engine" = pg ]; then
            psql_admin -At -F'|' -c "SELECT s.calls, s.total_exec_time, s.query FROM pg_stat_statements s
                JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'deskgate'" >"$TMP/stats-$kind.txt"
        fi
    done
done
for kind in read write; do
    echo >>"$PROFILE"
    label="get_ticket_metadata"; [ "$kind" = write ] && label="add_ticket_tags / remove_ticket_tags"
    "${ST[@]}" profile-rows "$TMP/stats-$kind.txt" "$PROFILE_CALLS" "$label on PostgreSQL" >>"$PROFILE"
done
psql_admin -c "ALTER SYSTEM RESET pg_stat_statements.track" -c "SELECT pg_reload_conf()" >/dev/null

# --- report -----------------------------------------------------------------------------------------
DATE="$(date -u +%Y-%m-%dT%H%M%SZ)"
META="## Scale-out on PostgreSQL: deskgate-mcp ×($PROCESSES) vs SQLite vs the Python SDK vs pgbench -S ($DATE)

- commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(uname -r), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), PostgreSQL $PGVERSION (fsync on, synchronous_commit on)
- reads: POST tools/call get_ticket_metadata (2026-07-28 era), tickets 1..$TICKETS in turn, bearer PAT; writes: add_ticket_tags and
  remove_ticket_tags alternating on tickets $((TICKETS + 1))..$((2 * TICKETS))
- wrk -c$CONNECTIONS -t$THREADS -d$DURATION --latency in total: with N processes, N wrk at once (-c$CONNECTIONS/N, -t max(1, $THREADS/N)), one per
  process, req/s summed, p50 the mean and p99 the worst of the N; $ROUNDS rounds interleaved, medians
- deskgate-mcp --loops 2 --access-log off per process ($BIN); nginx row: 2 workers, upstream of the $MAXP processes, keepalive 64
- pgbench -S -M prepared -c$CONNECTIONS -j$THREADS, scale $PGBENCH_SCALE, same cluster, latency from its --log
- python-sdk: mcp $SDK_VERSION, the bench/mcp.sh peer (uvicorn --workers 2, SQLite)
- CPU per request: deskgate = the processes in the row; PostgreSQL = the whole cluster (postmaster, backends, reaped backends);
  machine = all CPUs busy (includes wrk, and anything else running); cores busy = average over the run (of $(nproc))"
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/scale-$DATE.md"
"${ST[@]}" report "$RESULTS" "$PROFILE" "$META" | tee "$OUT"
# The server's log (checkpoints, autovacuum, lock waits) beside it, to line up with slow runs.
cp "$PG_DIR/server.log" "${OUT%.md}-postgres.log"
cp "$TMP/timeline.txt" "${OUT%.md}-timeline.txt"
echo "==> written to ${OUT#$ROOT/}"
