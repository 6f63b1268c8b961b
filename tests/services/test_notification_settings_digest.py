"""Notification settings (kinds on/off, the digest switch) and the daily digest
email against a real SMTP server (tests/support/smtp_server.py)."""

import datetime

import pytest
from sqlmodel import select

from booktracker import routes
from booktracker.db import utcnow
from booktracker.errors import InvalidInput
from booktracker.models import Notification, User
from booktracker.services import auth, mail, notification_digest, notification_settings, notifications, posts
from tests.services.conftest import reader

DAY = datetime.timedelta(hours=24)


def test_kinds_turn_off_and_on_and_the_insert_obeys(session, ann, bob):
    view = notification_settings.get(session=session, user_id=ann.id)
    assert all(k.on for k in view.kinds) and view.digest_email is False
    assert [k.kind for k in view.kinds][:2] == ["like", "comment"]
    notification_settings.set_kind(session=session, user_id=ann.id, kind="like", on=False)
    view = notification_settings.set_kind(session=session, user_id=ann.id, kind=" follow ", on=False)
    assert {k.kind for k in view.kinds if not k.on} == {"like", "follow"}
    assert session.get(User, ann.id).notifications_off == "like,follow"
    hers = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="hi"))
    posts.like(session=session, user_id=bob.id, post_id=hers.id)
    assert session.exec(select(Notification)).all() == []
    notification_settings.set_kind(session=session, user_id=ann.id, kind="like", on=True)
    assert session.get(User, ann.id).notifications_off == "follow"
    posts.unlike(session=session, user_id=bob.id, post_id=hers.id)
    posts.like(session=session, user_id=bob.id, post_id=hers.id)
    assert len(session.exec(select(Notification)).all()) == 1


def test_an_unknown_kind_is_refused(session, ann):
    with pytest.raises(InvalidInput) as caught:
        notification_settings.set_kind(session=session, user_id=ann.id, kind="likes,comment", on=False)
    assert caught.value.field == "kind"


def test_the_digest_switch(session, ann):
    assert notification_settings.set_digest(session=session, user_id=ann.id, on=True).digest_email is True
    assert notification_settings.set_digest(session=session, user_id=ann.id, on=False).digest_email is False


def test_the_settings_path_is_the_settings_page():
    assert notification_digest.SETTINGS_PATH == routes.ACCOUNT


def digests(mailbox, to):
    """The digests sent to ``to`` (sign-up also sends a confirmation link)."""
    return [m for m in mailbox.to(to) if "unread notification" in m["Subject"]]


def _opt_in(session, user, *, confirmed=True):
    row = session.get(User, user.id)
    row.digest_email = True
    row.email_verified_at = utcnow() if confirmed else None
    session.add(row)
    session.commit()


def _liked_by(session, author, *likers):
    post = posts.create_post(session=session, user_id=author.id, data=posts.PostInput(text="A thought <b>"))
    for liker in likers:
        posts.like(session=session, user_id=liker.id, post_id=post.id)
    return post


def test_a_daily_digest_of_unread_notifications(session, mailbox, ann, bob):
    cid = auth.signup(session=session, email="cid@example.com", name="Cid <Dee>", password="password 123")
    dee = reader(session, "Dee")
    _opt_in(session, ann)
    _opt_in(session, dee)  # opted in, nothing new: no mail
    _liked_by(session, ann, bob, cid)
    now = utcnow()
    assert notification_digest.send_digests(session=session, now=now) == 1
    mail.wait_idle()
    [message] = digests(mailbox, "ann@example.com")
    assert message["Subject"] == "2 unread notifications on TrackMyRead"
    text = mailbox.text(message)
    assert "- Cid <Dee> and Bob liked your post" in text and "/notifications" in text and "/settings" in text
    assert "Cid &lt;Dee&gt; and Bob liked your post" in mailbox.html(message)
    # Not again within a day, even with news.
    _liked_by(session, ann, dee)
    assert notification_digest.send_digests(session=session, now=now + DAY / 2) == 0
    # A day later: the news since.
    assert notification_digest.send_digests(session=session, now=now + DAY) == 1
    mail.wait_idle()
    assert len(digests(mailbox, "ann@example.com")) == 2
    # Another day with nothing new since the last digest (all still unread): no mail.
    assert notification_digest.send_digests(session=session, now=now + 2 * DAY) == 0
    assert digests(mailbox, "dee@example.com") == []


def test_no_digest_when_off_unconfirmed_or_read(session, mailbox, ann, bob):
    cid = reader(session, "Cid")
    _liked_by(session, ann, bob)  # ann: digest off
    _opt_in(session, bob, confirmed=False)
    _liked_by(session, bob, ann)
    _opt_in(session, cid)
    _liked_by(session, cid, ann)
    notifications.mark_read(session=session, user_id=cid.id, ids=None)
    assert notification_digest.send_digests(session=session, now=utcnow() + DAY) == 0
    mail.wait_idle()
    assert [m for m in mailbox.messages if "unread" in m["Subject"]] == []


def test_two_workers_send_one_digest(session, db, mailbox, ann, bob):
    from sqlmodel import Session

    _opt_in(session, ann)
    _liked_by(session, ann, bob)
    now = utcnow() + datetime.timedelta(minutes=1)
    with Session(db, expire_on_commit=False) as other:
        candidates = notification_digest._candidates(other, now)
        assert notification_digest.send_digests(session=session, now=now) == 1
        assert [c[0] for c in candidates] == [ann.id]
        assert notification_digest._claim(other, ann.id, now) is False  # the other worker lost the claim
        other.rollback()
    mail.wait_idle()
    assert len(digests(mailbox, "ann@example.com")) == 1
