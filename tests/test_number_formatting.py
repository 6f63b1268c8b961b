"""Counts, pages and statistics show thousands separators ("10,000 pages", issue 15),
through components/numbers.py on both sides: Python labels and browser-side Vars.

The components are rendered, and the JS of each text is run in node with the data bound,
so a test sees what the reader sees ("9,999 / 10,000 pages · 99%"), not the code."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.numbers import count_text, grouped, grouped_var
from booktracker.components.pagination import count_label, range_label

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node runs the components' JS")


def _texts(component: rx.Component, data: dict[rx.Var, object]) -> list[str]:
    """Every text element's words, with each Var in ``data`` bound to its value (JS run in node).
    A state field renders as ``<state object>.<field>``: the state object is made up here."""
    # Reflex's own helper (state.js): what a condition on a Var means.
    is_true = "(v) => Array.isArray(v) ? v.length > 0 : v?.constructor === Object ? Object.keys(v).length > 0 : !!v"
    prelude = [f"globalThis.isTrue = {is_true};"]
    for var, value in data.items():
        owner, _, name = str(var).rpartition(".")
        target = f"globalThis[{json.dumps(owner)}]" if owner else "globalThis"
        prelude.append(f"{target} = Object.assign({target} || {{}}, {{{json.dumps(name)}: {json.dumps(value)}}});")
    elements: list[list[str]] = []

    def walk(node: object) -> None:
        # Elements, conds and match cases: any dict, list or tuple inside the rendered tree.
        if isinstance(node, dict):
            contents = [c["contents"] for c in node.get("children", []) if isinstance(c, dict) and "contents" in c]
            if contents:
                elements.append(contents)
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(component.render())
    script = "\n".join(
        [
            *prelude,
            "const out = [];",
            *(
                "try { out.push([" + ", ".join(f"({c})" for c in contents) + "].join('')); } catch (e) {}"
                for contents in elements
            ),
            "console.log(JSON.stringify(out));",
        ]
    )
    done = subprocess.run([NODE or "node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(done.stdout)


def test_python_labels_group_thousands():
    assert grouped(10_000) == "10,000" and grouped(1_234_567) == "1,234,567" and grouped(999) == "999"
    assert count_label(5_000, "book") == "5,000 books" and count_label(1, "book") == "1 book"
    assert range_label(1, 24, 5_000, "book") == "1–24 of 5,000 books"
    assert range_label(4_993, 5_000, 5_000, "book") == "4,993–5,000 of 5,000 books"


@needs_node
def test_the_browser_side_formats_as_python_does():
    n = rx.Var("n", _var_type=int)
    for value in (0, 1, 999, 1_000, 10_000, 1_234_567):
        assert _texts(rx.text(grouped_var(n)), {n: value}) == [grouped(value)]
    assert _texts(rx.text(count_text(n, "page")), {n: 1}) == ["1 page"]
    assert _texts(rx.text(count_text(n, "page")), {n: 10_000}) == ["10,000 pages"]


@needs_node
def test_library_cards_tabs_and_shelves():
    from booktracker.components.books import progress_line, read_count_badge
    from booktracker.components.shelves import _count_text
    from booktracker.pages.library import LibraryState, tabs

    current, total, percent = (rx.Var(name, _var_type=int) for name in ("current", "total", "percent"))
    line = progress_line(current, total, percent)
    assert "9,999 / 10,000 pages · 99%" in _texts(line, {current: 9_999, total: 10_000, percent: 99})
    assert "Page 1,200" in _texts(line, {current: 1_200, total: 0, percent: 0})
    count = rx.Var("count", _var_type=int)
    assert "1,001 reads" in _texts(read_count_badge(count), {count: 1_001})
    assert _texts(rx.text(_count_text(count)), {count: 5_000}) == ["5,000 books"]
    assert "5,000" in _texts(tabs(), {LibraryState.counts: {"all": 5_000}})


@needs_node
def test_book_page_profile_posts_and_circles():
    from booktracker.components.circles import activity_row, goal_ring
    from booktracker.components.posts import PostActions, _actions
    from booktracker.pages.book_page import S, header, ratings_card, readers_card
    from booktracker.pages.profile import stat
    from booktracker.services.posts import PostView

    book = {"pages": 10_000, "rating_count": 1, "series": "", "year": "", "want_to_read": 12_345}
    assert "10,000 pages" in _texts(header(), {S.book: book})
    assert "from 1 rating" in _texts(ratings_card(), {S.book: book})  # was "from 1 ratings"
    assert "from 1,234 ratings" in _texts(ratings_card(), {S.book: {**book, "rating_count": 1_234}})
    assert "12,345" in _texts(readers_card(), {S.book: book})
    from booktracker.components.commonplace import _where

    noted = rx.Var("noted").to(ObjectVar, PostView)
    assert "p. 9,999" in _texts(_where(noted), {noted: {"page": 9_999, "chapter": ""}})
    followers = rx.Var("followers", _var_type=int)
    assert _texts(stat("followers", followers), {followers: 1_500})[0] == "1,500"

    post = rx.Var("post").to(ObjectVar, PostView)
    handler = lambda _id: rx.console_log("")  # noqa: E731 -- the buttons need some event
    actions = PostActions(
        *(handler, handler, handler, handler),
        logged_in=rx.Var.create(True),
        open_comments_id=rx.Var.create(0),
        editing_id=rx.Var.create(0),
        comments=rx.fragment(),
        editor=rx.fragment(),
    )
    texts = _texts(_actions(post, actions), {post: {"like_count": 1_234_567, "comment_count": 12_000}})
    assert "1,234,567" in texts and "12,000" in texts

    item = rx.Var("item", _var_type=dict)
    assert " read 2,000 pages of " in _texts(activity_row(item.to(ObjectVar)), {item: {"kind": "read", "pages": 2_000}})  # type: ignore[arg-type]
    done, target, pct = (rx.Var(name, _var_type=int) for name in ("done", "target", "pct"))
    kind = rx.Var("kind", _var_type=str)
    assert "1,200 of 10,000 pages" in _texts(
        goal_ring(done, target, pct, kind), {done: 1_200, target: 10_000, kind: "pages"}
    )


@needs_node
def test_pie_slices_are_labelled_with_grouped_values():
    from booktracker.components.numbers import SLICE_LABEL
    from booktracker.pages.stats import S, pie

    assert "label:" + str(SLICE_LABEL) in str(pie(S.formats))  # was label:true, which drew "1667"
    script = "console.log((" + str(SLICE_LABEL) + ")({value: 1667}))"
    done = subprocess.run([NODE or "node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    assert done.stdout.strip() == "1,667"


@needs_node
def test_chart_tooltips_show_grouped_values():
    from booktracker.components.numbers import TOOLTIP_VALUE
    from booktracker.pages.stats import S, months_chart, pages_chart, pie

    for chart in (pie(S.formats), pages_chart(), months_chart()):
        assert "formatter:" + str(TOOLTIP_VALUE) in str(chart)  # the tooltip drew "Paperback : 1667"
    script = "console.log((" + str(TOOLTIP_VALUE) + ")(1667))"
    done = subprocess.run([NODE or "node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    assert done.stdout.strip() == "1,667"
