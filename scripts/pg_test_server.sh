#!/usr/bin/env bash
# Throwaway PostgreSQL server for the test suite.
#
#   scripts/pg_test_server.sh start        # prints the URL on stdout (the data dir goes to stderr and $DIR/url)
#   scripts/pg_test_server.sh stop DIR     # stops the server started in DIR and removes DIR
#   scripts/pg_test_server.sh run -- CMD…  # start, run CMD with DATELINE_TEST_PG_URL set, stop; exits with CMD's status
#
# Installs Debian's `postgresql` package when no server binaries are found (apt-get, non-interactive). The cluster
# lives in a temporary directory, listens on 127.0.0.1 on a free port with trust authentication, and runs as the
# `postgres` user when this script runs as root. If no server can be started, `run` still runs CMD (the PostgreSQL
# tests then skip, saying why) and `start` exits 1.
set -euo pipefail

log() { echo "pg_test_server: $*" >&2; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

ensure_installed() {
  find_bin >/dev/null && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "no PostgreSQL server binaries and cannot apt-get install (need root and apt)"; return 1
  fi
  log "installing Debian postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends postgresql >&2 || return 1
  find_bin >/dev/null
}

as_owner() {  # run a command as the cluster owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

start() {
  ensure_installed || return 1
  local bin dir port
  bin=$(find_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/dateline-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" -U dateline -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || as_owner "$bin/initdb" -D "$dir/data" -U dateline -A trust -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { log "initdb failed: $(tail -n 5 "$dir/initdb.log")"; return 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >&2 \
    || { log "pg_ctl start failed: $(tail -n 5 "$dir/server.log")"; return 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U dateline dateline_test
  local url="postgresql://dateline@127.0.0.1:$port/dateline_test"
  echo "$url" > "$dir/url"
  echo "$bin" > "$dir/bin"
  log "server in $dir"
  echo "$url"
}

stop() {
  local dir=$1
  [ -f "$dir/bin" ] || { log "not a server dir: $dir"; return 1; }
  as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  run)
    shift; [ "${1:-}" = "--" ] && shift
    url=$(start 2>"${TMPDIR:-/tmp}/dateline-pg-start.$$.log") || url=""
    dir=$(grep -o 'server in .*' "${TMPDIR:-/tmp}/dateline-pg-start.$$.log" | cut -c11- || true)
    if [ -z "$url" ]; then
      log "no PostgreSQL test server; PostgreSQL tests will skip"; cat "${TMPDIR:-/tmp}/dateline-pg-start.$$.log" >&2
    fi
    rm -f "${TMPDIR:-/tmp}/dateline-pg-start.$$.log"
    rc=0
    DATELINE_TEST_PG_URL="$url" "$@" || rc=$?
    [ -n "$dir" ] && stop "$dir"
    exit $rc ;;
  *) echo "usage: $0 start | stop DIR | run -- CMD..." >&2; exit 2 ;;
esac
