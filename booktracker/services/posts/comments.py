"""Comments on posts, under the same visibility rule as the feeds: a reader
can only comment on, and read the comments of, a post they may see.

Comments have one level of replies (``Comment.parent_id`` is a top-level
comment). A post opens on its newest top-level comments (shown oldest to
newest) with the first few replies of each, in one statement; earlier
comments and further replies come a page at a time by keyset cursor.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, func, select
from sqlmodel.sql.expression import Select

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Comment, NotificationKind, Post, User
from booktracker.services import mentions, notifications, params, privacy, spoilers
from booktracker.services import text as texts
from booktracker.services.posts import reactions
from booktracker.services.posts.cards import initials
from booktracker.services.posts.feeds import decode_cursor, encode_cursor

COMMENTS_PAGE = 20  # top-level comments per page (and replies per "Show more replies")
REPLIES_SHOWN = 3  # replies shown under each comment before "Show N more replies"
COMMENT_MAX = 2000
PAGE_MAX, CHAPTER_MAX = 100_000, 100  # a comment's anchor, as on posts (writing.py)


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
    parent_id: int = 0  # the top-level comment this replies to; 0 for a top-level comment
    reply_count: int = 0  # top-level: the replies this viewer may see (all pages)
    more_replies: int = 0  # set by lists on a thread's last loaded reply: how many are not loaded yet
    author_avatar_url: str = ""  # the small square avatar, "" for initials
    # Anchored to a page (-1: none) or chapter of the post's book: the spoiler
    # shield (services/spoilers.py) as on posts.
    page: int = -1
    chapter: str = ""
    shielded: bool = False
    shield_message: str = ""
    viewer_page: int = -1
    text_parts: list[mentions.TextPart] = []  # the text with its @mentions ([] when none)


@dataclass
class CommentPage:
    comments: list[CommentView]  # top-level ones each followed by its loaded replies, oldest first
    # Top-level pages: the page of earlier comments; reply pages: the later replies. "" when none.
    next_cursor: str


def _valid_anchor(page: int | None, chapter: str) -> tuple[int | None, str]:
    chapter = " ".join(texts.strip_bidi_controls(chapter).split()) if texts.has_visible(chapter) else ""
    if page is not None and not 0 <= page <= PAGE_MAX:
        raise InvalidInput("Page must be 0 or more." if page < 0 else "Page is too large.", field="page")
    if len(chapter) > CHAPTER_MAX:
        raise InvalidInput(f"Chapter can be at most {CHAPTER_MAX} characters.", field="chapter")
    return page, chapter


def add_comment(
    *,
    session: Session,
    user_id: int,
    post_id: int,
    text: str,
    parent_id: int | None = None,
    origin: str = "",
    page: int | None = None,
    chapter: str = "",
) -> CommentView:
    """A comment, or a reply when ``parent_id`` names a comment on the post (a reply
    to a reply joins its top-level comment's thread: one level of replies).
    ``page``/``chapter``: where in the post's book it speaks of (the spoiler shield)."""
    # Bidi controls are stripped, and invisible-only text is no comment (services/text.py).
    text = texts.strip_bidi_controls(text).strip()
    if not texts.has_visible(text):
        raise InvalidInput("Write a comment first.", field="text")
    if len(text) > COMMENT_MAX:
        raise InvalidInput(f"Comments can be at most {COMMENT_MAX:,} characters.", field="text")
    page, chapter = _valid_anchor(page, chapter)
    post = reactions.visible_post(session, user_id, post_id)
    replied_to = _replied_to(session, user_id, post_id, parent_id) if parent_id else None
    thread_id = (replied_to.parent_id or replied_to.id) if replied_to else None
    comment = Comment(note_id=post_id, user_id=user_id, text=text, parent_id=thread_id, page=page, chapter=chapter)
    session.add(comment)
    session.flush()
    if replied_to is not None:
        notifications.notify(
            session=session,
            kind=NotificationKind.REPLY,
            user_id=replied_to.user_id,
            actor_id=user_id,
            post_id=post_id,
            comment_id=comment.id,
        )
    if replied_to is None or replied_to.user_id != post.user_id:
        # The post's author hears of every comment (once, when the reply was not to them).
        notifications.notify(
            session=session,
            kind=NotificationKind.COMMENT,
            user_id=post.user_id,
            actor_id=user_id,
            post_id=post_id,
            comment_id=comment.id,
        )
    # Readers it @mentions who may see the post (one statement to find them).
    mentions.notify_mentions(session, post=post, actor_id=user_id, text=text, comment_id=comment.id)
    session.commit()
    author = session.get(User, user_id)
    if author is None:  # only if the account was deleted meanwhile
        raise NotFound("That reader does not exist.")
    reactions.changed(session, post_id, comment_id=comment.id or 0, comments_changed=True, origin=origin)
    return _comment_view(
        comment, author.username, author.name, can_delete=True, is_mine=True, avatar=author.avatar_small_url
    )


def _replied_to(session: Session, user_id: int, post_id: int, comment_id: int) -> Comment:
    """The comment being answered: on this post, and one the reader may see."""
    comment = session.exec(
        select(Comment).where(
            col(Comment.id) == comment_id, col(Comment.note_id) == post_id, privacy.can_see_comment(user_id)
        )
    ).first()
    if comment is None:
        raise NotFound("That comment does not exist.")
    return comment


def _comment_view(
    comment: Comment,
    username: str,
    name: str,
    *,
    can_delete: bool,
    is_mine: bool,
    avatar: str = "",
    reply_count: int = 0,
    shield: spoilers.Verdict = spoilers.NOT_SHIELDED,
) -> CommentView:
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
        parent_id=comment.parent_id or 0,
        reply_count=reply_count,
        author_avatar_url=avatar,
        page=comment.page if comment.page is not None else -1,
        chapter=comment.chapter,
        shielded=shield.shielded,
        shield_message=shield.message,
        viewer_page=shield.viewer_page,
        text_parts=mentions.parts(comment.text),
    )


def reply_cursor(reply: CommentView) -> str:
    """The cursor of the replies after this one ("Show N more replies")."""
    return encode_cursor(datetime.datetime.fromisoformat(reply.created_at), reply.id)


def _key_condition(*, before: bool) -> sa.ColumnElement[bool]:
    key = sa.tuple_(col(Comment.created_at), col(Comment.id))
    edge = sa.tuple_(params.AFTER_AT, params.AFTER_ID)
    return key < edge if before else key > edge


# Made once: SQLAlchemy memoizes an alias's adapted columns, and building
# them anew on every page cost more than running the query.
_CHILD, _REPLY, _PARENT = (aliased(Comment, name=name) for name in ("child", "reply", "parent"))


def _comment_select(*, with_reply_counts: bool, has_book: bool):
    """Comments with their authors for the signed-in viewer (services/params.py ``VIEWER``)."""
    viewer = params.VIEWER
    # The replies this viewer may see, per top-level comment, in the same SELECT.
    child = _CHILD
    replies: Any = (
        select(func.count())
        .select_from(child)
        .where(col(child.parent_id) == col(Comment.id), privacy.can_see_comment(viewer, child))
        .scalar_subquery()
        if with_reply_counts
        else sa.literal(0)
    )
    # sqlmodel's select() is typed for at most four columns; this is what it builds.
    query = Select(
        Comment, col(User.username), col(User.name), col(User.avatar_small_url), replies.label("replies")
    ).join(User, col(User.id) == col(Comment.user_id))
    if not has_book:
        return query
    # The viewer's copy of the post's book rides along for the spoiler shield (no extra statement).
    query = query.add_columns(*spoilers.columns(viewer))
    return spoilers.join_copy(query, viewer, params.BOOK)


def _page_values(viewer_id: int, post: Post, cursor: str, limit: int, **values: Any) -> dict[str, Any]:
    values.update(viewer_id=viewer_id, post_id=post.id, book_id=post.book_id, limit=limit + 1)
    if cursor:
        values["after_at"], values["after_id"] = decode_cursor(cursor)
    return values


def _views(rows: Any, viewer_id: int, post: Post) -> list[CommentView]:
    views = []
    for row in rows:
        c, username, name, avatar, replies = row[:5]  # then the spoiler shield's columns, by label
        own = viewer_id == c.user_id
        views.append(
            _comment_view(
                c,
                username,
                name,
                can_delete=viewer_id in (c.user_id, post.user_id),
                is_mine=own,
                avatar=avatar,
                reply_count=int(replies or 0),
                shield=spoilers.verdict(spoilers.reading(row), page=c.page, chapter=c.chapter, own=own),
            )
        )
    return views


@functools.cache
def _top_level_statement(has_book: bool, after: bool) -> Any:
    """The newest ``limit`` top-level comments before the cursor with the first
    replies of each: one statement, whatever the number of comments."""
    viewer = params.VIEWER
    conditions = [col(Comment.note_id) == params.POST, col(Comment.parent_id).is_(None)]
    conditions += [privacy.can_see_comment(viewer), *([_key_condition(before=True)] if after else [])]
    newest = (col(Comment.created_at).desc(), col(Comment.id).desc())
    page_ids = select(Comment.id).where(*conditions).order_by(*newest).limit(params.LIMIT)
    reply = _REPLY
    rank = func.row_number().over(partition_by=col(reply.parent_id), order_by=(col(reply.created_at), col(reply.id)))
    ranked = (
        select(col(reply.id).label("id"), rank.label("rank"))
        .where(col(reply.parent_id).in_(page_ids), privacy.can_see_comment(viewer, reply))
        .subquery()
    )
    first_replies = select(ranked.c.id).where(ranked.c.rank <= REPLIES_SHOWN)
    return _comment_select(with_reply_counts=True, has_book=has_book).where(
        # One IN over a UNION: PostgreSQL turns it into a join on the primary key,
        # where an OR of two INs made it filter every row of the comments table.
        col(Comment.id).in_(sa.union_all(select(page_ids.subquery().c.id), first_replies))
    )


def _top_level_page(session: Session, viewer_id: int, post: Post, cursor: str, limit: int) -> CommentPage:
    statement = _top_level_statement(post.book_id is not None, bool(cursor))
    rows = session.exec(statement, params=_page_values(viewer_id, post, cursor, limit)).all()
    views = sorted(_views(rows, viewer_id, post), key=lambda v: (v.created_at, v.id))
    tops = [v for v in views if not v.parent_id]
    next_cursor = ""
    if len(tops) > limit:  # the extra, oldest one only says there is an earlier page
        tops = tops[1:]
        next_cursor = encode_cursor(datetime.datetime.fromisoformat(tops[0].created_at), tops[0].id)
    threads: dict[int, list[CommentView]] = {v.id: [v] for v in tops}
    for view in views:
        if view.parent_id in threads:
            threads[view.parent_id].append(view)
    for thread in threads.values():
        thread[-1].more_replies = thread[0].reply_count - (len(thread) - 1)
    return CommentPage(comments=[v for thread in threads.values() for v in thread], next_cursor=next_cursor)


@functools.cache
def _reply_statement(has_book: bool, after: bool) -> Any:
    """Replies to one comment, oldest first, after the cursor."""
    viewer, parent = params.VIEWER, _PARENT
    visible_parent = sa.exists().where(
        col(parent.id) == params.PARENT, col(parent.note_id) == params.POST, privacy.can_see_comment(viewer, parent)
    )
    conditions = [col(Comment.parent_id) == params.PARENT, privacy.can_see_comment(viewer), visible_parent]
    if after:
        conditions.append(_key_condition(before=False))
    query = _comment_select(with_reply_counts=False, has_book=has_book).where(*conditions)
    return query.order_by(col(Comment.created_at), col(Comment.id)).limit(params.LIMIT)


def _reply_page(session: Session, viewer_id: int, post: Post, parent_id: int, cursor: str, limit: int) -> CommentPage:
    values = _page_values(viewer_id, post, cursor, limit, parent_id=parent_id)
    rows = session.exec(_reply_statement(post.book_id is not None, bool(cursor)), params=values).all()
    views = _views(rows[:limit], viewer_id, post)
    next_cursor = reply_cursor(views[-1]) if len(rows) > limit else ""
    return CommentPage(comments=views, next_cursor=next_cursor)


def comment_page(
    *,
    session: Session,
    viewer_id: int | None,
    post_id: int,
    cursor: str = "",
    parent_id: int | None = None,
    limit: int = COMMENTS_PAGE,
) -> CommentPage:
    """A post's newest top-level comments (earlier ones by ``cursor``), or with
    ``parent_id`` the replies to that comment. Two statements (the post's
    visibility, then the page). Logged-out visitors see no comments (they carry names)."""
    if viewer_id is None:
        return CommentPage(comments=[], next_cursor="")
    post = reactions.visible_post(session, viewer_id, post_id)
    limit = max(1, min(limit, COMMENTS_PAGE))
    if parent_id is None:
        return _top_level_page(session, viewer_id, post, cursor, limit)
    return _reply_page(session, viewer_id, post, parent_id, cursor, limit)


def list_comments(
    *, session: Session, viewer_id: int | None, post_id: int, limit: int = COMMENTS_PAGE
) -> list[CommentView]:
    """The first page of ``comment_page``: the newest comments and their first replies."""
    return comment_page(session=session, viewer_id=viewer_id, post_id=post_id, limit=limit).comments


def delete_comment(*, session: Session, user_id: int, comment_id: int, origin: str = "") -> None:
    """Its author may delete a comment, and so may the post's author."""
    row = session.exec(
        select(Comment, Post.user_id)
        .join(Post, col(Post.id) == col(Comment.note_id))
        .where(col(Comment.id) == comment_id)
    ).first()
    if row is None or user_id not in (row[0].user_id, row[1]):
        raise NotFound("That comment does not exist or is not yours.")
    post_id = row[0].note_id
    session.delete(row[0])
    session.commit()
    reactions.changed(session, post_id, comments_changed=True, origin=origin)


def visible_comment(*, session: Session, viewer_id: int, post_id: int, comment_id: int) -> CommentView | None:
    """One comment as ``viewer_id`` would find it in the post's comment list
    (spoiler shield included), or None when they may not see it or the post
    (a block, a mute, a moderator's hiding...). Two statements."""
    post = reactions.find_visible_post(session, viewer_id, post_id)
    if post is None:
        return None
    values = {"viewer_id": viewer_id, "post_id": post_id, "book_id": post.book_id, "comment_id": comment_id}
    rows = session.exec(_one_comment_statement(post.book_id is not None), params=values).all()
    views = _views(rows, viewer_id, post)
    return views[0] if views else None


@functools.cache
def _one_comment_statement(has_book: bool) -> Any:
    one = col(Comment.id) == sa.bindparam("comment_id", type_=sa.Integer)
    conditions = [one, col(Comment.note_id) == params.POST, privacy.can_see_comment(params.VIEWER)]
    return _comment_select(with_reply_counts=False, has_book=has_book).where(*conditions)
