"""A reader turns on two-factor sign-in (code computed from the key shown on
the page), logs out, logs in with password + code, sees this device in the
session list, and signs a second device out from there."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import PASSWORD, log_out, sign_up
from tests.e2e.helpers import totp_code as code

LOGIN_URL = re.compile(r".*/login(\?.*)?$")


def log_in_with_code(page: Page, email: str, second: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.locator("#two-factor-code").fill(second)
    page.click("#two-factor-submit")
    page.wait_for_url("**/library")


def test_two_factor_and_devices(new_page):
    page: Page = new_page("laptop")
    email = sign_up(page, "Tova Reader")
    page.goto("/settings")
    page.click("#totp-start")
    expect(page.locator("#totp-qr")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#totp-confirm-code", code(secret))
    page.click("#totp-confirm")
    expect(page.locator("#recovery-codes .recovery-code")).to_have_count(10)
    recovery = page.locator("#recovery-codes .recovery-code").first.inner_text().strip()
    expect(page.locator("#two-factor-on")).to_contain_text("Recovery codes left: 10")

    log_out(page)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.fill("#two-factor-code", "000000" if code(secret, 1) != "000000" else "111111")
    page.click("#two-factor-submit")
    expect(page.get_by_role("alert")).to_contain_text("That code is not correct")
    page.fill("#two-factor-code", code(secret, 1))
    page.click("#two-factor-submit")
    page.wait_for_url(re.compile(r".*/(library|settings)$"))  # back where the reader was, or the library

    # A second device signs in with a recovery code.
    phone: Page = new_page("phone")
    log_in_with_code(phone, email, recovery)

    page.goto("/settings")
    rows = page.locator("#devices .device-row")
    expect(rows).to_have_count(2)
    this = rows.filter(has_text="This device")
    expect(this).to_have_count(1)
    expect(this).to_contain_text("Chrome on Linux")
    rows.filter(has_not_text="This device").get_by_role("button", name="Sign out").click()
    expect(rows).to_have_count(1)

    # The phone's next event finds its session ended.
    phone.goto("/stats")
    phone.wait_for_url(LOGIN_URL)
    expect(phone.get_by_text("ended on another device")).to_be_visible()
