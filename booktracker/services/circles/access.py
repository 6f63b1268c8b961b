"""Who may do what in a reading circle: one loader and the role checks.

Levels, from the viewer's membership row (services/privacy.py has the SQL rule
``can_see_circle``, which the lists and the circle's posts use):
- blocked (either way with the owner): the circle does not exist for them;
- about (name, description, cover, counts): public circles for everyone,
  private ones for signed-in readers too, so they can ask to join;
- content (posts, members, schedule, progress, boards): public circles for
  everyone, private ones for approved members only (a pending request opens nothing);
- curators and the owner run the circle (book, schedule, goal, requests);
  only the owner changes roles, rotates the invite code and deletes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from booktracker.errors import NotFound, ServiceError
from booktracker.models import Circle, CircleMember, CircleRole
from booktracker.services import privacy

OWNER, CURATOR, MEMBER = CircleRole.OWNER.value, CircleRole.CURATOR.value, CircleRole.MEMBER.value
RUNNERS = (OWNER, CURATOR)
GONE = "That circle does not exist."


class Forbidden(ServiceError):
    """Seen but not allowed: a member asking for what only curators or the owner may do."""

    code = "forbidden"
    http_status = 403


@dataclass(frozen=True)
class Access:
    circle: Circle
    member: CircleMember | None  # the viewer's row, pending or not

    @property
    def circle_id(self) -> int:
        assert self.circle.id is not None
        return self.circle.id

    @property
    def role(self) -> str:
        """owner / curator / member, "pending", or "" for no membership."""
        if self.member is None:
            return ""
        return "pending" if self.member.pending else self.member.role

    @property
    def is_member(self) -> bool:
        return self.member is not None and not self.member.pending

    @property
    def runs(self) -> bool:
        return self.is_member and self.role in RUNNERS

    @property
    def sees_content(self) -> bool:
        return self.circle.is_public or self.is_member


def load(session: Session, viewer_id: int | None, circle_id: int) -> Access:
    """The circle and the viewer's membership, in one statement; NotFound when
    it does not exist for them (a block with its owner, or private to a visitor)."""
    query = select(Circle, CircleMember).outerjoin(
        CircleMember,
        (col(CircleMember.circle_id) == col(Circle.id)) & (col(CircleMember.user_id) == (viewer_id or 0)),
    )
    query = query.where(col(Circle.id) == circle_id, privacy.not_hidden_between(viewer_id, col(Circle.owner_id)))
    if viewer_id is None:
        query = query.where(col(Circle.is_public).is_(True))
    row = session.exec(query).first()
    if row is None:
        raise NotFound(GONE)
    return Access(circle=row[0], member=row[1])


def content(session: Session, viewer_id: int | None, circle_id: int) -> Access:
    access = load(session, viewer_id, circle_id)
    if not access.sees_content:
        raise Forbidden("Only members see this circle's page.")
    return access


def require_content(*, session: Session, viewer_id: int | None, circle_id: int) -> None:
    """For lists kept elsewhere (the circle's posts): refuse like the circle's own lists do."""
    content(session, viewer_id, circle_id)


def runner(session: Session, user_id: int, circle_id: int) -> Access:
    access = load(session, user_id, circle_id)
    if not access.runs:
        raise Forbidden("Only the circle's owner and curators may do that.")
    return access


def owner(session: Session, user_id: int, circle_id: int) -> Access:
    access = load(session, user_id, circle_id)
    if access.role != OWNER:
        raise Forbidden("Only the circle's owner may do that.")
    return access
