"""Driving page states under pytest, without a browser.

Reflex lets tests instantiate the root state; handlers are called as plain
methods and the events they return (redirects, toasts, downloads) read back
with the helpers here. Fixtures (``root``, ``signed_up``) are in conftest.py.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
import re
from urllib.parse import quote, urlencode

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

from booktracker.models import User, saved_id
from booktracker.services import auth
from booktracker.services.books import BookInput

PASSWORD = "password 123"
_TOAST = re.compile(r"""refs\['__toast'\]\?\.\["(\w+)"\]\((.*)\)\)\)$""", re.S)


def run(result):
    """Await what an async handler returned, drain what a generator yielded;
    pass a plain handler's result through."""
    if inspect.iscoroutine(result):  # not asyncio.iscoroutine: on 3.11 it says yes to generators
        return asyncio.run(result)
    if inspect.isasyncgen(result):

        async def drain():
            return [update async for update in result]

        return [update for update in asyncio.run(drain()) if update is not None]
    if inspect.isgenerator(result):
        return [update for update in result if update is not None]
    return result


def route(root, path, query=None):
    """Point the root state's router at a page, as the browser would: for a
    dynamic page ("/u/[username]") the query holds the segment's value and
    the address bar (asPath) shows it ("/u/ann")."""
    query = query or {}
    as_path = re.sub(r"\[(\w+)\]", lambda match: quote(str(query[match.group(1)]), safe=""), path)
    rest = {name: value for name, value in query.items() if f"[{name}]" not in path}
    as_path += f"?{urlencode(rest)}" if rest else ""
    root.router = RouterData.from_router_data(
        {
            "pathname": path,
            "asPath": as_path,
            "query": query,
            "ip": "127.0.0.9",
            "headers": {"origin": "http://localhost:3000"},
        }
    )


def sub(root, cls):
    return root.get_substate(cls.get_full_name().split("."))


def _flatten(result) -> list:
    specs = result if isinstance(result, list) else [result] if result is not None else []
    flat = []
    for spec in specs:
        flat.extend(_flatten(spec) if isinstance(spec, list) else [spec])
    return flat


def events(result) -> list[tuple[str, dict]]:
    """(kind, {arg: value}) of the events a handler returned; kind is
    "redirect" or "client_call" (toasts are client-side function calls)."""
    found = []
    for spec in _flatten(result):
        args = {str(name): getattr(value, "_var_value", value) for name, value in spec.args}
        kind = "redirect" if "external" in args else "client_call" if "function" in args else "other"
        found.append((kind, args))
    return found


def redirects(result) -> list[str]:
    return [args["path"] for kind, args in events(result) if kind == "redirect"]


def toasts(result) -> list[tuple[str, str]]:
    """(level, message) of every toast among the returned events."""
    found = []
    for kind, args in events(result):
        if kind == "client_call" and (match := _TOAST.search(str(args["function"]))):
            found.append((match.group(1), json.loads(match.group(2))))
    return found


def downloads(result) -> list[tuple[str, bytes]]:
    """(file name, content) of every rx.download among the returned events."""
    found = []
    for spec in _flatten(result):
        args = {str(name): str(value) for name, value in spec.args}
        if set(args) == {"url", "filename"}:
            url = json.loads(args["url"])
            found.append((json.loads(args["filename"]), base64.b64decode(url.split(",", 1)[1])))
    return found


def client_view(state: rx.State) -> str:
    """Everything of this state that Reflex sends to the browser, as text."""
    return json.dumps(state.dict(), default=str)


class BackgroundSelf:
    """What Reflex hands a background task (``@rx.event(background=True)``) as
    ``self``: reads anywhere, writes only inside ``async with self``."""

    def __init__(self, state):
        object.__setattr__(self, "_state", state)
        object.__setattr__(self, "_open", False)

    def __getattr__(self, name):
        return getattr(self._state, name)

    def __setattr__(self, name, value):
        if not self._open:
            raise AssertionError(f"{name} set outside `async with self`")
        setattr(self._state, name, value)

    async def __aenter__(self):
        object.__setattr__(self, "_open", True)
        return self

    async def __aexit__(self, *exc_info):
        object.__setattr__(self, "_open", False)


def first_card_likes(state) -> tuple[int, bool]:
    """The first post card's like count and heart as shown (PostListMixin.numbers over the post's own)."""
    shown = state.shown_numbers(state.posts[0].id)
    return shown.like_count, shown.liked_by_me


def first_card_comments(state) -> int:
    """The first post card's comment count as shown."""
    return state.shown_numbers(state.posts[0].id).comment_count


def run_background(state, handler_name: str, *args):
    """Run a background task of ``state`` to its end, as Reflex would."""
    return run(getattr(type(state), handler_name).fn(BackgroundSelf(state), *args))


def open_settings(root):
    """The reader opens /settings: its one loader (AccountState.load) fills every section; what it returned."""
    from booktracker.pages.account import AccountState

    route(root, "/settings")
    return run(sub(root, AccountState).load())


def new_session() -> Session:
    from booktracker.db import get_engine

    return Session(get_engine(), expire_on_commit=False)


def make_reader(name: str) -> User:
    """Another reader, straight through the service (email <name>@example.com)."""
    with new_session() as session:
        return auth.signup(session=session, email=f"{name.lower()}@example.com", name=name, password=PASSWORD)


def open_book(root, book: BookInput, **add):
    """The signed-in reader adds ``book`` to her library and opens its page:
    the loaded BookDetailState and the entry's id."""
    from booktracker.pages.book_detail import BookDetailState
    from booktracker.services import library

    state = sub(root, BookDetailState)
    with new_session() as session:
        entry = library.add_to_library(session=session, user_id=state.current_user_id(), book=book, **add).user_book
    route(root, "/books/[user_book_id]", {"user_book_id": str(entry.id)})
    state.load()
    return state, saved_id(entry)
