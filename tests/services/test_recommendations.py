"""'For you': friends' picks, books by loved authors, buddy reads -- with the
privacy rules, no book twice, and three statements whatever the sizes."""

from __future__ import annotations

import datetime

import pytest
from sqlmodel import select

from booktracker.models import ProfileVisibility, Read
from booktracker.services import library, recommendations, safety, social
from booktracker.services.books import BookInput
from tests.services.conftest import reader

TODAY = datetime.date(2026, 11, 25)


def _add(session, user, title, *, authors="Someone", status="to-read", rating=None, ended_on=None, hidden=False):
    entry = library.add_to_library(
        session=session,
        user_id=user.id,
        book=BookInput(title=title, authors=authors),
        status=status,
        ended_on=ended_on,
        today=TODAY,
    ).user_book
    if rating is not None or hidden:
        entry.rating = rating
        entry.hidden = hidden
        session.add(entry)
        session.commit()
    return entry


def _titles(suggestions, reason=None):
    return [s.title for s in suggestions if reason is None or s.reason == reason]


@pytest.fixture
def friends(session, ann, bob):
    cara = reader(session, "Cara")
    for friend in (bob, cara):
        social.follow(session=session, user_id=ann.id, username=friend.username)
    return bob, cara


def test_friends_picks_rated_or_recently_finished_not_in_my_library(session, ann, friends):
    bob, cara = friends
    stranger = reader(session, "Dan")
    _add(session, bob, "Loved by Bob", rating=4.5, status="finished", ended_on=TODAY - datetime.timedelta(days=400))
    _add(session, bob, "Finished lately", status="finished", ended_on=TODAY - datetime.timedelta(days=10))
    _add(session, bob, "Finished long ago", status="finished", ended_on=TODAY - datetime.timedelta(days=200))
    _add(session, bob, "Meh", rating=3.0)
    _add(session, cara, "Loved by Bob", rating=5.0)  # two friends: comes first
    _add(session, bob, "Already mine", rating=5.0)
    _add(session, ann, "Already mine")
    _add(session, stranger, "Stranger's favourite", rating=5.0)

    picks = recommendations.friends_picks(session=session, user_id=ann.id, today=TODAY)

    assert _titles(picks) == ["Loved by Bob", "Finished lately"]
    assert picks[0].because == "Bob and 1 other friend loved it"
    assert picks[0].friend_names == ["Bob", "Cara"]
    assert picks[1].because == "Bob finished it recently"


def test_friends_picks_follow_the_privacy_rules(session, ann, friends):
    bob, cara = friends
    _add(session, bob, "Hidden from others", rating=5.0, hidden=True)
    _add(session, cara, "Cara's pick", rating=5.0)
    pending = reader(session, "Eve")
    pending.profile_visibility = ProfileVisibility.FOLLOWERS.value
    session.add(pending)
    session.commit()
    social.follow(session=session, user_id=ann.id, username=pending.username)  # a request, not approved
    _add(session, pending, "Eve's pick", rating=5.0)
    assert _titles(recommendations.friends_picks(session=session, user_id=ann.id, today=TODAY)) == ["Cara's pick"]

    safety.mute(session=session, user_id=ann.id, username=cara.username)
    assert recommendations.friends_picks(session=session, user_id=ann.id, today=TODAY) == []
    safety.unmute(session=session, user_id=ann.id, username=cara.username)
    safety.block(session=session, user_id=cara.id, username=ann.username)
    assert recommendations.friends_picks(session=session, user_id=ann.id, today=TODAY) == []


def test_other_books_by_authors_i_rated_highly(session, ann, bob):
    _add(session, ann, "First Le Guin", authors="Ursula K. Le Guin", rating=5.0)
    _add(session, ann, "Disliked", authors="Other Author", rating=2.0)
    _add(session, bob, "Second Le Guin", authors="Ursula K. Le Guin")
    _add(session, bob, "More by the disliked", authors="Other Author")
    cara = reader(session, "Cara")
    _add(session, cara, "Third Le Guin", authors="Ursula K. Le Guin")
    _add(session, bob, "Third Le Guin", authors="Ursula K. Le Guin")  # two readers: first

    picks = recommendations.by_loved_authors(session=session, user_id=ann.id)

    assert _titles(picks) == ["Third Le Guin", "Second Le Guin"]
    assert picks[0].because == "You rated Ursula K. Le Guin highly"


def test_buddy_reads_are_shared_want_to_read_books(session, ann, friends):
    bob, _ = friends
    _add(session, ann, "Both want it")
    _add(session, bob, "Both want it")
    _add(session, ann, "Only I want it")
    _add(session, ann, "Bob is reading it")
    _add(session, bob, "Bob is reading it", status="reading")

    picks = recommendations.buddy_reads(session=session, user_id=ann.id)

    assert _titles(picks) == ["Both want it"]
    assert picks[0].because == "You and Bob both want to read it: read it together?"


def test_for_you_lists_a_book_once_in_source_order(session, ann, friends):
    bob, _ = friends
    _add(session, ann, "Loved", authors="Author A", rating=5.0)
    _add(session, bob, "By Author A", authors="Author A", rating=5.0)  # friends' pick and author's book
    _add(session, ann, "Shared wish")
    _add(session, bob, "Shared wish")

    suggestions = recommendations.for_you(session=session, user_id=ann.id, today=TODAY)

    assert [(s.title, s.reason) for s in suggestions] == [("By Author A", "friends"), ("Shared wish", "buddy")]


def test_nothing_to_suggest_for_a_new_reader(session, ann):
    assert recommendations.for_you(session=session, user_id=ann.id, today=TODAY) == []


@pytest.mark.parametrize("size", [1, 30])
def test_three_statements_whatever_the_sizes(session, ann, count_statements, size):
    for number in range(size):
        friend = reader(session, f"Friend {number}")
        social.follow(session=session, user_id=ann.id, username=friend.username)
        _add(session, friend, f"Pick {number}", authors=f"Author {number}", rating=5.0, status="finished")
        _add(session, friend, f"Wish {number}")
        _add(session, ann, f"Wish {number}")
        _add(session, ann, f"Mine {number}", authors=f"Author {number}", rating=4.0)
    user_id = ann.id
    session.expire_all()
    with count_statements() as counter:
        suggestions = recommendations.for_you(session=session, user_id=user_id, today=TODAY)
    assert counter.count == 3
    book_ids = [s.book_id for s in suggestions]
    assert len(book_ids) == len(set(book_ids))
    for reason in recommendations.Reason:
        assert len(_titles(suggestions, reason)) <= recommendations.PER_SOURCE
    assert len(_titles(suggestions, "buddy")) == min(size, recommendations.PER_SOURCE)


def test_reads_of_hidden_or_unfinished_books_do_not_count_as_finished(session, ann, friends):
    bob, _ = friends
    entry = _add(session, bob, "Paused", status="paused")
    reads = session.exec(select(Read).where(Read.user_book_id == entry.id)).all()
    assert [read.status for read in reads] == ["paused"]
    assert recommendations.friends_picks(session=session, user_id=ann.id, today=TODAY) == []
