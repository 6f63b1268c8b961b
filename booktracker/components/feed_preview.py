"""The feed's first posts before the live page is up (issue 18).

Measured on the static export (bench/frontend.py, bench/RESULTS.md): a
visitor's first post came ~1.8 s after the request on this machine, of
which the backend's answer was 64 ms -- the rest was the browser running
~50 scripts, opening the websocket, mounting React and only then asking
for the feed. The original app showed its first post ~0.6 s sooner.

So the exported page asks ``GET /api/v1/feed`` itself (with the reader's
token when there is one: the same posts, shield and privacy as the live
feed). ``request_head()``, in every page's ``<head>``, starts the request on
the feed's address as the head is parsed -- before the stylesheet and the ~50
module scripts (from the body, the request waited for the stylesheet, as a
classic script does, and went out ~100-200 ms later) -- and draws the first
cards into the box when the answer comes: text only, set through
``textContent``, never as HTML. The box is parsed before the stylesheet has
loaded, so the cards make the first paint; ``feed_preview()``'s script after
the box draws an answer that came before the box. When the live state
arrives, the list replaces the preview (components/post_list.py
``pending``). A failed or refused request draws nothing: the live feed says
what went wrong.

React leaves the box's children alone: it has a (empty)
``dangerouslySetInnerHTML``, whose contents hydration does not compare.
Inline scripts run only from server-rendered HTML (the export,
``reflex run --env prod``); in development the live list alone shows.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars import Var

from booktracker import routes
from booktracker.api.app import API_PREFIX
from booktracker.components.backend_origin import built_backend_origin
from booktracker.state import TOKEN_STORAGE_NAME

PREVIEW_ID = "feed-preview"
PREVIEW_POSTS = 5  # a first screen's worth on a phone and a desktop
TEXT_SHOWN = 600  # characters of a post's text in a preview card
PENDING = "tmrFeedPreview"  # the window property with the request's answer and draw(), head to body

# Plain CSS with the theme's variables: the cards look like the live ones
# without depending on which Radix Themes rules the export kept (frontend_assets.py).
_STYLES = {
    "CARD": (
        "display: flex; flex-direction: column; gap: var(--space-2); padding: var(--space-4);"
        " border-radius: var(--radius-4); background: var(--color-panel-solid);"
        " box-shadow: 0 0 0 1px var(--gray-a5); overflow-wrap: anywhere"
    ),
    "SMALL": "font-size: var(--font-size-2); color: var(--gray-11)",
    "TEXT": "margin: 0; white-space: pre-wrap; font-size: var(--font-size-3); color: var(--gray-12)",
    "QUOTE": "margin: 0; padding-left: var(--space-3); border-left: 3px solid var(--accent-6); font-style: italic",
}

# ES5 on purpose: it runs before any bundle, in every browser the app supports.
# On the feed's own address only; window[PENDING].draw() draws the answer into the box once
# both are there -- called when the answer comes and by the script after the box.
_SCRIPT = """
(function () {
  if (FEED_PATHS.indexOf(window.location.pathname) < 0) return;
  var token = "";
  try { token = window.localStorage.getItem(TOKEN) || ""; } catch (e) {}
  var pending = (window[PENDING] = { done: false, page: null, drawn: false, draw: draw });
  function el(tag, cls, text, css) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    if (css) node.style.cssText = css;
    return node;
  }
  // "1,234", as components/numbers.py groups every count -- without toLocaleString, whose first
  // call loads the browser's number formatting (~20 ms of the draw's 37 in a trace).
  function grouped(n) {
    return String(Math.round(Number(n) || 0)).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ",");
  }
  function short(text) {
    return text.length > SHOWN ? text.slice(0, SHOWN) + "\\u2026" : text;
  }
  function card(post) {
    var article = el("article", "post-preview", "", CARD);
    var byline = el("div", "post-preview-byline", "", SMALL);
    byline.appendChild(el("strong", "", post.author_name, "color: var(--gray-12)"));
    if (post.book_title) byline.appendChild(el("span", "", " \\u00b7 " + post.book_title));
    if (post.emotion) byline.appendChild(el("span", "", " " + post.emotion));
    article.appendChild(byline);
    if (post.shielded) {
      article.appendChild(el("p", "post-preview-shield", post.shield_message, TEXT + ";color: var(--gray-11)"));
    } else if (post.review_has_spoilers) {
      article.appendChild(el("p", "post-preview-shield", "This review has spoilers", TEXT + ";color: var(--gray-11)"));
    } else {
      if (post.quote) article.appendChild(el("blockquote", "post-preview-quote", short(post.quote), QUOTE));
      if (post.text) article.appendChild(el("p", "post-preview-text", short(post.text), TEXT));
    }
    var counts = "\\u2665 " + grouped(post.like_count) + "   \\ud83d\\udcac " + grouped(post.comment_count);
    article.appendChild(el("div", "post-preview-counts", counts, SMALL));
    return article;
  }
  // The box is parsed before the stylesheet has loaded (the script after it waits for the CSS,
  // the box does not): drawn from here, the cards are in the page's first paint.
  function draw() {
    var box = document.getElementById(ID);
    if (!pending.done || pending.drawn || !pending.page || !box || box.childElementCount) return;
    pending.drawn = true;
    pending.page.posts.slice(0, COUNT).forEach(function (post) { box.appendChild(card(post)); });
    mark("drawn");
  }
  function settle(page) {
    mark("response");
    pending.done = true;
    pending.page = page;
    draw();
  }
  // XMLHttpRequest, not fetch: its load event hands over the parsed page in one task, where
  // fetch's response.json() took another turn of the busy main thread (~100 ms while loading).
  var request = new XMLHttpRequest();
  request.open("GET", API + FEED);
  request.responseType = "json";
  if (token) request.setRequestHeader("Authorization", "Bearer " + token);
  request.onload = function () { settle(request.status === 200 ? request.response : null); };
  request.onerror = request.onabort = request.ontimeout = function () { settle(null); };
  mark("request");
  request.send();
})();
"""

# After the box: draws an answer that came before the parser made the box.
_NUDGE = "window[PENDING] && window[PENDING].draw();"


# User Timing marks ("tmr-feed-request", -response, -drawn): bench/frontend.py reads them to
# tell the request, the answer reaching the page and the drawing apart.
_MARK = """
function mark(name) {
  try { window.performance.mark("tmr-feed-" + name); } catch (e) {}
}
"""


def _declarations(constants: dict[str, object]) -> str:
    return "".join(f"var {name} = {json.dumps(value)};" for name, value in constants.items())


def preview_script() -> str:
    """The body's script, after the box: draws an answer that is already there."""
    return "(function () {" + _declarations({"PENDING": PENDING}) + _NUDGE + "})();"


def request_script() -> Var[str]:
    """The head's script, as a JS string expression: the backend's origin comes from the
    build's env.json (components/backend_origin.py), so the text is the same at prerender
    and in the browser, and right under the test harness, which sets the port after import."""
    constants = {
        "ID": PREVIEW_ID,
        "TOKEN": TOKEN_STORAGE_NAME,
        "PENDING": PENDING,
        "FEED": f"{API_PREFIX}/feed?limit={PREVIEW_POSTS}",
        "FEED_PATHS": [routes.HOME, "/index.html"],
        "SHOWN": TEXT_SHOWN,
        "COUNT": PREVIEW_POSTS,
        **_STYLES,
    }
    origin = built_backend_origin()
    before = "(function () {var API = "
    after = ";" + _declarations(constants) + _MARK + _SCRIPT + "})();"
    expression = f"{json.dumps(before)} + JSON.stringify({origin!s}) + {json.dumps(after)}"
    return Var(_js_expr=expression, _var_data=origin._get_all_var_data()).to(str)


def request_head() -> rx.Component:
    """For ``head_components``: starts the feed's request as the page's head is parsed."""
    return rx.el.script(request_script())


def feed_preview() -> rx.Component:
    """Where the first cards appear until the live list takes over, and the script that draws them."""
    return rx.fragment(
        rx.el.div(
            id=PREVIEW_ID,
            class_name="feed-preview",
            # A real prop, not a keyword: Reflex turns unknown keywords into CSS (it rendered
            # `css: {Html: ""}`), and React then hydrated the drawn cards as its own children and
            # threw the whole page away (error #418) whenever the API answered before hydration.
            custom_attrs={"dangerouslySetInnerHTML": {"__html": ""}},
            aria_busy="true",
            style={"display": "flex", "flex_direction": "column", "gap": "var(--space-3)", "width": "100%"},
        ),
        rx.el.script(preview_script()),
    )
