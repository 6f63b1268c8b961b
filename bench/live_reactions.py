"""What a like or a comment costs with live updates (booktracker/live_feed.py):
``python -m bench.live_reactions [--db sqlite|postgres] [--registry memory|redis]``.

One process, the real app and its state manager in memory: ``--other-tabs``
tabs (a reader's feed each) show other posts, and M tabs (a reader's profile
page) show the post that Bob likes and unlikes (or comments on). Every tab is
linked to a socket id in Reflex's token manager, so each one counts as
connected. Per action: SQL statements (the service and the fan-out), CPU ms
of this process (service + fan-out), tabs touched. The registry is in this
process or in Redis (several workers).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import secrets
import statistics
import tempfile
import time
import uuid
from pathlib import Path

REDIS_URL = "redis://127.0.0.1:6379/12"


def _environment(db: str, pg_url: str) -> None:
    """Settings are read when booktracker is first imported: fix them up first."""
    tmp = Path(tempfile.mkdtemp(prefix="tmr-bench-live-"))
    os.environ["DATABASE_URL"] = pg_url if db == "postgres" else f"sqlite:///{tmp / 'live.db'}"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("BCRYPT_ROUNDS", "4")
    os.environ.setdefault("UPLOAD_DIR", str(tmp / "uploads"))
    os.environ.setdefault("OUTBOX_DIR", str(tmp / "outbox"))
    os.environ["APP_ENV"] = "test"


class Counter:
    def __init__(self, engine):
        from sqlalchemy import event

        self.count, self._engine = 0, engine
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *args) -> None:
        self.count += 1

    def stop(self) -> None:
        from sqlalchemy import event

        event.remove(self._engine, "before_cursor_execute", self._on_execute)


async def _open_tab(app, state_cls, jwt: str, path: str, query: dict) -> str:
    import reflex as rx
    from reflex.istate.data import RouterData

    from booktracker.state import AuthState

    token = str(uuid.uuid4())
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=state_cls)) as root:
        root.router = RouterData.from_router_data({"token": token, "pathname": path, "query": query})
        (await root.get_state(AuthState)).auth_token = jwt
        page = await root.get_state(state_cls)
        page.load()
    namespace = app.event_namespace
    await namespace._token_manager.link_token_to_sid(token, f"sid-{token}")  # a connected tab
    return token


async def measure(args: argparse.Namespace) -> list[tuple[str, Cost, list[int]]]:
    from reflex.istate.manager.memory import StateManagerMemory
    from sqlmodel import Session

    from booktracker import live_feed
    from booktracker.booktracker import app
    from booktracker.db import get_engine
    from booktracker.pages.feed import FeedState
    from booktracker.pages.profile import ProfileState
    from booktracker.services import auth, events, posts

    app._state_manager = StateManagerMemory()
    if args.registry == "redis":
        live_feed.posts_on_screen = live_feed.PostsOnScreen(REDIS_URL, prefix=f"bench-on-screen-{uuid.uuid4()}")
    engine = get_engine()
    told: list[int] = []
    tell_viewers = live_feed.tell_viewers

    async def counted(change):
        told.append(await tell_viewers(change))
        return told[-1]

    live_feed.tell_viewers = counted
    events._listeners[:] = [live_feed._on_event]  # the live updates alone (not web push, measured elsewhere)
    with Session(engine, expire_on_commit=False) as session:
        ann, bob, cid = (
            auth.signup(session=session, email=f"{n}@example.com", name=n.title(), password="password 123")
            for n in ("ann", "bob", "cid")
        )
        assert ann.id and bob.id
        target = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="the liked post"))
        for n in range(30):  # newer posts: the feed's first page does not show the target
            posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text=f"other post {n}"))
        jwt = auth.sign_in(session=session, user=cid)  # Cid's tabs watch; Bob acts
        for _ in range(args.other_tabs):
            await _open_tab(app, FeedState, jwt, "/", {})
        rows: list[tuple[str, Cost, list[int]]] = []
        showing: list[str] = []
        for post_tabs in [int(m) for m in args.post_tabs.split(",")]:
            while len(showing) < post_tabs:  # Ann's profile: the target is on its last page
                showing.append(await _open_tab(app, ProfileState, jwt, "/u/[username]", {"username": ann.username}))
            where = f"{args.other_tabs} tabs on other posts, {post_tabs} showing it"
            for kind in ("like", "comment"):
                cost = await _actions(args.actions, kind, session, bob.id, target.id, engine, told)
                rows.append((f"{kind}: {where}", cost, told[:]))
            if post_tabs:
                for token in showing:
                    await _toggle_comments(app, ProfileState, token, target.id)
                cost = await _actions(args.actions, "comment", session, bob.id, target.id, engine, told)
                rows.append((f"comment: {where}, comments open", cost, told[:]))
                for token in showing:
                    await _toggle_comments(app, ProfileState, token, target.id)
    return rows


async def _toggle_comments(app, state_cls, token: str, post_id: int) -> None:
    import reflex as rx

    async with app.modify_state(rx.BaseStateToken(ident=token, cls=state_cls)) as root:
        (await root.get_state(state_cls)).toggle_comments(post_id)


async def _actions(count: int, kind: str, session, user_id: int, post_id: int, engine, told: list[int]) -> Cost:
    """``count`` likes and unlikes, or comments, each with its fan-out."""
    from booktracker import live_tabs
    from booktracker.services import posts

    counter, cost = Counter(engine), Cost()
    told.clear()
    for n in range(count):
        before, started = counter.count, time.process_time()
        if kind == "like":
            (posts.like if n % 2 == 0 else posts.unlike)(session=session, user_id=user_id, post_id=post_id)
        else:
            posts.add_comment(session=session, user_id=user_id, post_id=post_id, text=f"comment {n}")
        cost.service(counter.count - before, started)
        before, started = counter.count, time.process_time()
        await live_tabs.all_finished()
        cost.fan_out(counter.count - before, started)
    counter.stop()
    return cost


class Cost:
    def __init__(self) -> None:
        self.statements: dict[str, list[int]] = {"service": [], "fan-out": []}
        self.cpu_ms: dict[str, list[float]] = {"service": [], "fan-out": []}

    def service(self, statements: int, started: float) -> None:
        self._add("service", statements, started)

    def fan_out(self, statements: int, started: float) -> None:
        self._add("fan-out", statements, started)

    def _add(self, part: str, statements: int, started: float) -> None:
        self.statements[part].append(statements)
        self.cpu_ms[part].append((time.process_time() - started) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--registry", choices=["memory", "redis"], default="memory")
    parser.add_argument("--other-tabs", type=int, default=500)
    parser.add_argument("--post-tabs", default="0,10,100", help="tabs showing the post, cumulative steps")
    parser.add_argument("--actions", type=int, default=40)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/trackmyread_bench_live")
    args = parser.parse_args()
    _environment(args.db, args.pg_url)
    import sqlalchemy as sa

    from booktracker.db import get_engine
    from booktracker.migrations import ensure_database_exists, upgrade_to_head
    from booktracker.settings import settings

    ensure_database_exists(settings.database_url)
    if args.db == "postgres":
        with get_engine().begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade_to_head(settings.database_url)
    print(
        f"# live reactions — {time.strftime('%Y-%m-%d %H:%M')} — {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {args.db}, registry {args.registry}"
    )
    logging.getLogger("reflex").setLevel(logging.ERROR)  # "delta to disconnected client": no browser here
    rows = asyncio.run(measure(args))
    print(
        f"{'action':55} {'service SQL':>11} {'fan-out SQL':>11} {'service CPU ms':>14} "
        f"{'fan-out CPU ms':>14} {'tabs told':>9}"
    )
    for label, cost, told in rows:
        sql, cpu = cost.statements, cost.cpu_ms
        print(
            f"{label:55} {statistics.mean(sql['service']):>11.1f} {statistics.mean(sql['fan-out']):>11.1f} "
            f"{statistics.median(cpu['service']):>14.2f} {statistics.median(cpu['fan-out']):>14.2f} "
            f"{statistics.mean(told):>9.1f}"
        )


if __name__ == "__main__":
    main()
