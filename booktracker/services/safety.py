"""Blocking and muting between readers, and the SQL conditions that apply them.

Block: the blocked reader can't see, follow, comment on or like anything of
the blocker's (the blocker's profile is "not found" to them); follows between
the two go both ways; the blocker doesn't see them either (feeds, comments,
people search, friends-reading). Mute: the muter stops seeing the muted
reader's posts and comments; nothing changes for the muted reader.

The rules are WHERE conditions (``NOT EXISTS``) in services/privacy.py, the
one place who-sees-what lives (with moderation's hidden and suspended rules);
the feed, profile, comment and people queries add them to their own
statement, so a page costs no extra round trip. This module holds the use
cases.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, delete, func, select

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Block, Follow, Mute, User, saved_id
from booktracker.services import privacy

LIST_PAGE = 50


class BlockedView(SQLModel):
    username: str
    name: str


# ----------------------------------------------------------------- checks


def is_blocked(session: Session, a: int, b: int) -> bool:
    return session.exec(select(privacy.blocked_between(a, b))).one()


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
        select(User).where(User.username == username.strip().lower(), privacy.not_hidden_between_blocker(user_id))
    ).first()
    if other is None:
        raise NotFound("No reader with that username.")
    other_id = saved_id(other)
    if other_id == user_id:
        raise InvalidInput(f"You cannot {verb} yourself.", field="username")
    return other_id


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
