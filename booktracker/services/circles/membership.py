"""Circles themselves and who is in them: create, edit, cover, delete; join,
request, approve, decline, invite codes, leave, remove, roles.

Authorization is here (services/circles/access.py), so the web pages and
``/api/v1/circles`` can't differ. A private circle is joined by a request an
owner or curator approves (they are notified; so is the requester when
approved), or at once with the current invite code; rotating the code makes
the old one stop working.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select, update

from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import Circle, CircleMember, NotificationKind, Post
from booktracker.services import images, notifications, privacy, storage
from booktracker.services import text as texts
from booktracker.services.circles import access
from booktracker.services.circles.access import CURATOR, MEMBER, OWNER, Access
from booktracker.services.posts import media

NAME_MAX, DESCRIPTION_MAX = 80, 2000
CODE_BYTES = 12  # 16 URL-safe characters, ~96 bits: not guessable


@dataclass
class CircleInput:
    name: str
    description: str = ""
    is_public: bool = True


def _clean(data: CircleInput) -> CircleInput:
    name = " ".join(texts.strip_bidi_controls(data.name).split())
    description = texts.strip_bidi_controls(data.description).strip()
    if not name or not texts.has_visible(name):
        raise InvalidInput("Give the circle a name.", field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"Names can be at most {NAME_MAX} characters.", field="name")
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(f"Descriptions can be at most {DESCRIPTION_MAX:,} characters.", field="description")
    return CircleInput(name=name, description=description, is_public=bool(data.is_public))


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def create_circle(*, session: Session, user_id: int, data: CircleInput) -> int:
    clean = _clean(data)
    circle = Circle(name=clean.name, description=clean.description, is_public=clean.is_public, invite_code=new_code())
    circle.owner_id = user_id
    session.add(circle)
    session.flush()
    assert circle.id is not None
    session.add(CircleMember(circle_id=circle.id, user_id=user_id, role=OWNER))
    session.commit()
    return circle.id


def edit_circle(*, session: Session, user_id: int, circle_id: int, data: CircleInput) -> None:
    circle = access.runner(session, user_id, circle_id).circle
    clean = _clean(data)
    circle.name, circle.description, circle.is_public = clean.name, clean.description, clean.is_public
    session.add(circle)
    # Posts carry their circle's audience (shown on their cards); one statement for all.
    session.exec(update(Post).where(col(Post.circle_id) == circle_id).values(is_public=clean.is_public))
    session.commit()
    _sync_post_images(session, circle_id)


def _sync_post_images(session: Session, circle_id: int) -> None:
    """Public <-> private moves the circle's post images too (services/posts/media.py)."""
    media.sync_circle_images(session=session, circle_id=circle_id)


def set_cover(*, session: Session, user_id: int, circle_id: int, image: bytes | None) -> None:
    """Store a new cover (checked and cleaned like post images) or remove it;
    the old file goes after the commit. Covers are public images: a private
    circle's cover is shown to readers who may ask to join."""
    circle = access.runner(session, user_id, circle_id).circle
    stored = storage.get_store().save(images.clean_image(image)) if image is not None else None
    old_key = circle.cover_key
    circle.cover_url = stored.url if stored else ""
    circle.cover_key = stored.key if stored else ""
    session.add(circle)
    try:
        session.commit()
    except BaseException:
        if stored is not None:
            storage.delete_quietly(stored.key)
        raise
    storage.delete_quietly(old_key)


def delete_circle(*, session: Session, user_id: int, circle_id: int) -> None:
    """The circle with its members, schedule and posts (likes and comments go by
    cascade), then the stored images: the cover and every post's."""
    circle = access.owner(session, user_id, circle_id).circle
    keys = list(session.exec(select(Post.image_key).where(col(Post.circle_id) == circle_id, col(Post.image_key) != "")))
    keys.append(circle.cover_key)
    session.exec(delete(Post).where(col(Post.circle_id) == circle_id))
    session.delete(circle)
    session.commit()
    for key in keys:
        storage.delete_quietly(key)


def rotate_code(*, session: Session, user_id: int, circle_id: int) -> str:
    circle = access.owner(session, user_id, circle_id).circle
    circle.invite_code = new_code()
    session.add(circle)
    session.commit()
    return circle.invite_code


def invite_code(*, session: Session, user_id: int, circle_id: int) -> str:
    return access.runner(session, user_id, circle_id).circle.invite_code


# ----------------------------------------------------------------- joining


def _runner_ids(session: Session, circle_id: int) -> list[int]:
    query = select(CircleMember.user_id).where(
        col(CircleMember.circle_id) == circle_id,
        col(CircleMember.role).in_(access.RUNNERS),
        col(CircleMember.pending).is_(False),
    )
    return list(session.exec(query))


def join(*, session: Session, user_id: int, circle_id: int) -> str:
    """Join a public circle at once; for a private one this is a request the
    owner and curators are told about. Returns the new role ("member" or "pending")."""
    found = access.load(session, user_id, circle_id)
    if found.member is not None:
        return found.role
    pending = not found.circle.is_public
    session.add(CircleMember(circle_id=circle_id, user_id=user_id, role=MEMBER, pending=pending))
    if pending:
        for runner_id in _runner_ids(session, circle_id):
            kind = NotificationKind.CIRCLE_REQUEST
            notifications.notify(session=session, kind=kind, user_id=runner_id, actor_id=user_id, circle_id=circle_id)
    session.commit()
    return "pending" if pending else MEMBER


def join_by_code(*, session: Session, user_id: int, code: str) -> int:
    """Join with the current invite code (a pending request becomes membership)."""
    circle = session.exec(
        select(Circle).where(
            col(Circle.invite_code) == code.strip(), privacy.not_hidden_between(user_id, col(Circle.owner_id))
        )
    ).first()
    if circle is None or not code.strip():
        raise NotFound("That invite link is not valid any more.")
    assert circle.id is not None
    member = session.get(CircleMember, (circle.id, user_id))
    if member is None:
        session.add(CircleMember(circle_id=circle.id, user_id=user_id, role=MEMBER))
    elif member.pending:
        member.pending = False
        session.add(member)
    session.commit()
    return circle.id


def _pending(session: Session, found: Access, member_id: int) -> CircleMember:
    member = session.get(CircleMember, (found.circle_id, member_id))
    if member is None or not member.pending:
        raise NotFound("There is no such request.")
    return member


def approve(*, session: Session, user_id: int, circle_id: int, member_id: int) -> None:
    found = access.runner(session, user_id, circle_id)
    member = _pending(session, found, member_id)
    member.pending = False
    session.add(member)
    notifications.notify(
        session=session, kind=NotificationKind.CIRCLE_APPROVED, user_id=member_id, actor_id=user_id, circle_id=circle_id
    )
    session.commit()


def decline(*, session: Session, user_id: int, circle_id: int, member_id: int) -> None:
    found = access.runner(session, user_id, circle_id)
    session.delete(_pending(session, found, member_id))
    session.commit()


def leave(*, session: Session, user_id: int, circle_id: int) -> None:
    """Leave (or withdraw a request). The owner hands the circle over or deletes it first."""
    found = access.load(session, user_id, circle_id)
    if found.member is None:
        raise NotFound("You are not in this circle.")
    if found.role == OWNER:
        raise Conflict("Hand the circle over to another member or delete it before leaving.")
    session.delete(found.member)
    session.commit()


def remove_member(*, session: Session, user_id: int, circle_id: int, member_id: int) -> None:
    """The owner removes anyone else; a curator removes members (not curators)."""
    found = access.runner(session, user_id, circle_id)
    member = session.get(CircleMember, (circle_id, member_id))
    if member is None or member.pending or member_id == user_id:
        raise NotFound("That reader is not a member of this circle.")
    if member.role == OWNER or (member.role == CURATOR and found.role != OWNER):
        raise access.Forbidden("Only the owner may remove a curator, and nobody the owner.")
    session.delete(member)
    session.commit()


def set_role(*, session: Session, user_id: int, circle_id: int, member_id: int, role: str) -> None:
    """The owner makes a member a curator or back; giving "owner" hands the
    circle over (the old owner stays as a curator)."""
    found = access.owner(session, user_id, circle_id)
    if role not in (OWNER, CURATOR, MEMBER):
        raise InvalidInput("Choose owner, curator or member.", field="role")
    member = session.get(CircleMember, (circle_id, member_id))
    if member is None or member.pending or member_id == user_id:
        raise NotFound("That reader is not a member of this circle.")
    member.role = role
    session.add(member)
    if role == OWNER:
        assert found.member is not None
        found.member.role = CURATOR
        found.circle.owner_id = member_id
        session.add_all([found.member, found.circle])
    session.commit()


def set_on_leaderboard(*, session: Session, user_id: int, circle_id: int, shown: bool) -> None:
    found = access.load(session, user_id, circle_id)
    if not found.is_member or found.member is None:
        raise NotFound("You are not a member of this circle.")
    found.member.on_leaderboard = bool(shown)
    session.add(found.member)
    session.commit()
