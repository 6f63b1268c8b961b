"""The spoiler shield and @mention pieces (components/spoilers.py), as rendered
props: mentions are text and links, never HTML; shielded content is blurred
and hidden from screen readers behind its message."""

import pytest
import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.errors import InvalidInput


def test_rich_text_renders_parts_as_text_and_links_never_html():
    from booktracker.components.spoilers import rich_text
    from booktracker.services.posts import PostView

    post = rx.Var("post").to(ObjectVar, PostView)
    rendered = str(rich_text(post.text, post.text_parts).render())
    assert "dangerouslySetInnerHTML" not in rendered
    assert "mention" in rendered and '"/u/"' in rendered  # links to routes.profile


def test_a_shielded_item_is_blurred_behind_its_message():
    from booktracker.components.spoilers import shielded
    from booktracker.services.posts import PostView

    post = rx.Var("post").to(ObjectVar, PostView)
    rendered = str(shielded(post, rx.text("secret"), lambda _id: rx.console_log("x")).render())
    assert '["filter"] : "blur(7px)"' in rendered and '"aria-hidden":"true"' in rendered.replace(" ", "")
    assert "Show anyway" in rendered and "shield_message" in rendered


@pytest.mark.parametrize("raw, page", [("", None), (None, None), (" 12 ", 12), ("0", 0)])
def test_a_comment_forms_page_is_optional(raw, page):
    from booktracker.components.spoilers import anchor_page

    assert anchor_page(raw) == page


@pytest.mark.parametrize("raw", ["abc", "-3", "1.5", "1e3"])
def test_a_comment_forms_page_must_be_a_whole_number(raw):
    from booktracker.components.spoilers import anchor_page

    with pytest.raises(InvalidInput) as caught:
        anchor_page(raw)
    assert caught.value.field == "page"
