"""A reader uploads a picture in settings and sees it in the header, the feed
and her profile; another reader loads earlier comments on her post and
replies to one, and she finds the reply under her comment."""

import datetime
import re

from playwright.sync_api import expect

from tests.e2e.helpers import sign_up
from tests.support.images import jpeg_with_gps

AVATAR_SRC = re.compile(r"/_upload/.+\.webp$")
EARLIER = 24  # more than one page of comments (services/posts/reactions.py COMMENTS_PAGE)


def _seed_comments(post_text: str) -> None:
    """Earlier comments by the post's author, straight into the app's database."""
    from sqlmodel import select

    from booktracker.db import session_scope, utcnow
    from booktracker.models import Comment, Post

    with session_scope() as session:
        post = session.exec(select(Post).where(Post.text == post_text)).one()
        start = utcnow() - datetime.timedelta(hours=2)
        session.add_all(
            Comment(
                note_id=post.id or 0,
                user_id=post.user_id,
                text=f"Thought {n}",
                created_at=start + datetime.timedelta(minutes=n),
            )
            for n in range(EARLIER)
        )
        session.commit()


def test_avatar_upload_earlier_comments_and_a_reply(new_page, tmp_path):
    photo = tmp_path / "face.jpg"
    photo.write_bytes(jpeg_with_gps((400, 300)))

    ann = new_page("ann")
    sign_up(ann, "Ann Face")
    ann.goto("/settings")
    ann.locator("#avatar-image input[type=file]").set_input_files(str(photo))
    expect(ann.locator("#avatar-preview img")).to_be_visible()
    expect(ann.locator("#avatar-preview img")).to_have_attribute("src", AVATAR_SRC)
    # The header's account menu shows it too.
    expect(ann.get_by_role("button", name="Account menu").locator("img")).to_have_attribute("src", AVATAR_SRC)

    ann.goto("/")
    ann.fill("#composer-text", "Faces in the feed")
    ann.click("#post-submit")
    card = ann.locator(".post-card").filter(has_text="Faces in the feed")
    expect(card.locator(".avatar img")).to_have_attribute("src", AVATAR_SRC)
    ann.get_by_role("button", name="Account menu").click()
    ann.get_by_role("menuitem", name="My profile").click()
    ann.wait_for_url(re.compile(r".*/u/.+"))
    expect(ann.locator(".avatar img").first).to_have_attribute("src", AVATAR_SRC)

    _seed_comments("Faces in the feed")
    bob = new_page("bob")
    sign_up(bob, "Bob Reply")
    bob.goto("/")
    post = bob.locator(".post-card").filter(has_text="Faces in the feed")
    expect(post.locator(".avatar img")).to_have_attribute("src", AVATAR_SRC)
    post.locator(".comments-button").click()
    tops = post.locator(".comment-top")
    expect(tops).to_have_count(20)  # the newest page, read oldest to newest
    expect(tops.last).to_contain_text(f"Thought {EARLIER - 1}")
    expect(tops.first).to_contain_text(f"Thought {EARLIER - 20}")
    post.locator(".earlier-comments").click()
    expect(tops).to_have_count(EARLIER)
    expect(tops.first).to_contain_text("Thought 0")
    expect(post.locator(".earlier-comments")).to_have_count(0)
    expect(tops.first.locator(".avatar img")).to_have_attribute("src", AVATAR_SRC)

    tops.filter(has_text="Thought 5").locator(".reply-comment").click()
    expect(post).to_contain_text("Replying to Ann Face")
    bob.fill("#comment-text", "Agreed about five")
    bob.click(".send-comment")
    reply = post.locator(".comment-reply")
    expect(reply).to_contain_text("Agreed about five")
    expect(post.locator(".comments-button")).to_contain_text(str(EARLIER + 1))

    # Ann finds it under her comment, once she pages back to it.
    ann.goto("/")
    mine = ann.locator(".post-card").filter(has_text="Faces in the feed")
    mine.locator(".comments-button").click()
    mine.locator(".earlier-comments").click()
    thread = mine.locator(".comment-top").filter(has_text="Thought 5")
    expect(thread).to_have_count(1)
    expect(mine.locator(".comment-reply")).to_contain_text("Agreed about five")
