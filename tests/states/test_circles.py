"""The reading-circle page states: the list (/circles), one circle, its
members, its settings and the invite link; and the constant cost of opening
a circle, whatever the number of members and posts."""

from __future__ import annotations

import datetime

from booktracker.db import utcnow
from booktracker.models import Book, CircleMember, Post, ReadingProgress, User, UserBook
from booktracker.services import circles, posts
from tests.states.helpers import client_view, make_reader, new_session, redirects, route, sub, toasts


def _ann_id() -> int:
    with new_session() as session:
        user = session.exec(User.__table__.select().where(User.__table__.c.username == "ann")).first()  # type: ignore[attr-defined]
        assert user is not None
        return user.id


def _circle(*, public: bool = False, name: str = "Slow Readers") -> int:
    with new_session() as session:
        return circles.create_circle(
            session=session, user_id=_ann_id(), data=circles.CircleInput(name=name, is_public=public)
        )


def _open(root, cls, pattern: str, circle_id: int):
    route(root, pattern, {"circle_id": circle_id})
    return sub(root, cls)


def _grow(circle_id: int, members: int, extra_posts: int) -> None:
    """``members`` readers in the circle, each reading its book with progress, and ``extra_posts`` posts."""
    with new_session() as session:
        book = Book(title="Middlemarch", authors="George Eliot", total_pages=880, dedupe_key=f"t:{circle_id}:{members}")
        session.add(book)
        session.flush()
        circle = session.get(circles.membership.Circle, circle_id)
        assert circle is not None
        circle.current_book_id, circle.goal_kind, circle.goal_target = book.id, "pages", 10_000
        people = [
            User(email=f"m{members}-{i}@example.com", username=f"m{members}_{i}", name=f"Member {i}", password_hash="x")
            for i in range(members)
        ]
        session.add_all(people)
        session.flush()
        entries = [
            UserBook(user_id=p.id, book_id=book.id, status="reading", current_page=i) for i, p in enumerate(people)
        ]  # type: ignore[arg-type]
        session.add_all([CircleMember(circle_id=circle_id, user_id=p.id) for p in people] + entries)  # type: ignore[arg-type]
        session.flush()
        now = utcnow()
        session.add_all(
            ReadingProgress(user_id=e.user_id, user_book_id=e.id, book_id=book.id, to_page=5, pages_delta=5)  # type: ignore[arg-type]
            for e in entries
        )
        session.add_all(
            Post(user_id=people[i % members].id, circle_id=circle_id, text=f"post {i}", created_at=now, updated_at=now)  # type: ignore[arg-type]
            for i in range(extra_posts)
        )
        session.commit()


def test_opening_a_circle_costs_the_same_for_2_and_200_members_and_posts(signed_up, count_statements):
    from booktracker.pages.circle import CircleState

    costs = []
    for size in (2, 200):
        circle_id = _circle(name=f"Circle {size}")
        _grow(circle_id, size, size)
        state = _open(signed_up, CircleState, "/circles/[circle_id]", circle_id)
        with count_statements() as counter:
            state.load()
        assert state.found == "found" and state.circle.member_count == size + 1
        assert len(state.posts) == min(size, posts.FEED_PAGE)
        assert len(state.progress) == min(size + 1, circles.MEMBERS_PAGE)
        assert state.circle.goal_done == 5 * size and len(state.board) == min(size + 1, circles.BOARD_SIZE)
        costs.append(counter.count)
    assert costs[0] == costs[1], costs
    # The token (and its session), the circle with the viewer's role, its counts and goal, the schedule,
    # a page of members, the leaderboard, a page of activity, a page of posts (its ids, their cards).
    assert costs[0] == 9, costs


def test_the_list_discovers_and_creates(signed_up):
    from booktracker.pages.circles import CirclesState

    _circle(public=True, name="Open Book Club")
    route(signed_up, "/circles")
    state = sub(signed_up, CirclesState)
    state.load()
    assert state.tab == "mine" and [c.name for c in state.cards] == ["Open Book Club"]
    state.set_tab("discover")
    state.set_query("nothing like it")
    assert state.cards == []
    state.create({"name": "   ", "description": ""})
    assert state.create_error
    result = state.create({"name": "Night Owls", "description": "Late readers", "visibility": "private"})
    assert redirects(result)[0].startswith("/circles/")


def test_a_visitor_sees_discover_and_no_private_circle(root):
    from booktracker.pages.circle import CircleState
    from booktracker.pages.circles import CirclesState

    route(root, "/circles")
    state = sub(root, CirclesState)
    state.load()
    assert state.tab == "discover"
    bob = make_reader("Bob")
    with new_session() as session:
        private = circles.create_circle(session=session, user_id=bob.id, data=circles.CircleInput(name="Secret"))  # type: ignore[arg-type]
        circles.edit_circle(
            session=session, user_id=bob.id, circle_id=private, data=circles.CircleInput(name="Secret", is_public=False)
        )  # type: ignore[arg-type]
    page = _open(root, CircleState, "/circles/[circle_id]", private)
    page.load()
    assert page.found == "missing" and "Secret" not in client_view(page)


def test_request_approve_post_and_members(signed_up):
    from booktracker.pages.circle import CircleState
    from booktracker.pages.circle_members import CircleMembersState

    circle_id = _circle()
    bob = make_reader("Bob")
    with new_session() as session:
        assert circles.join(session=session, user_id=bob.id, circle_id=circle_id) == "pending"  # type: ignore[arg-type]
    members = _open(signed_up, CircleMembersState, "/circles/[circle_id]/members", circle_id)
    members.load()
    assert [r.name for r in members.requests] == ["Bob"]
    members.approve(bob.id)
    assert members.requests == [] and {m.name for m in members.members} == {"Ann", "Bob"}
    members.set_role(bob.id, "curator")
    assert {m.name: m.role for m in members.members}["Bob"] == "curator"
    page = _open(signed_up, CircleState, "/circles/[circle_id]", circle_id)
    page.load()
    page.set_composer_text("Chapter two made me cry")
    page.publish({"page": "40", "chapter": "2"})
    assert [(p.text, p.page) for p in page.posts] == [("Chapter two made me cry", 40)]
    page.set_board_period("all")
    assert page.board_period == "all"
    assert [level for level, _ in toasts(page.leave())] == ["error"]  # the owner hands over first


def test_settings_rotate_and_join_by_link(signed_up):
    from booktracker.pages.circle_join import CircleJoinState
    from booktracker.pages.circle_settings import CircleSettingsState

    circle_id = _circle()
    settings_state = _open(signed_up, CircleSettingsState, "/circles/[circle_id]/settings", circle_id)
    settings_state.load()
    assert settings_state.allowed and "/join/" in settings_state.invite_link
    old = settings_state.invite_link
    settings_state.rotate()
    assert settings_state.invite_link != old
    settings_state.save({"name": "Renamed", "description": "", "visibility": "public"})
    assert settings_state.name == "Renamed" and settings_state.is_public
    code = settings_state.invite_link.rsplit("/", 1)[1]
    route(signed_up, "/join/[invite_code]", {"invite_code": code})
    join = sub(signed_up, CircleJoinState)
    assert redirects(join.join()) == [f"/circles/{circle_id}"]
    result = settings_state.delete()
    assert redirects(result) == ["/circles"]


def test_a_member_cannot_open_settings(signed_up):
    from booktracker.pages.circle_settings import CircleSettingsState

    bob = make_reader("Bob")
    with new_session() as session:
        circle_id = circles.create_circle(session=session, user_id=bob.id, data=circles.CircleInput(name="Bob's"))  # type: ignore[arg-type]
    state = _open(signed_up, CircleSettingsState, "/circles/[circle_id]/settings", circle_id)
    state.load()
    assert not state.allowed and state.invite_link == ""


_ = datetime  # dates are the services' business here


def test_members_and_list_pages_cost_the_same_for_2_and_200_members(signed_up, count_statements):
    from booktracker.pages.circle_members import CircleMembersState
    from booktracker.pages.circles import CirclesState

    costs = []
    for size in (2, 200):
        circle_id = _circle(name=f"Members {size}", public=True)
        _grow(circle_id, size, size)
        members = _open(signed_up, CircleMembersState, "/circles/[circle_id]/members", circle_id)
        with count_statements() as counter:
            members.load()
        route(signed_up, "/circles")
        listing = sub(signed_up, CirclesState)
        with count_statements() as list_counter:
            listing.load()
        assert len(members.members) == min(size + 1, circles.MEMBERS_PAGE)
        costs.append((counter.count, list_counter.count))
    # Members: the token, the circle and its head, a page of members and the requests (each with
    # its access check). List: the token, one page of circles.
    assert costs[0] == costs[1] == (7, 2), costs
