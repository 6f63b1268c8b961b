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

import re
import unicodedata
from urllib.parse import quote

import reflex as rx
from reflex.vars.function import FunctionStringVar

HOME = "/"  # the community feed
LOGIN = "/login"
SIGNUP = "/signup"
LIBRARY = "/library"
ADD_BOOK = "/books/add"
PEOPLE = "/people"
FOR_YOU = "/for-you"  # recommendations with their reasons
ACCOUNT = "/settings"  # the account page (pages/account.py) kept its first address
STATS = "/stats"
IMPORT = "/import"
MODERATION = "/moderation"  # moderators only (ADMIN_EMAILS); "not found" for everyone else
NOTIFICATIONS = "/notifications"  # services/notifications.py NOTIFICATIONS_PATH (emails, pushes)
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
# A shared book's public page: "/book/123-the-hobbit" (the id leads; the rest is for people).
BOOK_REF_PARAM = "book_ref"
BOOK_PAGE_PATTERN = f"/book/[{BOOK_REF_PARAM}]"
PROFILE_PATTERN = f"/u/[{PROFILE_PARAM}]"
# Reading circles: the list, one circle, its members and settings, and invite links.
CIRCLES = "/circles"
CIRCLE_PARAM = "circle_id"
CIRCLE_PATTERN = f"/circles/[{CIRCLE_PARAM}]"
CIRCLE_MEMBERS_PATTERN = f"/circles/[{CIRCLE_PARAM}]/members"
CIRCLE_SETTINGS_PATTERN = f"/circles/[{CIRCLE_PARAM}]/settings"
INVITE_PARAM = "invite_code"
CIRCLE_JOIN_PATTERN = f"/join/[{INVITE_PARAM}]"

# Every page the app registers, for booktracker.py's add_page and the tests.
PAGES = (
    *(HOME, LOGIN, SIGNUP, LIBRARY, ADD_BOOK, BOOK_PATTERN, PROFILE_PATTERN, PEOPLE, ACCOUNT, STATS, IMPORT),
    *(MODERATION, FORGOT_PASSWORD, RESET_PASSWORD, VERIFY_EMAIL),
    NOTIFICATIONS,
    BOOK_PAGE_PATTERN,
    FOR_YOU,
    *(CIRCLES, CIRCLE_PATTERN, CIRCLE_MEMBERS_PATTERN, CIRCLE_SETTINGS_PATTERN, CIRCLE_JOIN_PATTERN),
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


def book_slug(title: str) -> str:
    """ "The Hobbit, or There and Back Again" -> "the-hobbit-or-there-and-back-again" (ASCII, ≤ 60 chars)."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].rstrip("-")


def book_page(book_id: int | str | rx.Var, title: str | None = None) -> str:
    """A shared book's public page; with a plain title, a readable "/book/123-the-hobbit"."""
    slug = book_slug(title) if isinstance(title, str) else ""
    ref = f"{book_id}-{slug}" if slug and not isinstance(book_id, rx.Var) else book_id
    return f"/book/{_segment(ref)}"


def profile(username: str | rx.Var) -> str:
    """A reader's public profile."""
    return f"/u/{_segment(username)}"


# Link previews live on the backend (booktracker/api/share.py): these paths are
# appended to its URL, never to the frontend's.
SHARE_PREFIX = "/share"


def share_profile(username: str | rx.Var) -> str:
    """The shareable link of a profile (Open Graph tags, then the profile)."""
    return f"{SHARE_PREFIX}/u/{_segment(username)}"


def share_book(book_id: int | str | rx.Var) -> str:
    """The shareable link of a book's public page."""
    return f"{SHARE_PREFIX}/book/{_segment(book_id)}"


def circle(circle_id: int | str | rx.Var) -> str:
    return f"/circles/{_segment(circle_id)}"


def circle_members(circle_id: int | str | rx.Var) -> str:
    return f"/circles/{_segment(circle_id)}/members"


def circle_settings(circle_id: int | str | rx.Var) -> str:
    return f"/circles/{_segment(circle_id)}/settings"


def circle_join(code: str | rx.Var) -> str:
    """An invite link's path (the settings page shows it with the site's address)."""
    return f"/join/{_segment(code)}"


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
