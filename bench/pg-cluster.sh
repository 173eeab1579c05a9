# Sourced by bench/scale.sh: a throwaway PostgreSQL 15 cluster for a benchmark, started the way
# scripts/with-postgres starts the test cluster (a fresh cluster in a temporary directory,
# reachable only through a Unix socket there, no TCP; as root the server runs as the system user
# deskgate-pg), but with durability ON: fsync, synchronous_commit and full_page_writes keep their
# defaults, as in a deployment. pg_stat_statements is preloaded with tracking off
# (pg_stat_statements.track = none) so a profiling phase can switch it on with a reload.
#
# pg_cluster_start DIR: creates DIR/data, starts the server on socket directory DIR, creates the
#   role deskgate (password) owning database deskgate, and sets PG_DIR, PG_DATA, PG_URL (for
#   deskgate, with the password), PG_BIN and PG_AS (the command prefix to run as the cluster's
#   owner). psql_admin [ARGS] runs psql as the superuser postgres over the socket.
# pg_cluster_start DIR TEMPLATE: the same, but DIR/data is a copy of TEMPLATE (the data directory
#   of a cluster made here before and stopped cleanly) instead of a new cluster: its roles and
#   database are there, so only the socket directory and deskgate's password are set anew.
# PG_CONF: more postgresql.conf lines (e.g. "shared_buffers = 2GB"), for a new cluster or a copy.
# pg_cluster_stop: immediate stop (the data is thrown away); call it from the EXIT trap.
# pg_cluster_stop_clean: a fast (checkpointed) stop, for a data directory that is kept.
# PG_BIN overrides where initdb, pg_ctl, psql and pgbench are (default /usr/lib/postgresql/15/bin).

pg_cluster_start() {
    PG_DIR="$1"
    PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
    local tool
    for tool in initdb pg_ctl postgres psql pgbench; do
        if [ ! -x "$PG_BIN/$tool" ]; then
            echo "pg-cluster: $PG_BIN/$tool not found: install PostgreSQL 15 (apt-get install postgresql) or set PG_BIN" >&2
            return 1
        fi
    done
    PG_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        if ! id -u deskgate-pg >/dev/null 2>&1; then
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin deskgate-pg
        fi
        PG_AS=(runuser -u deskgate-pg --)
        chown deskgate-pg "$PG_DIR"
    fi
    PG_DATA="$PG_DIR/data"
    local password
    password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    if [ -n "${2:-}" ]; then
        cp -a "$2" "$PG_DATA"
        [ "${#PG_AS[@]}" -eq 0 ] || chown -R deskgate-pg "$PG_DATA"
        sed -i "s|^unix_socket_directories = .*|unix_socket_directories = '$PG_DIR'|" "$PG_DATA/postgresql.conf"
        printf '%s\n' "${PG_CONF:-}" >>"$PG_DATA/postgresql.conf"
        "${PG_AS[@]}" "$PG_BIN/pg_ctl" start -D "$PG_DATA" -w -s -l "$PG_DIR/server.log" >/dev/null \
            || { cat "$PG_DIR/server.log" >&2; return 1; }
        printf "ALTER ROLE deskgate PASSWORD '%s';\n" "$password" | psql_admin >/dev/null
        PG_URL="postgresql://deskgate:$password@/deskgate?host=$PG_DIR"
        PG_POSTMASTER_PID="$(head -1 "$PG_DATA/postmaster.pid")"
        return 0
    fi
    "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C --no-instructions \
        >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    cat >"$PG_DATA/pg_hba.conf" <<'HBA'
local all postgres trust
local all all scram-sha-256
HBA
    # Durability on (the defaults: fsync, synchronous_commit, full_page_writes), unlike the test
    # cluster of scripts/with-postgres.
    # In postgresql.conf, not on the command line, so ALTER SYSTEM + reload can override them.
    cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PG_DIR'
max_connections = 200
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = none
log_checkpoints = on
log_lock_waits = on
log_autovacuum_min_duration = 0
${PG_CONF:-}
CONF
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" start -D "$PG_DATA" -w -s -l "$PG_DIR/server.log" >/dev/null \
        || { cat "$PG_DIR/server.log" >&2; return 1; }
    printf "CREATE ROLE deskgate LOGIN PASSWORD '%s';\n" "$password" | psql_admin >/dev/null
    psql_admin -c "CREATE DATABASE deskgate OWNER deskgate" >/dev/null
    psql_admin -c "CREATE EXTENSION pg_stat_statements" >/dev/null
    PG_URL="postgresql://deskgate:$password@/deskgate?host=$PG_DIR"
    PG_POSTMASTER_PID="$(head -1 "$PG_DATA/postmaster.pid")"
}

psql_admin() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -U postgres -d postgres "$@"; }

pg_cluster_stop() {
    if [ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
        "${PG_AS[@]}" "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m immediate -s >/dev/null 2>&1 || true
    fi
}

pg_cluster_stop_clean() {
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -s >/dev/null
}
