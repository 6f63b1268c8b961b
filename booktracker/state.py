"""The authentication state, the root of every page state.

The JWT lives in the browser's localStorage (so a login survives backend
restarts, worker changes and expired backend state) and is checked against
the database on every event that needs a reader.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from urllib.parse import quote

import reflex as rx
from sqlalchemy.exc import DBAPIError, OperationalError

from booktracker.db import session_scope
from booktracker.errors import AuthenticationFailed, ServiceError
from booktracker.services import auth

log = logging.getLogger("booktracker.events")

TOKEN_STORAGE_NAME = "tmr_token"
DB_DOWN_MESSAGE = "We can't reach the database right now. Nothing was changed; please try again in a moment."


class LoginRequired(Exception):
    """Raised inside a handler when no valid token was presented."""


def safe_next_path(path: str) -> str:
    """Only same-site paths may be redirect targets after login."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/library"


def handle_errors(handler):
    """Turn what a handler raises into what a reader should see.

    Service errors become an error toast (the form keeps its input), a missing
    login sends the reader to the login page and back, and a database outage
    becomes an error toast instead of a dead page: the next event simply
    opens a new connection (pre-ping), so the app recovers by itself.
    """

    def outcome(self, exc: Exception):
        if isinstance(exc, LoginRequired):
            return rx.redirect(f"/login?next={quote(self.router.url.path or '/library')}")
        if isinstance(exc, ServiceError):
            return rx.toast.error(exc.message)
        log.warning("database error in %s: %s", handler.__name__, exc)
        return rx.toast.error(DB_DOWN_MESSAGE)

    handled = (LoginRequired, ServiceError, OperationalError, DBAPIError)
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def async_wrapper(self, *args, **kwargs):
            try:
                return await handler(self, *args, **kwargs)
            except handled as exc:
                return outcome(self, exc)

        return async_wrapper

    @functools.wraps(handler)
    def wrapper(self, *args, **kwargs):
        try:
            return handler(self, *args, **kwargs)
        except handled as exc:
            return outcome(self, exc)

    return wrapper


async def in_thread(service, /, **kwargs):
    """Run a service call, with its own session, in a worker thread.

    For password checks: bcrypt at cost 12 takes ~0.25 s and releases the
    GIL, so the event loop goes on serving other readers meanwhile instead
    of stalling every socket of the worker (bench/RESULTS.md).
    """

    def call():
        with session_scope() as session:
            return service(session=session, **kwargs)

    return await asyncio.to_thread(call)


class AuthState(rx.State):
    auth_token: str = rx.LocalStorage("", name=TOKEN_STORAGE_NAME, sync=True)
    # Display only; the server never trusts these, it re-checks the token.
    user_name: str = ""
    username: str = ""

    def current_user_id(self) -> int:
        """The reader behind this event's token, or LoginRequired."""
        if not self.auth_token:
            raise LoginRequired
        try:
            with session_scope() as session:
                check = auth.check_token(session=session, token=self.auth_token)
        except AuthenticationFailed:
            self._forget_user()
            raise LoginRequired from None
        if check.refreshed_token:
            self.auth_token = check.refreshed_token
        self.user_name, self.username = check.user.name, check.user.username
        return check.user.id

    def _forget_user(self) -> None:
        self.auth_token = ""
        self.user_name = ""
        self.username = ""

    def _log_in(self, user) -> None:
        self.auth_token = auth.issue_token(user)
        self.user_name, self.username = user.name, user.username

    @rx.var
    def logged_in(self) -> bool:
        return bool(self.auth_token)

    @rx.event
    @handle_errors
    def require_login(self):
        """on_load of every protected page."""
        self.current_user_id()

    @rx.event
    @handle_errors
    def redirect_if_logged_in(self):
        """on_load of the login/sign-up pages and the landing page."""
        if not self.auth_token:
            return None
        try:
            self.current_user_id()
        except LoginRequired:
            return None
        return rx.redirect("/library")

    @rx.event
    @handle_errors
    def logout(self):
        # Revoke first: if the database is down the reader stays logged in
        # and can retry, instead of leaving a live token behind.
        if self.auth_token:
            try:
                with session_scope() as session:
                    user = auth.check_token(session=session, token=self.auth_token).user
                    auth.revoke_tokens(session=session, user_id=user.id)
            except AuthenticationFailed:
                pass  # already invalid: nothing to revoke
        self._forget_user()
        return [rx.remove_local_storage(TOKEN_STORAGE_NAME), rx.redirect("/login")]
