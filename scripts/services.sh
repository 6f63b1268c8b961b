#!/usr/bin/env bash
# Start the PostgreSQL and Redis the tests use, installing them first when
# they are missing.
#
# On Debian/Ubuntu (apt-get) a missing server is installed from Debian's
# packages, as bootstrap.sh does for chromium, and PostgreSQL gets a private
# cluster ("trackmyread<port>", trust auth on loopback only) so nothing of a
# developer's own clusters changes. Elsewhere the script says exactly what is
# missing and how the tests expect it, and stops.
#
# PG_PORT / REDIS_PORT choose the ports (tests/test_services_script.py runs
# this on spare ports to check the set-up from scratch).
set -euo pipefail
PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

missing() {
  echo "!! $1 is not available and this is not a Debian/Ubuntu system (no apt-get), so it can't be installed here." >&2
  echo "!! The tests need: $2" >&2
  exit 1
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  echo "==> installing $* (Debian packages) for the tests"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

pg_version() {
  ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1
}

ensure_postgres() {
  pg_isready -h 127.0.0.1 -p "$PG_PORT" -q 2>/dev/null && return 0
  if [ -z "$(pg_version)" ] || ! command -v pg_createcluster >/dev/null 2>&1; then
    # Debian would create and start a "main" cluster of its own: ours is private.
    if [ ! -e /etc/postgresql-common/createcluster.conf ] && command -v apt-get >/dev/null 2>&1; then
      $SUDO mkdir -p /etc/postgresql-common
      echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    apt_install postgresql postgresql-client \
      || missing PostgreSQL "a server on 127.0.0.1:$PG_PORT where user 'postgres' connects without a password (trust)"
  fi
  local version cluster
  version=$(pg_version)
  # A cluster already set up on this port (Debian's own, or ours from an earlier run): start it.
  cluster=$(pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port {print $2; exit}')
  if [ -z "$cluster" ]; then
    cluster="trackmyread$PG_PORT"
    echo "==> creating a private PostgreSQL $version cluster '$cluster' on 127.0.0.1:$PG_PORT (trust on loopback)"
    $SUDO pg_createcluster "$version" "$cluster" -p "$PG_PORT" \
      -- --auth-local=trust --auth-host=trust >/dev/null
    echo "listen_addresses = '127.0.0.1'" | $SUDO tee -a "/etc/postgresql/$version/$cluster/postgresql.conf" >/dev/null
  fi
  echo "==> starting PostgreSQL $version/$cluster"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p "$PG_PORT" -q && return 0; sleep 1; done
  echo "!! PostgreSQL $version/$cluster did not start; see /var/log/postgresql/" >&2
  exit 1
}

ensure_redis() {
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server || missing Redis "a server on 127.0.0.1:$REDIS_PORT without a password"
  fi
  echo "==> starting Redis on 127.0.0.1:$REDIS_PORT"
  local dir="/var/lib/redis/trackmyread$REDIS_PORT"
  $SUDO mkdir -p "$dir" /var/log/redis
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$dir" --logfile "/var/log/redis/trackmyread$REDIS_PORT.log" --pidfile "$dir/redis.pid"
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 1; done
  echo "!! Redis did not start; see /var/log/redis/trackmyread$REDIS_PORT.log" >&2
  exit 1
}

ensure_postgres
ensure_redis
