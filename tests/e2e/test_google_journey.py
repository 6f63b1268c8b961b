"""Google sign-in in the browser: a new reader continues with Google on the
sign-up page, chooses a username and lands in their library; after logging
out, one click signs them in again; a reader with a password links Google
only after typing it, and can remove it in Settings. ID tokens come from the
local OpenID Connect provider (tests/support/oidc_provider.py) and are
verified by the app as real ones."""

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.helpers import PASSWORD, log_out, sign_up


def test_continue_with_google(new_page, google):
    handle = f"gina_{uuid.uuid4().hex[:6]}"
    google.identity = {"sub": f"sub-{handle}", "email": f"{handle}@gmail.com", "name": "Gina Google"}
    page: Page = new_page("google")
    page.goto("/signup")
    page.get_by_role("button", name="Continue with Google").click()
    username = page.locator("#google-username")
    expect(username).to_have_value(handle)
    username.fill(handle.upper())  # usernames are lower-cased, not refused for it
    page.click("#google-create")
    page.wait_for_url("**/library")

    log_out(page)
    page.get_by_role("button", name="Continue with Google").click()
    page.wait_for_url("**/library")
    page.goto("/settings")
    expect(page.get_by_text("Google is your only way to sign in")).to_be_visible()
    expect(page.locator("#google-unlink")).to_have_count(0)


def test_same_email_links_after_the_password(new_page, google):
    page: Page = new_page("link")
    email = sign_up(page, "Lena Password")
    log_out(page)
    google.identity = {"sub": f"sub-{uuid.uuid4().hex[:8]}", "email": email, "name": "Lena G"}
    page.get_by_role("button", name="Continue with Google").click()
    expect(page.get_by_text("already exists")).to_be_visible()
    page.fill("#google-password", "not the password at all")
    page.click("#google-link")
    expect(page.get_by_role("alert")).to_contain_text("Incorrect email or password")
    page.fill("#google-password", PASSWORD)
    page.click("#google-link")
    page.wait_for_url("**/library")

    page.goto("/settings")
    page.click("#google-unlink")
    expect(page.get_by_text("Google sign-in removed.")).to_be_visible()
    expect(page.get_by_role("button", name="Continue with Google")).to_be_visible()  # it can be added again
