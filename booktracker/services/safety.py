"""Blocking and muting between readers, and the SQL conditions that apply them.

Block: the blocked reader can't see, follow, comment on or like anything of
the blocker's (the blocker's profile is "not found" to them); follows between
the two go both ways; the blocker doesn't see them either (feeds, comments,
people search, friends-reading). Mute: the muter stops seeing the muted
reader's posts and comments; nothing changes for the muted reader.

The rules are WHERE conditions (``NOT EXISTS``) that the feed, profile,
comment and people queries add to their own statement, so a page costs no
extra round trip. Moderation (services/moderation.py) adds the hidden and
suspended rules beside them: ``content_visible``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, delete, func, select

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Block, Follow, Mute, User, saved_id

LIST_PAGE = 50


class BlockedView(SQLModel):
    username: str
    name: str


# ----------------------------------------------------------------- SQL conditions


def blocked_between(viewer_id: int | None, other_id: Any) -> sa.ColumnElement[bool]:
    """True when either reader blocked the other (``other_id``: a column or a value)."""
    if viewer_id is None:
        return sa.false()
    block = aliased(Block)
    return sa.exists().where(
        sa.or_(
            sa.and_(col(block.blocker_id) == viewer_id, col(block.blocked_id) == other_id),
            sa.and_(col(block.blocker_id) == other_id, col(block.blocked_id) == viewer_id),
        )
    )


def not_hidden_between(viewer_id: int | None, other_id: Any) -> sa.ColumnElement[bool]:
    """The block rule: neither reader blocked the other."""
    if viewer_id is None:
        return sa.true()
    return ~blocked_between(viewer_id, other_id)


def not_muted(viewer_id: int | None, author_id: Any) -> sa.ColumnElement[bool]:
    """The mute rule: the viewer did not mute the author."""
    if viewer_id is None:
        return sa.true()
    mute = aliased(Mute)
    return ~sa.exists().where(col(mute.muter_id) == viewer_id, col(mute.muted_id) == author_id)


def author_not_suspended(viewer_id: int | None, author_id: Any) -> sa.ColumnElement[bool]:
    """A suspended reader's content is hidden from everyone else."""
    suspended = aliased(User)
    hidden = sa.exists().where(col(suspended.id) == author_id, col(suspended.suspended_at).is_not(None))
    return ~hidden if viewer_id is None else sa.or_(author_id == viewer_id, ~hidden)


def content_visible(viewer_id: int | None, author_id: Any, hidden_at: Any, *, muted: bool = True) -> list[Any]:
    """Everything that keeps a post or comment from a viewer besides its
    audience: blocks (and mutes, unless ``muted=False``), a moderator's hiding
    (its author still sees it) and the author's suspension."""
    shown = [not_hidden_between(viewer_id, author_id), author_not_suspended(viewer_id, author_id)]
    shown.append(hidden_at.is_(None) if viewer_id is None else sa.or_(hidden_at.is_(None), author_id == viewer_id))
    if muted:
        shown.append(not_muted(viewer_id, author_id))
    return shown


# ----------------------------------------------------------------- checks


def is_blocked(session: Session, a: int, b: int) -> bool:
    return session.exec(select(blocked_between(a, b))).one()


def check_can_interact(session: Session, viewer_id: int, other_id: int) -> None:
    """Refuse following (and the like) across a block, in either direction."""
    if viewer_id == other_id:
        return
    if session.get(Block, (viewer_id, other_id)) is not None:
        raise InvalidInput("You blocked this reader. Unblock them first.", field="username")
    if session.get(Block, (other_id, viewer_id)) is not None:
        raise NotFound("No reader with that username.")


# ----------------------------------------------------------------- use cases


def _other(session: Session, user_id: int, username: str, *, verb: str) -> int:
    other = session.exec(
        select(User).where(User.username == username.strip().lower(), not_hidden_between_blocker(user_id))
    ).first()
    if other is None:
        raise NotFound("No reader with that username.")
    other_id = saved_id(other)
    if other_id == user_id:
        raise InvalidInput(f"You cannot {verb} yourself.", field="username")
    return other_id


def not_hidden_between_blocker(user_id: int) -> sa.ColumnElement[bool]:
    """Whoever blocked ``user_id`` does not exist for them (they can't tell they were blocked)."""
    return ~sa.exists().where(col(Block.blocker_id) == User.id, col(Block.blocked_id) == user_id)


def block(*, session: Session, user_id: int, username: str) -> None:
    """Block a reader: follows between the two go, both ways."""
    other_id = _other(session, user_id, username, verb="block")
    session.exec(
        delete(Follow).where(
            sa.or_(
                sa.and_(col(Follow.follower_id) == user_id, col(Follow.followee_id) == other_id),
                sa.and_(col(Follow.follower_id) == other_id, col(Follow.followee_id) == user_id),
            )
        )
    )
    _insert_once(session, Block(blocker_id=user_id, blocked_id=other_id))


def unblock(*, session: Session, user_id: int, username: str) -> None:
    other_id = _other(session, user_id, username, verb="unblock")
    session.exec(delete(Block).where(col(Block.blocker_id) == user_id, col(Block.blocked_id) == other_id))
    session.commit()


def mute(*, session: Session, user_id: int, username: str) -> None:
    other_id = _other(session, user_id, username, verb="mute")
    _insert_once(session, Mute(muter_id=user_id, muted_id=other_id))


def unmute(*, session: Session, user_id: int, username: str) -> None:
    other_id = _other(session, user_id, username, verb="unmute")
    session.exec(delete(Mute).where(col(Mute.muter_id) == user_id, col(Mute.muted_id) == other_id))
    session.commit()


def _insert_once(session: Session, row: Block | Mute) -> None:
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        pass  # done by a concurrent request: same outcome
    session.commit()


def _listed(session: Session, model: type[Block] | type[Mute], owner: Any, other: Any, user_id: int, page: int):
    rows = session.exec(
        select(User.username, User.name)
        .join(model, other == User.id)
        .where(owner == user_id)
        .order_by(func.lower(User.name), col(User.id))
        .offset((max(1, page) - 1) * LIST_PAGE)
        .limit(LIST_PAGE)
    ).all()
    return [BlockedView(username=username, name=name) for username, name in rows]


def blocked_readers(*, session: Session, user_id: int, page: int = 1) -> list[BlockedView]:
    return _listed(session, Block, col(Block.blocker_id), col(Block.blocked_id), user_id, page)


def muted_readers(*, session: Session, user_id: int, page: int = 1) -> list[BlockedView]:
    return _listed(session, Mute, col(Mute.muter_id), col(Mute.muted_id), user_id, page)


def relation(*, session: Session, user_id: int, other_id: int) -> tuple[bool, bool]:
    """(I block them, I mute them)."""
    blocked = sa.exists().where(col(Block.blocker_id) == user_id, col(Block.blocked_id) == other_id)
    muted = sa.exists().where(col(Mute.muter_id) == user_id, col(Mute.muted_id) == other_id)
    row = session.exec(select(blocked, muted)).one()
    return bool(row[0]), bool(row[1])
