"""The production set-up, proven on this machine: gunicorn with 2 workers,
Redis for shared state, PostgreSQL, and the static frontend export served
from another port and driven by a real chromium.

Runs in its own pytest process (scripts/test.sh). Slow parts (the export
build) happen once per session.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
SHARED_PG = "postgresql://postgres@127.0.0.1:5432/trackmyread_deploy"
SECRET = "deploy-test-secret-key-0123456789abcdef"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up in {timeout} s")


# ---------------------------------------------------------------- static site


class SpaHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the export like Vercel would: files, else the SPA fallback."""

    def log_message(self, *args):
        pass

    def send_head(self):
        clean = self.path.split("?")[0].rstrip("/")
        if clean and Path(self.translate_path(clean + ".html")).is_file():
            self.path = clean + ".html"  # like Vercel's cleanUrls
        elif not Path(self.translate_path(self.path)).exists():
            self.path = "/__spa-fallback.html"
        return super().send_head()


def serve(directory: Path, port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(SpaHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def ports():
    return {"backend": free_port(), "site": free_port(), "foreign": free_port()}


@pytest.fixture(scope="session")
def static_site(ports, tmp_path_factory):
    """`make export`'s command, with the backend URL of this test session."""
    work = tmp_path_factory.mktemp("export")
    env = dict(os.environ, API_URL=f"http://127.0.0.1:{ports['backend']}", REFLEX_WEB_WORKDIR=str(work / ".web"))
    subprocess.run(["bash", "scripts/export.sh"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    client = work / ".web" / "build" / "client"
    assert (client / "__spa-fallback.html").exists()
    site, foreign = serve(client, ports["site"]), serve(client, ports["foreign"])
    yield {"url": f"http://127.0.0.1:{ports['site']}", "foreign": f"http://127.0.0.1:{ports['foreign']}"}
    site.shutdown(), foreign.shutdown()


# ---------------------------------------------------------------- backend


class Backend:
    """gunicorn + uvicorn workers, started the way render.yaml starts them."""

    def __init__(self, port: int, env: dict[str, str], log: Path):
        self.port, self.env, self.log = port, env, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Backend":
        subprocess.run([sys.executable, "-m", "booktracker.migrations"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.process = subprocess.Popen(
            [shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn",
             "--workers", "2", "--worker-class", "uvicorn.workers.UvicornWorker", "--timeout", "120",
             "--bind", f"127.0.0.1:{self.port}", "booktracker.booktracker:app()"],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(f"{self.url}/ping")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        self.process = None

    def worker_pids(self) -> list[int]:
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()]


def backend_env(database_url: str, site: dict, redis_db: int, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLEX_WEB_WORKDIR", "DATABASE_URL"))}
    env.update(
        APP_ENV="production",
        SECRET_KEY=SECRET,
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        CORS_ORIGINS=site["url"],
        API_URL=f"http://127.0.0.1:{port}",
        __REFLEX_SKIP_COMPILE="true",
        BCRYPT_ROUNDS="12",
    )
    env["UPLOAD_DIR"] = tempfile.mkdtemp(prefix="tmr-deploy-uploads-")
    return env


def flush_redis(db: int) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


@pytest.fixture
def backend(ports, static_site, tmp_path):
    import sqlalchemy as sa

    from booktracker.db import build_engine
    from booktracker.migrations import ensure_database_exists
    from booktracker.settings import normalize_database_url

    url = normalize_database_url(SHARED_PG)
    ensure_database_exists(url)
    engine = build_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    flush_redis(11)
    server = Backend(ports["backend"], backend_env(SHARED_PG, static_site, 11, ports["backend"]), tmp_path / "backend.log").start()
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

    def init(self) -> "PrivatePostgres":
        for path in (self.data, self.sockets):
            path.mkdir(parents=True)
            shutil.chown(path, "postgres", "postgres")
        shutil.chown(self.data.parent, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres")
        return self

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.data.parent / "pg.log"), "-w", "start")

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
