"""One error path for every handler: ``handle_errors`` (booktracker/state.py)
and the app-wide fallback Reflex calls for anything a handler lets through.

Named bugs proved here: an unexpected exception used to escape the handler
(Reflex's default then showed a bare "An error occurred" and nothing in our
log); ``submit_post`` and ``toggle_like`` sent an expired login to a plain
"/login" (the reader lost their page); ``run_import`` did nothing at all on
an expired login and called every bug a database outage.
"""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest
import reflex as rx

from booktracker.errors import InvalidInput
from booktracker.models import ImportJob
from booktracker.services import posts
from booktracker.state import GENERIC_ERROR_MESSAGE, handle_errors, on_unhandled_error
from tests.states.helpers import (
    BackgroundSelf,
    first_card_likes,
    make_reader,
    new_session,
    redirects,
    route,
    run,
    sub,
    toasts,
)

BUG = "a bug nobody expected"


def _bug(*args, **kwargs):
    raise RuntimeError(BUG)


def _logged_bugs(caplog) -> list[logging.LogRecord]:
    """ERROR records of booktracker.events that carry the bug's stack trace."""
    return [
        record
        for record in caplog.records
        if record.name == "booktracker.events"
        and record.levelno == logging.ERROR
        and record.exc_info is not None
        and str(record.exc_info[1]) == BUG
    ]


class Probe:
    """A stand-in state: every kind of handler Reflex runs, each hitting a bug."""

    router = None

    @handle_errors
    def plain(self):
        _bug()

    @handle_errors
    async def coroutine(self):
        _bug()

    @handle_errors
    def generator(self):
        yield None
        _bug()

    @handle_errors
    async def async_generator(self):
        yield None
        _bug()


@pytest.mark.parametrize("kind", ["plain", "coroutine", "generator", "async_generator"])
def test_an_unexpected_exception_is_logged_with_its_stack_and_becomes_a_calm_toast(kind, caplog):
    caplog.set_level(logging.ERROR, logger="booktracker.events")
    result = run(getattr(Probe(), kind)())
    assert toasts(result) == [("error", GENERIC_ERROR_MESSAGE)]
    [record] = _logged_bugs(caplog)
    assert kind in record.getMessage()  # names the handler
    assert "Traceback" in caplog.text and "_bug" in caplog.text


def test_the_app_wide_fallback_logs_and_shows_the_same_toast(caplog):
    from booktracker.booktracker import app

    assert app.backend_exception_handler is on_unhandled_error
    app._validate_exception_handlers()  # Reflex accepts its signature
    caplog.set_level(logging.ERROR, logger="booktracker.events")
    try:
        _bug()
    except RuntimeError as exc:
        result = on_unhandled_error(exc)
    assert toasts(result) == [("error", GENERIC_ERROR_MESSAGE)]
    assert len(_logged_bugs(caplog)) == 1


# ---------------------------------------------------------------- the composer


def _fail_publishing(monkeypatch, error=_bug):
    # Whichever service the composer calls to store a post.
    for name in ("create_post", "publish"):
        if hasattr(posts, name):
            monkeypatch.setattr(posts, name, error)


def test_submit_post_without_login_comes_back_to_the_feed(root):
    from booktracker.pages.feed import FeedState

    state = sub(root, FeedState)
    state.composer_text = "A line worth keeping"
    result = run(state.submit_post([]))
    assert redirects(result) == ["/login?next=/"]  # was plain "/login"
    assert not state.posting and state.composer_text == "A line worth keeping"


def test_a_bug_while_posting_is_logged_and_the_composer_keeps_its_text(signed_up, monkeypatch, caplog):
    from booktracker.pages.feed import FeedState

    caplog.set_level(logging.ERROR, logger="booktracker.events")
    _fail_publishing(monkeypatch)
    state = sub(signed_up, FeedState)
    state.composer_text = "A line worth keeping"
    result = run(state.submit_post([]))
    assert toasts(result) == [("error", GENERIC_ERROR_MESSAGE)]
    assert not state.posting and state.composer_text == "A line worth keeping"
    assert len(_logged_bugs(caplog)) == 1


# ---------------------------------------------------------------- likes


@pytest.fixture
def feed_with_bobs_post(signed_up):
    from booktracker.pages.feed import FeedState

    bob = make_reader("Bob")
    with new_session() as session:
        posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="Bob's words"))
    state = sub(signed_up, FeedState)
    state.load()
    assert [p.text for p in state.posts] == ["Bob's words"]
    return state


def test_liking_after_the_login_expired_comes_back_to_the_page(feed_with_bobs_post):
    state = feed_with_bobs_post
    state.auth_token = ""
    result = run(state.toggle_like(state.posts[0].id))
    assert redirects(result) == ["/login?next=/"]  # was plain "/login"
    assert first_card_likes(state) == (0, False)  # the heart went back


def test_a_bug_while_liking_puts_the_heart_back_and_is_logged(feed_with_bobs_post, monkeypatch, caplog):
    caplog.set_level(logging.ERROR, logger="booktracker.events")
    monkeypatch.setattr(posts, "like", _bug)
    state = feed_with_bobs_post
    result = run(state.toggle_like(state.posts[0].id))
    assert toasts(result) == [("error", GENERIC_ERROR_MESSAGE)]  # was the database-outage message
    assert first_card_likes(state) == (0, False)
    assert len(_logged_bugs(caplog)) == 1


# ---------------------------------------------------------------- the import (a background task)


@pytest.fixture
def import_state(root, tmp_path, monkeypatch):
    from booktracker.pages.import_export import ImportState
    from booktracker.services.imports import jobs

    monkeypatch.setattr(jobs, "UPLOAD_DIR", tmp_path / "imports")
    route(root, "/import")
    return sub(root, ImportState)


def _previewed(state) -> None:
    """A real preview: the file kept on the server as an import job."""
    csv = b"Title,Author,ISBN13,Exclusive Shelf\nDune,Frank Herbert,,to-read\n"
    run(state.preview([rx.UploadFile(file=io.BytesIO(csv), path=Path("goodreads.csv"))]))
    assert state.error == "" and state._job_id


def _run_import(state):
    return asyncio.run(type(state).run_import.fn(BackgroundSelf(state)))


def _importer_raising(error: Exception):
    def run(self, session_factory, *, batch_size):
        raise error
        yield  # a generator, like the real one

    return run


def test_importing_after_the_login_expired_comes_back_to_the_import(import_state):
    import_state._job_id = 1  # a preview the page still shows
    result = _run_import(import_state)
    assert redirects(result) == ["/login?next=/import"]  # was: nothing at all
    assert not import_state.importing


def test_a_bug_during_the_import_is_logged_and_the_button_works_again(signed_up, import_state, monkeypatch, caplog):
    from booktracker.services.imports.importer import Importer

    caplog.set_level(logging.ERROR, logger="booktracker.events")
    _previewed(import_state)
    job_id = import_state._job_id
    monkeypatch.setattr(Importer, "run", _importer_raising(RuntimeError(BUG)))
    result = _run_import(import_state)
    assert toasts(result) == [("error", GENERIC_ERROR_MESSAGE)]  # was the database-outage message
    assert not import_state.importing and import_state.error == ""
    assert len(_logged_bugs(caplog)) == 1
    with new_session() as session:  # the job says what happened, for the API and the next visit
        job = session.get(ImportJob, job_id)
        assert job is not None and job.state == "failed" and job.message


def test_a_refused_import_still_explains_itself_beside_the_form(signed_up, import_state, monkeypatch):
    from booktracker.services.imports.importer import Importer

    _previewed(import_state)
    monkeypatch.setattr(Importer, "run", _importer_raising(InvalidInput("Choose what to do with reviews.")))
    assert _run_import(import_state) is None
    assert not import_state.importing and import_state.error == "Choose what to do with reviews."
