"""Two readers in two browsers: Bob likes and comments on Ann's post, and
Ann's open feed shows the like, the comment count and (her comments panel
being open) the new comment without a reload (live_feed.py)."""

from playwright.sync_api import expect

from tests.e2e.helpers import sign_up


def test_likes_and_comments_reach_the_open_post_without_a_reload(new_page):
    ann = new_page("ann")
    sign_up(ann, "Ann Writer")
    ann.goto("/")
    ann.fill("#composer-text", "Who else is reading live?")
    ann.click("#post-submit")
    mine = ann.locator(".post-card").filter(has_text="Who else is reading live?")
    expect(mine).to_be_visible()
    ann.goto("/")  # a fresh load of the feed records what this tab shows
    mine.locator(".comments-button").click()
    expect(ann.locator("#comment-text")).to_be_visible()
    expect(mine.locator(".like-button")).to_contain_text("0")

    bob = new_page("bob")
    sign_up(bob, "Bob Reader")
    bob.goto("/")
    theirs = bob.locator(".post-card").filter(has_text="Who else is reading live?")
    theirs.locator(".like-button").click()
    expect(theirs.locator(".like-button")).to_have_attribute("aria-pressed", "true")
    theirs.locator(".comments-button").click()
    bob.fill("#comment-text", "Me! Chapter three now.")
    bob.click(".send-comment")
    expect(theirs.locator(".comment-text")).to_have_text("Me! Chapter three now.")

    # Ann never reloads: her tab was told.
    expect(mine.locator(".like-button")).to_contain_text("1")
    expect(mine.locator(".like-button")).to_have_attribute("aria-pressed", "false")  # Bob's like, not hers
    expect(mine.locator(".comments-button")).to_contain_text("1")
    expect(mine.locator(".comment-text")).to_have_text("Me! Chapter three now.")

    # Bob takes his like back: Ann's count follows.
    theirs.locator(".like-button").click()
    expect(theirs.locator(".like-button")).to_have_attribute("aria-pressed", "false")
    expect(mine.locator(".like-button")).to_contain_text("0")
