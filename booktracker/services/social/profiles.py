"""A reader's profile (counts, flags, books under way), editing one's own,
and "friends currently reading"."""

from __future__ import annotations

import functools
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, func, select
from sqlmodel.sql.expression import Select

from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import (
    Block,
    Book,
    Follow,
    Mute,
    Post,
    ProfileVisibility,
    ReadingStatus,
    User,
    UserBook,
    saved_id,
)
from booktracker.services import params, privacy
from booktracker.services import text as texts
from booktracker.services.library import copies
from booktracker.services.posts import initials
from booktracker.services.social.people import PEOPLE_PAGE, reader_named

BIO_MAX, NAME_MAX = 500, 80
USERNAME_RE = re.compile(r"^[a-z0-9_]{3,30}$")


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
    values = {"viewer_id": user_id, "limit": max(1, min(limit, PEOPLE_PAGE))}
    return [_reading_view(*row) for row in session.exec(_friends_reading_statement(), params=values).all()]


@functools.cache
def _friends_reading_statement() -> Any:
    """Built once, run with bound parameters (services/params.py): it is on every feed page."""
    viewer = params.VIEWER
    return (
        _reading_columns()
        .join(Follow, sa.and_(col(Follow.followee_id) == UserBook.user_id, privacy.accepted()))
        .join(User, col(User.id) == UserBook.user_id)
        .join(Book, col(Book.id) == UserBook.book_id)
        .where(
            col(Follow.follower_id) == viewer,
            col(UserBook.status) == ReadingStatus.READING.value,
            privacy.can_see_profile(viewer, User),
            privacy.entry_shown(None),
        )
        .order_by(col(UserBook.updated_at).desc())
        .limit(params.LIMIT)
    )


def _reading_view(username, name, title, authors, cover, current_page, total_pages, book_id=0) -> ReadingView:
    percent = copies.percent_of(current_page, total_pages)
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


def profile(*, session: Session, viewer_id: int | None, username: str) -> ProfileView:
    """A reader's profile in three statements: the reader, the counts and flags,
    then the books they are reading now (not read when the viewer may not see
    the profile: then only the username, services/privacy.py)."""
    target = reader_named(session, username, viewer_id)
    mine = viewer_id == target.id
    values = {"viewer_id": viewer_id, "target_id": target.id}
    counts: Any = session.exec(_counts_statement(viewer_id is not None, mine), params=values).one()
    if not privacy.profile_visible(viewer_id, target, viewer_follows=bool(counts[5])):
        flags = {"i_follow": bool(counts[5]), "requested": bool(counts[8])}
        flags |= {"i_block": bool(counts[6]), "i_mute": bool(counts[7])}
        return _restricted_profile(viewer_id, target, **flags)
    reading = session.exec(_reading_statement(mine), params=values).all()
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


_TARGET: Any = sa.bindparam("target_id", type_=sa.Integer)


def _books(mine: bool) -> list[Any]:
    """The profile's books: hidden ones are the reader's own."""
    return [col(UserBook.user_id) == _TARGET] + ([] if mine else [privacy.entry_shown(None)])


@functools.cache
def _counts_statement(signed_in: bool, mine: bool) -> Any:
    """Five counts and four flags in one row, built once per shape (services/params.py)."""
    viewer = params.viewer(signed_in)

    def count(model, *where):
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    visible_posts = [col(Post.user_id) == _TARGET] + ([] if mine else [col(Post.is_public).is_(True)])
    books = _books(mine)
    if signed_in:
        i_follow = privacy.follows(viewer, _TARGET)
        requested = sa.exists().where(
            col(Follow.follower_id) == viewer, col(Follow.followee_id) == _TARGET, col(Follow.pending).is_(True)
        )
        i_block = sa.exists().where(col(Block.blocker_id) == viewer, col(Block.blocked_id) == _TARGET)
        i_mute = sa.exists().where(col(Mute.muter_id) == viewer, col(Mute.muted_id) == _TARGET)
    else:
        i_follow = requested = i_block = i_mute = sa.literal(False)
    # Approved follows only; people lists leave private profiles out.
    # More columns than sqlmodel's select() is typed for.
    return Select(
        count(Follow, Follow.followee_id == _TARGET, privacy.accepted(), _listed(viewer, Follow.follower_id)),
        count(Follow, Follow.follower_id == _TARGET, privacy.accepted(), _listed(viewer, Follow.followee_id)),
        count(UserBook, *books),
        count(UserBook, *books, UserBook.status == ReadingStatus.FINISHED.value),
        count(Post, *visible_posts),
        i_follow,
        i_block,
        i_mute,
        requested,
    )


@functools.cache
def _reading_statement(mine: bool) -> Any:
    return (
        _reading_columns()
        .join(User, col(User.id) == UserBook.user_id)
        .join(Book, col(Book.id) == UserBook.book_id)
        .where(*_books(mine), col(UserBook.status) == ReadingStatus.READING.value)
        .order_by(col(UserBook.updated_at).desc())
        .limit(6)
    )


def _listed(viewer_id: Any, person_id: Any) -> sa.ColumnElement[bool]:
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
