"""A reader reviews a read on her copy's page and finds it on the book's public
page; a logged-out visitor sees the counts and the review, its spoilers collapsed until clicked."""

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.helpers import add_book, sign_up

SPOILER = "This review has spoilers — Show"


def test_review_on_my_copy_then_public_book_page(new_page):
    title = f"The Left Hand of Darkness {uuid.uuid4().hex[:6]}"
    ann = new_page("ann")
    sign_up(ann, "Ann Critic")
    add_book(ann, title, "Ursula K. Le Guin", "304")
    ann.click("#status-finished")  # a finished read to review
    review_button = ann.locator("#reviews .review-button").first
    expect(review_button).to_have_text(re.compile("Write a review"))
    review_button.click()
    ann.locator("#review-rating").click()
    ann.get_by_role("option", name="4.5 ★").click()
    ann.fill("#review-text", "Genly Ai crosses the ice with Estraven.")
    ann.locator("#review-spoilers").click()
    ann.click("#save-review")
    expect(ann.locator("#reviews .my-review")).to_contain_text("Genly Ai crosses the ice")
    expect(ann.locator("#reviews .review-button").first).to_have_text(re.compile("Edit review"))

    ann.click("#public-book-link")
    ann.wait_for_url(re.compile(r".*/book/\d+-the-left-hand-of-darkness-[0-9a-f]+$"))
    expect(ann.locator("#book-title")).to_have_text(title)
    expect(ann.locator("#count-finished")).to_contain_text("1")
    expect(ann.locator("#my-copy-link")).to_be_visible()
    review = ann.locator(".post-card").filter(has_text=SPOILER)
    expect(review.locator(".post-text")).to_be_hidden()
    review.locator(".spoiler-toggle").click()
    expect(review.locator(".post-text")).to_have_text("Genly Ai crosses the ice with Estraven.")
    book_url = ann.url

    visitor = new_page("visitor")
    visitor.goto(book_url)
    expect(visitor.locator("#book-title")).to_have_text(title)
    expect(visitor.locator("#count-finished")).to_contain_text("1")
    expect(visitor.locator("#average-rating")).to_contain_text("4.5")
    expect(visitor.locator("#book-lists")).to_contain_text("Reviews (1)")
    seen = visitor.locator(".post-card").filter(has_text=SPOILER)
    expect(seen).to_contain_text("Community post")  # visitors see reviews anonymised
    expect(seen.locator(".post-text")).to_be_hidden()
    seen.locator(".spoiler-toggle").click()
    expect(seen.locator(".post-text")).to_be_visible()
    expect(visitor.get_by_role("button", name="Log in to add it to your library")).to_be_visible()

    visitor.goto("/book/999999-nothing-here")
    expect(visitor.get_by_text("Book not found")).to_be_visible()
