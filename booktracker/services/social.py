"""Follows, reader search, profiles and "friends currently reading"."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, delete, func, select
from sqlmodel.sql.expression import Select

from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import (
    Block,
    Book,
    Follow,
    Mute,
    NotificationKind,
    Post,
    ProfileVisibility,
    ReadingStatus,
    User,
    UserBook,
    saved_id,
)
from booktracker.services import notifications, privacy, safety
from booktracker.services import text as texts
from booktracker.services.library import copies
from booktracker.services.posts import initials

PEOPLE_PAGE = 20
BIO_MAX, NAME_MAX = 500, 80
USERNAME_RE = re.compile(r"^[a-z0-9_]{3,30}$")
FOLLOW_FOLLOWING, FOLLOW_REQUESTED = "following", "requested"


class PersonView(SQLModel):
    id: int
    username: str
    name: str
    initials: str
    i_follow: bool  # an approved follow
    requested: bool = False  # my follow request waits for their approval
    avatar_url: str = ""  # the small square avatar (services/avatars.py); "" for initials


class ReadingView(SQLModel):
    username: str
    name: str
    initials: str
    book_title: str
    book_authors: str
    book_cover_url: str
    percent: int
    book_id: int = 0  # the shared book (routes.book_page)


class ProfileView(SQLModel):
    id: int
    username: str
    name: str
    initials: str
    bio: str
    followers: int
    following: int
    books: int
    finished: int
    posts: int
    is_me: bool
    i_follow: bool
    # The viewer blocks / mutes this reader (services/safety.py).
    i_block: bool = False
    i_mute: bool = False
    currently_reading: list[ReadingView]
    # Who sees this profile (ProfileVisibility). When the viewer may not, ``visible`` is
    # False and the view holds only the username (and the name, to signed-in readers,
    # of a followers-only profile): no bio, counts, follows, books or posts.
    visibility: str = ProfileVisibility.PUBLIC.value
    visible: bool = True
    avatar_url: str = ""  # the large square avatar (services/avatars.py); "" for initials
    requested: bool = False  # the viewer's follow request is pending


def _user_by_username(session: Session, username: str, viewer_id: int | None = None) -> User:
    """The reader, unless they blocked the viewer or are suspended: then, to
    the viewer, there is no such reader (services/privacy.py)."""
    query = select(User).where(User.username == username.strip().lower(), privacy.reader_exists_for(viewer_id))
    user = session.exec(query).first()
    if user is None:
        raise NotFound("No reader with that username.")
    return user


# ----------------------------------------------------------------- follows


def follow(*, session: Session, user_id: int, username: str) -> str:
    """Follow a reader; to a followers-only or private profile this is a request
    they approve or decline. Returns "following" or "requested"."""
    target = _user_by_username(session, username, user_id)
    target_id = saved_id(target)
    if target_id == user_id:
        raise InvalidInput("You cannot follow yourself.", field="username")
    safety.check_can_interact(session, user_id, target_id)
    existing = session.get(Follow, (user_id, target_id))
    if existing is not None:
        return FOLLOW_REQUESTED if existing.pending else FOLLOW_FOLLOWING
    pending = privacy.needs_approval(target)
    try:
        with session.begin_nested():
            session.add(Follow(follower_id=user_id, followee_id=target_id, pending=pending))
            session.flush()
            kind = NotificationKind.FOLLOW_REQUEST if pending else NotificationKind.FOLLOW
            notifications.notify(session=session, kind=kind, user_id=target_id, actor_id=user_id)
    except IntegrityError:
        pass  # followed by a concurrent request: same outcome
    session.commit()
    return FOLLOW_REQUESTED if pending else FOLLOW_FOLLOWING


def unfollow(*, session: Session, user_id: int, username: str) -> None:
    target = _user_by_username(session, username)
    removed = session.exec(
        delete(Follow).where(col(Follow.follower_id) == user_id, col(Follow.followee_id) == target.id)
    ).rowcount
    if removed:
        # Follow, unfollow, follow again would otherwise pile up "Bob followed you" (services/notifications.py).
        kinds = (NotificationKind.FOLLOW, NotificationKind.FOLLOW_REQUEST)
        notifications.forget_unread(session=session, kinds=kinds, actor_id=user_id, user_id=saved_id(target))
    session.commit()


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
    target = _user_by_username(session, username, viewer_id)
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


def _reading_columns() -> Select:
    """The columns of a "currently reading" row, in _reading_view's order.

    sqlmodel's select() is typed for at most four columns; Select is what it builds.
    """
    return Select(
        col(User.username),
        col(User.name),
        # The reader's own copy where set (their title, cover, length).
        copies.title_sql(),
        col(Book.authors),
        copies.cover_sql(),
        col(UserBook.current_page),
        copies.end_sql(),
        col(UserBook.book_id),  # for the book's public page
    )


def friends_reading(*, session: Session, user_id: int, limit: int = 8) -> list[ReadingView]:
    """What the people I follow are reading now, most recently updated first:
    approved follows, profiles I may see, books they did not hide (services/privacy.py)."""
    rows = session.exec(
        _reading_columns()
        .join(Follow, sa.and_(col(Follow.followee_id) == UserBook.user_id, privacy.accepted()))
        .join(User, col(User.id) == UserBook.user_id)
        .join(Book, col(Book.id) == UserBook.book_id)
        .where(
            col(Follow.follower_id) == user_id,
            col(UserBook.status) == ReadingStatus.READING.value,
            privacy.can_see_profile(user_id, User),
            privacy.entry_shown(None),
        )
        .order_by(col(UserBook.updated_at).desc())
        .limit(max(1, min(limit, PEOPLE_PAGE)))
    ).all()
    return [_reading_view(*row) for row in rows]


def _reading_view(username, name, title, authors, cover, current_page, total_pages, book_id=0) -> ReadingView:
    percent = max(0, min(100, round(current_page * 100 / total_pages))) if total_pages else 0
    return ReadingView(
        username=username,
        name=name,
        initials=initials(name),
        book_title=title,
        book_authors=authors,
        book_cover_url=cover,
        percent=percent,
        book_id=book_id,
    )


# ----------------------------------------------------------------- profiles


def profile(*, session: Session, viewer_id: int | None, username: str) -> ProfileView:
    """A reader's profile in three statements: the reader, the counts and flags,
    then the books they are reading now (not read when the viewer may not see
    the profile: then only the username, services/privacy.py)."""
    target = _user_by_username(session, username, viewer_id)

    def count(model, *where):
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    visible_posts = [col(Post.user_id) == target.id]
    if viewer_id != target.id:
        visible_posts.append(col(Post.is_public).is_(True))
    mine = viewer_id == target.id
    # Approved follows only; people lists leave private profiles out; hidden books are the reader's.
    books = [col(UserBook.user_id) == target.id] + ([] if mine else [privacy.entry_shown(None)])
    if viewer_id is not None:
        i_follow = privacy.follows(viewer_id, target.id)
        requested = sa.exists().where(
            col(Follow.follower_id) == viewer_id, col(Follow.followee_id) == target.id, col(Follow.pending).is_(True)
        )
    else:
        i_follow = requested = sa.literal(False)
    if viewer_id is not None:
        i_block = sa.exists().where(col(Block.blocker_id) == viewer_id, col(Block.blocked_id) == target.id)
        i_mute = sa.exists().where(col(Mute.muter_id) == viewer_id, col(Mute.muted_id) == target.id)
    else:
        i_block = i_mute = sa.literal(False)
    # Five counts and three flags: more columns than sqlmodel's select() is typed for.
    counts: Any = session.exec(
        Select(
            count(Follow, Follow.followee_id == target.id, privacy.accepted(), _listed(viewer_id, Follow.follower_id)),
            count(Follow, Follow.follower_id == target.id, privacy.accepted(), _listed(viewer_id, Follow.followee_id)),
            count(UserBook, *books),
            count(UserBook, *books, UserBook.status == ReadingStatus.FINISHED.value),
            count(Post, *visible_posts),
            i_follow,
            i_block,
            i_mute,
            requested,
        )
    ).one()
    if not privacy.profile_visible(viewer_id, target, viewer_follows=bool(counts[5])):
        flags = {"i_follow": bool(counts[5]), "requested": bool(counts[8])}
        flags |= {"i_block": bool(counts[6]), "i_mute": bool(counts[7])}
        return _restricted_profile(viewer_id, target, **flags)
    reading = session.exec(
        _reading_columns()
        .join(User, col(User.id) == UserBook.user_id)
        .join(Book, col(Book.id) == UserBook.book_id)
        .where(*books, col(UserBook.status) == ReadingStatus.READING.value)
        .order_by(col(UserBook.updated_at).desc())
        .limit(6)
    ).all()
    return ProfileView(
        id=saved_id(target),
        username=target.username,
        name=target.name,
        initials=initials(target.name),
        avatar_url=target.avatar_url,
        bio=target.bio,
        followers=counts[0],
        following=counts[1],
        books=counts[2],
        finished=counts[3],
        posts=counts[4],
        is_me=viewer_id == target.id,
        i_follow=bool(counts[5]),
        i_block=bool(counts[6]),
        i_mute=bool(counts[7]),
        currently_reading=[_reading_view(*row) for row in reading],
        visibility=target.profile_visibility,
        requested=bool(counts[8]),
    )


def _listed(viewer_id: int | None, person_id: Any) -> sa.ColumnElement[bool]:
    person = aliased(User)
    return sa.exists().where(col(person.id) == person_id, privacy.listed(viewer_id, person))


def _restricted_profile(viewer_id: int | None, target: User, **flags: bool) -> ProfileView:
    """What a viewer who may not see the profile gets: the username, and the name
    where search lists it (a followers-only profile, to signed-in readers)."""
    named = viewer_id is not None and target.profile_visibility == privacy.FOLLOWERS
    name = target.name if named else target.username
    return ProfileView(
        id=saved_id(target),
        username=target.username,
        name=name,
        initials=initials(name),
        bio="",
        followers=0,
        following=0,
        books=0,
        finished=0,
        posts=0,
        is_me=False,
        currently_reading=[],
        visibility=target.profile_visibility,
        visible=False,
        avatar_url="",  # a profile the viewer may not see shows initials
        **flags,
    )


def valid_username(username: str) -> str:
    """The username lower-cased, or InvalidInput saying what a username may hold."""
    username = username.strip().lower()
    texts.check_identity(username, field="username", label="Username")
    if not USERNAME_RE.match(username):
        raise InvalidInput("Username must be 3–30 characters: a–z, 0–9 or _.", field="username")
    return username


def update_profile(*, session: Session, user_id: int, name: str, username: str, bio: str) -> User:
    name = " ".join(name.split())
    username = username.strip().lower()
    bio = texts.strip_bidi_controls(bio).strip()  # long text: stripped, names: refused (services/text.py)
    if not name or len(name) > NAME_MAX:
        raise InvalidInput(f"Name must be 1 to {NAME_MAX} characters.", field="name")
    texts.check_identity(name, field="name", label="Name")
    username = valid_username(username)
    if len(bio) > BIO_MAX:
        raise InvalidInput(f"Bio must be at most {BIO_MAX} characters.", field="bio")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such reader.")
    taken = session.exec(select(User.id).where(User.username == username, User.id != user_id)).first()
    if taken is not None:
        raise Conflict("That username is taken.", field="username")
    user.name, user.username, user.bio = name, username, bio
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("That username is taken.", field="username") from None
    return user
