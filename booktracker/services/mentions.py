"""@mentions in posts and comments: split into text and links, and notify.

Markup stays text: a post's text is split here into plain parts and
``@username`` parts (``TextPart``), which the page renders as text and
links -- never HTML from a reader's input, so "<script>" or
"[x](javascript:...)" show as typed. Any well-formed ``@name`` becomes a link
(the profile page says when nobody has that name, or when it is private): the
page needs no extra statement to look names up.

Notifying: the mentioned readers who exist and may see the post (its
audience: a private post mentions nobody, a followers-only author's post only
approved followers, a circle post only readers who see the circle) are found
in one statement, then told through ``notifications.notify`` (which skips
the author, blocks and readers who turned mentions off). An edit tells only
readers newly mentioned by it.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, select

from booktracker.models import Circle, CircleMember, Follow, NotificationKind, Post, User
from booktracker.services import privacy

# Usernames are 3-30 of a-z, 0-9, "_" (services/auth.py); "ann@example.com" is no mention.
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,30})(?![\w@])")
# A post naming more readers than this notifies the first ones only (no mass pings).
MAX_NOTIFIED = 10


class TextPart(SQLModel):
    """A piece of a post's or comment's text: plain (``username`` "") or a mention."""

    text: str
    username: str = ""


def usernames(text: str) -> list[str]:
    """The mentioned usernames, lower-cased, in order, each once."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def parts(text: str) -> list[TextPart]:
    """The text split into plain and mention parts; [] when it mentions nobody,
    so the page shows the text as one piece and the state stays small."""
    if "@" not in text:
        return []
    result: list[TextPart] = []
    last = 0
    for match in MENTION_RE.finditer(text):
        if match.start() > last:
            result.append(TextPart(text=text[last : match.start()]))
        result.append(TextPart(text=match.group(0), username=match.group(1).lower()))
        last = match.end()
    if not result:
        return []
    if last < len(text):
        result.append(TextPart(text=text[last:]))
    return result


def _sees_post(post: Post, reader: Any) -> sa.ColumnElement[bool] | None:
    """The post's audience for the ``reader`` row (a column condition), or None
    when nobody but its author sees it. Mirrors privacy.audience for another reader."""
    if post.circle_id is not None:
        member = aliased(CircleMember)
        is_member = sa.exists().where(
            col(member.circle_id) == post.circle_id,
            col(member.user_id) == col(reader.id),
            col(member.pending).is_(False),
        )
        public = sa.exists().where(col(Circle.id) == post.circle_id, col(Circle.is_public).is_(True))
        return sa.or_(public, is_member)
    if not post.is_public:
        return None
    author = aliased(User)
    follow = aliased(Follow)
    follows = sa.exists().where(
        col(follow.follower_id) == col(reader.id), col(follow.followee_id) == post.user_id, privacy.accepted(follow)
    )
    visibility = col(author.profile_visibility)
    # Side by side, not nested: a subquery two levels down would not correlate with ``reader``.
    author_open = sa.exists().where(col(author.id) == post.user_id, visibility.in_((privacy.PUBLIC, privacy.SIGNED_IN)))
    for_followers = sa.exists().where(col(author.id) == post.user_id, visibility == privacy.FOLLOWERS)
    return sa.or_(author_open, sa.and_(for_followers, follows))


def recipients(session: Session, post: Post, names: list[str]) -> list[int]:
    """Ids of the named readers who exist and may see ``post``: one statement (none without names)."""
    names = names[:MAX_NOTIFIED]
    if not names:
        return []
    reader = aliased(User)
    sees = _sees_post(post, reader)
    if sees is None:
        return []
    rows = session.exec(
        select(reader.id).where(
            # Stored lower-case (services/auth.py): the unique index finds them.
            col(reader.username).in_(names),
            # The author wrote it; on a comment, they hear of it anyway (a COMMENT notification).
            col(reader.id) != post.user_id,
            col(reader.suspended_at).is_(None),
            sees,
        )
    ).all()
    return [int(user_id) for user_id in rows if user_id is not None]


def notify_mentions(
    session: Session, *, post: Post, actor_id: int, text: str, before: str = "", comment_id: int | None = None
) -> list[int]:
    """Tell the readers ``text`` mentions (and ``before``, the text an edit
    replaced, did not) that they were mentioned. Adds one statement to find them
    and one per reader told; the caller commits. Returns who was told."""
    # Imported here: notifications imports the posts package, which imports this module.
    from booktracker.services import notifications

    already = set(usernames(before))
    names = [name for name in usernames(text) if name not in already]
    told = recipients(session, post, names)
    assert post.id is not None
    for user_id in told:
        notifications.notify(
            session=session,
            kind=NotificationKind.MENTION,
            user_id=user_id,
            actor_id=actor_id,
            post_id=post.id,
            comment_id=comment_id,
        )
    return told
