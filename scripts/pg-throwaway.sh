# Starts a throwaway PostgreSQL server from the machine's binaries (initdb + pg_ctl) on a free
# loopback port. Source it, then: pg_throwaway_start; ...; pg_throwaway_stop.
# Exports PG_THROWAWAY_URL. Works as root (runs the server as the postgres user).

pg_throwaway_start() {
  local bindir
  bindir=$(command -v pg_ctl >/dev/null 2>&1 && dirname "$(command -v pg_ctl)" || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pg-throwaway: PostgreSQL server binaries not found" >&2
    return 1
  fi
  PG_THROWAWAY_DIR=$(mktemp -d /tmp/comptoir-pg.XXXXXX)
  PG_THROWAWAY_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  local run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd -r -M postgres
    chown -R postgres "$PG_THROWAWAY_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bindir/initdb" -D "$PG_THROWAWAY_DIR/data" -U postgres -A trust --no-sync >/dev/null
  "${run[@]}" "$bindir/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/log" -w \
    -o "-k $PG_THROWAWAY_DIR -h 127.0.0.1 -p $PG_THROWAWAY_PORT -c max_connections=200 -c fsync=off" start >/dev/null
  PG_THROWAWAY_BINDIR=$bindir
  export PG_THROWAWAY_URL="postgres://postgres@127.0.0.1:$PG_THROWAWAY_PORT/postgres"
}

pg_throwaway_stop() {
  if [ -n "${PG_THROWAWAY_DIR:-}" ]; then
    local run=()
    [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
    "${run[@]}" "$PG_THROWAWAY_BINDIR/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_THROWAWAY_DIR"
  fi
}
