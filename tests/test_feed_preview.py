"""The feed's first cards before the live page (components/feed_preview.py):
the inline script carries this build's constants, draws text only, and the
feed page shows it only until the first page of the live list arrives."""

import json
import shutil
import subprocess

import pytest
import reflex as rx

from booktracker.components import feed_preview
from booktracker.components.post_list import post_list
from booktracker.state import TOKEN_STORAGE_NAME

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node runs the scripts")


def _run_request_script(*, path: str, token: str | None) -> dict | None:
    """The head's script as the browser gets it: its text evaluated with a build's env.json,
    then run with a page address, a stored token and a fetch that records what it was asked."""
    script = f"""
    const env = {{UPLOAD: "http://127.0.0.1:8123/_upload", PING: "http://127.0.0.1:8123/ping"}};
    const text = {feed_preview.request_script()!s};
    let asked = null;
    globalThis.window = globalThis;
    window.location = {{pathname: {json.dumps(path)}}};
    window.localStorage = {{getItem: (key) => key === {json.dumps(TOKEN_STORAGE_NAME)} ? {json.dumps(token)} : null}};
    window.fetch = (url, options) => {{ asked = {{url, options}}; return Promise.resolve({{ok: true, json: () => ({{posts: []}})}}); }};
    eval(text);
    Promise.resolve(window[{json.dumps(feed_preview.PENDING)}]).then((page) =>
      console.log(JSON.stringify(asked && {{...asked, page}})));
    """
    done = subprocess.run([NODE or "node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(done.stdout)


@needs_node
def test_the_head_asks_this_builds_backend_for_the_feed_with_the_readers_token():
    asked = _run_request_script(path="/", token="abc.def")
    assert asked is not None
    assert asked["url"] == "http://127.0.0.1:8123/api/v1/feed?limit=5"  # env.json's backend, not import time's
    assert asked["options"] == {"headers": {"Authorization": "Bearer abc.def"}, "credentials": "omit"}
    assert asked["page"] == {"posts": []}  # the promise the body's script draws from
    visitor = _run_request_script(path="/", token=None)
    assert visitor is not None and visitor["options"]["headers"] == {}


@needs_node
def test_the_head_asks_nothing_on_other_pages():
    assert _run_request_script(path="/library", token="abc.def") is None


def test_every_page_head_starts_the_request():
    from booktracker.booktracker import app

    heads = [str(component) for component in app.head_components]
    assert any(feed_preview.PENDING in head and "env.UPLOAD" in head for head in heads)


def test_the_body_script_draws_from_the_heads_request():
    script = feed_preview.preview_script()
    assert f"var ID = {json.dumps(feed_preview.PREVIEW_ID)};" in script
    assert f"var PENDING = {json.dumps(feed_preview.PENDING)};" in script
    assert "fetch(" not in script  # one request per load, started in the head


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
