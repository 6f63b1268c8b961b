"""A reader back-fills a book they finished last year, then re-reads it:
last year's read does not count toward this year, the re-read does, and the
book shows "2 reads" on its page and in the library."""

import datetime
import re

from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.helpers import BOOK_URL, sign_up

PHONE = ViewportSize(width=390, height=844)
LAST_YEAR = datetime.date.today().year - 1


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_back_fill_last_year_then_re_read(page: Page):
    sign_up(page, "Hana Reader")

    # Added as finished, with last year's dates (the default would be today).
    page.goto("/books/add")
    page.fill("#title", "Middlemarch")
    page.fill("#authors", "George Eliot")
    page.fill("#total_pages", "880")
    page.locator("#status").click()
    page.get_by_role("option", name="Finished").click()
    expect(page.locator("#started_on")).to_have_value(re.compile(r"\d{4}-\d\d-\d\d"))  # today, by default
    page.fill("#started_on", f"{LAST_YEAR}-03-03")
    page.fill("#ended_on", f"{LAST_YEAR}-04-12")
    page.click("#add-book-submit")
    page.wait_for_url(BOOK_URL)
    book_path = re.sub(r"^https?://[^/]+", "", page.url)
    history = page.locator("#reading-history")
    expect(history).to_contain_text(f"Read 1 · started 3 Mar {LAST_YEAR} · finished 12 Apr {LAST_YEAR}")

    # Last year's read counts toward no book of this year.
    page.goto("/stats")
    expect(page.locator("#stat-books-year")).to_have_text("0")

    # A re-read, started and finished today.
    page.goto(book_path)
    page.click("#start-read")
    expect(page.locator("#new-started_on")).to_have_value(re.compile(r"\d{4}-\d\d-\d\d"))
    page.click("#confirm-read")
    expect(page.locator("#read-2")).to_contain_text("Read 2 · started")
    expect(page.locator("#book-title").locator("xpath=..")).to_contain_text("Reading")
    page.click("#end-read-finished")
    page.click("#confirm-read")
    expect(page.locator("#read-count")).to_have_text("2 reads")
    expect(page.locator("#progress-text")).to_have_text("Page 880 of 880 · 100%")
    expect(page.locator("#read-1")).to_contain_text(f"finished 12 Apr {LAST_YEAR}")  # the first read is kept

    # Correcting a date: the first read's start is forgotten; a finish
    # before the start is refused beside the field.
    page.click("#edit-read-1")
    page.fill("#edit-started_on", f"{LAST_YEAR}-05-01")
    page.click("#save-read")
    expect(page.locator("#edit-ended_on-error")).to_contain_text("before the start")
    page.click("#edit-started_on_unknown")
    page.click("#save-read")
    expect(page.locator("#read-1")).to_contain_text(f"Read 1 · start date unknown · finished 12 Apr {LAST_YEAR}")

    page.goto("/stats")
    expect(page.locator("#stat-books-year")).to_have_text("1")

    page.goto("/library")
    expect(page.get_by_role("link", name="Middlemarch")).to_contain_text("2 reads")

    # The history fits a phone.
    page.set_viewport_size(PHONE)
    page.goto(book_path)
    expect(page.locator("#read-2")).to_be_visible()
    page.click("#edit-read-2")
    expect(page.locator("#edit-started_on")).to_be_visible()
    assert fits_the_screen(page)
