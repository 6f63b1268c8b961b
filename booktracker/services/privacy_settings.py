"""The reader's privacy settings: who sees their profile, and the follow
requests they approve or decline (the rule itself is services/privacy.py)."""

from __future__ import annotations

from sqlmodel import Session, col, func, select, update

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Follow, ProfileVisibility, User, saved_id
from booktracker.services import privacy
from booktracker.services.posts import initials, media
from booktracker.services.social import PEOPLE_PAGE, PersonView


def follow_requests(*, session: Session, user_id: int, page: int = 1) -> list[PersonView]:
    """Readers waiting for the reader's approval of their follow, by name."""
    rows = session.exec(
        select(User)
        .join(Follow, col(Follow.follower_id) == User.id)
        .where(col(Follow.followee_id) == user_id, col(Follow.pending).is_(True))
        .order_by(func.lower(User.name), col(User.id))
        .offset((max(1, page) - 1) * PEOPLE_PAGE)
        .limit(PEOPLE_PAGE)
    ).all()
    return [
        PersonView(id=saved_id(u), username=u.username, name=u.name, initials=initials(u.name), i_follow=False)
        for u in rows
    ]


def _request_from(session: Session, user_id: int, username: str) -> Follow:
    follower = session.exec(select(User.id).where(User.username == username.strip().lower())).first()
    request = session.get(Follow, (follower, user_id)) if follower is not None else None
    if request is None or not request.pending:
        raise NotFound("No follow request from that reader.")
    return request


def approve_follow(*, session: Session, user_id: int, username: str) -> None:
    request = _request_from(session, user_id, username)
    request.pending = False
    session.add(request)
    session.commit()


def decline_follow(*, session: Session, user_id: int, username: str) -> None:
    session.delete(_request_from(session, user_id, username))
    session.commit()


def checked_visibility(visibility: str) -> str:
    try:
        return ProfileVisibility(visibility.strip()).value
    except ValueError:
        choices = ", ".join(member.value for member in ProfileVisibility)
        raise InvalidInput(f"Profile visibility must be one of: {choices}.", field="profile_visibility") from None


def set_profile_visibility(*, session: Session, user_id: int, visibility: str) -> User:
    """Change who sees the profile. Where following needs no approval any more
    (public, signed-in), every pending request is approved."""
    chosen = checked_visibility(visibility)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such reader.")
    user.profile_visibility = chosen
    session.add(user)
    if chosen not in privacy.NEEDS_APPROVAL:
        session.exec(
            update(Follow)
            .where(col(Follow.followee_id) == user_id, col(Follow.pending).is_(True))
            .values(pending=False)
        )
    session.commit()
    # Images follow who may now see the posts: public storage only while a
    # visitor may see the post (services/posts/media.py).
    media.sync_author_images(session=session, user_id=user_id)
    session.refresh(user)
    return user
