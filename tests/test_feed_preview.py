"""The feed's first cards before the live page (components/feed_preview.py):
the inline script carries this build's constants, draws text only, and the
feed page shows it only until the first page of the live list arrives."""

import json

import reflex as rx

from booktracker.components import feed_preview
from booktracker.components.post_list import post_list
from booktracker.pwa import backend_url
from booktracker.state import TOKEN_STORAGE_NAME


def test_the_script_asks_the_feed_api_of_this_backend_with_the_readers_token():
    script = feed_preview.preview_script()
    assert f"var API = {json.dumps(backend_url())};" in script
    assert 'var FEED = "/api/v1/feed?limit=5";' in script
    assert f"var TOKEN = {json.dumps(TOKEN_STORAGE_NAME)};" in script
    assert f"var ID = {json.dumps(feed_preview.PREVIEW_ID)};" in script


def test_the_script_writes_text_never_markup():
    script = feed_preview.preview_script()
    assert "textContent" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_the_container_keeps_what_the_script_drew_through_hydration():
    rendered = str(feed_preview.feed_preview().render())
    assert feed_preview.PREVIEW_ID in rendered
    assert "feed-preview" in rendered and "getElementById(ID)" in rendered  # the script follows its box
    # React skips the children of an element with dangerouslySetInnerHTML when hydrating; the
    # prop must reach React as a prop (a keyword argument became CSS: `css: {Html: ""}`, and
    # React threw the page away with error #418 when the API answered before hydration).
    jsx = str(feed_preview.feed_preview())
    box = jsx[: jsx.index(f'id:"{feed_preview.PREVIEW_ID}"')]
    box = box[box.rindex('jsx("div",{') :]
    assert 'dangerouslySetInnerHTML:({ ["__html"] : "" })' in box
    assert "Html" not in box.replace("dangerouslySetInnerHTML", "").replace('["__html"]', "")


def test_the_list_shows_pending_until_its_first_page_then_empty():
    from booktracker.pages.feed import FeedState

    rendered = str(post_list(FeedState, empty=rx.text("nothing"), pending=rx.text("first cards")).render())
    assert "posts_loaded" in rendered and "first cards" in rendered and "nothing" in rendered
