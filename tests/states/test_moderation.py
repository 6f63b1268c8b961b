"""The moderation page state (/moderation), reporting from the web page,
block/mute on profiles, and a suspension stopping the web session at its
next event."""

import pytest
from sqlmodel import select

from booktracker.db import utcnow
from booktracker.models import Report, User
from booktracker.services import moderation, posts
from booktracker.settings import settings
from tests.states.helpers import PASSWORD, make_reader, new_session, redirects, route, run, sub, toasts


@pytest.fixture(autouse=True)
def moderators(monkeypatch):
    monkeypatch.setattr(moderation, "settings", settings.model_copy(update={"admin_emails": ["ann@example.com"]}))


def _moderation(root):
    from booktracker.pages.moderation import ModerationState

    route(root, "/moderation")
    return sub(root, ModerationState)


def _suspend(user_id):
    with new_session() as session:
        user = session.get(User, user_id)
        assert user is not None
        user.suspended_at = utcnow()
        session.add(user)
        session.commit()


def test_page_is_not_found_for_visitors_and_readers(root, monkeypatch):
    state = _moderation(root)
    state.load()
    assert state.access == "missing" and state.reports == []
    monkeypatch.setattr(moderation, "settings", settings.model_copy(update={"admin_emails": []}))
    make_reader("Ann")
    from booktracker.pages.login import LoginState

    login = sub(root, LoginState)
    run(login.log_in({"email": "ann@example.com", "password": PASSWORD}))
    assert login.auth_token  # a reader, just not a moderator
    state.load()
    assert state.access == "missing"


def test_moderator_sees_the_queue_and_acts_with_a_note(signed_up):
    bob, cy = make_reader("Bob"), make_reader("Cy")
    assert bob.id and cy.id
    with new_session() as session:
        post = posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="rude words"))
        moderation.report(session=session, user_id=cy.id, target_kind="post", target_id=post.id, reason="hate")
    state = _moderation(signed_up)
    state.load()
    assert state.access == "allowed" and [r.content for r in state.reports] == ["rude words"]
    report_id = state.reports[0].id
    state.act({"report_id": str(report_id), "action": "hide", "note": " "})
    assert "note" in state.action_error
    result = state.act({"report_id": str(report_id), "action": "hide", "note": "hate speech"})
    assert toasts(result) == [("success", "Done, and logged.")]
    assert state.reports[0].status == "resolved" and state.reports[0].content_hidden
    assert [(e.action, e.note) for e in state.log_entries] == [("hide", "hate speech")]


def test_report_from_the_page_once(signed_up):
    from booktracker.components.report import ReportState

    bob = make_reader("Bob")
    assert bob.id
    state = sub(signed_up, ReportState)
    state.open_report("user", bob.id)
    assert state.report_title == "Report this reader"
    result = state.send_report({"reason": "spam", "details": "ads"})
    assert toasts(result)[0][0] == "success" and state.report_kind == ""
    state.open_report("user", bob.id)
    state.send_report({"reason": "spam"})
    assert "already reported" in state.report_error and state.report_kind == "user"
    with new_session() as session:
        assert session.get(Report, 1) is not None


def test_block_and_mute_from_a_profile(signed_up):
    from booktracker.pages.profile import ProfileState

    bob = make_reader("Bob")
    assert bob.id
    with new_session() as session:
        posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="bob says"))
    route(signed_up, "/u/[username]", {"username": "bob"})
    state = sub(signed_up, ProfileState)
    state.load()
    assert [p.text for p in state.posts] == ["bob says"]
    assert toasts(state.toggle_safety("block")) == [("success", "Blocked @bob.")]
    assert state.profile.i_block and state.posts == []
    state.toggle_safety("block")
    state.toggle_safety("mute")
    assert state.profile.i_mute and not state.profile.i_block and [p.text for p in state.posts] == ["bob says"]


def test_a_suspension_logs_the_reader_out_at_the_next_event(signed_up):
    from booktracker.pages.people import PeopleState

    state = sub(signed_up, PeopleState)
    state.load()  # works
    with new_session() as session:
        ann = session.exec(select(User).where(User.email == "ann@example.com")).one()
    _suspend(ann.id)
    result = state.load()
    assert toasts(result) == [("error", "This account is suspended.")]
    assert redirects(result) == ["/login"] and state.auth_token == ""
