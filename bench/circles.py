"""A big reading circle: 500 members, 20,000 circle posts, members' reading
history (10,000 progress rows, finished reads), among 2,000 readers and
20,000 other posts -- on fresh databases of its own. Measures the SQL cost of
the circle page (head, schedule, members' progress, leaderboard, activity,
posts), its members page, the all-time leaderboard and the discover list.

    python -m bench --only circles [--db sqlite|postgres|both]
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session

from bench.query_cost import PageCost
from booktracker.models import Book, Circle, CircleMember, Post, Read, ReadingProgress, User, UserBook
from booktracker.services import circles, posts

MEMBERS, READERS, CIRCLE_POSTS, OTHER_POSTS, PROGRESS_PER_MEMBER = 500, 2_000, 20_000, 20_000, 20
CIRCLE_ID, OWNER_ID = 1, 1


def _insert(conn, table: sa.Table, rows: list[dict]) -> None:
    """Core inserts (the columns' Python defaults apply, unlike bench/seed.py's COPY)."""
    for start in range(0, len(rows), 10_000):
        conn.execute(table.insert(), rows[start : start + 10_000])


def seed(engine: sa.Engine, *, rng_seed: int = 11) -> None:
    rng = random.Random(rng_seed)
    now = datetime.datetime.now(datetime.UTC)
    t = {
        m.__tablename__: m.__table__ for m in (User, Book, UserBook, Circle, CircleMember, Post, Read, ReadingProgress)
    }  # type: ignore[attr-defined]
    with engine.begin() as conn:
        _insert(conn, t["users"], [
            {"id": i, "email": f"c{i}@example.com", "username": f"c{i}", "name": f"Reader {i}", "password_hash": "x",
             "profile_visibility": "public", "created_at": now, "token_version": 0, "notifications_off": "",
             "spoiler_shield": True, "digest_email": False}
            for i in range(1, READERS + 1)
        ])  # fmt: skip
        _insert(conn, t["books"], [
            {"id": i, "title": f"Book {i}", "authors": "A. Writer", "total_pages": 400, "dedupe_key": f"b{i}",
             "created_at": now, "contributors": "[]"}
            for i in range(1, 101)
        ])  # fmt: skip
        _insert(conn, t["circles"], [
            {"id": CIRCLE_ID, "name": "The Big Circle", "description": "", "cover_url": "", "cover_key": "",
             "is_public": False, "invite_code": "bench-code", "owner_id": OWNER_ID, "current_book_id": 1,
             "goal_kind": "pages", "goal_target": 50_000, "created_at": now}
        ])  # fmt: skip
        _insert(conn, t["circle_members"], [
            {"circle_id": CIRCLE_ID, "user_id": u, "role": "owner" if u == OWNER_ID else "member", "pending": False,
             "on_leaderboard": True, "joined_at": now - datetime.timedelta(days=u % 90)}
            for u in range(1, MEMBERS + 1)
        ])  # fmt: skip
        entries = [
            {"id": u, "user_id": u, "book_id": 1, "status": "reading", "current_page": rng.randint(0, 400),
             "created_at": now, "updated_at": now}
            for u in range(1, READERS + 1)
        ]  # fmt: skip
        _insert(conn, t["user_books"], entries)
        _insert(conn, t["reads"], [
            {"id": u, "user_id": u, "user_book_id": u, "book_id": 1, "status": "finished", "progress": 400,
             "ended_on": (now - datetime.timedelta(days=u % 40)).date(), "created_at": now, "updated_at": now}
            for u in range(1, READERS + 1, 3)
        ])  # fmt: skip
        _insert(conn, t["reading_progress"], [
            {"user_id": u, "user_book_id": u, "book_id": 1, "from_page": 0, "to_page": 10, "pages_delta": rng.randint(1, 40),
             "minutes_delta": 0, "recorded_at": now - datetime.timedelta(hours=rng.randint(0, 24 * 400))}
            for u in range(1, READERS + 1) for _ in range(PROGRESS_PER_MEMBER)
        ])  # fmt: skip
        _insert(conn, t["notes"], [
            {"user_id": rng.randint(1, MEMBERS if i < CIRCLE_POSTS else READERS), "text": f"post {i}",
             "circle_id": CIRCLE_ID if i < CIRCLE_POSTS else None, "is_public": i >= CIRCLE_POSTS,
             "created_at": now - datetime.timedelta(minutes=i), "updated_at": now - datetime.timedelta(minutes=i),
             "emotion": "", "quote": "", "image_url": "", "image_key": "", "chapter": "", "like_count": 0}
            for i in range(CIRCLE_POSTS + OTHER_POSTS)
        ])  # fmt: skip
        if conn.dialect.name == "postgresql":
            for table in ("users", "books", "user_books", "reads", "circles"):
                conn.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
            conn.execute(sa.text("ANALYZE"))


def _circle_page(session: Session, viewer_id: int) -> None:
    circles.circle_page(session=session, viewer_id=viewer_id, circle_id=CIRCLE_ID)
    page = posts.circle_posts(session=session, viewer_id=viewer_id, circle_id=CIRCLE_ID)
    posts.circle_posts(session=session, viewer_id=viewer_id, circle_id=CIRCLE_ID, cursor=page.next_cursor)


def _members_page(session: Session, viewer_id: int) -> None:
    circles.overview(session=session, viewer_id=viewer_id, circle_id=CIRCLE_ID)
    circles.members_progress(session=session, viewer_id=viewer_id, circle_id=CIRCLE_ID, offset=240)
    circles.pending_requests(session=session, user_id=viewer_id, circle_id=CIRCLE_ID)


def _all_time_board(session: Session, viewer_id: int) -> None:
    circles.leaderboard(session=session, viewer_id=viewer_id, circle_id=CIRCLE_ID, period="all")


def _discover(session: Session, viewer_id: int) -> None:
    circles.list_circles(session=session, viewer_id=viewer_id, tab="mine")
    circles.list_circles(session=session, viewer_id=viewer_id, tab="discover", query="big")


PAGES: dict[str, Callable[[Session, int], None]] = {
    "circle page (500 members, 20k posts; 2 post pages)": _circle_page,
    "circle members (page 13 + requests)": _members_page,
    "circle leaderboard (all time)": _all_time_board,
    "circles list (mine + discover search)": _discover,
}


def measure(engine: sa.Engine, *, runs: int = 40) -> list[PageCost]:
    results = []
    for name, build in PAGES.items():
        statements: list[str] = []

        def count(*args, statements=statements, **kwargs):
            statements.append(args[2])

        timings = []
        for run in range(runs + 3):
            with Session(engine) as session:
                if run == 0:
                    sa.event.listen(engine, "before_cursor_execute", count)
                started = time.perf_counter()
                build(session, OWNER_ID)
                elapsed = (time.perf_counter() - started) * 1000
                if run == 0:
                    sa.event.remove(engine, "before_cursor_execute", count)
            if run >= 3:
                timings.append(elapsed)
        timings.sort()
        results.append(
            PageCost(name, len(statements), statistics.median(timings), timings[int(len(timings) * 0.95) - 1])
        )
    return results


def run(db: str, pg_url: str, runs: int, out_dir) -> None:
    """``python -m bench --only circles``: fresh databases, the seed, the costs."""
    from sqlalchemy.engine import make_url

    from booktracker.db import build_engine
    from booktracker.migrations import ensure_database_exists, upgrade_to_head
    from booktracker.settings_checks import normalize_database_url

    urls = {}
    if db in ("sqlite", "both"):
        out_dir.mkdir(exist_ok=True)
        path = out_dir / "circles.db"
        for suffix in ("", "-wal", "-shm"):
            type(path)(f"{path}{suffix}").unlink(missing_ok=True)
        urls["sqlite"] = f"sqlite:///{path}"
    if db in ("postgres", "both"):
        urls["postgres"] = make_url(pg_url).set(database="trackmyread_bench_circles").render_as_string(False)
    print(
        f"\n## circles: {MEMBERS} members, {CIRCLE_POSTS:,} circle posts, {READERS:,} readers, {OTHER_POSTS:,} other posts"
    )
    print(f"{'page':52} {'db':8} {'statements':>10} {'p50 ms':>8} {'p95 ms':>8}")
    for name, raw_url in urls.items():
        url = normalize_database_url(raw_url)
        ensure_database_exists(url)
        engine = build_engine(url)
        if name == "postgres":
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade_to_head(url)
        started = time.perf_counter()
        seed(engine)
        print(f"(seeded {name} in {time.perf_counter() - started:.1f} s)")
        for cost in measure(engine, runs=runs):
            print(f"{cost.page:52} {name:8} {cost.statements:>10} {cost.p50_ms:>8.2f} {cost.p95_ms:>8.2f}")
        engine.dispose()
