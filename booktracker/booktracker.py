"""The TrackMyRead Reflex app: pages, their load events and the ASGI wrappers."""

import logging

import reflex as rx

from booktracker.api.app import build_api
from booktracker.asgi import add_security_headers, limit_upload_size
from booktracker.pages.add_book import add_book_page
from booktracker.pages.book_detail import BookDetailState, book_detail_page
from booktracker.pages.feed import FeedState, feed_page
from booktracker.pages.import_export import import_page
from booktracker.pages.library import LibraryState, library_page
from booktracker.pages.login import login_page
from booktracker.pages.people import PeopleState, people_page
from booktracker.pages.profile import ProfileState, profile_page
from booktracker.pages.account import account_page
from booktracker.pages.signup import signup_page
from booktracker.pages.stats import StatsState, stats_page
from booktracker.startup import migrate_with_retry
from booktracker.state import AuthState

# Our own log lines (migrations, storage, API) go to the server's stderr.
_log = logging.getLogger("booktracker")
if not _log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(_handler)
    _log.setLevel(logging.INFO)

app = rx.App(
    # Outermost last: the API (with the Reflex app mounted inside it), then the
    # upload size guard, then security headers on every response.
    api_transformer=[build_api(), limit_upload_size, add_security_headers],
)
app.register_lifespan_task(migrate_with_retry)

app.add_page(feed_page, route="/", title="TrackMyRead", on_load=FeedState.load)
app.add_page(login_page, route="/login", title="Log in · TrackMyRead", on_load=AuthState.redirect_if_logged_in)
app.add_page(signup_page, route="/signup", title="Sign up · TrackMyRead", on_load=AuthState.redirect_if_logged_in)
app.add_page(library_page, route="/library", title="My library · TrackMyRead", on_load=LibraryState.load)
app.add_page(add_book_page, route="/books/add", title="Add a book · TrackMyRead", on_load=AuthState.require_login)
app.add_page(
    book_detail_page,
    route="/books/[user_book_id]",
    title="Book · TrackMyRead",
    on_load=BookDetailState.load,
)
app.add_page(profile_page, route="/u/[username]", title="Reader · TrackMyRead", on_load=ProfileState.load)
app.add_page(people_page, route="/people", title="Find readers · TrackMyRead", on_load=PeopleState.load)
app.add_page(account_page, route="/settings", title="Settings · TrackMyRead", on_load=AuthState.require_login)
app.add_page(stats_page, route="/stats", title="Stats · TrackMyRead", on_load=StatsState.start)
app.add_page(import_page, route="/import", title="Import & export · TrackMyRead", on_load=AuthState.require_login)
