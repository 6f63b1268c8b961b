"""A new reader signs up, adds a book, sets progress and still sees it after a reload."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import PASSWORD, add_book, log_out, sign_up


def test_signup_add_book_progress_survives_reload(page: Page):
    sign_up(page, "Ada Reader")
    expect(page.get_by_text("Your library is empty")).to_be_visible()

    add_book(page, "The Left Hand of Darkness", "Ursula K. Le Guin", "304")
    page.fill("#current_page", "76")
    page.click("#save-progress")
    expect(page.locator("#progress-text")).to_have_text("Page 76 of 304 · 25%")

    page.reload()
    expect(page.locator("#progress-text")).to_have_text("Page 76 of 304 · 25%")

    page.goto("/library")
    expect(page.locator("#library-range")).to_have_text("1 book")  # was "1–1 of 1 books" (issue 15)
    card = page.get_by_role("link", name="The Left Hand of Darkness")
    expect(card).to_contain_text("76 / 304 pages · 25%")
    expect(page.locator("#tab-reading")).to_contain_text("1")


def test_bad_input_keeps_the_form_and_explains(page: Page):
    sign_up(page, "Bo Reader")
    page.goto("/books/add")
    page.fill("#title", "A Book With A Bad ISBN")
    page.fill("#isbn", "123")
    page.click("#add-book-submit")
    expect(page.get_by_role("alert")).to_contain_text("is not an ISBN")
    expect(page.locator("#title")).to_have_value("A Book With A Bad ISBN")


def test_protected_page_redirects_to_login_and_back(page: Page):
    page.goto("/books/add")
    page.wait_for_url(re.compile(r".*/login\?next=.*"))
    page.goto("/signup")
    email = sign_up(page, "Cy Reader")
    page.locator("#logout").wait_for(state="detached")  # menu closed
    log_out(page)  # retries: live state re-renders the menu under the pointer
    page.goto("/books/add")
    page.wait_for_url(re.compile(r".*/login\?next=/books/add$"))
    page.fill("#email", email)
    page.fill("#password", "wrong password!!")
    page.click("#login-submit")
    expect(page.get_by_role("alert")).to_have_text("Incorrect email or password.")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/books/add")
