"""The spoiler shield, a mention and the commonplace book in a real browser:
Ann quotes p. 240 of a book; Bob, on p. 120 of it, sees the quote blurred with
where he is, shows it anyway, then mentions @ann in a comment whose link
opens her profile. Ann's book page lists her quote in its commonplace book."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.helpers import add_book, sign_up

TITLE, AUTHOR = "The Dispossessed", "Ursula K. Le Guin"
QUOTE = "You cannot buy the revolution. You cannot make the revolution."


def username_of(email: str) -> str:
    """What sign-up makes of the address (services/auth.py ``_username_base``)."""
    return re.sub(r"[^a-z0-9_]+", "_", email.split("@", 1)[0].lower()).strip("_")


def test_a_spoiler_is_shielded_then_shown_and_a_mention_links_the_profile(new_page):
    ann = new_page("ann")
    ann_email = sign_up(ann, "Ann Quoter")
    add_book(ann, TITLE, AUTHOR, "387")
    ann.goto("/")
    ann.fill("#composer-quote", QUOTE)
    ann.locator("#composer-book").click()
    ann.get_by_role("option", name=TITLE).click()
    ann.fill("#composer-page", "240")
    ann.click("#post-submit")
    mine = ann.locator(".post-card").filter(has_text=QUOTE)
    expect(mine).to_be_visible()
    expect(mine.locator(".spoiler-shield")).to_have_count(0)  # never her own

    bob = new_page("bob")
    sign_up(bob, "Bob Behind")
    add_book(bob, TITLE, AUTHOR, "387")
    bob.fill("#current_page", "120")
    bob.click("#save-progress")
    expect(bob.locator("#progress-text")).to_contain_text("Page 120")
    bob.goto("/")
    card = bob.locator(".post-card").filter(has_text="Ann Quoter").first
    shield = card.locator(".spoiler-shield")
    expect(shield).to_contain_text("You're on p. 120 — this is from p. 240.")
    expect(card.locator(".spoiler-blurred")).to_have_attribute("aria-hidden", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SCREENSHOTS / "spoiler-shielded-card.png"))  # for a look in CI artifacts
    card.locator(".show-spoiler").click()
    expect(shield).to_have_count(0)
    expect(card.locator(".spoiler-blurred")).to_have_count(0)
    expect(card).to_contain_text(QUOTE)

    ann_name = username_of(ann_email)
    card.locator(".comments-button").click()
    bob.fill("#comment-text", f"@{ann_name} <script>alert(1)</script> [x](javascript:alert(1)) so good")
    bob.click(".send-comment")
    comment = card.locator(".comment-text")
    expect(comment).to_contain_text("<script>alert(1)</script> [x](javascript:alert(1)) so good")
    link = comment.locator("a.mention")
    expect(link).to_have_text(f"@{ann_name}")
    expect(comment.locator("a")).to_have_count(1)  # the markup stayed text
    link.click()
    bob.wait_for_url(re.compile(rf".*/u/{ann_name}$"))
    expect(bob.get_by_text("Ann Quoter").first).to_be_visible()

    # Ann's own copy lists the quote in her commonplace book, by its page.
    ann.goto("/library")
    ann.get_by_role("link", name=TITLE).click()
    ann.wait_for_url(re.compile(r".*/books/\d+$"))
    entry = ann.locator("#commonplace .commonplace-entry").first
    expect(entry).to_contain_text("p. 240")
    expect(entry).to_contain_text(QUOTE)
