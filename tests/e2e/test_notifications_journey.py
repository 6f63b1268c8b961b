"""Two readers: Bob likes and comments on Ann's post; Ann's open tab shows the
unread badge go up live, without a reload; she opens /notifications, reads
"Bob Reader liked your post", marks all read, and the badge goes away."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import sign_up


def test_a_like_and_a_comment_reach_the_badge_live_and_are_marked_read(new_page):
    ann = new_page("ann")
    sign_up(ann, "Ann Author")
    ann.goto("/")
    ann.fill("#composer-text", "Notify me about this one")
    ann.click("#post-submit")
    expect(ann.locator(".post-card").first).to_contain_text("Notify me about this one")
    bell = ann.locator("#notification-bell")
    expect(bell).to_have_attribute("aria-label", "Notifications")
    expect(ann.locator("#notification-count")).to_have_count(0)

    bob = new_page("bob")
    sign_up(bob, "Bob Reader")
    bob.goto("/")
    post = bob.locator(".post-card").filter(has_text="Notify me about this one")
    post.locator(".like-button").click()
    expect(post.locator(".like-button")).to_have_attribute("aria-pressed", "true")

    # Ann's tab, untouched since: the badge counts the like.
    expect(ann.locator("#notification-count")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")

    post.locator(".comments-button").click()
    bob.fill("#comment-text", "Great post!")
    bob.click(".send-comment")
    expect(post.locator(".comment-text").first).to_have_text("Great post!")
    expect(ann.locator("#notification-count")).to_have_text("2")

    bell.click()
    ann.wait_for_url(re.compile(r".*/notifications$"))
    items = ann.locator(".notification-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Bob Reader commented on your post")
    expect(items.nth(1)).to_contain_text("Bob Reader liked your post")
    expect(items.nth(1)).to_contain_text("Notify me about this one")
    expect(items.nth(1)).to_contain_text("New")
    ann.click("#mark-all-read")
    expect(ann.locator("#notification-count")).to_have_count(0)
    expect(ann.locator(".notification-item").filter(has_text="New")).to_have_count(0)
    expect(ann.locator("#mark-all-read")).to_be_disabled()

    # An item leads to the profile that lists the post; read stays read after a reload.
    items.nth(1).click()
    ann.wait_for_url(re.compile(r".*/u/.+"))
    ann.goto("/notifications")
    expect(ann.locator(".notification-item")).to_have_count(2)
    expect(ann.locator("#notification-count")).to_have_count(0)
