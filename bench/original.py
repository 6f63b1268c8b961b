"""The original app issue 18 compares against, set up and run on loopback.

It is the public repository ankitalkuhs-commits/book-tracker (FastAPI
backend in app/, React + Vite frontend in book-tracker-frontend/). Get it with

    git clone https://github.com/ankitalkuhs-commits/book-tracker bench/out/original

(bench/out is git-ignored), then, from /work/main with scripts/env.sh sourced:

    flock /tmp/trackmyread-e2e.lock python -m bench.original --checkout bench/out/original

That sets the checkout up without touching our venv (its own venv in
CHECKOUT/.venv from its requirements.txt, `npm ci` and `vite build` of its
frontend with VITE_API_BASE_URL pointing at its backend on loopback), seeds
the same data into both apps (2,000 readers, 20,000 posts: ours into the
PostgreSQL database trackmyread_bench_front, the original through its own
schema into original_bench), and times the first rendered feed post in
interleaved cold loads (ours, original, ours, ...), for a visitor and a
signed-in reader, then prints the medians and the ratio ours/original
(issue 18's goal: ≤ 0.8 and ≤ 600 ms). `--no-seed` reuses both databases.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import subprocess
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.seed import PASSWORD
from tests.support.servers import wait_for

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/trackmyread_bench")
ORIGINAL_DB = "original_bench"
# The original's API URL is baked into its build, so its backend always gets this port.
API_PORT = 8791
USERS, BOOKS, ENTRIES, POSTS, LIKES, FOLLOWS = 2_000, 2_000, 10_000, 20_000, 100_000, 20_000
FRONTEND = "book-tracker-frontend"
TOKEN_KEY = "bt_token"  # the original's localStorage key (src/services/api.js)
POST_SELECTOR = ".feed-post"  # one post of its community feed (components/home/PulsePost.jsx)


def database_url() -> str:
    return make_url(PG_URL).set(database=ORIGINAL_DB).render_as_string(False)


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    print(f"  $ {' '.join(cmd)}  (in {cwd})", flush=True)
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, timeout=1200)


def setup(checkout: Path) -> Path:
    """Its venv, node_modules and a build for API_PORT; returns the built site folder."""
    checkout = checkout.resolve()  # the commands run inside it: a relative path would point nowhere
    python = checkout / ".venv" / "bin" / "python"
    installed = checkout / ".venv" / ".bench-installed"  # a venv whose install failed is retried
    if not installed.exists():
        # requirements.txt is saved as UTF-16 in that repository; pip wants UTF-8.
        raw = (checkout / "requirements.txt").read_bytes()
        text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode()
        (checkout / "requirements-utf8.txt").write_text(text)
        _run(["python3.11", "-m", "venv", ".venv"], checkout)
        _run([str(python), "-m", "pip", "install", "-q", "-r", "requirements-utf8.txt"], checkout)
        installed.touch()
    frontend = checkout / FRONTEND
    if not (frontend / "node_modules").exists():
        _run(["npm", "ci", "--no-audit", "--no-fund"], frontend)
    api = f"http://127.0.0.1:{API_PORT}"
    stamp = frontend / "dist" / ".bench-api"
    if not stamp.exists() or stamp.read_text() != api:
        _run(["npx", "vite", "build"], frontend, env=dict(os.environ, VITE_API_BASE_URL=api))
        stamp.write_text(api)
    return frontend / "dist"


def seed(checkout: Path) -> None:
    """A fresh original_bench: the original's own tables (its init_db), then the rows."""
    from booktracker.migrations import ensure_database_exists
    from booktracker.settings_checks import normalize_database_url

    url = normalize_database_url(database_url())
    ensure_database_exists(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    env = dict(os.environ, DATABASE_URL=database_url())
    script = "import app.models; from app.database import init_db; init_db()"
    _run([str(checkout / ".venv" / "bin" / "python"), "-c", script], checkout, env=env)
    hashed = _hash(PASSWORD, checkout)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.begin() as conn:
        for name, rows in _rows(hashed).items():
            # Batched INSERTs, not bench/seed.py's COPY: "user" and "like" need quoting.
            conn.execute(tables.tables[name].insert(), rows)
        for name in ("user", "book", "userbook", "note", "like", "follow", "comment"):
            conn.execute(
                sa.text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), (SELECT max(id) FROM \"{name}\"))")
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()


def _hash(password: str, checkout: Path) -> str:
    """The original's own hash (bcrypt over SHA-256 hex, app/auth.py), computed by its code."""
    script = f"from app.auth import hash_password; print(hash_password({password!r}))"
    python = str(checkout / ".venv" / "bin" / "python")
    env = dict(os.environ, DATABASE_URL=database_url())
    out = subprocess.run([python, "-c", script], cwd=checkout, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def _rows(password_hash: str, rng_seed: int = 7) -> dict[str, list[dict]]:
    """Same shape as bench/seed.py at these counts: reader1 is the heavy reader (every
    50th post, 500 books), 90 % of posts public, newest posts get the most likes."""
    rng = random.Random(rng_seed)
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)  # the original stores naive UTC
    users = [
        {"id": i, "name": f"Reader {i}", "username": f"reader{i}", "email": f"reader{i}@example.com",
         "password_hash": password_hash, "bio": "", "is_admin": False, "is_private_profile": False, "created_at": now}
        for i in range(1, USERS + 1)
    ]  # fmt: skip
    books = [
        {"id": i, "title": f"Book number {i}", "author": f"Author {i % 997}", "cover_url": "",
         "total_pages": rng.randint(90, 900), "created_at": now}
        for i in range(1, BOOKS + 1)
    ]  # fmt: skip
    pairs = {(1, b) for b in range(1, 501)}
    while len(pairs) < ENTRIES + 500:
        pairs.add((rng.randint(2, USERS), rng.randint(1, BOOKS)))
    statuses = ["to-read", "reading", "finished"]
    entries = [
        {"id": n, "user_id": u, "book_id": b, "status": rng.choice(statuses), "current_page": 0,
         "format": "paperback", "ownership_status": "owned", "created_at": now}
        for n, (u, b) in enumerate(sorted(pairs), start=1)
    ]  # fmt: skip
    by_user: dict[int, list[int]] = {}
    for entry in entries:
        by_user.setdefault(entry["user_id"], []).append(entry["id"])
    notes = []
    for n in range(1, POSTS + 1):
        user = 1 if n % 50 == 0 else rng.randint(1, USERS)
        own = by_user.get(user)
        created = now - datetime.timedelta(seconds=(POSTS - n) * 37)
        notes.append(
            {"id": n, "user_id": user, "userbook_id": rng.choice(own) if own else None, "text": f"Thoughts number {n}",
             "emotion": rng.choice(["😊", "😢", "😮", "😍", "🤔", ""]), "quote": "", "image_url": "",
             "is_public": rng.random() > 0.1, "created_at": created, "updated_at": created}
        )  # fmt: skip
    likes = set()
    while len(likes) < LIKES:
        likes.add((rng.randint(1, USERS), POSTS - int(rng.paretovariate(1.2)) % POSTS))
    follows = {(1, f) for f in range(2, 300)}
    while len(follows) < FOLLOWS:
        a, b = rng.randint(1, USERS), rng.randint(1, USERS)
        if a != b:
            follows.add((a, b))
    busy = POSTS - 50
    return {
        "user": users,
        "book": books,
        "userbook": entries,
        "note": notes,
        "like": [{"id": i, "user_id": u, "note_id": n, "created_at": now} for i, (u, n) in enumerate(likes, 1)],
        "follow": [
            {"id": i, "follower_id": a, "followed_id": b, "created_at": now} for i, (a, b) in enumerate(follows, 1)
        ],
        "comment": [
            {"id": i, "note_id": busy, "user_id": rng.randint(1, USERS), "text": f"Comment {i}", "created_at": now}
            for i in range(1, 1001)
        ],
    }


class OriginalBackend:
    """Its FastAPI app under uvicorn, one process (as it runs on Render), on API_PORT."""

    def __init__(self, checkout: Path, site_origin: str, log: Path):
        self.checkout, self.site_origin, self.log = checkout, site_origin, log
        self.process: subprocess.Popen | None = None

    url = f"http://127.0.0.1:{API_PORT}"

    def start(self) -> OriginalBackend:
        env = dict(os.environ, DATABASE_URL=database_url(), CORS_ORIGINS=self.site_origin)
        env.pop("REFLEX_WEB_WORKDIR", None)
        uvicorn = str(self.checkout / ".venv" / "bin" / "uvicorn")
        self.process = subprocess.Popen(
            [uvicorn, "app.main:app", "--host", "127.0.0.1", "--port", str(API_PORT), "--log-level", "warning"],
            cwd=self.checkout,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_for(f"{self.url}/")
        return self

    def token(self, email: str) -> str:
        # Its login leaks a database connection per request: log in once per run.
        response = httpx.post(f"{self.url}/auth/login", json={"email": email, "password": PASSWORD}, timeout=60)
        return response.raise_for_status().json()["access_token"]

    def feed_ms(self, runs: int = 20) -> float:
        """Median time of its feed API (50 posts), warm, for the visitor."""
        times = []
        with httpx.Client(timeout=30) as client:
            for _ in range(runs):
                times.append(client.get(f"{self.url}/notes/feed").elapsed.total_seconds() * 1000)
        return statistics.median(times)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


def compare(browser, ours: dict, other: dict, runs: int) -> dict:
    """Interleaved cold loads of both feeds (ours, original, ours, ...), desktop size."""
    from bench.frontend import PageSpec, load_page

    specs = {
        # Our first cards, preview (components/feed_preview.py) or live, whichever is drawn first.
        "ours": PageSpec("feed", "/", ".post-preview, .post-card", True),
        "original": PageSpec("feed", "/", POST_SELECTOR, True),
    }
    apps = {"ours": ours, "original": other}
    out: dict = {}
    for who in ("visitor", "reader"):
        for _ in range(runs):
            for name, app in apps.items():
                storage = app["storage"] if who == "reader" else {}
                load = load_page(
                    browser, app["origin"] + "/", specs[name], view="desktop", storage=storage, detail=True
                )
                out.setdefault((name, who), []).append(load)
        ours_ms, theirs_ms = (statistics.median(x.ms for x in out[(n, who)]) for n in apps)
        print(f"  feed {who}: ours {ours_ms:.0f} ms, original {theirs_ms:.0f} ms, ratio {ours_ms / theirs_ms:.2f}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", type=Path, default=Path("bench/out/original"), help="clone of book-tracker")
    parser.add_argument("--page-loads", type=int, default=5, help="interleaved cold loads per app and visitor kind")
    parser.add_argument("--no-seed", action="store_true", help="reuse both seeded databases")
    args = parser.parse_args()
    from bench import frontend

    frontend.run(
        page_loads=args.page_loads, seed_first=not args.no_seed, original=args.checkout.resolve(), all_pages=False
    )


if __name__ == "__main__":
    main()
