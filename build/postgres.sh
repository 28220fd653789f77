#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test run, on 127.0.0.1 and a free port, in a temporary folder.
# Source it, then: postgres_start (exports GORGIAS_TEST_POSTGRES, the tests' connection string) and postgres_stop.
# Uses Debian's PostgreSQL (/usr/lib/postgresql/<version>/bin) and installs it with apt-get when it is missing.

postgres_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

postgres_start() {
  local bin
  bin=$(postgres_bin) || true
  if [[ -z "$bin" ]]; then
    local as_root=()
    if [[ $(id -u) -ne 0 ]]; then command -v sudo >/dev/null && as_root=(sudo) || as_root=(false); fi
    echo "Installing PostgreSQL for the storage tests (apt-get install postgresql)..."
    "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq postgresql >/dev/null \
      || { echo "Could not install PostgreSQL. Run: sudo apt-get update && sudo apt-get install -y postgresql" >&2; return 1; }
    bin=$(postgres_bin) || { echo "PostgreSQL was installed but no initdb was found under /usr/lib/postgresql" >&2; return 1; }
  fi

  POSTGRES_DIR=$(mktemp -d /tmp/gorgias-pg.XXXXXX)
  # initdb refuses to run as root: root runs the server as the 'postgres' user Debian's package creates.
  local as_owner=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$POSTGRES_DIR"
    as_owner=(runuser -u postgres --)
  fi
  "${as_owner[@]}" "$bin/initdb" -D "$POSTGRES_DIR/data" -A trust -U postgres --no-sync >"$POSTGRES_DIR/initdb.log" 2>&1 \
    || { cat "$POSTGRES_DIR/initdb.log" >&2; return 1; }

  local port attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    if "${as_owner[@]}" "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w -t 30 \
        -o "-p $port -k $POSTGRES_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null; then
      POSTGRES_BIN=$bin
      export GORGIAS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port"
      return 0
    fi
  done
  cat "$POSTGRES_DIR/server.log" >&2
  return 1
}

postgres_stop() {
  [[ -n "${POSTGRES_DIR:-}" && -d "$POSTGRES_DIR/data" ]] || return 0
  local as_owner=()
  [[ $(id -u) -eq 0 ]] && as_owner=(runuser -u postgres --)
  "${as_owner[@]}" "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_DIR"
}
