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

Between two readers, on top of that (the use cases are services/safety.py and
services/moderation.py; the conditions live here):
- block: when either blocked the other, neither sees the other's posts,
  comments or listing, and the blocker does not exist for the blocked reader;
- mute: the muter stops seeing the muted reader's posts in feeds and their
  comments (a profile visited on purpose still shows their posts);
- a moderator's hiding (``hidden_at``) keeps a post or comment for its author
  only, and a suspended reader's content and listing are gone for everyone else.

Every query that shows one reader's things to another uses these conditions
(in its own statement: they are subqueries, not extra round trips), so this
module is the one place the rule lives.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col

from booktracker.models import (
    Block,
    Circle,
    CircleMember,
    Comment,
    Follow,
    Mute,
    Post,
    ProfileVisibility,
    User,
    UserBook,
)

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


def is_circle_member(viewer_id: int, circle_id: Any) -> sa.ColumnElement[bool]:
    """An approved member of the circle (a pending request opens nothing)."""
    member = aliased(CircleMember)
    return sa.exists().where(
        col(member.circle_id) == circle_id, col(member.user_id) == viewer_id, col(member.pending).is_(False)
    )


def can_see_circle(viewer_id: int | None, circle: Any = Circle) -> sa.ColumnElement[bool]:
    """A reading circle (and its posts) the viewer may see: a public one, or one
    they are a member of; never when a block stands between them and its owner."""
    if viewer_id is None:
        return col(circle.is_public).is_(True)
    return sa.and_(
        not_hidden_between(viewer_id, col(circle.owner_id)),
        sa.or_(col(circle.is_public).is_(True), is_circle_member(viewer_id, col(circle.id))),
    )


def audience(viewer_id: int | None) -> sa.ColumnElement[bool]:
    """A post's audience alone (``can_see_post`` adds blocks, hiding, suspensions).
    A circle post's audience is its circle's (``can_see_circle``), whatever its author's profile."""
    in_circle = aliased(Circle)
    circle_seen = sa.exists().where(col(in_circle.id) == col(Post.circle_id), can_see_circle(viewer_id, in_circle))
    shown = sa.or_(
        sa.and_(
            col(Post.circle_id).is_(None), col(Post.is_public).is_(True), can_see_author(viewer_id, col(Post.user_id))
        ),
        sa.and_(col(Post.circle_id).is_not(None), circle_seen),
    )
    if viewer_id is None:
        return shown
    return sa.or_(col(Post.user_id) == viewer_id, shown)


def can_see_post(viewer_id: int | None) -> sa.ColumnElement[bool]:
    """A post (the posts row in the query) the viewer may see, like, comment on or
    report: its audience, no block between the two, not hidden by a moderator,
    author not suspended. Mutes do not apply (feeds add them: ``content_visible``)."""
    return sa.and_(
        audience(viewer_id), *content_visible(viewer_id, col(Post.user_id), col(Post.hidden_at), muted=False)
    )


def can_see_comment(viewer_id: int | None, comment: Any = Comment, *, muted: bool = True) -> sa.ColumnElement[bool]:
    """A comment (on a post the query already shows) the viewer sees: the comment
    list and the comment counts on post cards use the same condition."""
    return sa.and_(*content_visible(viewer_id, col(comment.user_id), col(comment.hidden_at), muted=muted))


def listed(viewer_id: int | None, person: Any = User) -> sa.ColumnElement[bool]:
    """Who appears in lists of people (search, followers, following) for the viewer:
    private profiles are listed to nobody else."""
    not_private = col(person.profile_visibility) != PRIVATE
    return not_private if viewer_id is None else sa.or_(col(person.id) == viewer_id, not_private)


def can_list_person(viewer_id: int | None, person: Any = User) -> sa.ColumnElement[bool]:
    """``listed``, and no block between the two, and not suspended (people lists)."""
    return sa.and_(
        listed(viewer_id, person),
        not_hidden_between(viewer_id, col(person.id)),
        col(person.suspended_at).is_(None),
    )


def reader_exists_for(viewer_id: int | None, person: Any = User) -> sa.ColumnElement[bool]:
    """Whether a reader exists at all for the viewer (profile by username, reports):
    not when they blocked the viewer or are suspended (the viewer's own account always)."""
    if viewer_id is None:
        return col(person.suspended_at).is_(None)
    return sa.and_(
        not_hidden_between_blocker(viewer_id, person),
        sa.or_(col(person.suspended_at).is_(None), col(person.id) == viewer_id),
    )


def entry_shown(viewer_id: int | None, entry: Any = UserBook) -> sa.ColumnElement[bool]:
    """A library entry (its book) shown to the viewer: hidden ones only to their reader."""
    shown = col(entry.hidden).is_(False)
    return shown if viewer_id is None else sa.or_(shown, col(entry.user_id) == viewer_id)


# ----------------------------------------------------------------- between two readers


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


def not_hidden_between_blocker(user_id: int, person: Any = User) -> sa.ColumnElement[bool]:
    """Whoever blocked ``user_id`` does not exist for them (they can't tell they were blocked)."""
    block = aliased(Block)
    return ~sa.exists().where(col(block.blocker_id) == col(person.id), col(block.blocked_id) == user_id)


def not_muted(viewer_id: int | None, author_id: Any) -> sa.ColumnElement[bool]:
    """The mute rule: the viewer did not mute the author."""
    if viewer_id is None:
        return sa.true()
    mute = aliased(Mute)
    return ~sa.exists().where(col(mute.muter_id) == viewer_id, col(mute.muted_id) == author_id)


_SUSPENDED_COLUMNS = sa.table(User.__tablename__, sa.column("id"), sa.column("suspended_at"))


def author_not_suspended(viewer_id: int | None, author_id: Any) -> sa.ColumnElement[bool]:
    """A suspended reader's content is hidden from everyone else."""
    # A two-column alias of users: an ORM alias copies every column of the
    # table, which cost more to build on each list than running its query.
    suspended = _SUSPENDED_COLUMNS.alias()
    hidden = sa.exists().where(suspended.c.id == author_id, suspended.c.suspended_at.is_not(None))
    return ~hidden if viewer_id is None else sa.or_(author_id == viewer_id, ~hidden)


def content_visible(viewer_id: int | None, author_id: Any, hidden_at: Any, *, muted: bool = True) -> list[Any]:
    """Everything that keeps a post or comment from a viewer besides its
    audience, as a list of plain conditions (feeds put them into every
    index-walking branch): blocks (and mutes, unless ``muted=False``), a
    moderator's hiding (its author still sees it) and the author's suspension."""
    shown = [not_hidden_between(viewer_id, author_id), author_not_suspended(viewer_id, author_id)]
    shown.append(hidden_at.is_(None) if viewer_id is None else sa.or_(hidden_at.is_(None), author_id == viewer_id))
    if muted:
        shown.append(not_muted(viewer_id, author_id))
    return shown


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
