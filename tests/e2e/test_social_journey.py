"""Two readers and a visitor: a post with an image, a follow, a like, a
comment, a live "new posts" notice, and the anonymised public view."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import add_book, sign_up
from tests.support.images import jpeg_with_gps


def test_post_follow_like_comment_and_anonymous_view(new_page, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps((320, 240)))

    ann = new_page("ann")
    sign_up(ann, "Ann Writer")
    add_book(ann, "Piranesi", "Susanna Clarke", "272")
    ann.goto("/")
    ann.fill("#composer-text", "The House is endless <script>alert(1)</script>")
    ann.get_by_role("button", name="Emotion 😍").click()
    ann.locator("#composer-book").click()
    ann.get_by_role("option", name="Piranesi").click()
    ann.locator("#post-image input[type=file]").set_input_files(str(photo))
    expect(ann.locator("#selected-image")).to_have_text("photo.jpg")
    ann.click("#post-submit")
    first = ann.locator(".post-card").first
    expect(first).to_contain_text("The House is endless <script>alert(1)</script>")
    expect(first).to_contain_text("Piranesi")
    expect(first.get_by_role("img", name="Image shared about Piranesi")).to_be_visible()
    expect(ann.locator("#composer-text")).to_have_value("")

    bob = new_page("bob")
    sign_up(bob, "Bob Reader")
    bob.goto("/")
    post = bob.locator(".post-card").filter(has_text="The House is endless")
    expect(post).to_contain_text("Ann Writer")
    expect(post.locator(".edit-post")).to_have_count(0)  # not his post
    post.locator(".like-button").click()
    expect(post.locator(".like-button")).to_have_attribute("aria-pressed", "true")
    expect(post.locator(".like-button")).to_contain_text("1")
    post.locator(".comments-button").click()
    bob.fill("#comment-text", "Lovely!")
    bob.click(".send-comment")
    expect(post.locator(".comment-text")).to_have_text("Lovely!")
    expect(post.locator(".comments-button")).to_contain_text("1")

    post.get_by_role("link", name="Ann Writer").click()
    bob.wait_for_url(re.compile(r".*/u/.+"))
    bob.click("#follow-button")
    expect(bob.locator("#follow-button")).to_have_text("Following")

    # Ann posts again: Bob's open feed learns about it without reloading.
    bob.goto("/")
    expect(bob.locator(".post-card").first).to_be_visible()
    ann.fill("#composer-text", "Second thought, live")
    ann.click("#post-submit")
    bob.click("#new-posts")
    expect(bob.locator(".post-card").first).to_contain_text("Second thought, live")
    bob.click("#feed-following")
    expect(bob.locator(".post-card").first).to_contain_text("Ann Writer")

    visitor = new_page("visitor")
    visitor.goto("/")
    seen = visitor.locator(".post-card").filter(has_text="The House is endless")
    expect(seen).to_contain_text("Community post")
    expect(seen).to_contain_text("Piranesi")
    expect(seen).not_to_contain_text("Ann Writer")
    expect(seen.locator(".like-button")).to_have_count(0)
    # The like count of 1 is not shown to visitors either.
    expect(seen.get_by_role("img", name="Image shared about Piranesi")).to_be_visible()


def test_failed_upload_keeps_the_text(new_page, tmp_path):
    fake = tmp_path / "notes.jpg"
    fake.write_bytes(b"this is not an image at all")
    page = new_page()
    sign_up(page, "Cy Reader")
    page.goto("/")
    page.fill("#composer-text", "My precious words")
    page.locator("#post-image input[type=file]").set_input_files(str(fake))
    page.click("#post-submit")
    expect(page.locator("#composer-error")).to_contain_text("not a readable JPEG, PNG or WebP")
    expect(page.locator("#composer-text")).to_have_value("My precious words")


def test_owner_edits_and_deletes_inline(new_page):
    page = new_page()
    sign_up(page, "Di Reader")
    page.goto("/")
    page.fill("#composer-text", "Draft thought")
    page.click("#post-submit")
    card = page.locator(".post-card").filter(has_text="Draft thought")
    card.locator(".edit-post").click()
    card.locator(".edit-text textarea").fill("Final thought")
    card.locator(".save-edit").click()
    edited = page.locator(".post-card").filter(has_text="Final thought")
    expect(edited).to_contain_text("edited")
    edited.locator(".delete-post").click()
    page.click("#confirm-delete-post")
    expect(page.locator(".post-card").filter(has_text="Final thought")).to_have_count(0)


def test_markup_in_names_bios_and_posts_renders_as_text(new_page):
    evil = new_page("evil")
    dialogs = []
    sign_up(evil, "<img src=x onerror=alert(1)>")
    evil.goto("/")
    evil.fill("#composer-text", "<script>alert(3)</script><b>bold?</b>")
    evil.click("#post-submit")
    expect(evil.locator(".post-card").first).to_contain_text("<script>alert(3)</script><b>bold?</b>")

    viewer = new_page("viewer")
    viewer.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_up(viewer, "Careful Reader")
    viewer.goto("/")
    card = viewer.locator(".post-card").filter(has_text="<script>alert(3)</script>")
    expect(card).to_contain_text("<img src=x onerror=alert(1)>")
    expect(card.locator("b")).to_have_count(0)
    card.get_by_role("link", name="<img src=x onerror=alert(1)>").click()
    expect(viewer.locator("#profile-name")).to_have_text("<img src=x onerror=alert(1)>")
    viewer.wait_for_timeout(500)
    assert dialogs == []
