"""The production set-up, proven on this machine: gunicorn with 2 workers,
Redis for shared state, PostgreSQL, and the static frontend export served
from another port and driven by a real chromium.

Runs in its own pytest process (scripts/test.sh). Slow parts (the export
build) happen once per session.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.support.servers import Backend, export_site, flush_redis, free_port, production_env, serve

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
SHARED_PG = "postgresql://postgres@127.0.0.1:5432/trackmyread_deploy"
SECRET = "deploy-test-secret-key-0123456789abcdef"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"


@pytest.fixture(scope="session")
def ports():
    return {"backend": free_port(), "site": free_port(), "foreign": free_port()}


@pytest.fixture(scope="session")
def static_site(ports, tmp_path_factory):
    """`make export`'s command, with the backend URL of this test session."""
    client = export_site(f"http://127.0.0.1:{ports['backend']}", tmp_path_factory.mktemp("export"))
    site, foreign = serve(client, ports["site"]), serve(client, ports["foreign"])
    yield {"url": f"http://127.0.0.1:{ports['site']}", "foreign": f"http://127.0.0.1:{ports['foreign']}"}
    site.shutdown(), foreign.shutdown()


# ---------------------------------------------------------------- backend


def backend_env(database_url: str, site: dict, redis_db: int, port: int) -> dict[str, str]:
    return production_env(database_url, site_origin=site["url"], port=port, secret=SECRET, redis_db=redis_db)


@pytest.fixture
def backend(ports, static_site, tmp_path):
    import sqlalchemy as sa

    from booktracker.db import build_engine
    from booktracker.migrations import ensure_database_exists
    from booktracker.settings_checks import normalize_database_url

    url = normalize_database_url(SHARED_PG)
    ensure_database_exists(url)
    engine = build_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    flush_redis(11)
    server = Backend(
        ports["backend"], backend_env(SHARED_PG, static_site, 11, ports["backend"]), tmp_path / "backend.log"
    ).start()
    yield server
    server.stop()


# ---------------------------------------------------------------- private PostgreSQL


class PrivatePostgres:
    """A throw-away cluster we may stop and start (never the shared one)."""

    def __init__(self, root: Path, port: int):
        self.data, self.port = root / "data", port
        self.sockets = root / "sock"

    def _run(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=120)

    def init(self) -> PrivatePostgres:
        for path in (self.data, self.sockets):
            path.mkdir(parents=True)
            shutil.chown(path, "postgres", "postgres")
        shutil.chown(self.data.parent, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres")
        return self

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            opts,
            "-l",
            str(self.data.parent / "pg.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/trackmyread"


@pytest.fixture
def private_postgres():
    root = Path(tempfile.mkdtemp(prefix="tmr-pg-"))
    os.chmod(root, 0o755)
    cluster = PrivatePostgres(root, free_port()).init()
    cluster.start()
    yield cluster
    with contextlib.suppress(subprocess.CalledProcessError):
        cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_page(browser, static_site, request):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, base_url=static_site["url"])
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"deploy-{request.node.name}.png"), full_page=True)
    context.close()
