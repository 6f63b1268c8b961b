"""booktracker/routes.py is the only place that spells a path of the app.

The source scan is what keeps it true: a page, component or the auth state
that types "/library" again fails here, with the file and line.
"""

import ast
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import reflex as rx
from reflex.utils.format import format_route

from booktracker import routes

PACKAGE = Path(routes.__file__).parent
# Where links and redirects are made; the API keeps its own prefix (api/app.py).
SCANNED = sorted([*(PACKAGE / "pages").glob("*.py"), *(PACKAGE / "components").glob("*.py"), PACKAGE / "state.py"])
# "/", "/library", "/u/…", "/books/…", "/login?next=…" and the other pages, as
# a whole string or as the constant start of an f-string.
FIRST_SEGMENTS = "|".join(re.escape(path.strip("/").split("/")[0]) for path in routes.PAGES if path != routes.HOME)
PATH_LITERAL = re.compile(rf"^/(?:(?:{FIRST_SEGMENTS})(?:[/?#]|$)|$|\?)")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def path_literals(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and PATH_LITERAL.match(node.value)
    )


def test_the_scan_recognises_path_literals():
    # The scan itself must catch each way a path was written before routes.py.
    source = '''"""/library: a docstring may name its page."""
a = rx.redirect("/library")
b = rx.link("x", href=f"/u/{user.username}")
c = f"/books/{item.id}"
d = "/login?next=/import"
e = rx.redirect("/")
f = "/settings"
g = f"{current} / {total} pages"
h = "/_upload/name"
'''
    assert [line for line, _ in path_literals(source)] == [2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_path_literal_outside_routes(path):
    assert path_literals(path.read_text()) == []


def test_every_registered_page_uses_a_path_from_routes():
    import booktracker.booktracker as main

    assert set(main.app._unevaluated_pages) == {format_route(path) for path in routes.PAGES}
    # …and booktracker.py names them, rather than typing an equal string.
    tree = ast.parse(Path(main.__file__).read_text())
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_page"
    ]
    route_args = [kw.value for call in calls for kw in call.keywords if kw.arg == "route"]
    assert len(route_args) == len(calls) == len(routes.PAGES)
    assert all(
        isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "routes"
        for arg in route_args
    ), [ast.unparse(arg) for arg in route_args]


def test_patterns_name_the_params_the_pages_read():
    assert format_route(routes.BOOK_PATTERN) == f"books/[{routes.BOOK_PARAM}]"
    assert format_route(routes.PROFILE_PATTERN) == f"u/[{routes.PROFILE_PARAM}]"


def test_builders_escape_their_parameter():
    assert routes.profile("ann") == "/u/ann"
    assert routes.profile("a b") == "/u/a%20b"
    assert routes.profile("../settings?x=1#y") == "/u/..%2Fsettings%3Fx%3D1%23y"
    assert routes.book(12) == "/books/12"
    assert routes.book("1/2") == "/books/1%2F2"


def test_builders_accept_vars_and_escape_in_the_browser():
    from booktracker.pages.book_detail import BookDetailState
    from booktracker.state import AuthState

    assert str(rx.Var.create(routes.profile(AuthState.username))) == (
        f'("/u/"+(encodeURIComponent({AuthState.username!s})))'
    )
    assert str(rx.Var.create(routes.book(BookDetailState.detail.id))) == (
        f'("/books/"+(encodeURIComponent({BookDetailState.detail.id!s})))'
    )


@pytest.mark.parametrize(
    ("next_", "expected"),
    [
        (None, "/login"),
        ("/import", "/login?next=/import"),
        ("/u/ann", "/login?next=/u/ann"),
        # Other sites, or what browsers read as one, fall back to the default.
        ("//evil.example", "/login?next=/library"),
        ("https://evil.example", "/login?next=/library"),
        ("/\\evil.example", "/login?next=/library"),
        ("", "/login?next=/library"),
    ],
)
def test_login_keeps_only_a_safe_next(next_, expected):
    assert routes.login(next=next_) == expected


def test_login_next_survives_the_query_string_whole():
    # A "?" or "&" in the path stays inside the one ``next`` parameter.
    url = routes.login(next="/library?tab=reading&next=//evil.example")
    assert parse_qs(urlsplit(url).query) == {"next": ["/library?tab=reading&next=//evil.example"]}
    assert routes.safe_next_path(parse_qs(urlsplit(url).query)["next"][0]).startswith("/library?")
