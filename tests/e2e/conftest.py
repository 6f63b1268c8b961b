"""Real-browser tests: the whole app under Reflex's AppHarness, driven by
Debian's chromium through Playwright.

Runs in its own pytest process (see scripts/test.sh): AppHarness reloads
state modules, which breaks the state classes the unit tests use.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="tmr-e2e-"))
# A private database, web build dir and upload dir: nothing shared with a
# developer's `make run` or with other test runs.
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'e2e.db'}"
os.environ.setdefault("BCRYPT_ROUNDS", "4")
# Settings refuse the public development key with a database of its own (booktracker/settings.py).
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
os.environ["UPLOAD_DIR"] = str(_TMP / "uploads")
os.environ["REFLEX_UPLOADED_FILES_DIR"] = str(_TMP / "uploads")
os.environ["REFLEX_WEB_WORKDIR"] = str(_TMP / ".web")
os.environ["REFLEX_STATES_WORKDIR"] = str(_TMP / ".states")
# The dev frontend gets a random port, so the origin cannot be listed ahead.
os.environ["CORS_ORIGINS"] = "*"
os.environ["APP_ENV"] = "test"
# The moderator the privacy journey signs up (tests/e2e/test_privacy_journey.py).
MODERATOR_EMAIL = "moderator-e2e@example.com"
os.environ["ADMIN_EMAILS"] = MODERATOR_EMAIL

# Book search talks real HTTP to a local server replaying Google Books and
# Open Library (this machine cannot reach them).
from tests.support.fake_book_apis import FakeBookApis

BOOK_APIS = FakeBookApis().__enter__()
os.environ["GOOGLE_BOOKS_URL"] = f"{BOOK_APIS.base}/books/v1/volumes"
os.environ["OPEN_LIBRARY_URL"] = f"{BOOK_APIS.base}/search.json"

# "Continue with Google" verifies ID tokens from a local OpenID Connect
# provider, whose stand-in for Google's script draws the button.
from tests.support.oidc_provider import CLIENT_ID as GOOGLE_CLIENT_ID
from tests.support.oidc_provider import OidcProvider

GOOGLE = OidcProvider().__enter__()
os.environ["GOOGLE_CLIENT_ID"] = GOOGLE_CLIENT_ID
os.environ["GOOGLE_ISSUER"] = GOOGLE.base
os.environ["GOOGLE_SCRIPT_URL"] = f"{GOOGLE.base}/gsi/client"

# Mail goes over SMTP to a real server on loopback, which keeps it for the tests to read.
from tests.support.smtp_server import smtp_server

_SMTP = smtp_server()
MAILBOX = _SMTP.__enter__()
os.environ["SMTP_URL"] = MAILBOX.url

import pytest
from playwright.sync_api import Page, sync_playwright
from reflex.testing import AppHarness

from booktracker.migrations import upgrade_to_head

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"


@pytest.fixture
def book_apis():
    """The replay server the running app's book search talks to."""
    yield BOOK_APIS
    BOOK_APIS.google_status = BOOK_APIS.open_library_status = 200


@pytest.fixture
def google():
    """The OpenID Connect provider the running app trusts; set ``identity`` to choose who signs in."""
    yield GOOGLE
    GOOGLE.identity = {}


@pytest.fixture
def mailbox():
    """The SMTP server the running app sends its mail to (tests/support/smtp_server.py)."""
    return MAILBOX


@pytest.fixture(scope="session")
def app_harness():
    upgrade_to_head(os.environ["DATABASE_URL"])
    with AppHarness.create(root=ROOT) as harness:
        assert harness.frontend_url
        yield harness


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, app_harness, request):
    """Open pages in fresh browser contexts (separate readers); each one's
    final screen is saved under tests/e2e/screenshots/ for CI artifacts."""
    opened: list[tuple[str, Page]] = []

    def open_page(label: str = "page") -> Page:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, base_url=app_harness.frontend_url)
        context.set_default_timeout(20_000)
        page = context.new_page()
        opened.append((label, page))
        return page

    yield open_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, page in opened:
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-{label}.png"), full_page=True)
        page.context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()
