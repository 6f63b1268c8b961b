"""Who may see what of a reader: the one visibility rule, as SQL and in Python.

A reader's profile (counts, followers, following, currently reading, posts)
is visible to its owner always, and otherwise by ``User.profile_visibility``:
- public: everyone, logged-out visitors included;
- signed-in: every reader with an account;
- followers: readers whose follow the owner approved (a pending request sees nothing);
- private: nobody else.
A post is visible to its author, and to others when it is public AND its
author's profile is visible to them. A book the reader marked hidden
(``UserBook.hidden``) is never shown to anyone else. Pending follows are
requests, never follows: they count nowhere and open nothing.

Every query that shows one reader's things to another uses these conditions
(in its own statement: they are subqueries, not extra round trips). Further
rules between two readers (blocks, mutes: services/safety.py) are combined
here, so every caller gets them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col

from booktracker.models import Follow, Post, ProfileVisibility, User, UserBook

PUBLIC = ProfileVisibility.PUBLIC.value
SIGNED_IN = ProfileVisibility.SIGNED_IN.value
FOLLOWERS = ProfileVisibility.FOLLOWERS.value
PRIVATE = ProfileVisibility.PRIVATE.value
# Following these profiles is a request the owner approves or declines.
NEEDS_APPROVAL = (FOLLOWERS, PRIVATE)
PRIVATE_MESSAGE = "This profile is private."


# ----------------------------------------------------------------- SQL conditions


def accepted(follow: Any = Follow) -> sa.ColumnElement[bool]:
    """For queries that join follows themselves: only approved follows count."""
    return col(follow.pending).is_(False)


def follows(follower_id: int, followee_id: Any) -> sa.ColumnElement[bool]:
    """An approved follow of ``followee_id`` (a column or a value) by the reader."""
    # Aliased: the outer query may join follows itself (lists of followers).
    f = aliased(Follow)
    return sa.exists().where(
        col(f.follower_id) == follower_id, col(f.followee_id) == followee_id, col(f.pending).is_(False)
    )


def can_see_profile(viewer_id: int | None, owner: Any = User) -> sa.ColumnElement[bool]:
    """The rule over a users row (``owner``: User or an alias of it joined in the query)."""
    visibility = col(owner.profile_visibility)
    if viewer_id is None:
        return visibility == PUBLIC
    return sa.or_(
        col(owner.id) == viewer_id,
        visibility.in_((PUBLIC, SIGNED_IN)),
        sa.and_(visibility == FOLLOWERS, follows(viewer_id, col(owner.id))),
    )


def can_see_author(viewer_id: int | None, author_id: Any) -> sa.ColumnElement[bool]:
    """The rule for queries that do not join users: ``author_id`` is e.g. Post.user_id."""
    author = aliased(User)
    return sa.exists().where(col(author.id) == author_id, can_see_profile(viewer_id, author))


def can_see_post(viewer_id: int | None) -> sa.ColumnElement[bool]:
    """A post (the posts row in the query) the viewer may see, like, comment on."""
    shown = sa.and_(col(Post.is_public).is_(True), can_see_author(viewer_id, col(Post.user_id)))
    if viewer_id is None:
        return shown
    return sa.or_(col(Post.user_id) == viewer_id, shown)


def listed(viewer_id: int | None, person: Any = User) -> sa.ColumnElement[bool]:
    """Who appears in lists of people (search, followers, following) for the viewer:
    private profiles are listed to nobody else."""
    not_private = col(person.profile_visibility) != PRIVATE
    return not_private if viewer_id is None else sa.or_(col(person.id) == viewer_id, not_private)


def entry_shown(viewer_id: int | None, entry: Any = UserBook) -> sa.ColumnElement[bool]:
    """A library entry (its book) shown to the viewer: hidden ones only to their reader."""
    shown = col(entry.hidden).is_(False)
    return shown if viewer_id is None else sa.or_(shown, col(entry.user_id) == viewer_id)


# ----------------------------------------------------------------- Python checks


def profile_visible(viewer_id: int | None, owner: User, *, viewer_follows: bool) -> bool:
    """The same rule for a loaded reader; ``viewer_follows``: an approved follow."""
    if viewer_id is not None and viewer_id == owner.id:
        return True
    visibility = owner.profile_visibility
    if visibility == PUBLIC:
        return True
    if viewer_id is None:
        return False
    return visibility == SIGNED_IN or (visibility == FOLLOWERS and viewer_follows)


def post_visible(viewer_id: int | None, post: Post, author: User, *, viewer_follows: bool) -> bool:
    """The post rule for loaded rows (e.g. deciding who may fetch a post's image)."""
    if viewer_id is not None and viewer_id == post.user_id:
        return True
    return post.is_public and profile_visible(viewer_id, author, viewer_follows=viewer_follows)


def needs_approval(owner: User) -> bool:
    return owner.profile_visibility in NEEDS_APPROVAL
