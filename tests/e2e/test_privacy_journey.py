"""Privacy and moderation in the browser (issue 12): a followers-only profile,
a follow request approved in settings, a hidden book, a visitor, and a
report that a moderator acts on from /moderation."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import MODERATOR_EMAIL
from tests.e2e.helpers import PASSWORD, add_book, sign_up

PRIVATE = "This profile is private."


def username_of(email: str) -> str:
    """What sign-up makes of the address (services/auth.py ``_username_base``)."""
    return re.sub(r"[^a-z0-9_]+", "_", email.split("@", 1)[0].lower()).strip("_")[:24]


def start_reading(page: Page, title: str) -> str:
    """Add the book, mark it as being read; its page's address."""
    add_book(page, title, "Some Author", "300")
    page.click("#status-reading")
    expect(page.get_by_text("Moved to Reading.").first).to_be_visible()
    return page.url


def report(page: Page, button, reason: str, details: str) -> None:
    button.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("combobox", name="Reason").click()
    page.get_by_role("option", name=reason).click()
    dialog.get_by_label("Details").fill(details)
    page.click("#send-report")
    expect(page.get_by_text("Thank you: a moderator will look at it.")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_followers_only_profile_requests_hidden_books_and_moderation(new_page):
    ann = new_page("ann")
    ann_email = sign_up(ann, "Ann Private")
    ann_profile = f"/u/{username_of(ann_email)}"
    start_reading(ann, "Piranesi")
    secret_book = start_reading(ann, "A Secret Book")
    ann.goto("/")
    ann.fill("#composer-text", "Only for my followers")
    ann.click("#post-submit")
    expect(ann.locator(".post-card").first).to_contain_text("Only for my followers")

    # Ann: followers only, in settings.
    ann.goto("/settings")
    ann.locator("#profile-visibility").click()
    ann.get_by_role("option", name="Followers I approve").click()
    expect(ann.locator("#profile-visibility")).to_contain_text("Followers I approve")
    expect(ann.locator("#no-follow-requests")).to_be_visible()

    # Bob sees the notice, not the posts, and asks to follow.
    bob = new_page("bob")
    sign_up(bob, "Bob Asker")
    bob.goto(ann_profile)
    expect(bob.locator("#profile-private")).to_have_text(PRIVATE)
    expect(bob.locator(".post-card")).to_have_count(0)
    expect(bob.get_by_text("Piranesi")).to_have_count(0)
    expect(bob.locator("#follow-button")).to_have_text("Request to follow")
    bob.click("#follow-button")
    expect(bob.locator("#follow-button")).to_have_text("Requested")
    bob.reload()
    expect(bob.locator("#profile-private")).to_have_text(PRIVATE)  # a request opens nothing
    expect(bob.locator("#follow-button")).to_have_text("Requested")

    # A logged-out visitor sees the notice too.
    visitor = new_page("visitor")
    visitor.goto(ann_profile)
    expect(visitor.locator("#profile-private")).to_have_text(PRIVATE)
    expect(visitor.locator(".post-card")).to_have_count(0)

    # Ann approves Bob's request in settings.
    ann.goto("/settings")
    ann.get_by_role("button", name="Approve").click()
    expect(ann.locator("#no-follow-requests")).to_be_visible()

    bob.goto(ann_profile)
    expect(bob.locator("#follow-button")).to_have_text("Following")
    expect(bob.locator(".post-card").filter(has_text="Only for my followers")).to_have_count(1)
    expect(bob.get_by_text("A Secret Book")).to_be_visible()
    visitor.reload()
    expect(visitor.locator("#profile-private")).to_have_text(PRIVATE)

    # Ann hides a book: Bob no longer sees it among what she is reading.
    ann.goto(secret_book)
    expect(ann.locator("#book-title")).to_have_text("A Secret Book")
    ann.click("#hide-book")
    expect(ann.get_by_text("Hidden from others.")).to_be_visible()
    bob.reload()
    expect(bob.get_by_text("Piranesi")).to_be_visible()
    expect(bob.get_by_text("A Secret Book")).to_have_count(0)

    # Bob comments on Ann's post and reports it; Ann reports his comment (the comments panel's button).
    post = bob.locator(".post-card").filter(has_text="Only for my followers")
    post.locator(".comments-button").click()
    bob.fill("#comment-text", "Spoiler: the ending!")
    bob.click(".send-comment")
    expect(post.locator(".comment-text")).to_have_text("Spoiler: the ending!")
    expect(post.locator(".report-button")).to_have_count(1)  # the post's; none on his own comment
    report(bob, post.locator(".report-button"), "Unmarked spoilers", "Ruins the book")
    ann.goto("/")
    mine = ann.locator(".post-card").filter(has_text="Only for my followers")
    mine.locator(".comments-button").click()
    expect(mine.locator(".comment-text")).to_have_text("Spoiler: the ending!")
    report(ann, mine.get_by_role("button", name="Report"), "Unmarked spoilers", "His comment spoils it")

    # A moderator hides the post from /moderation, with a note.
    moderator = new_page("moderator")
    moderator.goto("/signup")
    moderator.fill("#name", "Mo Derator")
    moderator.fill("#email", MODERATOR_EMAIL)
    moderator.fill("#password", PASSWORD)
    moderator.click("#signup-submit")
    moderator.wait_for_url("**/library")
    moderator.goto("/moderation")
    card = moderator.locator(".report-card").filter(has_text="Only for my followers")
    expect(card).to_contain_text("Ruins the book")
    card.get_by_role("combobox", name="Action").click()
    moderator.get_by_role("option", name="Hide", exact=True).click()
    card.get_by_label("Note").fill("spoiler in a post")
    card.locator(".apply-action").click()
    expect(moderator.get_by_text("Done, and logged.")).to_be_visible()
    expect(moderator.get_by_role("cell", name="spoiler in a post")).to_be_visible()
    comment_card = moderator.locator(".report-card").filter(has_text="His comment spoils it")
    expect(comment_card).to_contain_text("Spoiler: the ending!")

    # Bob no longer sees the post; Ann still does, marked.
    bob.goto(ann_profile)
    expect(bob.locator("#follow-button")).to_have_text("Following")
    expect(bob.locator(".post-card").filter(has_text="Only for my followers")).to_have_count(0)
    ann.goto(ann_profile)
    expect(ann.locator(".post-card").filter(has_text="Only for my followers")).to_contain_text("Hidden by a moderator")
