"""Messy data in the book pieces: long titles wrap, broken covers keep their box.

Rendered-props checks; the CSS behind them was checked in headless chromium."""

import reflex as rx


def _props(component) -> str:
    return str(component.render())


def test_a_cover_keeps_a_fixed_box_and_hides_itself_when_it_fails_to_load():
    from booktracker.components.books import cover

    rendered = _props(cover(rx.Var.create("https://example.invalid/x.jpg"), rx.Var.create("T")))
    assert '["aspectRatio"] : "2 / 3"' in rendered and '["overflow"] : "hidden"' in rendered
    assert "onError:(e) => { e.currentTarget.style.visibility = 'hidden'; }" in rendered
    assert '["color"] : "transparent"' in rendered  # the alt text never spills out


def test_titles_authors_and_post_book_lines_wrap():
    from reflex.vars.object import ObjectVar

    from booktracker.components.posts import _book_line
    from booktracker.models import LibraryItem
    from booktracker.pages.book_detail import header
    from booktracker.pages.library import book_card
    from booktracker.services.posts import PostView

    item = rx.Var("item").to(ObjectVar, LibraryItem)
    post = rx.Var("post").to(ObjectVar, PostView)
    for component, wrapped in ((header(), 3), (book_card(item), 2), (_book_line(post), 1)):
        assert _props(component).count('["overflowWrap"] : "anywhere"') >= wrapped


def test_a_visitors_feed_column_spans_the_row_and_profile_counts_share_one_box():
    from booktracker.pages.feed import feed_page
    from booktracker.pages.profile import stat

    assert '["gridColumn"] : (' in _props(feed_page()) and '"1 / -1"' in _props(feed_page())
    plain, clickable = stat("books", 3), stat("posts", 3, on_click=rx.console_log("x"))
    for rendered in (_props(plain), _props(clickable)):
        assert '["minWidth"] : "4.5rem"' in rendered and '["margin"] : "0"' in rendered
