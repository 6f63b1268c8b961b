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

import reflex as rx
from reflex.event import EventSpec
from sqlalchemy.exc import DBAPIError

from booktracker import routes
from booktracker.db import session_scope
from booktracker.errors import AuthenticationFailed, ServiceError
from booktracker.services import auth, sessions

log = logging.getLogger("booktracker.events")

TOKEN_STORAGE_NAME = "tmr_token"
DB_DOWN_MESSAGE = "We can't reach the database right now. Nothing was changed; please try again in a moment."
GENERIC_ERROR_MESSAGE = "Something went wrong; nothing was lost. Please try again."


class LoginRequired(Exception):
    """Raised inside a handler when no valid token was presented; its
    message (a suspended account) is shown before the login page."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


# The rule lives with the paths (routes.py); kept here for existing callers.
safe_next_path = routes.safe_next_path


def error_outcome(exc: Exception, *, where: str, path: str = "") -> EventSpec | list[EventSpec]:
    """What a reader sees for what an event raised: the one error path.

    A missing login sends the reader to the login page and back to ``path``;
    a service error becomes its message in an error toast (the form keeps its
    input); a database outage becomes an error toast instead of a dead page
    (the next event opens a new connection, pre-ping, so the app recovers by
    itself); anything else is a bug: its stack trace goes to the server log
    and the reader gets a calm, generic toast.
    """
    if isinstance(exc, LoginRequired):
        if exc.message:
            return [rx.toast.error(exc.message), rx.redirect(routes.LOGIN)]
        return rx.redirect(routes.login(next=path or routes.AFTER_LOGIN))
    if isinstance(exc, ServiceError):
        return rx.toast.error(exc.message)
    if isinstance(exc, DBAPIError):  # OperationalError and every driver error
        log.warning("database error in %s: %s", where, exc)
        return rx.toast.error(DB_DOWN_MESSAGE)
    log.exception("unexpected error in %s", where, exc_info=exc)
    return rx.toast.error(GENERIC_ERROR_MESSAGE)


def on_unhandled_error(exception: Exception) -> EventSpec:
    """The app's ``backend_exception_handler``: the fallback for a handler
    without ``@handle_errors`` (Reflex's default shows the exception's text
    in development and nothing useful in production). Annotated exactly as
    Reflex checks it: ``(exception: Exception) -> EventSpec``."""
    outcome = error_outcome(exception, where="an event handler")
    # A suspended account's toast and redirect: the redirect is what matters here.
    return outcome[-1] if isinstance(outcome, list) else outcome


def handle_errors(handler):
    """Turn whatever a handler raises into what a reader should see
    (``error_outcome``), for every kind of handler Reflex runs: plain and
    async functions, generators that yield updates, and background tasks.

    Background tasks (``@rx.event(background=True)``) get a state proxy: the
    redirect or toast is returned without touching state, and a task that
    set a flag (``importing``, ``posting``) resets it itself under
    ``async with self`` before re-raising.
    """

    def outcome(self, exc: Exception):
        return error_outcome(exc, where=handler.__qualname__, path=self.router.url.path if self.router else "")

    if inspect.isasyncgenfunction(handler):

        @functools.wraps(handler)
        async def async_generator_wrapper(self, *args, **kwargs):
            try:
                async for update in handler(self, *args, **kwargs):
                    yield update
            except Exception as exc:
                yield outcome(self, exc)

        return async_generator_wrapper

    if inspect.isgeneratorfunction(handler):

        @functools.wraps(handler)
        def generator_wrapper(self, *args, **kwargs):
            try:
                return (yield from handler(self, *args, **kwargs))
            except Exception as exc:
                yield outcome(self, exc)

        return generator_wrapper

    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def async_wrapper(self, *args, **kwargs):
            try:
                return await handler(self, *args, **kwargs)
            except Exception as exc:
                return outcome(self, exc)

        return async_wrapper

    @functools.wraps(handler)
    def wrapper(self, *args, **kwargs):
        try:
            return handler(self, *args, **kwargs)
        except Exception as exc:
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
    user_avatar: str = ""  # the small avatar's URL (services/avatars.py); "" for initials
    # The reader has not opened the emailed confirmation link yet (components/verify_banner.py).
    email_unverified: rx.Field[bool] = rx.field(False)
    # This tab's sign-in session (services/sessions.py), from the last checked token.
    _session_id: str = ""

    def current_user_id(self) -> int:
        """The reader behind this event's token, or LoginRequired."""
        if not self.auth_token:
            raise LoginRequired
        try:
            with session_scope() as session:
                check = auth.check_token(session=session, token=self.auth_token)
        except AuthenticationFailed as exc:
            self._forget_user()
            # A suspension or a session ended elsewhere is said; an expired one just asks to log in again.
            said = exc.message in (auth.SUSPENDED, sessions.SESSION_ENDED)
            raise LoginRequired(exc.message if said else "") from None
        if check.refreshed_token:
            self.auth_token = check.refreshed_token
        self._session_id = check.session_id
        self.user_name, self.username = check.user.name, check.user.username
        self.user_avatar = check.user.avatar_small_url
        self.email_unverified = check.user.email_verified_at is None
        assert check.user.id is not None  # a stored row
        return check.user.id

    def _forget_user(self) -> None:
        self.auth_token = ""
        self.user_name = ""
        self.username = ""
        self.user_avatar = ""
        self.email_unverified = False
        self._session_id = ""

    def _log_in(self, user) -> None:
        """Start this device's sign-in session (its browser and address) and keep its token."""
        with session_scope() as session:
            self.auth_token = auth.sign_in(
                session=session,
                user=user,
                user_agent=self.router.headers.user_agent if self.router else "",
                ip=self.router.session.client_ip if self.router else "",
            )
        self.user_name, self.username = user.name, user.username
        self.user_avatar = user.avatar_small_url
        self.email_unverified = user.email_verified_at is None

    def _log_in_and_go_on(self, user) -> EventSpec:
        """Sign in (``_log_in``), then on to the page's ``?next=``: only a
        same-site path (routes.safe_next_path), else the library. The end of
        every sign-in from /login: password, two-factor code, Google."""
        self._log_in(user)
        target = self.router.url.query_parameters.get("next", routes.AFTER_LOGIN) if self.router else ""
        return rx.redirect(routes.safe_next_path(target))

    def _viewer_id(self) -> int | None:
        """The reader, or None for a logged-out visitor (public pages); a
        suspended account is still said (LoginRequired with its message)."""
        if not self.auth_token:
            return None
        try:
            return self.current_user_id()
        except LoginRequired as exc:
            if exc.message:
                raise
            return None

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
        return rx.redirect(routes.AFTER_LOGIN)

    @rx.event
    @handle_errors
    def logout(self):
        # End this device's session first: if the database is down the reader
        # stays logged in and can retry, instead of leaving a live token behind.
        # Other devices stay signed in ("Log out everywhere" is on /settings).
        if self.auth_token:
            with session_scope() as session:
                auth.log_out(session=session, token=self.auth_token)
        # auth_token = "" reaches localStorage with this event's delta, in
        # order. A returned rx.remove_local_storage would run from the
        # browser's event queue, possibly after a sign-in answered in the
        # meantime had stored its new token, and sign the reader out again
        # (a Google sign-in right after logging out did, in the browser journey).
        self._forget_user()
        return rx.redirect(routes.LOGIN)
