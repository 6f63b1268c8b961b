"""Lists of readers: who follows whom, and reader search.

``reader_named`` is how every social use case finds a reader by username.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, func, select

from booktracker.errors import NotFound
from booktracker.models import Follow, User, saved_id
from booktracker.services import privacy
from booktracker.services.posts import initials

PEOPLE_PAGE = 20


class PersonView(SQLModel):
    id: int
    username: str
    name: str
    initials: str
    i_follow: bool  # an approved follow
    requested: bool = False  # my follow request waits for their approval
    avatar_url: str = ""  # the small square avatar (services/avatars.py); "" for initials


def reader_named(session: Session, username: str, viewer_id: int | None = None) -> User:
    """The reader, unless they blocked the viewer or are suspended: then, to
    the viewer, there is no such reader (services/privacy.py)."""
    query = select(User).where(User.username == username.strip().lower(), privacy.reader_exists_for(viewer_id))
    user = session.exec(query).first()
    if user is None:
        raise NotFound("No reader with that username.")
    return user


def _people(session: Session, viewer_id: int | None, page: int, *where, join_on=None) -> list[PersonView]:
    if viewer_id is None:
        i_follow = requested = sa.literal(False)
    else:
        # Aliased: the outer query may join follows itself (lists of followers).
        mine = aliased(Follow)
        i_follow = privacy.follows(viewer_id, User.id)
        requested = sa.exists().where(
            col(mine.follower_id) == viewer_id, col(mine.followee_id) == User.id, col(mine.pending).is_(True)
        )
    query = select(User, i_follow.label("i_follow"), requested.label("requested"))
    if join_on is not None:
        # Lists of follows: approved ones only (a pending request is no follow).
        query = query.join(Follow, sa.and_(join_on, privacy.accepted()))
    rows = session.exec(
        # Private profiles, blocks either way and suspended readers are not listed (services/privacy.py).
        query.where(*where, privacy.can_list_person(viewer_id))
        .order_by(func.lower(User.name), col(User.id))
        .offset((max(1, page) - 1) * PEOPLE_PAGE)
        .limit(PEOPLE_PAGE)
    ).all()
    return [
        PersonView(
            id=saved_id(u),
            username=u.username,
            name=u.name,
            initials=initials(u.name),
            i_follow=bool(f),
            requested=bool(r),
            avatar_url=u.avatar_small_url,
        )
        for u, f, r in rows
    ]


def _visible_target(session: Session, viewer_id: int | None, username: str) -> User:
    """The reader whose follows, posts or books the viewer asks for, if their
    profile is visible to the viewer; otherwise "This profile is private."."""
    target = reader_named(session, username, viewer_id)
    viewer_follows = (
        viewer_id is not None
        and target.profile_visibility == privacy.FOLLOWERS
        and session.exec(
            select(Follow.pending).where(col(Follow.follower_id) == viewer_id, col(Follow.followee_id) == target.id)
        ).first()
        is False
    )
    if not privacy.profile_visible(viewer_id, target, viewer_follows=viewer_follows):
        raise NotFound(privacy.PRIVATE_MESSAGE)
    return target


def followers(*, session: Session, viewer_id: int | None, username: str, page: int = 1) -> list[PersonView]:
    target = _visible_target(session, viewer_id, username)
    return _people(
        session, viewer_id, page, col(Follow.followee_id) == target.id, join_on=col(Follow.follower_id) == User.id
    )


def following(*, session: Session, viewer_id: int | None, username: str, page: int = 1) -> list[PersonView]:
    target = _visible_target(session, viewer_id, username)
    return _people(
        session, viewer_id, page, col(Follow.follower_id) == target.id, join_on=col(Follow.followee_id) == User.id
    )


def search_people(*, session: Session, viewer_id: int | None, text: str, page: int = 1) -> list[PersonView]:
    text = " ".join(text.split())[:80].lower()
    if len(text) < 2:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    matches = sa.or_(func.lower(User.name).like(pattern, escape="\\"), col(User.username).like(pattern, escape="\\"))
    return _people(session, viewer_id, page, matches)
