"""The feed's first posts before the live page is up (issue 18).

Measured on the static export (bench/frontend.py, bench/RESULTS.md): a
visitor's first post came ~1.8 s after the request on this machine, of
which the backend's answer was 64 ms -- the rest was the browser running
~50 scripts, opening the websocket, mounting React and only then asking
for the feed. The original app showed its first post ~0.6 s sooner.

So the prerendered HTML of ``/`` carries a small inline script that asks
``GET /api/v1/feed`` as soon as the HTML is parsed (with the reader's token
when there is one: the same posts, shield and privacy as the live feed) and
draws the first cards with plain DOM calls -- text only, set through
``textContent``, never as HTML. When the live state arrives, the list
replaces the preview (components/post_list.py ``pending``). A failed or
refused request draws nothing: the live feed says what went wrong.

React leaves the container's children alone: it is rendered with an empty
``dangerouslySetInnerHTML``, whose contents hydration does not compare in
production. Inline scripts run only from server-rendered HTML (the export,
``reflex run --env prod``); in development the live list alone shows.
"""

from __future__ import annotations

import json

import reflex as rx

from booktracker.api.app import API_PREFIX
from booktracker.pwa import backend_url
from booktracker.state import TOKEN_STORAGE_NAME

PREVIEW_ID = "feed-preview"
PREVIEW_POSTS = 5  # a first screen's worth on a phone and a desktop
TEXT_SHOWN = 600  # characters of a post's text in a preview card

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
_SCRIPT = """
(function () {
  var box = document.getElementById(ID);
  if (!box || box.childElementCount) return;
  var token = "";
  try { token = window.localStorage.getItem(TOKEN) || ""; } catch (e) {}
  function el(tag, cls, text, css) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    if (css) node.style.cssText = css;
    return node;
  }
  function grouped(n) {  // "1,234", as components/numbers.py groups every count
    return Number(n).toLocaleString("en-US");
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
  ask(token).then(function (page) {
      if (!page || !document.body.contains(box) || box.childElementCount) return;
      page.posts.slice(0, COUNT).forEach(function (post) { box.appendChild(card(post)); });
    });
})();
"""

# The request: null on any failure (the live feed says what went wrong).
_ASK = """
function ask(token) {
  var headers = token ? { Authorization: "Bearer " + token } : {};
  return fetch(API + FEED, { headers: headers, credentials: "omit" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .catch(function () { return null; });
}
"""


def preview_script() -> str:
    """The feed page's script: draws the first cards into the box above it."""
    return _wrap(_SCRIPT)


def _wrap(script: str) -> str:
    """The script in its own scope, with this build's constants (the backend's URL is baked in)."""
    constants = {
        "ID": PREVIEW_ID,
        "TOKEN": TOKEN_STORAGE_NAME,
        "API": backend_url(),
        "FEED": f"{API_PREFIX}/feed?limit={PREVIEW_POSTS}",
        "SHOWN": TEXT_SHOWN,
        "COUNT": PREVIEW_POSTS,
        **_STYLES,
    }
    declarations = "".join(f"var {name} = {json.dumps(value)};" for name, value in constants.items())
    return "(function () {" + declarations + _ASK + script + "})();"


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
