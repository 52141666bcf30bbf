#!/usr/bin/env bash
# Install (Debian's package) and start a throwaway PostgreSQL for the query runner tests,
# listening on 127.0.0.1 only; create the test database, the fixture and the read-only
# role from `oss db-role-sql`. Idempotent and fast on rerun (~1 s).
#
# Writes $STATE/env.json: {"port", "database", "readonlyDsnFile", "adminDsnFile"} and
# prints its path as the last line. STATE is /var/lib/oss-test-postgres as root, else
# ${XDG_CACHE_HOME:-~/.cache}/oss-test-postgres; override with OSS_PG_STATE. The port
# is 55432 unless OSS_PG_PORT is set. Tests find env.json at the same place
# (test/query/pg-env.ts) or via OSS_PG_ENV_FILE.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT="${OSS_PG_PORT:-55432}"
DB=oss_test
if [ "$(id -u)" = 0 ]; then
  STATE="${OSS_PG_STATE:-/var/lib/oss-test-postgres}"
else
  STATE="${OSS_PG_STATE:-${XDG_CACHE_HOME:-$HOME/.cache}/oss-test-postgres}"
fi
DATA="$STATE/data"
RUN="$STATE/run"
LOG="$STATE/postgres.log"
SECRETS="$STATE/secrets"

log() { printf 'setup-postgres: %s\n' "$*" >&2; }

pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(pg_bindir)" ] || ! command -v psql >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed; run this script as root once (it apt-get installs postgresql)"
    exit 2
  fi
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
fi
BIN="$(pg_bindir)"

# the server refuses to run as root: as root it runs as the package's postgres user
if [ "$(id -u)" = 0 ]; then
  AS_PG=(runuser -u postgres --)
  PG_USER=postgres
else
  AS_PG=()
  PG_USER="$(id -un)"
fi

mkdir -p "$STATE" "$SECRETS"
chmod 700 "$SECRETS"
if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initialising a cluster in $DATA"
  mkdir -p "$DATA" "$RUN"
  [ "$(id -u)" = 0 ] && chown "$PG_USER:" "$DATA" "$RUN"
  pwfile="$(mktemp)"
  # the superuser's password: only in the secrets dir, never in argv or env
  [ -s "$SECRETS/admin_password" ] || (umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' > "$SECRETS/admin_password")
  cp "$SECRETS/admin_password" "$pwfile"
  [ "$(id -u)" = 0 ] && chown "$PG_USER:" "$pwfile"
  "${AS_PG[@]}" "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >> "$DATA/postgresql.conf" <<CONF
# oss test instance: loopback only, throwaway (durability off for speed)
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$RUN'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
fi
mkdir -p "$RUN"
[ "$(id -u)" = 0 ] && chown "$PG_USER:" "$RUN"

if ! "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  touch "$LOG"
  [ "$(id -u)" = 0 ] && chown "$PG_USER:" "$LOG"
  "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
fi

psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" -U postgres "$@"; }

if [ "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  psql_admin -d postgres -c "CREATE DATABASE $DB"
fi
psql_admin -d "$DB" -f test/query/fixture.sql >/dev/null

# the read-only role, exactly as an operator would create it
[ -s "$SECRETS/readonly_password" ] || (umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' > "$SECRETS/readonly_password")
[ -f dist/cli.cjs ] || node scripts/bundle.mjs
node bin/oss db-role-sql --password-file "$SECRETS/readonly_password" | psql_admin -d "$DB" >/dev/null

(
  umask 077
  printf 'postgresql://oss_readonly:%s@127.0.0.1:%s/%s\n' "$(cat "$SECRETS/readonly_password")" "$PORT" "$DB" > "$SECRETS/readonly.dsn"
  printf 'postgresql://postgres:%s@127.0.0.1:%s/%s\n' "$(cat "$SECRETS/admin_password")" "$PORT" "$DB" > "$SECRETS/admin.dsn"
  printf '{"port":%s,"database":"%s","readonlyDsnFile":"%s","adminDsnFile":"%s"}\n' \
    "$PORT" "$DB" "$SECRETS/readonly.dsn" "$SECRETS/admin.dsn" > "$STATE/env.json"
)
echo "$STATE/env.json"
