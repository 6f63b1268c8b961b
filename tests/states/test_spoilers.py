"""Spoiler shield, mentions and the commonplace book in the page states:
"Show anyway" on posts and comments, comments anchored to a page, the
settings switch, and the book page's commonplace book."""

from booktracker.services import library, posts
from booktracker.services.books import BookInput
from tests.states.helpers import make_reader, new_session, open_book, open_settings, sub, toasts

DUNE = BookInput(title="Dune", authors="Frank Herbert", total_pages=400)


def _feed(root):
    from booktracker.pages.feed import FeedState

    return sub(root, FeedState)


def _bob_quotes_page_240():
    bob = make_reader("Bob")
    assert bob.id is not None
    with new_session() as session:
        entry = library.add_to_library(session=session, user_id=bob.id, book=DUNE, status="reading").user_book
        quote = posts.create_post(
            session=session,
            user_id=bob.id,
            data=posts.PostInput(quote="The spice must flow", text="@ann look", user_book_id=entry.id, page=240),
        )
    return bob, quote


def test_show_anyway_reveals_only_that_post_in_this_tab(signed_up):
    bob, quote = _bob_quotes_page_240()
    open_book(signed_up, DUNE)  # Ann has it too, at page 0
    with new_session() as session:
        other = posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="no anchor"))
    state = _feed(signed_up)
    state.load()
    shown = {p.id: p for p in state.posts}
    assert shown[quote.id].shielded and not shown[other.id].shielded
    assert shown[quote.id].shield_message == "You haven't started it yet — this is from p. 240."
    assert [part.username for part in shown[quote.id].text_parts] == ["ann", ""]
    state.reveal_post(quote.id)
    assert not {p.id: p for p in state.posts}[quote.id].shielded
    state.reveal_post(999_999)  # not listed: nothing happens
    state.load()  # a reload shields it again: revealing is for this tab's view only
    assert {p.id: p for p in state.posts}[quote.id].shielded


def test_comments_carry_an_anchor_and_are_revealed_one_by_one(signed_up):
    bob, quote = _bob_quotes_page_240()
    open_book(signed_up, DUNE)
    with new_session() as session:
        later = posts.add_comment(session=session, user_id=bob.id, post_id=quote.id, text="The end!", page=390)
    state = _feed(signed_up)
    state.load()
    state.toggle_comments(quote.id)
    assert [c.shielded for c in state.comments] == [True]
    state.reveal_comment(later.id)
    assert [c.shielded for c in state.comments] == [False]
    # Ann comments with an anchor from the form; a bad page is said next to the form.
    state.add_comment({"text": "Ch. 3 twist", "page": "abc", "chapter": ""})
    assert state.comment_error == "Page must be a whole number."
    state.add_comment({"text": "Ch. 3 twist", "page": "120", "chapter": " 3 "})
    mine = state.comments[-1]
    assert (mine.page, mine.chapter, mine.shielded, state.comment_error) == (120, "3", False, "")


def test_the_settings_switch_turns_the_shield_off(signed_up):
    from booktracker.pages.account_spoilers import SpoilerSettingState

    _, quote = _bob_quotes_page_240()
    open_book(signed_up, DUNE)
    settings = sub(signed_up, SpoilerSettingState)
    open_settings(signed_up)
    assert settings.shield_on
    assert toasts(settings.set_shield(False)) == [("success", "Spoiler shield off.")]
    open_settings(signed_up)
    assert not settings.shield_on
    state = _feed(signed_up)
    state.load()
    assert not {p.id: p for p in state.posts}[quote.id].shielded
    settings.set_shield(True)
    state.load()
    assert {p.id: p for p in state.posts}[quote.id].shielded


def test_the_book_page_lists_my_posts_about_it_in_page_order(signed_up):
    state, entry_id = open_book(signed_up, DUNE)
    assert state.commonplace == [] and not state.commonplace_more
    ann_id = state.current_user_id()
    with new_session() as session:
        for page, chapter, text in [(None, "", "overall"), (300, "", "late"), (None, "10", "ch10"), (12, "", "early")]:
            data = posts.PostInput(text=text, user_book_id=entry_id, page=page, chapter=chapter)
            posts.create_post(session=session, user_id=ann_id, data=data)
        for n in range(posts.commonplace.COMMONPLACE_PAGE):
            data = posts.PostInput(text=f"n{n:02}", user_book_id=entry_id, page=350, is_public=n % 2 == 0)
            posts.create_post(session=session, user_id=ann_id, data=data)
    state.load()
    texts = [p.text for p in state.commonplace]
    assert texts[:2] == ["early", "late"] and len(texts) == posts.commonplace.COMMONPLACE_PAGE
    assert state.commonplace_more and state.commonplace_page == 1
    state.commonplace_go(2)
    assert [p.text for p in state.commonplace] == ["n18", "n19", "ch10", "overall"]
    assert not state.commonplace_more
    state.commonplace_go(0)  # clamped to the first page
    assert state.commonplace_page == 1
