"""Real processes for the production-like checks: the gunicorn backend started
the way render.yaml starts it, the static export served like Vercel serves it.

Shared by the deploy tests (tests/deploy) and the event-load and frontend
benchmarks, so both measure and prove the same set-up.
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

ROOT = Path(__file__).resolve().parents[2]


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


def flush_redis(db: int) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


# ---------------------------------------------------------------- static site


class SpaHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the export like Vercel would: files, else the SPA fallback."""

    # Keep-alive, as every CDN serves (Vercel: HTTP/2). The default HTTP/1.0 closed the connection
    # after each file, so the feed's ~55 files cost ~55 connections and a thread each, on the same
    # two cores as the browser: first feed post 356 -> 265 ms (p50 of 7 loads, bench/RESULTS.md).
    protocol_version = "HTTP/1.1"

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
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(SpaHandler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def export_site(api_url: str, workdir: Path) -> Path:
    """`make export`'s command for a backend at api_url; returns the site folder."""
    env = dict(os.environ, API_URL=api_url, REFLEX_WEB_WORKDIR=str(workdir / ".web"))
    subprocess.run(["bash", "scripts/export.sh"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    client = workdir / ".web" / "build" / "client"
    if not (client / "__spa-fallback.html").exists():
        raise RuntimeError(f"the export in {client} has no SPA fallback page")
    return client


# ---------------------------------------------------------------- backend


class Backend:
    """gunicorn + uvicorn workers, started the way render.yaml starts them."""

    def __init__(self, port: int, env: dict[str, str], log: Path, workers: int = 2):
        self.port, self.env, self.log, self.workers = port, env, log, workers
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Backend:
        subprocess.run(
            [sys.executable, "-m", "booktracker.migrations"], cwd=ROOT, env=self.env, check=True, capture_output=True
        )
        self.process = subprocess.Popen(
            [
                shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn",
                "--workers",
                str(self.workers),
                "--worker-class",
                "uvicorn.workers.UvicornWorker",
                "--timeout",
                "120",
                "--bind",
                f"127.0.0.1:{self.port}",
                "booktracker.booktracker:app()",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(f"{self.url}/ping")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                # A browser may reconnect to a worker that is shutting down; gunicorn
                # then waits up to its graceful timeout (30 s) for that socket.
                self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    def worker_pids(self) -> list[int]:
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()]


def production_env(
    database_url: str, *, site_origin: str, port: int, secret: str, redis_db: int | None
) -> dict[str, str]:
    """The environment render.yaml gives the backend, pointed at local services."""
    # Imported here: this module runs in processes that never load the app's settings otherwise.
    from booktracker.settings_checks import generate_vapid_keys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLEX_WEB_WORKDIR", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        APP_ENV="production",
        SECRET_KEY=secret,
        DATABASE_URL=database_url,
        CORS_ORIGINS=site_origin,
        API_URL=f"http://127.0.0.1:{port}",
        __REFLEX_SKIP_COMPILE="true",
        BCRYPT_ROUNDS="12",
        UPLOAD_DIR=tempfile.mkdtemp(prefix="tmr-uploads-"),
        # Required in production; nothing listens there, so mail is retried, then logged as undelivered.
        SMTP_URL="smtp://127.0.0.1:9",
        # Required in production too; a fresh pair per start (no browser subscribes here).
        **dict(zip(("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY"), generate_vapid_keys(), strict=True)),
        VAPID_SUBJECT="mailto:ops@example.com",
    )
    if redis_db is not None:
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
    return env
