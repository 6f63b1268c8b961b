"""Reports, the moderators' queue and actions, suspension and the audit log."""

import pytest
from sqlmodel import select

from booktracker.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from booktracker.models import Comment, ModerationLog, Post, Report
from booktracker.services import auth, moderation, posts, safety, social
from booktracker.services.posts import PostInput
from booktracker.services.throttle import TooManyAttempts
from booktracker.settings import settings


def reader(session, name):
    return auth.signup(session=session, email=f"{name.lower()}@example.com", name=name, password="password 123")


@pytest.fixture(autouse=True)
def moderators(monkeypatch):
    monkeypatch.setattr(moderation, "settings", settings.model_copy(update={"admin_emails": ["mod@example.com"]}))


@pytest.fixture
def ann(session):
    return reader(session, "Ann")


@pytest.fixture
def bob(session):
    return reader(session, "Bob")


@pytest.fixture
def mod(session):
    return reader(session, "Mod")


def say(session, user, text, **kwargs):
    return posts.create_post(session=session, user_id=user.id, data=PostInput(text=text, **kwargs))


def report(session, user, kind, target_id, reason="spam", details=""):
    return moderation.report(
        session=session, user_id=user.id, target_kind=kind, target_id=target_id, reason=reason, details=details
    )


def test_reports_once_per_target_with_checked_input(session, ann, bob):
    post = say(session, bob, "buy now")
    row = report(session, ann, "post", post.id, details="  an ad  ")
    assert (row.target_user_id, row.status, row.details) == (bob.id, "open", "an ad")
    with pytest.raises(Conflict, match="already reported"):
        report(session, ann, "post", post.id, reason="other")
    with pytest.raises(InvalidInput, match="reason"):
        report(session, ann, "user", bob.id, reason="boring")
    with pytest.raises(InvalidInput, match="1,000"):
        report(session, ann, "user", bob.id, details="x" * 1001)
    with pytest.raises(InvalidInput, match="yourself"):
        report(session, bob, "post", post.id)
    private = say(session, bob, "mine", is_public=False)
    with pytest.raises(NotFound):
        report(session, ann, "post", private.id)  # what she can't see, she can't report
    comment = posts.add_comment(session=session, user_id=bob.id, post_id=post.id, text="rude")
    assert report(session, ann, "comment", comment.id, reason="harassment").target_user_id == bob.id
    assert report(session, ann, "user", bob.id).target_user_id == bob.id


def test_reports_are_throttled(session, ann, bob):
    for i in range(moderation.REPORTS_PER_HOUR):
        report(session, ann, "post", say(session, bob, f"post {i}").id)
    with pytest.raises(TooManyAttempts):
        report(session, ann, "user", bob.id)


def test_only_moderators_see_the_queue_and_act(session, ann, bob, mod):
    row = report(session, ann, "user", bob.id)
    for call in (
        lambda: moderation.reports(session=session, user_id=ann.id),
        lambda: moderation.log(session=session, user_id=ann.id),
        lambda: moderation.act(session=session, user_id=ann.id, report_id=row.id, action="suspend", note="x"),
    ):
        with pytest.raises(NotFound):
            call()
    queue, more = moderation.reports(session=session, user_id=mod.id)
    assert [r.target_username for r in queue] == ["bob"] and not more


def test_hide_keeps_content_for_its_author_only_and_is_logged(session, ann, bob, mod):
    post = say(session, bob, "spoiler: he dies")
    comment = posts.add_comment(session=session, user_id=bob.id, post_id=post.id, text="rude")
    post_report = report(session, ann, "post", post.id, reason="spoilers")
    again = report(session, mod, "post", post.id)  # a second reporter's report closes too
    comment_report = report(session, ann, "comment", comment.id)
    with pytest.raises(InvalidInput, match="note"):
        moderation.act(session=session, user_id=mod.id, report_id=post_report.id, action="hide", note="  ")
    moderation.act(session=session, user_id=mod.id, report_id=post_report.id, action="hide", note="spoiler")
    moderation.act(session=session, user_id=mod.id, report_id=comment_report.id, action="hide", note="rude")

    assert [p.text for p in posts.feed(session=session, viewer_id=ann.id).posts] == []
    assert [p.text for p in posts.feed(session=session, viewer_id=None).posts] == []
    with pytest.raises(NotFound):
        posts.get_post(session=session, viewer_id=ann.id, post_id=post.id)
    own = posts.get_post(session=session, viewer_id=bob.id, post_id=post.id)
    assert own.hidden and [c.hidden for c in posts.list_comments(session=session, viewer_id=bob.id, post_id=post.id)]
    assert session.get(Report, again.id).status == "resolved"
    log, _ = moderation.log(session=session, user_id=mod.id)
    assert [(e.action, e.target_kind, e.note, e.moderator_username) for e in log] == [
        ("hide", "comment", "rude", "mod"),
        ("hide", "post", "spoiler", "mod"),
    ]
    moderation.act(session=session, user_id=mod.id, report_id=post_report.id, action="unhide", note="fine after all")
    assert [p.text for p in posts.feed(session=session, viewer_id=ann.id).posts] == ["spoiler: he dies"]


def test_delete_goes_through_the_posts_use_cases(session, ann, bob, mod):
    post = say(session, bob, "spam")
    comment = posts.add_comment(session=session, user_id=ann.id, post_id=post.id, text="hey")
    row = report(session, ann, "post", post.id)
    moderation.act(session=session, user_id=mod.id, report_id=row.id, action="delete", note="spam")
    assert session.get(Post, post.id) is None and session.get(Comment, comment.id) is None
    queue, _ = moderation.reports(session=session, user_id=mod.id)
    assert (queue[0].status, queue[0].content_exists, queue[0].content) == ("resolved", False, "")
    with pytest.raises(InvalidInput, match="suspend the reader"):
        moderation.act(
            session=session,
            user_id=mod.id,
            report_id=report(session, ann, "user", bob.id).id,
            action="delete",
            note="x",
        )


def test_suspension_stops_tokens_hides_content_and_reinstating_restores(session, ann, bob, mod):
    token = auth.issue_token(bob)
    post = say(session, bob, "bob says")
    row = report(session, ann, "post", post.id, reason="harassment")
    with pytest.raises(InvalidInput, match="Moderators"):
        moderation.act(
            session=session,
            user_id=mod.id,
            report_id=report(session, ann, "user", mod.id).id,
            action="suspend",
            note="no",
        )
    moderation.act(session=session, user_id=mod.id, report_id=row.id, action="suspend", note="threats")
    with pytest.raises(AuthenticationFailed, match=r"This account is suspended\."):
        auth.check_token(session=session, token=token)
    with pytest.raises(AuthenticationFailed, match=r"This account is suspended\."):
        auth.authenticate(session=session, email="bob@example.com", password="password 123")
    assert posts.feed(session=session, viewer_id=ann.id).posts == []
    with pytest.raises(NotFound):
        social.profile(session=session, viewer_id=ann.id, username="bob")
    assert social.search_people(session=session, viewer_id=ann.id, text="bob") == []
    entry = session.exec(select(ModerationLog).where(ModerationLog.action == "suspend")).one()
    assert (entry.target_kind, entry.target_id, entry.report_id) == ("user", bob.id, row.id)

    moderation.act(session=session, user_id=mod.id, report_id=row.id, action="reinstate", note="appeal")
    assert auth.check_token(session=session, token=token).user.id == bob.id
    assert [p.text for p in posts.feed(session=session, viewer_id=ann.id).posts] == ["bob says"]


def test_dismiss_and_a_blocked_reader_cannot_report_the_blocker(session, ann, bob, mod):
    row = report(session, ann, "user", bob.id)
    moderation.act(session=session, user_id=mod.id, report_id=row.id, action="dismiss", note="nothing wrong")
    assert session.get(Report, row.id).status == "dismissed"
    safety.block(session=session, user_id=bob.id, username="ann")
    with pytest.raises(NotFound):
        report(session, ann, "post", say(session, bob, "hi").id)


def test_queue_is_open_first_paged_and_one_statement(session, ann, bob, mod, count_statements):
    first = report(session, ann, "user", bob.id)
    moderation.act(session=session, user_id=mod.id, report_id=first.id, action="dismiss", note="ok")
    for i in range(moderation.QUEUE_PAGE + 2):
        report(session, ann if i % 2 else mod, "post", say(session, bob, f"post {i}").id)
    comment = posts.add_comment(session=session, user_id=bob.id, post_id=say(session, bob, "x").id, text="c")
    report(session, mod, "comment", comment.id)
    session.expunge_all()  # as in a request: nothing cached
    with count_statements() as counter:
        page, more = moderation.reports(session=session, user_id=mod.id)
    assert counter.count == 2  # the moderator check, the page
    assert more and all(r.status == "open" for r in page) and page[0].content == "c"
    session.expunge_all()
    with count_statements() as counter:
        rest, more = moderation.reports(session=session, user_id=mod.id, page=2)
    assert counter.count == 2 and not more and rest[-1].status == "dismissed"
    session.expunge_all()
    with count_statements() as counter:
        moderation.log(session=session, user_id=mod.id)
    assert counter.count == 2


def test_comment_counts_follow_the_comment_list(session, ann, bob, mod):
    """A post card's count is what the reader would see listed: no comments a
    moderator hid, none across a block, none of muted readers (failed before:
    the count took every comment)."""
    cat = reader(session, "Cat")
    post = say(session, mod, "mod says")
    for who, text in ((ann, "from ann"), (bob, "rude"), (cat, "from cat")):
        posts.add_comment(session=session, user_id=who.id, post_id=post.id, text=text)
    rude = session.exec(select(Comment).where(Comment.text == "rude")).one()
    moderation.act(
        session=session,
        user_id=mod.id,
        report_id=report(session, ann, "comment", rude.id).id,
        action="hide",
        note="rude",
    )
    safety.block(session=session, user_id=ann.id, username="cat")
    safety.mute(session=session, user_id=bob.id, username="ann")

    def counts(viewer):
        listed = len(posts.list_comments(session=session, viewer_id=viewer.id, post_id=post.id))
        card = posts.get_post(session=session, viewer_id=viewer.id, post_id=post.id).comment_count
        feed = [p.comment_count for p in posts.feed(session=session, viewer_id=viewer.id).posts if p.id == post.id]
        return listed, card, feed[0]

    assert counts(ann) == (1, 1, 1)  # her own; Bob's is hidden, Cat is blocked
    assert counts(bob) == (2, 2, 2)  # his hidden one (its author sees it) and Cat's; Ann is muted
    assert counts(cat) == (1, 1, 1)  # her own; Ann blocked her
    assert counts(mod) == (2, 2, 2)  # Ann's and Cat's
    assert posts.get_post(session=session, viewer_id=None, post_id=post.id).comment_count == 2
