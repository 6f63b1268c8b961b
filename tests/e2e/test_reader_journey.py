"""A new reader: search and add books, progress, finish one, stats and goal move."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import BOOK_URL, add_book, sign_up


def test_search_add_progress_finish_and_stats(new_page):
    page = new_page()
    sign_up(page, "Eve Reader")

    page.goto("/books/add")
    page.fill("#search-query", "Dune")
    page.click("#search-submit")
    first = page.locator(".search-result").first
    expect(first).to_contain_text("Dune: Deluxe Edition")
    expect(first).to_contain_text("528 pages")
    first.locator(".pick-result").click()
    page.wait_for_url(BOOK_URL)
    # The catalogue may already know this ISBN (another test imported it):
    # then that record is reused, which is the point of deduplication.
    expect(page.locator("#book-title")).to_contain_text("Dune")
    expect(page.locator("#progress-text")).to_have_text(re.compile(r"Page 0 of (528|604) · 0%"))

    add_book(page, "Piranesi", "Susanna Clarke", "272")
    add_book(page, "Emma", "Jane Austen", "474")
    page.fill("#current_page", "100")
    page.click("#save-progress")
    expect(page.locator("#progress-text")).to_contain_text("Page 100 of 474")

    page.goto("/stats")
    expect(page.locator("#stat-pages")).to_have_text("100")
    expect(page.locator("#stat-books-year")).to_have_text("0")
    page.fill("#goal-target", "12")
    page.click("#save-goal")
    expect(page.locator("#goal-message")).to_contain_text("0 of 12 books — behind by")

    page.goto("/library")
    page.get_by_role("link", name="Emma").click()
    page.wait_for_url(BOOK_URL)
    page.click("#status-finished")
    expect(page.locator("#progress-text")).to_have_text("Page 474 of 474 · 100%")

    page.goto("/stats")
    expect(page.locator("#stat-books-year")).to_have_text("1")
    expect(page.locator("#stat-pages")).to_have_text("474")
    expect(page.locator("#goal-message")).to_contain_text("1 of 12 books")
    expect(page.locator("#goal-percent")).to_have_text("8%")
    expect(page.locator("#stat-streak")).to_have_text("1")


def test_search_offline_says_so_and_manual_add_still_works(new_page, book_apis):
    page = new_page()
    sign_up(page, "Fay Reader")
    page.goto("/books/add")
    page.fill("#search-query", "Something unlisted")
    page.click("#search-submit")
    expect(page.get_by_text("Nothing found — add it by hand below.")).to_be_visible()

    book_apis.google_status = book_apis.open_library_status = 503
    page.fill("#search-query", "Another unlisted title")
    page.click("#search-submit")
    expect(page.locator("#search-error")).to_contain_text("Book search is unavailable")
    add_book(page, "Offline Book", "Somebody", "120")
