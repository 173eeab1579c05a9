# Sourced by bench/http.sh and bench/mcp.sh: nginx answering one path with fixed bytes, the way
# bench-notes.md says to run it fairly (2 workers, keepalive_requests 1000000, no access log).
#
# nginx_fixed_start NGINX DIR PORT PATH BODYFILE: writes DIR/nginx.conf, starts nginx in the
# background and sets NGINX_PID. The body goes into a single-quoted `return 200` string, where a
# quote or a '$' would be mangled (refused) and a backslash is an escape (doubled).
nginx_fixed_start() {
    local nginx="$1" dir="$2" port="$3" path="$4" bodyfile="$5" body
    case "$(cat "$bodyfile")" in
        *"'"*|*'$'*) echo "the body in $bodyfile has a quote or a dollar sign, which nginx would mangle"; return 1;;
    esac
    body="$(sed 's/\\/\\\\/g' "$bodyfile")"
    mkdir -p "$dir/logs"
    cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$port;
        location = $path { default_type application/json; return 200 '$body'; }
    }
}
CONF
    "$nginx" -p "$dir" -c "$dir/nginx.conf" 2>"$dir/nginx.err" &
    NGINX_PID=$!
}
