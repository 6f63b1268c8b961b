"""Likes and comments on posts, under the same visibility rule as the feeds:
a reader can only react to a post they may see."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, delete, select, update

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Comment, Like, Post, User
from booktracker.services import privacy
from booktracker.services import text as texts
from booktracker.services.posts.feeds import initials, visible_to

COMMENTS_PAGE = 50
COMMENT_MAX = 2000


class CommentView(SQLModel):
    id: int
    post_id: int
    author_username: str
    author_name: str
    author_initials: str
    text: str
    created_at: str
    can_delete: bool
    is_mine: bool = False  # the viewer wrote it (others may report it)
    # Hidden by a moderator: only its author still sees it, marked so.
    hidden: bool = False


def _visible_post(session: Session, viewer_id: int, post_id: int) -> Post:
    post = session.exec(select(Post).where(col(Post.id) == post_id, visible_to(viewer_id))).first()
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


def like(*, session: Session, user_id: int, post_id: int) -> int:
    """Like a post (once; liking again changes nothing). Returns the count."""
    _visible_post(session, user_id, post_id)
    exists = session.get(Like, (user_id, post_id))
    if exists is None:
        try:
            with session.begin_nested():
                session.add(Like(user_id=user_id, note_id=post_id))
                session.flush()
                _change_like_count(session, post_id, +1)
        except IntegrityError:
            pass  # a double click raced us: it is liked either way, and counted once
        session.commit()
    return _like_count(session, post_id)


def unlike(*, session: Session, user_id: int, post_id: int) -> int:
    _visible_post(session, user_id, post_id)
    removed = session.exec(delete(Like).where(col(Like.user_id) == user_id, col(Like.note_id) == post_id)).rowcount
    if removed:
        _change_like_count(session, post_id, -removed)
    session.commit()
    return _like_count(session, post_id)


# ----------------------------------------------------------------- comments


def add_comment(*, session: Session, user_id: int, post_id: int, text: str) -> CommentView:
    # Bidi controls are stripped, and invisible-only text is no comment (services/text.py).
    text = texts.strip_bidi_controls(text).strip()
    if not texts.has_visible(text):
        raise InvalidInput("Write a comment first.", field="text")
    if len(text) > COMMENT_MAX:
        raise InvalidInput(f"Comments can be at most {COMMENT_MAX:,} characters.", field="text")
    _visible_post(session, user_id, post_id)
    comment = Comment(note_id=post_id, user_id=user_id, text=text)
    session.add(comment)
    session.commit()
    author = session.get(User, user_id)
    if author is None:  # only if the account was deleted meanwhile
        raise NotFound("That reader does not exist.")
    return _comment_view(comment, author.username, author.name, can_delete=True, is_mine=True)


def _comment_view(comment: Comment, username: str, name: str, *, can_delete: bool, is_mine: bool) -> CommentView:
    assert comment.id is not None  # stored rows have ids
    return CommentView(
        id=comment.id,
        post_id=comment.note_id,
        author_username=username,
        author_name=name,
        author_initials=initials(name),
        text=comment.text,
        created_at=comment.created_at.isoformat(),
        can_delete=can_delete,
        is_mine=is_mine,
        hidden=comment.hidden_at is not None,
    )


def list_comments(
    *, session: Session, viewer_id: int | None, post_id: int, limit: int = COMMENTS_PAGE
) -> list[CommentView]:
    """Oldest first. Logged-out visitors see no comments (they carry names)."""
    if viewer_id is None:
        return []
    post = _visible_post(session, viewer_id, post_id)
    rows = session.exec(
        select(Comment, User.username, User.name)
        .join(User, col(User.id) == col(Comment.user_id))
        .where(
            col(Comment.note_id) == post_id,
            # Blocks, mutes, a moderator's hiding and suspensions (services/privacy.py);
            # the comment counts on post cards use the same condition.
            privacy.can_see_comment(viewer_id),
        )
        .order_by(col(Comment.created_at), col(Comment.id))
        .limit(max(1, min(limit, COMMENTS_PAGE)))
    ).all()
    return [
        _comment_view(
            c, username, name, can_delete=viewer_id in (c.user_id, post.user_id), is_mine=viewer_id == c.user_id
        )
        for c, username, name in rows
    ]


def delete_comment(*, session: Session, user_id: int, comment_id: int) -> None:
    """Its author may delete a comment, and so may the post's author."""
    row = session.exec(
        select(Comment, Post.user_id)
        .join(Post, col(Post.id) == col(Comment.note_id))
        .where(col(Comment.id) == comment_id)
    ).first()
    if row is None or user_id not in (row[0].user_id, row[1]):
        raise NotFound("That comment does not exist or is not yours.")
    session.delete(row[0])
    session.commit()
