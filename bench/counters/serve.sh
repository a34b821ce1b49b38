# serve.sh: sourced by the scripts beside it. serve_start BIN DB starts `otinish serve` on a
# free port (sets dir, pid, base), tok LOGIN signs a demo user in and prints the token,
# t PATH [TOKEN] prints the seconds of one GET, serve_stop ends the server, drop_cache FILE...
# drops those files' pages from the OS page cache (posix_fadvise DONTNEED).
PW=otinish-demo-2026
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$root/data} OTINISH_WEB=${OTINISH_WEB:-$root/web}

drop_cache() {
  python3 -c "
import os,sys
for f in sys.argv[1:]:
    if os.path.exists(f):
        fd=os.open(f,os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED); os.close(fd)
" "$@"
}

serve_start() {
  dir=$(mktemp -d /tmp/counters-XXXXXX)
  "$1" serve --db "$2" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
    --sweep-interval 0 --login-limit 1000 >"$dir/out" 2>"$dir/log" &
  pid=$!
  for _ in $(seq 3000); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/^listening on //p' "$dir/out")
}

serve_stop() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

tok() {
  curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$PW\"}" "$base/api/v1/session" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

t() { curl -s -o /dev/null -w '%{time_total}' ${2:+-H "Authorization: Bearer $2"} "$base$1"; }
