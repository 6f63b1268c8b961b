"""scripts/services.sh, which `make test` runs first: it starts PostgreSQL
and Redis, creating a private cluster when none serves the port, and on a
machine it can't install them on it says exactly what is missing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "services.sh"

pytestmark = [
    # Once per `make test` is enough: it doesn't depend on the test database.
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgresql"), reason="run with the SQLite pass"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _can_manage_servers() -> bool:
    return os.geteuid() == 0 and all(shutil.which(tool) for tool in ("pg_createcluster", "redis-server", "psql"))


@pytest.mark.skipif(not _can_manage_servers(), reason="needs root and the Debian PostgreSQL/Redis tools")
def test_sets_up_private_postgres_cluster_and_redis_from_scratch():
    pg_port, redis_port = _free_port(), _free_port()
    env = {**os.environ, "PG_PORT": str(pg_port), "REDIS_PORT": str(redis_port)}
    version = sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]
    cluster = f"trackmyread{pg_port}"
    try:
        first = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
        assert first.returncode == 0, first.stderr
        assert f"private PostgreSQL {version} cluster '{cluster}'" in first.stdout
        assert "starting Redis" in first.stdout
        # The tests' URL shape: user postgres, no password, loopback.
        query = subprocess.run(
            ["psql", f"postgresql://postgres@127.0.0.1:{pg_port}/postgres", "-tAc", "select 1"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert query.stdout.strip() == "1", query.stderr
        ping = subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True, text=True, timeout=10)
        assert ping.stdout.strip() == "PONG"

        again = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0 and again.stdout == "", "a second run finds both running and does nothing"
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, cluster], capture_output=True, timeout=60)
        subprocess.run(["redis-cli", "-p", str(redis_port), "shutdown", "nosave"], capture_output=True, timeout=10)
        shutil.rmtree(f"/var/lib/redis/trackmyread{redis_port}", ignore_errors=True)


def test_says_what_is_missing_where_it_cannot_install(tmp_path):
    """No apt-get, no PostgreSQL tools: a clear message, not a stack of errors."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "id", "ls", "sort", "tail", "awk", "seq", "sleep", "tee", "mkdir", "cat"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    env = {**os.environ, "PATH": str(bin_dir), "PG_PORT": str(_free_port()), "REDIS_PORT": str(_free_port())}
    result = subprocess.run([str(bin_dir / "bash"), str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "PostgreSQL is not available and this is not a Debian/Ubuntu system (no apt-get)" in result.stderr
    assert "user 'postgres' connects without a password" in result.stderr
