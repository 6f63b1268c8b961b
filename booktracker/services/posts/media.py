"""Post images follow their post's audience.

An image is stored publicly (cacheable: ``/_upload/`` or Cloudinary
``type="upload"``) only while logged-out visitors may see its post; otherwise
it is private (a folder nobody serves, or Cloudinary ``type="authenticated"``)
and readers the posts service lets see the post get signed links that expire
(services/storage.py ``delivery``). Who may see a post is decided only by
``cards.get_post`` / ``cards.visible_to`` -- never re-implemented here.

Use cases that change who may see a post call in here:
- ``commit_with_image``: a post's own edit (public <-> private), in the same
  commit; the image moves first, so a post that turned private never has a
  public image, and moves back if the commit fails;
- ``sync_author_images``: after anything that changes who may see a reader's
  posts at once (profile visibility, a suspension) -- one query, then a move
  per image whose storage is wrong;
- ``private_image_file``: the authorized media route asks for the file.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from sqlmodel import Session, col, select

from booktracker.errors import NotFound
from booktracker.models import Post
from booktracker.services import storage
from booktracker.services.posts.cards import get_post, visible_to
from booktracker.services.storage import StoredImage
from booktracker.settings import settings

log = logging.getLogger("booktracker.posts.media")


def visible_to_visitors(session: Session, post_id: int) -> bool:
    try:
        get_post(session=session, viewer_id=None, post_id=post_id)
    except NotFound:
        return False
    return True


def _move(session: Session, post: Post, private: bool) -> tuple[storage.ImageStore, StoredImage, StoredImage] | None:
    image = StoredImage(url=post.image_url, key=post.image_key)
    if not image.key or image.private == private:
        return None
    store = storage.store_for(image.key)
    moved = store.set_private(image, private)
    post.image_url, post.image_key = moved.url, moved.key
    session.add(post)
    return store, image, moved


def commit_with_image(session: Session, post: Post) -> None:
    """Commit the post's pending changes with its image in the right storage."""
    session.flush()  # the visibility check below sees the edited row
    assert post.id is not None
    moved = _move(session, post, private=not visible_to_visitors(session, post.id)) if post.image_key else None
    try:
        session.commit()
    except BaseException:
        if moved is not None:
            store, before, after = moved
            with contextlib.suppress(Exception):
                store.set_private(after, before.private)
        raise


def sync_author_images(*, session: Session, user_id: int) -> int:
    """Move the author's images whose storage no longer matches who may see
    their posts; returns how many moved. A failed move is logged and the
    others still move (call again to retry)."""
    with_image = [col(Post.user_id) == user_id, col(Post.image_key) != ""]
    rows = session.exec(select(Post).where(*with_image)).all()
    public_ids = set(session.exec(select(Post.id).where(*with_image, visible_to(None))).all())
    count = 0
    for post in rows:
        try:
            if _move(session, post, private=post.id not in public_ids) is not None:
                session.commit()
                count += 1
        except storage.StorageUnavailable as exc:
            session.rollback()
            log.warning("could not move the image of post %s: %s", post.id, exc.message)
    return count


def sync_circle_images(*, session: Session, circle_id: int) -> int:
    """After a circle turned public or private: its posts' images follow (like ``sync_author_images``)."""
    with_image = [col(Post.circle_id) == circle_id, col(Post.image_key) != ""]
    rows = session.exec(select(Post).where(*with_image)).all()
    public_ids = set(session.exec(select(Post.id).where(*with_image, visible_to(None))).all())
    count = 0
    for post in rows:
        try:
            if _move(session, post, private=post.id not in public_ids) is not None:
                session.commit()
                count += 1
        except storage.StorageUnavailable as exc:
            session.rollback()
            log.warning("could not move the image of circle post %s: %s", post.id, exc.message)
    return count


def private_image_file(*, session: Session, viewer_id: int | None, post_id: int, name: str) -> Path:
    """The file behind a private local image link, if the reader it was made
    for may still see the post (checked again at every fetch)."""
    get_post(session=session, viewer_id=viewer_id, post_id=post_id)  # NotFound when not allowed
    post = session.get(Post, post_id)
    key = post.image_key if post is not None else ""
    # A link handed out while the post was private keeps working if it turned public.
    path = storage.LocalImageStore(settings.upload_dir).open_file(key)
    if path is None or key.rsplit("/", 1)[-1] != name:
        raise NotFound("That image does not exist.")
    return path
