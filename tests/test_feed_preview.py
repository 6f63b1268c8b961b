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


# A browser's parts as the head's script uses them: an XMLHttpRequest that records what it was
# asked and answers ``page``, a stored token, and a document whose box keeps what is drawn.
_FAKE_BROWSER = """
const env = {UPLOAD: "http://127.0.0.1:8123/_upload", PING: "http://127.0.0.1:8123/ping"};
let asked = null;
const element = (tag) => ({tag, className: "", textContent: "", style: {cssText: ""}, children: [],
  get childElementCount() { return this.children.length; },
  appendChild(child) { this.children.push(child); if (child.textContent) this.textContent += child.textContent; }});
const box = element("div");
let boxParsed = false;
globalThis.window = globalThis;
window.performance = {mark() {}};
window.localStorage = {getItem: (key) => key === TOKEN_NAME ? TOKEN : null};
window.document = {getElementById: (id) => (boxParsed && id === BOX_ID ? box : null), body: {contains: () => true},
  createElement: element};
window.XMLHttpRequest = function () {
  const request = this;
  request.headers = {};
  request.open = (method, url) => { asked = {method, url, headers: request.headers}; };
  request.setRequestHeader = (name, value) => { request.headers[name] = value; };
  request.send = () => { window.answer = () => { request.status = 200; request.response = PAGE; request.onload(); }; };
};
"""


def _run_request_script(*, path: str, token: str | None, answer_before_box: bool = False) -> dict:
    """The head's script as the browser gets it: its text evaluated with a build's env.json,
    then run on a page address with a stored token; the answer comes before or after the parser
    has made the box, and the body's script runs after the box."""
    page = {"posts": [{"author_name": "Ann", "text": "<b>hi</b>", "like_count": 1234, "comment_count": 0}]}
    order = ["answer", "box", "body"] if answer_before_box else ["box", "answer", "body"]
    steps = {
        "answer": "window.answer && window.answer();",
        "box": "boxParsed = true;",
        "body": feed_preview.preview_script(),
    }
    script = (
        f"const TOKEN_NAME = {json.dumps(TOKEN_STORAGE_NAME)}; const TOKEN = {json.dumps(token)};"
        f"const BOX_ID = {json.dumps(feed_preview.PREVIEW_ID)}; const PAGE = {json.dumps(page)};"
        + _FAKE_BROWSER
        + f"Object.defineProperty(window, 'location', {{value: {{pathname: {json.dumps(path)}}}}});"
        + f"eval({feed_preview.request_script()!s});"
        + "".join(steps[step] for step in order)
        + "console.log(JSON.stringify({asked, drawn: box.children.map((card) => [card.className, card.textContent])}));"
    )
    done = subprocess.run([NODE or "node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(done.stdout)


@needs_node
def test_the_head_asks_this_builds_backend_for_the_feed_with_the_readers_token():
    result = _run_request_script(path="/", token="abc.def")
    assert result["asked"] == {
        "method": "GET",
        "url": "http://127.0.0.1:8123/api/v1/feed?limit=5",  # env.json's backend, not import time's
        "headers": {"Authorization": "Bearer abc.def"},
    }
    visitor = _run_request_script(path="/", token=None)
    assert visitor["asked"]["headers"] == {}


@needs_node
def test_the_answer_is_drawn_as_text_whether_it_comes_before_or_after_the_box():
    for before in (False, True):
        drawn = _run_request_script(path="/", token=None, answer_before_box=before)["drawn"]
        assert drawn == [["post-preview", "Ann<b>hi</b>\u2665 1,234   \U0001f4ac 0"]], before


@needs_node
def test_the_head_asks_nothing_on_other_pages():
    result = _run_request_script(path="/library", token="abc.def")
    assert result == {"asked": None, "drawn": []}


def test_every_page_head_starts_the_request():
    from booktracker.booktracker import app

    heads = [str(component) for component in app.head_components]
    assert any(feed_preview.PENDING in head and "env.UPLOAD" in head for head in heads)


def test_the_body_script_only_draws_what_the_head_asked_for():
    script = feed_preview.preview_script()
    assert f"var PENDING = {json.dumps(feed_preview.PENDING)};" in script
    assert "XMLHttpRequest" not in script and "fetch(" not in script  # one request per load, from the head


def test_the_script_writes_text_never_markup():
    script = str(feed_preview.request_script())
    assert "textContent" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_the_container_keeps_what_the_script_drew_through_hydration():
    rendered = str(feed_preview.feed_preview().render())
    assert feed_preview.PREVIEW_ID in rendered
    assert rendered.index("aria-busy") < rendered.index(".draw()")  # the script follows its box
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
