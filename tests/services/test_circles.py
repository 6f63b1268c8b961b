"""Reading circles (services/circles): the authorization matrix (visitor /
stranger / pending / member / curator / owner / blocked × each action, on a
private and a public circle), invite codes, roles, posts' audience, deletion."""

from __future__ import annotations

import datetime

import pytest
from sqlmodel import select

from booktracker.errors import Conflict, NotFound, ServiceError
from booktracker.models import Block, Book, Circle, CircleMember, Notification, NotificationKind, Post
from booktracker.services import circles, library, posts, storage
from booktracker.services.books import BookInput
from tests.services.conftest import reader
from tests.support.images import png

ROLES = ("visitor", "stranger", "pending", "member", "curator", "owner", "blocked")
RUNNERS = {"curator", "owner"}
MEMBERS = {"member", "curator", "owner"}


class World:
    """Olga owns the circle; Cara curates; Mia is a member; Pam asked to join;
    Sam is a stranger; Ben is blocked by Olga; Rex's request is the one to approve."""

    def __init__(self, session, *, public: bool):
        self.session = session
        names = ("Olga", "Cara", "Mia", "Pam", "Sam", "Ben", "Rex")
        self.olga, self.cara, self.mia, self.pam, self.sam, self.ben, self.rex = (reader(session, n) for n in names)
        data = circles.CircleInput(name="Slow Readers", description="One chapter a week", is_public=public)
        self.circle_id = circles.create_circle(session=session, user_id=self.olga.id, data=data)
        code = circles.invite_code(session=session, user_id=self.olga.id, circle_id=self.circle_id)
        for person in (self.cara, self.mia):
            circles.join_by_code(session=session, user_id=person.id, code=code)
        circles.set_role(
            session=session, user_id=self.olga.id, circle_id=self.circle_id, member_id=self.cara.id, role="curator"
        )
        for person in (self.pam, self.rex):
            session.add(CircleMember(circle_id=self.circle_id, user_id=person.id, pending=True))
        session.add(Block(blocker_id=self.olga.id, blocked_id=self.ben.id))
        session.commit()
        self.post = posts.publish(
            session=session, user_id=self.mia.id, data=posts.PostInput(text="Chapter one!", circle_id=self.circle_id)
        )

    def viewer(self, role: str) -> int | None:
        people = {
            "stranger": self.sam,
            "pending": self.pam,
            "member": self.mia,
            "curator": self.cara,
            "owner": self.olga,
            "blocked": self.ben,
        }
        return None if role == "visitor" else people[role].id


def _book(session) -> int:
    book = Book(title="Middlemarch", authors="George Eliot", total_pages=880, dedupe_key="test:middlemarch")
    session.add(book)
    session.commit()
    assert book.id is not None
    return book.id


ACTIONS = {
    # action: (who may on a private circle, who may on a public one)
    "overview": (MEMBERS | {"stranger", "pending"}, set(ROLES) - {"blocked"}),
    "content": (MEMBERS, set(ROLES) - {"blocked"}),
    "post": (MEMBERS, MEMBERS),
    "approve": (RUNNERS, RUNNERS),
    "set_book": (RUNNERS, RUNNERS),
    "edit": (RUNNERS, RUNNERS),
    "remove": (RUNNERS, RUNNERS),
    "rotate": ({"owner"}, {"owner"}),
    "set_role": ({"owner"}, {"owner"}),
    "delete": ({"owner"}, {"owner"}),
}
SIGNED_IN_ONLY = set(ACTIONS) - {"overview", "content"}


def _do(world: World, action: str, viewer_id: int | None) -> None:
    s, cid = world.session, world.circle_id
    if action == "overview":
        circles.overview(session=s, viewer_id=viewer_id, circle_id=cid)
    elif action == "content":
        circles.members_progress(session=s, viewer_id=viewer_id, circle_id=cid)
        circles.leaderboard(session=s, viewer_id=viewer_id, circle_id=cid)
        circles.activity(session=s, viewer_id=viewer_id, circle_id=cid)
        page = posts.circle_posts(session=s, viewer_id=viewer_id, circle_id=cid)
        if not page.posts:
            raise NotFound("no posts seen")
    elif action == "post":
        assert viewer_id is not None
        posts.publish(session=s, user_id=viewer_id, data=posts.PostInput(text="hi", circle_id=cid))
    elif action == "approve":
        circles.approve(session=s, user_id=viewer_id, circle_id=cid, member_id=world.rex.id)  # type: ignore[arg-type]
    elif action == "set_book":
        circles.set_current_book(session=s, user_id=viewer_id, circle_id=cid, book_id=_book(s))  # type: ignore[arg-type]
    elif action == "edit":
        data = circles.CircleInput(name="Renamed", is_public=world.circle_public)
        circles.edit_circle(session=s, user_id=viewer_id, circle_id=cid, data=data)  # type: ignore[arg-type]
    elif action == "remove":
        circles.remove_member(session=s, user_id=viewer_id, circle_id=cid, member_id=world.mia.id)  # type: ignore[arg-type]
    elif action == "rotate":
        circles.rotate_code(session=s, user_id=viewer_id, circle_id=cid)  # type: ignore[arg-type]
    elif action == "set_role":
        circles.set_role(session=s, user_id=viewer_id, circle_id=cid, member_id=world.mia.id, role="curator")  # type: ignore[arg-type]
    elif action == "delete":
        circles.delete_circle(session=s, user_id=viewer_id, circle_id=cid)  # type: ignore[arg-type]


MATRIX = [(public, action, role) for public in (False, True) for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("public", "action", "role"), MATRIX)
def test_authorization_matrix(session, public, action, role):
    world = World(session, public=public)
    world.circle_public = public  # type: ignore[attr-defined]
    if role == "visitor" and action in SIGNED_IN_ONLY:
        pytest.skip("services take a reader id; the API refuses visitors with 401 (tests/api/test_api_circles.py)")
    allowed = ACTIONS[action][1 if public else 0]
    viewer_id = world.viewer(role)
    if role in allowed:
        _do(world, action, viewer_id)
    else:
        with pytest.raises(ServiceError) as refused:
            _do(world, action, viewer_id)
        assert refused.value.http_status in (403, 404)
        if role in ("blocked", "visitor"):
            assert refused.value.http_status == 404  # the circle does not exist for them


def test_circle_posts_never_reach_feeds_or_profiles(session):
    world = World(session, public=True)
    for viewer in (None, world.mia.id, world.sam.id):
        assert world.post.id not in [p.id for p in posts.feed(session=session, viewer_id=viewer).posts]
        assert (
            world.post.id not in [p.id for p in posts.feed(session=session, viewer_id=viewer, tab="following").posts]
            if viewer
            else True
        )
        assert not posts.user_posts(session=session, viewer_id=viewer, author_id=world.mia.id).posts
    # A public circle's post is there for a visitor on the circle page.
    assert [p.id for p in posts.circle_posts(session=session, viewer_id=None, circle_id=world.circle_id).posts] == [
        world.post.id
    ]


def test_private_circle_post_is_members_only_and_its_image_private(session):
    world = World(session, public=False)
    post = posts.publish(
        session=session,
        user_id=world.mia.id,
        data=posts.PostInput(text="with a photo", circle_id=world.circle_id),
        image=png(),
    )
    stored = session.get(Post, post.id)
    assert stored is not None and stored.image_key.startswith(storage.PRIVATE_PREFIXES)
    for viewer in (None, world.sam.id, world.pam.id, world.ben.id):
        with pytest.raises(NotFound):
            posts.get_post(session=session, viewer_id=viewer, post_id=post.id)
    assert posts.get_post(session=session, viewer_id=world.cara.id, post_id=post.id).id == post.id
    # The circle turns public: its posts' images move to public storage.
    circles.edit_circle(
        session=session,
        user_id=world.olga.id,
        circle_id=world.circle_id,
        data=circles.CircleInput(name="Open now", is_public=True),
    )
    session.refresh(stored)
    assert not stored.image_key.startswith(storage.PRIVATE_PREFIXES)
    assert posts.get_post(session=session, viewer_id=None, post_id=post.id).is_public


def test_requests_notify_and_approval(session):
    world = World(session, public=False)
    assert circles.join(session=session, user_id=world.sam.id, circle_id=world.circle_id) == "pending"
    kinds = session.exec(
        select(Notification.user_id, Notification.kind).where(Notification.circle_id == world.circle_id)
    ).all()
    assert {(uid, kind) for uid, kind in kinds} >= {
        (world.olga.id, NotificationKind.CIRCLE_REQUEST.value),
        (world.cara.id, NotificationKind.CIRCLE_REQUEST.value),
    }
    with pytest.raises(circles.Forbidden):
        circles.members_progress(session=session, viewer_id=world.sam.id, circle_id=world.circle_id)
    circles.approve(session=session, user_id=world.cara.id, circle_id=world.circle_id, member_id=world.sam.id)
    approved = session.exec(
        select(Notification).where(
            Notification.user_id == world.sam.id, Notification.kind == NotificationKind.CIRCLE_APPROVED.value
        )
    ).all()
    assert len(approved) == 1
    circles.members_progress(session=session, viewer_id=world.sam.id, circle_id=world.circle_id)
    circles.decline(session=session, user_id=world.olga.id, circle_id=world.circle_id, member_id=world.rex.id)
    assert session.get(CircleMember, (world.circle_id, world.rex.id)) is None


def test_rotated_code_stops_working_and_blocked_cannot_use_it(session):
    world = World(session, public=False)
    old = circles.invite_code(session=session, user_id=world.cara.id, circle_id=world.circle_id)
    new = circles.rotate_code(session=session, user_id=world.olga.id, circle_id=world.circle_id)
    assert new != old
    with pytest.raises(NotFound):
        circles.join_by_code(session=session, user_id=world.sam.id, code=old)
    with pytest.raises(NotFound):
        circles.join_by_code(session=session, user_id=world.ben.id, code=new)
    # A pending request joined by the code becomes membership.
    assert circles.join_by_code(session=session, user_id=world.pam.id, code=new) == world.circle_id
    assert circles.overview(session=session, viewer_id=world.pam.id, circle_id=world.circle_id).my_role == "member"


def test_owner_cannot_leave_until_handing_over(session):
    world = World(session, public=True)
    with pytest.raises(Conflict):
        circles.leave(session=session, user_id=world.olga.id, circle_id=world.circle_id)
    circles.set_role(
        session=session, user_id=world.olga.id, circle_id=world.circle_id, member_id=world.mia.id, role="owner"
    )
    circles.leave(session=session, user_id=world.olga.id, circle_id=world.circle_id)
    circle = session.get(Circle, world.circle_id)
    assert circle is not None and circle.owner_id == world.mia.id
    # A curator can't remove the new owner, nor another curator.
    with pytest.raises(circles.Forbidden):
        circles.remove_member(session=session, user_id=world.cara.id, circle_id=world.circle_id, member_id=world.mia.id)


def test_delete_removes_posts_and_images(session):
    world = World(session, public=True)
    circles.set_cover(session=session, user_id=world.olga.id, circle_id=world.circle_id, image=png())
    post = posts.publish(
        session=session,
        user_id=world.mia.id,
        data=posts.PostInput(text="photo", circle_id=world.circle_id),
        image=png(),
    )
    circle = session.get(Circle, world.circle_id)
    assert circle is not None
    keys = [circle.cover_key, session.get(Post, post.id).image_key]  # type: ignore[union-attr]
    files = [storage.LocalImageStore(storage.settings.upload_dir).open_file(k) for k in keys]
    assert all(f is not None and f.exists() for f in files)
    circles.delete_circle(session=session, user_id=world.olga.id, circle_id=world.circle_id)
    assert session.exec(select(Post).where(Post.circle_id == world.circle_id)).all() == []
    assert not any(f.exists() for f in files if f is not None)


def test_progress_goal_leaderboard_and_activity(session):
    world = World(session, public=False)
    entry = library.add_to_library(
        session=session,
        user_id=world.mia.id,
        book=BookInput(title="Middlemarch", authors="George Eliot", total_pages=880),
        status="reading",
    ).user_book
    library.update_progress(session=session, user_id=world.mia.id, user_book_id=entry.id, current_page=120)
    book_id = entry.book_id
    circles.set_current_book(
        session=session,
        user_id=world.cara.id,
        circle_id=world.circle_id,
        book_id=book_id,
        started_on=datetime.date(2026, 11, 1),
    )
    circles.add_checkpoint(
        session=session,
        user_id=world.cara.id,
        circle_id=world.circle_id,
        label="Chapters 1–5",
        due_on=datetime.date(2026, 11, 27),
        page=120,
    )
    circles.set_goal(session=session, user_id=world.olga.id, circle_id=world.circle_id, kind="pages", target=1000)
    view = circles.overview(session=session, viewer_id=world.mia.id, circle_id=world.circle_id)
    assert (view.book_title, view.goal_kind, view.goal_target, view.goal_done) == ("Middlemarch", "pages", 1000, 120)
    assert [c.label for c in circles.checkpoints(session, world.circle_id)] == ["Chapters 1–5"]
    rows = circles.members_progress(session=session, viewer_id=world.olga.id, circle_id=world.circle_id)
    assert (rows[0].name, rows[0].current_page, rows[0].total_pages) == ("Mia", 120, 880)
    board = circles.leaderboard(session=session, viewer_id=world.olga.id, circle_id=world.circle_id)
    assert (board[0].name, board[0].pages) == ("Mia", 120)
    circles.set_on_leaderboard(session=session, user_id=world.mia.id, circle_id=world.circle_id, shown=False)
    board = circles.leaderboard(session=session, viewer_id=world.olga.id, circle_id=world.circle_id, period="all")
    assert "Mia" not in [r.name for r in board]
    items, _more = circles.activity(session=session, viewer_id=world.olga.id, circle_id=world.circle_id)
    assert ("progress", "Mia", "Middlemarch") in [(i.kind, i.name, i.book_title) for i in items]
    assert "joined" in {i.kind for i in items}
    # A hidden entry shows as "not in their library" and leaves the activity feed.
    library.update_entry(
        session=session, user_id=world.mia.id, user_book_id=entry.id, changes=library.EntryChanges(hidden=True)
    )
    rows = circles.members_progress(session=session, viewer_id=world.olga.id, circle_id=world.circle_id)
    assert {r.name: r.status for r in rows}["Mia"] == ""
    items, _more = circles.activity(session=session, viewer_id=world.olga.id, circle_id=world.circle_id)
    assert "progress" not in {i.kind for i in items}


def test_discover_and_mine(session):
    world = World(session, public=False)
    data = circles.CircleInput(name="Open Book Club", is_public=True)
    circles.create_circle(session=session, user_id=world.sam.id, data=data)
    cards, more = circles.list_circles(session=session, viewer_id=None, tab="discover")
    assert [c.name for c in cards] == ["Open Book Club"] and not more
    cards, _ = circles.list_circles(session=session, viewer_id=world.pam.id, tab="mine")
    assert [(c.name, c.my_role) for c in cards] == [("Slow Readers", "pending")]
    cards, _ = circles.list_circles(session=session, viewer_id=world.mia.id, tab="discover", query="book%")
    assert cards == []
