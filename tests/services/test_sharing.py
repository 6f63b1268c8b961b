"""Link previews and the sitemap show what a logged-out visitor sees, nothing more."""

import datetime

from booktracker.models import Book, ProfileVisibility, ReadingStatus
from booktracker.services import library, privacy_settings, sharing
from booktracker.services.books import BookInput
from tests.services.conftest import reader

COVER = "https://covers.openlibrary.org/b/id/1-L.jpg"


def _add(session, user, title, status=ReadingStatus.FINISHED):
    result = library.add_to_library(
        session=session, user_id=user.id, book=BookInput(title=title, authors="Ursula K. Le Guin"), status=status
    )
    return result.user_book


def test_profile_card_of_a_public_reader_counts_only_shown_books(session, ann, count_statements):
    _add(session, ann, "The Dispossessed")
    _add(session, ann, "The Lathe of Heaven", status=ReadingStatus.READING)
    hidden = _add(session, ann, "A Secret Book")
    hidden.hidden = True
    session.add(hidden)
    session.commit()
    with count_statements() as counter:
        card = sharing.profile_card(session=session, username=ann.username.upper())
    assert counter.count == 1
    assert card is not None and (card.name, card.finished, card.reading) == ("Ann", 1, 1)
    assert card.description == "1 book finished, 1 reading now on TrackMyRead."


def test_no_card_for_private_suspended_or_unknown_readers(session, ann, bob):
    for visibility in (ProfileVisibility.SIGNED_IN, ProfileVisibility.FOLLOWERS, ProfileVisibility.PRIVATE):
        privacy_settings.set_profile_visibility(session=session, user_id=ann.id, visibility=visibility.value)
        assert sharing.profile_card(session=session, username=ann.username) is None
    bob.suspended_at = datetime.datetime.now(datetime.UTC)
    session.add(bob)
    session.commit()
    assert sharing.profile_card(session=session, username=bob.username) is None
    assert sharing.profile_card(session=session, username="nobody") is None


def test_book_card_only_when_a_public_reader_shows_it(session, ann, bob, count_statements):
    entry = _add(session, ann, "The Left Hand of Darkness")
    # What the catalogue filled in (a reader's own input goes to their copy only).
    book = session.get(Book, entry.book_id)
    book.cover_url, book.description = COVER, "A  long\nwinter. " * 40
    session.add(book)
    session.commit()
    with count_statements() as counter:
        card = sharing.book_card(session=session, book_id=entry.book_id)
    assert counter.count == 1
    assert card is not None and card.title == "The Left Hand of Darkness" and card.image == COVER
    assert len(card.description) <= sharing.DESCRIPTION_MAX and card.description.endswith("…")
    assert "\n" not in card.description and "  " not in card.description
    privacy_settings.set_profile_visibility(session=session, user_id=ann.id, visibility="private")
    assert sharing.book_card(session=session, book_id=entry.book_id) is None
    # Bob (public) has it too, but hidden: still nobody shows it.
    hidden = _add(session, bob, "The Left Hand of Darkness")
    hidden.hidden = True
    session.add(hidden)
    session.commit()
    assert sharing.book_card(session=session, book_id=entry.book_id) is None
    hidden.hidden = False
    session.add(hidden)
    session.commit()
    assert sharing.book_card(session=session, book_id=entry.book_id) is not None


def test_sitemap_lists_public_readers_and_their_shown_books(session, ann, bob, count_statements):
    cy = reader(session, "Cy")
    _add(session, ann, "Earthsea")
    _add(session, bob, "Only Bob Has This")
    secret = _add(session, cy, "Only Cy Hides This")
    secret.hidden = True
    session.add(secret)
    session.commit()
    privacy_settings.set_profile_visibility(session=session, user_id=bob.id, visibility="followers")
    with count_statements() as counter:
        usernames, books = sharing.sitemap(session=session)
    assert counter.count == 2
    assert usernames == [ann.username, cy.username]
    assert [title for _, title in books] == ["Earthsea"]
