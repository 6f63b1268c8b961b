"""Every path of the web app, and builders for the ones with a parameter.

Pages are registered (booktracker.py), linked and redirected to with these
names only, so moving a page is one edit here; tests/test_routes.py checks
that no page, component or the auth state spells a path by hand. The JSON
API keeps its own prefix in ``booktracker/api/app.py``.

Builders take a plain value (escaped here) or a Reflex Var (a link inside
``rx.foreach`` or bound to state): a Var is escaped in the browser with
``encodeURIComponent``, and the f-string around it becomes a JavaScript
string concatenation (Reflex 0.10 turns f-strings over Vars into Vars).
"""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from reflex.vars.function import FunctionStringVar

HOME = "/"  # the community feed
LOGIN = "/login"
SIGNUP = "/signup"
LIBRARY = "/library"
ADD_BOOK = "/books/add"
PEOPLE = "/people"
ACCOUNT = "/settings"  # the account page (pages/account.py) kept its first address
STATS = "/stats"
IMPORT = "/import"
MODERATION = "/moderation"  # moderators only (ADMIN_EMAILS); "not found" for everyone else
FORGOT_PASSWORD = "/forgot-password"
# Opened from emailed links (``?token=…``); services/account_mail.py builds
# those links with the same paths (tests/services/test_account_mail.py).
RESET_PASSWORD = "/reset-password"
VERIFY_EMAIL = "/verify-email"

# Where a reader lands after logging in, unless they were going elsewhere.
AFTER_LOGIN = LIBRARY

# Dynamic segments: Reflex puts "[name]" into ``router.page.params[name]``.
BOOK_PARAM = "user_book_id"
PROFILE_PARAM = "username"
BOOK_PATTERN = f"/books/[{BOOK_PARAM}]"
PROFILE_PATTERN = f"/u/[{PROFILE_PARAM}]"

# Every page the app registers, for booktracker.py's add_page and the tests.
PAGES = (
    *(HOME, LOGIN, SIGNUP, LIBRARY, ADD_BOOK, BOOK_PATTERN, PROFILE_PATTERN, PEOPLE, ACCOUNT, STATS, IMPORT),
    *(MODERATION, FORGOT_PASSWORD, RESET_PASSWORD, VERIFY_EMAIL),
)

_ENCODE_URI_COMPONENT = FunctionStringVar.create("encodeURIComponent")


def _segment(value: str | int | rx.Var) -> str | rx.Var:
    """One path segment: a "/" or "?" in it must not change the path."""
    if isinstance(value, rx.Var):
        return _ENCODE_URI_COMPONENT.call(value).to(str)
    return quote(str(value), safe="")


def book(user_book_id: int | str | rx.Var) -> str:
    """The detail page of one book in the reader's library."""
    return f"/books/{_segment(user_book_id)}"


def profile(username: str | rx.Var) -> str:
    """A reader's public profile."""
    return f"/u/{_segment(username)}"


def safe_next_path(path: str) -> str:
    """Only same-site paths may be redirect targets after login.

    "//host" and "/\\host" are read by browsers as another site.
    """
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return AFTER_LOGIN


def login(next: str | None = None) -> str:
    """The login page; ``next`` is where to go afterwards (an unsafe one becomes the default)."""
    if next is None:
        return LOGIN
    return f"{LOGIN}?next={quote(safe_next_path(next))}"
