"""The TrackMyRead Reflex app: pages, their load events and the ASGI wrappers."""

import logging

import reflex as rx

from booktracker import live_feed, live_notifications, push, pwa, routes
from booktracker.api.app import build_api
from booktracker.asgi import add_security_headers, check_upload_origin, limit_upload_size
from booktracker.components.feed_preview import request_head
from booktracker.components.notification_badge import NotificationBadgeState
from booktracker.pages.account import AccountState, account_page
from booktracker.pages.add_book import AddBookState, add_book_page
from booktracker.pages.book_detail import BookDetailState, book_detail_page
from booktracker.pages.book_page import BookPageState, book_public_page
from booktracker.pages.circle import CircleState, circle_page
from booktracker.pages.circle_join import CircleJoinState, circle_join_page
from booktracker.pages.circle_members import CircleMembersState, circle_members_page
from booktracker.pages.circle_settings import CircleSettingsState, circle_settings_page
from booktracker.pages.circles import CirclesState, circles_page
from booktracker.pages.feed import FeedState, feed_page
from booktracker.pages.for_you import ForYouState, for_you_page
from booktracker.pages.import_export import ImportState, import_page
from booktracker.pages.library import LibraryState, library_page
from booktracker.pages.login import login_page
from booktracker.pages.moderation import ModerationState, moderation_page
from booktracker.pages.notifications import NotificationsState, notifications_page
from booktracker.pages.password_reset import forgot_password_page, reset_password_page
from booktracker.pages.people import PeopleState, people_page
from booktracker.pages.profile import ProfileState, profile_page
from booktracker.pages.signup import signup_page
from booktracker.pages.stats import StatsState, stats_page
from booktracker.pages.verify_email import verify_email_page
from booktracker.services import notification_digest
from booktracker.services.imports import jobs as import_jobs
from booktracker.startup import migrate_with_retry
from booktracker.state import AuthState, on_unhandled_error

# Our own log lines (migrations, storage, API) go to the server's stderr.
_log = logging.getLogger("booktracker")
if not _log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(_handler)
    _log.setLevel(logging.INFO)

app = rx.App(
    # Outermost last: the API (with the Reflex app mounted inside it), then the
    # upload size guard, the upload origin check, then security headers on every response.
    api_transformer=[build_api(), limit_upload_size, check_upload_origin, add_security_headers],
    # What a handler without @handle_errors raises: logged, and a toast.
    backend_exception_handler=on_unhandled_error,
    # The feed's first request, started as the head is parsed (components/feed_preview.py); then
    # icons, manifest, theme colours, the service worker and the default link preview (pwa.py).
    head_components=[request_head(), *pwa.head()],
)
app.register_lifespan_task(migrate_with_retry)
# Import previews left behind by a restart (abandoned tabs, killed workers).
app.register_lifespan_task(import_jobs.sweep_at_startup)
# Adapters listen to what the services report (services/events.py). Done
# while building the app, so in every worker process.
# The states of the pages that list posts (PostListMixin) get live likes and comments.
live_feed.install(app, feed_state=FeedState, post_list_states=[FeedState, ProfileState, BookPageState, CircleState])
live_notifications.install(app, badge_state=NotificationBadgeState)
# The daily email digest of unread notifications, checked hourly (services/notification_digest.py).
app.register_lifespan_task(notification_digest.run_hourly)
# New notifications become web pushes to the recipients' subscribed browsers.
push.install()

app.add_page(feed_page, route=routes.HOME, title="TrackMyRead", on_load=FeedState.load)
app.add_page(login_page, route=routes.LOGIN, title="Log in · TrackMyRead", on_load=AuthState.redirect_if_logged_in)
app.add_page(signup_page, route=routes.SIGNUP, title="Sign up · TrackMyRead", on_load=AuthState.redirect_if_logged_in)
app.add_page(forgot_password_page, route=routes.FORGOT_PASSWORD, title="Forgot password · TrackMyRead")
app.add_page(reset_password_page, route=routes.RESET_PASSWORD, title="New password · TrackMyRead")
app.add_page(verify_email_page, route=routes.VERIFY_EMAIL, title="Confirm your email · TrackMyRead")
app.add_page(library_page, route=routes.LIBRARY, title="My library · TrackMyRead", on_load=LibraryState.load)
app.add_page(add_book_page, route=routes.ADD_BOOK, title="Add a book · TrackMyRead", on_load=AddBookState.load)
app.add_page(
    book_detail_page,
    route=routes.BOOK_PATTERN,
    title="Book · TrackMyRead",
    on_load=BookDetailState.load,
)
app.add_page(book_public_page, route=routes.BOOK_PAGE_PATTERN, title="Book · TrackMyRead", on_load=BookPageState.load)
app.add_page(profile_page, route=routes.PROFILE_PATTERN, title="Reader · TrackMyRead", on_load=ProfileState.load)
app.add_page(people_page, route=routes.PEOPLE, title="Find readers · TrackMyRead", on_load=PeopleState.load)
app.add_page(for_you_page, route=routes.FOR_YOU, title="For you · TrackMyRead", on_load=ForYouState.load)
app.add_page(circles_page, route=routes.CIRCLES, title="Reading circles · TrackMyRead", on_load=CirclesState.load)
app.add_page(circle_page, route=routes.CIRCLE_PATTERN, title="Circle · TrackMyRead", on_load=CircleState.load)
app.add_page(
    circle_members_page,
    route=routes.CIRCLE_MEMBERS_PATTERN,
    title="Circle members · TrackMyRead",
    on_load=CircleMembersState.load,
)
app.add_page(
    circle_settings_page,
    route=routes.CIRCLE_SETTINGS_PATTERN,
    title="Circle settings · TrackMyRead",
    on_load=CircleSettingsState.load,
)
app.add_page(
    circle_join_page,
    route=routes.CIRCLE_JOIN_PATTERN,
    title="Join a circle · TrackMyRead",
    on_load=CircleJoinState.load,
)
app.add_page(
    account_page,
    route=routes.ACCOUNT,
    title="Settings · TrackMyRead",
    on_load=AccountState.load,  # the one loader of every section (pages/account.py)
)
app.add_page(stats_page, route=routes.STATS, title="Stats · TrackMyRead", on_load=StatsState.start)
app.add_page(import_page, route=routes.IMPORT, title="Import & export · TrackMyRead", on_load=ImportState.load)
app.add_page(moderation_page, route=routes.MODERATION, title="Moderation · TrackMyRead", on_load=ModerationState.load)
app.add_page(
    notifications_page,
    route=routes.NOTIFICATIONS,
    title="Notifications · TrackMyRead",
    on_load=NotificationsState.load,
)
