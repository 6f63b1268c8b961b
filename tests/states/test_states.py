"""Page states and their event handlers, without a browser.

Reflex lets tests instantiate states; handlers are called as plain methods
and their returned events inspected.
"""

import asyncio
from urllib.parse import urlencode

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlalchemy.exc import OperationalError

from booktracker.errors import AuthenticationFailed
from booktracker.services import auth, library
from booktracker.services.books import BookInput
from booktracker.state import AuthState, handle_errors, safe_next_path


def run(result):
    """Await what an async handler returned; pass a sync handler's result through."""
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


@pytest.fixture
def root(db):
    import booktracker.booktracker  # noqa: F401  (registers every page state)

    state = rx.State(_reflex_internal_init=True)
    route(state, "/")
    return state


def route(root, path, query=None):
    as_path = path + (f"?{urlencode(query)}" if query and "[" not in path else "")
    root.router = RouterData.from_router_data(
        {
            "pathname": path,
            "asPath": as_path,
            "query": query or {},
            "ip": "127.0.0.9",
            "headers": {"origin": "http://localhost:3000"},
        }
    )


def sub(root, cls):
    return root.get_substate(cls.get_full_name().split("."))


def events(result) -> list[tuple[str, dict]]:
    """(kind, {arg: value}) of the events a handler returned; kind is
    "redirect" or "client_call" (toasts are client-side function calls)."""
    specs = result if isinstance(result, list) else [result] if result is not None else []
    found = []
    for spec in specs:
        args = {str(name): getattr(value, "_var_value", value) for name, value in spec.args}
        kind = "redirect" if "external" in args else "client_call" if "function" in args else "other"
        found.append((kind, args))
    return found


def redirects(result) -> list[str]:
    return [args["path"] for kind, args in events(result) if kind == "redirect"]


@pytest.fixture
def signed_up(root):
    from booktracker.pages.signup import SignupState

    state = sub(root, SignupState)
    result = run(state.sign_up({"email": "ann@example.com", "name": "Ann", "password": "password 123"}))
    assert redirects(result) == ["/library"]
    return root


def test_signup_stores_a_token_and_reports_duplicates(root):
    from booktracker.pages.signup import SignupState

    state = sub(root, SignupState)
    run(state.sign_up({"email": "ann@example.com", "name": "Ann", "password": "password 123"}))
    assert state.auth_token and state.user_name == "Ann"
    state.auth_token = ""
    assert run(state.sign_up({"email": "ANN@example.com", "name": "Ann", "password": "password 123"})) is None
    assert "already exists" in state.error and state.auth_token == ""


def test_login_errors_and_safe_next(signed_up):
    from booktracker.pages.login import LoginState

    state = sub(signed_up, LoginState)
    state.auth_token = ""
    run(state.log_in({"email": "ann@example.com", "password": "wrong password"}))
    assert state.error == auth.BAD_CREDENTIALS and not state.auth_token
    route(signed_up, "/login", {"next": "//evil.example.com"})
    assert redirects(run(state.log_in({"email": "ann@example.com", "password": "password 123"}))) == ["/library"]
    route(signed_up, "/login", {"next": "/books/7"})
    assert redirects(run(state.log_in({"email": "ann@example.com", "password": "password 123"}))) == ["/books/7"]
    assert [safe_next_path(p) for p in ("/x", "//x", "https://x", "/\\x")] == ["/x", "/library", "/library", "/library"]


def test_library_state_pages_six_and_resets_page_on_filter(signed_up):
    from booktracker.pages.library import LibraryState

    state = sub(signed_up, LibraryState)
    user_id = state.current_user_id()
    for n in range(14):
        with _session() as session:
            library.add_to_library(session=session, user_id=user_id, book=BookInput(title=f"Book {n:02}"))
    state.load()
    assert len(state.items) == 6 and state.total == 14 and state.window == [1, 2, 3]
    state.go_to_page(3)
    assert state.page_number == 3 and (state.first, state.last) == (13, 14)
    state.set_search("Book 1")
    assert state.page_number == 1 and state.total == 4
    state.clear_filters()
    assert state.search == "" and state.total == 14


def _session():
    from sqlmodel import Session

    from booktracker.db import get_engine

    return Session(get_engine(), expire_on_commit=False)


def test_missing_or_bad_token_redirects_to_login(root):
    from booktracker.pages.library import LibraryState

    state = sub(root, LibraryState)
    route(root, "/library")
    assert redirects(state.load()) == ["/login?next=/library"]
    state.auth_token = "forged.token.value"
    assert redirects(state.load()) == ["/login?next=/library"]
    assert state.auth_token == ""  # the bad token is dropped


def test_book_detail_refuses_someone_elses_book(signed_up):
    from booktracker.pages.book_detail import BookDetailState

    with _session() as session:
        bob = auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")
        bobs = library.add_to_library(
            session=session, user_id=bob.id, book=BookInput(title="Secret", total_pages=10)
        ).user_book
    state = sub(signed_up, BookDetailState)
    route(signed_up, "/books/[user_book_id]", {"user_book_id": str(bobs.id)})
    state.load()
    assert state.status == "missing" and state.detail.title == ""
    # Even a handler called with a forged id changes nothing of Bob's.
    state.detail = state.detail.model_copy(update={"id": bobs.id})
    assert events(state.save_progress({"current_page": "5"}))[0][0] == "client_call"  # an error toast
    with _session() as session:
        assert library.get_detail(session=session, user_id=bob.id, user_book_id=bobs.id).current_page == 0


def test_book_detail_progress_and_validation(signed_up):
    from booktracker.pages.book_detail import BookDetailState

    state = sub(signed_up, BookDetailState)
    user_id = state.current_user_id()
    with _session() as session:
        entry = library.add_to_library(
            session=session, user_id=user_id, book=BookInput(title="Dune", total_pages=400)
        ).user_book
    route(signed_up, "/books/[user_book_id]", {"user_book_id": str(entry.id)})
    state.load()
    assert state.status == "found" and state.detail.title == "Dune"
    state.save_progress({"current_page": "200"})
    assert state.detail.percent == 50
    state.save_progress({"current_page": "999"})  # refused with a toast
    assert state.detail.current_page == 200
    state.change_status("finished")
    assert state.detail.current_page == 400 and state.detail.status == "finished"


def test_logout_revokes_the_token(signed_up):
    state = sub(signed_up, AuthState)
    token = state.auth_token
    result = state.logout()
    assert redirects(result) == ["/login"] and state.auth_token == ""
    with _session() as session, pytest.raises(AuthenticationFailed):
        auth.check_token(session=session, token=token)


def test_database_outage_becomes_an_error_toast():
    class Probe:
        router = None

        @handle_errors
        def handler(self):
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

        @handle_errors
        async def async_handler(self):
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    result = Probe().handler()
    assert events(result)[0][0] == "client_call"  # rx.toast.error(...)
    assert events(run(Probe().async_handler()))[0][0] == "client_call"  # the same for async handlers


def test_post_handlers_refuse_other_readers_posts(signed_up):
    from booktracker.pages.feed import FeedState
    from booktracker.services import posts

    with _session() as session:
        bob = auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")
        bobs = posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="Bob's words"))
        secret = posts.create_post(
            session=session, user_id=bob.id, data=posts.PostInput(text="hidden", is_public=False)
        )
        comment = posts.add_comment(session=session, user_id=bob.id, post_id=bobs.id, text="Bob's comment")
    state = sub(signed_up, FeedState)
    state.load()
    assert [p.text for p in state.posts] == ["Bob's words"]  # never the private one
    assert not state.posts[0].is_mine

    state.deleting_id = bobs.id
    assert events(state.confirm_delete())[0][0] == "client_call"  # refused: error toast
    state.editing_id = bobs.id
    assert events(state.save_edit({"text": "hacked", "quote": "", "is_public": "on"}))[0][0] == "client_call"
    state.open_comments_id = bobs.id
    assert events(state.delete_comment(comment.id))[0][0] == "client_call"
    state.posts = [state.posts[0].model_copy(update={"id": secret.id})]  # a forged id
    list(state.toggle_like(secret.id))
    assert state.posts[0].like_count == 0 and not state.posts[0].liked_by_me  # reverted
    with _session() as session:
        assert posts.get_post(session=session, viewer_id=bob.id, post_id=bobs.id).text == "Bob's words"
        assert posts.get_post(session=session, viewer_id=bob.id, post_id=secret.id).like_count == 0
        assert [c.text for c in posts.list_comments(session=session, viewer_id=bob.id, post_id=bobs.id)] == [
            "Bob's comment"
        ]
