"""A private reading circle: Ann creates it, Bob asks to join and Ann
approves, Ann sets the current book, Bob posts at a page, both readers'
progress and the leaderboard show, Cat joins by the invite link; a
logged-out visitor sees nothing of it."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import add_book, sign_up

CIRCLE_URL = re.compile(r".*/circles/\d+$")


def test_private_circle_request_book_and_post(new_page):
    ann = new_page("ann")
    sign_up(ann, "Ann Curator")
    add_book(ann, "Middlemarch", "George Eliot", "880")
    ann.goto("/circles")
    ann.click("#circle-create")
    ann.fill("#circle-name", "Slow Readers")
    ann.fill("#circle-description", "One chapter a week")
    ann.get_by_role("radio", name="private").click()
    ann.click("#circle-create-submit")
    ann.wait_for_url(CIRCLE_URL)
    circle_url = ann.url
    expect(ann.get_by_role("heading", name="Slow Readers")).to_be_visible()

    bob = new_page("bob")
    sign_up(bob, "Bob Member")
    bob.goto(circle_url)
    expect(bob.get_by_text("Only members see this circle's posts")).to_be_visible()
    bob.click("#circle-join")
    expect(bob.locator("#circle-withdraw")).to_be_visible()

    ann.goto(circle_url + "/members")
    expect(ann.get_by_text("Requests to join")).to_be_visible()
    ann.locator(".circle-approve").first.click()
    expect(ann.get_by_text("Requests to join")).to_have_count(0)
    expect(ann.get_by_role("link", name="Bob Member")).to_be_visible()

    ann.goto(circle_url)
    ann.get_by_role("combobox", name="Current book").click()
    ann.get_by_role("option", name="Middlemarch").click()
    ann.fill("input[name=started_on]", "2026-11-02")
    ann.click("#circle-set-book")
    expect(ann.get_by_text("George Eliot")).to_be_visible()

    bob.goto(circle_url)
    bob.fill("#circle-composer", "Dorothea already worries me")
    bob.fill("input[name=page]", "40")
    bob.click("#circle-post")
    post = bob.locator(".post-card").filter(has_text="Dorothea already worries me")
    expect(post).to_be_visible()
    expect(bob.get_by_role("heading", name="Leaderboard")).to_be_visible()
    expect(bob.get_by_role("link", name="Bob Member").first).to_be_visible()
    expect(bob.get_by_role("link", name="Ann Curator").first).to_be_visible()

    ann.goto(circle_url)
    expect(ann.locator(".post-card").filter(has_text="Dorothea already worries me")).to_be_visible()

    # An invite link: Cat joins at once, without a request.
    ann.goto(circle_url + "/settings")
    link = ann.locator("#circle-invite-link").inner_text()
    assert "/join/" in link
    cat = new_page("cat")
    sign_up(cat, "Cat Newcomer")
    cat.goto("/join/" + link.rsplit("/join/", 1)[1])
    cat.click("#circle-join-by-link")
    cat.wait_for_url(CIRCLE_URL)
    expect(cat.locator(".post-card").filter(has_text="Dorothea already worries me")).to_be_visible()

    visitor = new_page("visitor")
    visitor.goto(circle_url)
    expect(visitor.get_by_text("This circle does not exist")).to_be_visible()
    expect(visitor.get_by_text("Dorothea already worries me")).to_have_count(0)
    visitor.goto("/")
    expect(visitor.get_by_text("Dorothea already worries me")).to_have_count(0)
