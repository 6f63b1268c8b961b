"""Steps shared by the browser journeys."""

import re
import uuid

from playwright.sync_api import Page, expect

BOOK_URL = re.compile(r".*/books/\d+$")
PASSWORD = "a long enough passphrase"


def sign_up(page: Page, name: str) -> str:
    local = re.sub(r"[^a-z0-9]", "", name.split()[0].lower()) or "reader"
    email = f"{local}-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/signup")
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#signup-submit")
    page.wait_for_url("**/library")
    return email


def add_book(page: Page, title: str, authors: str, pages: str) -> None:
    page.goto("/books/add")
    page.fill("#title", title)
    page.fill("#authors", authors)
    page.fill("#total_pages", pages)
    page.click("#add-book-submit")
    page.wait_for_url(BOOK_URL)
    expect(page.locator("#book-title")).to_have_text(title)


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """The authenticator app's code for ``secret``, ``steps_ahead`` 30-second steps from now."""
    import time

    from pyotp.totp import TOTP

    return TOTP(secret).at(time.time() + 30 * steps_ahead)


def log_out(page: Page) -> None:
    """Account menu → Log out. The menu re-renders when live state arrives
    (the unread badge, an avatar), which can detach "Log out" under the
    pointer; reopen and retry rather than fail on a moving target."""
    for attempt in range(4):
        page.get_by_role("button", name="Account menu").click()
        try:
            page.locator("#logout").click(timeout=5_000)
            break
        except Exception:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r".*/login(\?.*)?$"))
