"""Likes on posts, and what every reaction shares: a reader can only react to
a post they may see (the visibility rule of the feeds), and after the commit
the adapters hear the post's new counts (``changed``). Comments: comments.py.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select, update

from booktracker.errors import NotFound
from booktracker.models import Comment, Like, NotificationKind, Post
from booktracker.services import events, notifications, params, privacy
from booktracker.services.posts.cards import visible_to


def find_visible_post(session: Session, viewer_id: int, post_id: int) -> Post | None:
    """The post when ``viewer_id`` may see it (services/privacy.py), else None."""
    return session.exec(_visible_post_query(), params={"viewer_id": viewer_id, "post_id": post_id}).first()


def visible_post(session: Session, viewer_id: int, post_id: int) -> Post:
    post = find_visible_post(session, viewer_id, post_id)
    if post is None:
        raise NotFound("That post does not exist.")
    return post


# ----------------------------------------------------------------- likes


def _change_like_count(session: Session, post_id: int, delta: int) -> None:
    # One atomic UPDATE in the like's own transaction: concurrent likes of
    # the same post queue on the row lock instead of losing a count.
    session.exec(update(Post).where(col(Post.id) == post_id).values(like_count=col(Post.like_count) + delta))


def _like_count(session: Session, post_id: int) -> int:
    return session.exec(select(Post.like_count).where(col(Post.id) == post_id)).one()


def like(*, session: Session, user_id: int, post_id: int, origin: str = "") -> int:
    """Like a post (once; liking again changes nothing). Returns the count.
    ``origin``: the acting tab, which live updates skip (events.PostChanged)."""
    post = visible_post(session, user_id, post_id)
    exists = session.get(Like, (user_id, post_id))
    if exists is None:
        try:
            with session.begin_nested():
                session.add(Like(user_id=user_id, note_id=post_id))
                session.flush()
                _change_like_count(session, post_id, +1)
                notifications.notify(
                    session=session, kind=NotificationKind.LIKE, user_id=post.user_id, actor_id=user_id, post_id=post_id
                )
        except IntegrityError:
            pass  # a double click raced us: it is liked either way, and counted once
        session.commit()
        return changed(session, post_id, origin=origin)
    return _like_count(session, post_id)


def unlike(*, session: Session, user_id: int, post_id: int, origin: str = "") -> int:
    post = visible_post(session, user_id, post_id)
    removed = session.exec(delete(Like).where(col(Like.user_id) == user_id, col(Like.note_id) == post_id)).rowcount
    if removed:
        _change_like_count(session, post_id, -removed)
        if post.user_id != user_id:
            # A like taken back is no news: its notification goes while unread (a read one stays history).
            kinds = (NotificationKind.LIKE,)
            notifications.forget_unread(session=session, kinds=kinds, actor_id=user_id, post_id=post_id)
    session.commit()
    return changed(session, post_id, origin=origin) if removed else _like_count(session, post_id)


# ----------------------------------------------------------------- live updates


def changed(
    session: Session, post_id: int, *, comment_id: int = 0, comments_changed: bool = False, origin: str = ""
) -> int:
    """After the commit: tell the adapters (live_feed: the tabs showing the
    post) its new like count, in one statement, and whether comments changed
    (each tab counts those its reader may see). Returns the like count."""
    likes = _like_count(session, post_id)
    change = events.PostChanged(post_id, likes, comment_id=comment_id, origin=origin, comments_changed=comments_changed)
    events.emit(change)
    return likes


def visible_comment_count(*, session: Session, viewer_id: int | None, post_id: int) -> int:
    """The comment count the viewer's post card shows (same condition as feeds.py)."""
    if viewer_id is None:
        query = select(func.count()).select_from(Comment)
        return session.exec(query.where(col(Comment.note_id) == post_id, privacy.can_see_comment(None))).one()
    return session.exec(_viewer_count_query(), params={"viewer_id": viewer_id, "post_id": post_id}).one()


@functools.cache
def _visible_post_query() -> Any:
    """``find_visible_post``'s query, built once per process like ``_viewer_count_query``."""
    return select(Post).where(col(Post.id) == params.POST, visible_to(params.VIEWER))


@functools.cache
def _viewer_count_query() -> Any:
    """Built once per process with the reader as a bound parameter: a new
    comment re-counts for every tab showing the post, and building the privacy
    conditions costs more CPU (ms) than running them."""
    on_post = col(Comment.note_id) == params.POST
    return select(func.count()).select_from(Comment).where(on_post, privacy.can_see_comment(params.VIEWER))
