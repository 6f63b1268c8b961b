"""A reader confirms the address, forgets the password and resets it, all
from mail delivered to a real SMTP server on loopback, then turns on
two-factor sign-in and signs in with a code (issue 13's whole journey)."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, log_out, sign_up
from tests.e2e.helpers import totp_code as code

NEW_PASSWORD = "a fresh passphrase 42"
LOGIN = re.compile(r".*/login(\?.*)?$")


def _path(link: str) -> str:
    """The emailed link on the test's frontend (its port is random)."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_verify_forget_reset_and_log_in(page, mailbox):
    email = sign_up(page, "Vera Verify")
    expect(page.locator("#verify-banner")).to_be_visible()
    [welcome] = mailbox.wait_for(email)
    assert welcome["Subject"] == "Confirm your email address for TrackMyRead"

    page.goto(_path(mailbox.link(welcome)))
    page.click("#verify-submit")
    expect(page.locator("#verified")).to_contain_text("confirmed")
    page.goto("/library")
    expect(page.locator("#verify-banner")).to_have_count(0)

    log_out(page)
    page.click("#forgot-password")
    page.wait_for_url("**/forgot-password")
    page.fill("#email", email)
    page.click("#reset-request-submit")
    expect(page.locator("#reset-sent")).to_contain_text("If an account uses this address")
    reset = mailbox.wait_for(email, 2)[-1]
    assert reset["Subject"] == "Reset your TrackMyRead password"

    page.goto(_path(mailbox.link(reset)))
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm_password", NEW_PASSWORD)
    page.click("#reset-submit")
    page.wait_for_url(LOGIN)

    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(page.get_by_role("alert")).to_contain_text("Incorrect email or password")
    page.fill("#password", NEW_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/library")

    # Two-factor on, with the new password; the next sign-in needs a code.
    page.goto("/settings")
    page.click("#totp-start")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#totp-confirm-code", code(secret))
    page.click("#totp-confirm")
    expect(page.locator("#recovery-codes .recovery-code")).to_have_count(10)
    log_out(page)
    page.fill("#email", email)
    page.fill("#password", NEW_PASSWORD)
    page.click("#login-submit")
    page.fill("#two-factor-code", code(secret, 1))  # the next step: the one just used is refused
    page.click("#two-factor-submit")
    page.wait_for_url(re.compile(r".*/(library|settings)$"))
