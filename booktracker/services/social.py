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
from booktracker.models import Book, Follow, Post, ReadingStatus, User, UserBook, saved_id
from booktracker.services import text as texts
from booktracker.services.library import copies
from booktracker.services.posts import initials

PEOPLE_PAGE = 20
BIO_MAX, NAME_MAX = 500, 80
USERNAME_RE = re.compile(r"^[a-z0-9_]{3,30}$")


class PersonView(SQLModel):
    id: int
    username: str
    name: str
    initials: str
    i_follow: bool


class ReadingView(SQLModel):
    username: str
    name: str
    initials: str
    book_title: str
    book_authors: str
    book_cover_url: str
    percent: int


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
    currently_reading: list[ReadingView]


def _user_by_username(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise NotFound("No reader with that username.")
    return user


# ----------------------------------------------------------------- follows


def follow(*, session: Session, user_id: int, username: str) -> None:
    target_id = saved_id(_user_by_username(session, username))
    if target_id == user_id:
        raise InvalidInput("You cannot follow yourself.", field="username")
    if session.get(Follow, (user_id, target_id)) is None:
        try:
            with session.begin_nested():
                session.add(Follow(follower_id=user_id, followee_id=target_id))
        except IntegrityError:
            pass  # followed by a concurrent request: same outcome
        session.commit()


def unfollow(*, session: Session, user_id: int, username: str) -> None:
    target = _user_by_username(session, username)
    session.exec(delete(Follow).where(col(Follow.follower_id) == user_id, col(Follow.followee_id) == target.id))
    session.commit()


def _people(session: Session, viewer_id: int | None, page: int, *where, join_on=None) -> list[PersonView]:
    if viewer_id is None:
        i_follow = sa.literal(False)
    else:
        # Aliased: the outer query may join follows itself (lists of followers).
        mine = aliased(Follow)
        i_follow = sa.exists().where(col(mine.follower_id) == viewer_id, col(mine.followee_id) == User.id)
    query = select(User, i_follow.label("i_follow"))
    if join_on is not None:
        query = query.join(Follow, join_on)
    rows = session.exec(
        query.where(*where)
        .order_by(func.lower(User.name), col(User.id))
        .offset((max(1, page) - 1) * PEOPLE_PAGE)
        .limit(PEOPLE_PAGE)
    ).all()
    return [
        PersonView(id=saved_id(u), username=u.username, name=u.name, initials=initials(u.name), i_follow=bool(f))
        for u, f in rows
    ]


def followers(*, session: Session, viewer_id: int | None, username: str, page: int = 1) -> list[PersonView]:
    target = _user_by_username(session, username)
    return _people(
        session, viewer_id, page, col(Follow.followee_id) == target.id, join_on=col(Follow.follower_id) == User.id
    )


def following(*, session: Session, viewer_id: int | None, username: str, page: int = 1) -> list[PersonView]:
    target = _user_by_username(session, username)
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
    )


def friends_reading(*, session: Session, user_id: int, limit: int = 8) -> list[ReadingView]:
    """What the people I follow are reading now, most recently updated first."""
    rows = session.exec(
        _reading_columns()
        .join(Follow, col(Follow.followee_id) == UserBook.user_id)
        .join(User, col(User.id) == UserBook.user_id)
        .join(Book, col(Book.id) == UserBook.book_id)
        .where(col(Follow.follower_id) == user_id, col(UserBook.status) == ReadingStatus.READING.value)
        .order_by(col(UserBook.updated_at).desc())
        .limit(max(1, min(limit, PEOPLE_PAGE)))
    ).all()
    return [_reading_view(*row) for row in rows]


def _reading_view(username, name, title, authors, cover, current_page, total_pages) -> ReadingView:
    percent = max(0, min(100, round(current_page * 100 / total_pages))) if total_pages else 0
    return ReadingView(
        username=username,
        name=name,
        initials=initials(name),
        book_title=title,
        book_authors=authors,
        book_cover_url=cover,
        percent=percent,
    )


# ----------------------------------------------------------------- profiles


def profile(*, session: Session, viewer_id: int | None, username: str) -> ProfileView:
    """A reader's public profile in two statements: the counts, then the
    books they are reading now."""
    target = _user_by_username(session, username)

    def count(model, *where):
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    visible_posts = [col(Post.user_id) == target.id]
    if viewer_id != target.id:
        visible_posts.append(col(Post.is_public).is_(True))
    i_follow = (
        sa.exists().where(col(Follow.follower_id) == viewer_id, col(Follow.followee_id) == target.id)
        if viewer_id is not None
        else sa.literal(False)
    )
    # Five counts and a flag: more columns than sqlmodel's select() is typed for.
    counts: Any = session.exec(
        Select(
            count(Follow, Follow.followee_id == target.id),
            count(Follow, Follow.follower_id == target.id),
            count(UserBook, UserBook.user_id == target.id),
            count(UserBook, UserBook.user_id == target.id, UserBook.status == ReadingStatus.FINISHED.value),
            count(Post, *visible_posts),
            i_follow,
        )
    ).one()
    reading = session.exec(
        _reading_columns()
        .join(User, col(User.id) == UserBook.user_id)
        .join(Book, col(Book.id) == UserBook.book_id)
        .where(col(UserBook.user_id) == target.id, col(UserBook.status) == ReadingStatus.READING.value)
        .order_by(col(UserBook.updated_at).desc())
        .limit(6)
    ).all()
    return ProfileView(
        id=saved_id(target),
        username=target.username,
        name=target.name,
        initials=initials(target.name),
        bio=target.bio,
        followers=counts[0],
        following=counts[1],
        books=counts[2],
        finished=counts[3],
        posts=counts[4],
        is_me=viewer_id == target.id,
        i_follow=bool(counts[5]),
        currently_reading=[_reading_view(*row) for row in reading],
    )


def update_profile(*, session: Session, user_id: int, name: str, username: str, bio: str) -> User:
    name = " ".join(name.split())
    username = username.strip().lower()
    bio = texts.strip_bidi_controls(bio).strip()  # long text: stripped, names: refused (services/text.py)
    if not name or len(name) > NAME_MAX:
        raise InvalidInput(f"Name must be 1 to {NAME_MAX} characters.", field="name")
    texts.check_identity(name, field="name", label="Name")
    texts.check_identity(username, field="username", label="Username")
    if not USERNAME_RE.match(username):
        raise InvalidInput("Username must be 3–30 characters: a–z, 0–9 or _.", field="username")
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
