"""Fixtures for page-state tests: a fresh root state, and one with Ann signed up."""

import pytest
import reflex as rx

from tests.states.helpers import PASSWORD, redirects, route, run, sub


@pytest.fixture
def root(db):
    import booktracker.booktracker  # noqa: F401  (registers every page state)

    # How Reflex itself builds a root state outside the app; not in the typed signature.
    state = rx.State(_reflex_internal_init=True)  # pyright: ignore[reportCallIssue]
    route(state, "/")
    return state


@pytest.fixture
def signed_up(root):
    """The root state after Ann (ann@example.com, username "ann") signed up."""
    from booktracker.pages.signup import SignupState

    state = sub(root, SignupState)
    result = run(state.sign_up({"email": "ann@example.com", "name": "Ann", "password": PASSWORD}))
    assert redirects(result) == ["/library"]
    return root
