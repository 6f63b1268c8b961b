"""The import page state (/import): preview of an uploaded CSV (the file stays
on the server), a bounded error report, the import itself, and exports of
the reader's own data only."""

import io
import json
from pathlib import Path

import pytest
import reflex as rx
from sqlmodel import func, select

from booktracker.models import ImportJob, UserBook
from booktracker.pages.import_export import SHOWN_ERRORS
from booktracker.services import imports, library
from booktracker.services.books import BookInput
from booktracker.services.imports import jobs
from tests.states.helpers import (
    client_view,
    downloads,
    make_reader,
    new_session,
    redirects,
    route,
    run,
    run_background,
    sub,
    toasts,
)

GOODREADS = Path(__file__).resolve().parents[1] / "fixtures" / "goodreads_library_export.csv"
HEADER = "Book Id,Title,Author,ISBN,ISBN13,My Rating,Number of Pages,Date Read,Date Added,Bookshelves,Exclusive Shelf"


def _import(root):
    from booktracker.pages.import_export import ImportState

    route(root, "/import")
    return sub(root, ImportState)


def _upload(data: bytes, name: str = "goodreads_library_export.csv") -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name))


def _job(job_id: int) -> ImportJob:
    with new_session() as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        return job


def _file_of(state) -> str:
    return _job(state._job_id).file_path


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "UPLOAD_DIR", tmp_path / "imports")


def test_needs_a_login(root):
    state = _import(root)
    assert redirects(run(state.preview([_upload(GOODREADS.read_bytes())]))) == ["/login?next=/import"]
    assert state._job_id == 0
    assert redirects(state.download_csv()) == ["/login?next=/import"]
    assert redirects(state.download_json()) == ["/login?next=/import"]
    assert redirects(run(state.load())) == ["/login?next=/import"]


def test_preview_keeps_the_file_on_the_server_and_imports_it(signed_up):
    state = _import(signed_up)
    assert run(state.preview([])) is None and state.error == "Choose a CSV file first."
    run(state.preview([_upload(GOODREADS.read_bytes())]))
    assert state.error == "" and state.file_format == "Goodreads" and state.file_name.endswith(".csv")
    with new_session() as session:
        expected = imports.preview(session=session, user_id=state.current_user_id(), data=GOODREADS.read_bytes())
    assert (state.preview_total, state.preview_new, state.preview_invalid) == (
        expected.total,
        expected.new,
        len(expected.invalid),
    )
    assert expected.new > 5
    upload_path = _file_of(state)
    assert Path(upload_path).exists()
    assert upload_path not in client_view(state)  # the server path never reaches the browser

    first = state._job_id
    run(state.preview([_upload(GOODREADS.read_bytes())]))  # a second preview abandons the first file
    assert not Path(upload_path).exists() and Path(_file_of(state)).exists()
    assert _job(first).state == "abandoned"

    state.set_review_as("public")
    assert state.review_as == "public"
    state.set_review_as("<script>")
    assert state.review_as == "private"
    done = run_background(state, "run_import")
    assert [level for level, _ in toasts(done)] == ["success"]
    assert state.finished and not state.importing and state.created == expected.new
    assert state._job_id == 0 and not list(jobs.UPLOAD_DIR.glob("import-*"))  # the file is gone once imported
    with new_session() as session:
        mine = select(func.count()).select_from(UserBook).where(UserBook.user_id == state.current_user_id())
        assert session.exec(mine).one() == expected.new


def test_a_bad_file_is_explained_and_errors_are_reported_a_screenful_at_most(signed_up):
    state = _import(signed_up)
    run(state.preview([_upload(b"just,some\nother,csv\n")]))
    assert state.error and state._job_id == 0 and state.file_name == ""

    rows = [f"{n},,Nobody,,,0,,,,,to-read" for n in range(SHOWN_ERRORS + 10)]
    run(state.preview([_upload("\n".join([HEADER, "1,Real Book,Somebody,,,0,,,,,to-read", *rows]).encode())]))
    assert state.error == "" and state.preview_total == SHOWN_ERRORS + 11
    assert state.preview_invalid == SHOWN_ERRORS + 10 and len(state.errors) == SHOWN_ERRORS
    assert state.preview_new == 1


def test_exports_hold_the_readers_own_books_only(signed_up):
    bob = make_reader("Bob")
    state = _import(signed_up)
    with new_session() as session:
        library.add_to_library(session=session, user_id=state.current_user_id(), book=BookInput(title="Emma"))
        library.add_to_library(session=session, user_id=bob.id or 0, book=BookInput(title="Bob's Secret"))
    [(name, content)] = downloads(state.download_csv())
    assert name == "trackmyread_library.csv" and b"Emma" in content and b"Secret" not in content
    [(name, content)] = downloads(state.download_json())
    data = json.loads(content)
    assert name == "trackmyread_data.json" and [b["title"] for b in data["library"]] == ["Emma"]
    assert "password_hash" not in content.decode()


def test_a_file_over_the_limit_is_refused_before_reading_and_bad_lines_can_stop_the_import(signed_up):
    state = _import(signed_up)
    big = rx.UploadFile(file=io.BytesIO(b""), path=Path("big.csv"), size=50 * 1024 * 1024)
    run(state.preview([big]))
    assert state.error == f"Import files must be at most {imports.MAX_FILE_MB} MB." and state._job_id == 0

    data = "\n".join([HEADER, "1,Real Book,Somebody,,,0,,,,,to-read", "2,Bad,Somebody,,,9,,,,,to-read"]).encode()
    run(state.preview([_upload(data)]))
    assert state.preview_invalid == 1 and state.preview_new == 1
    state.set_skip_invalid(False)
    run_background(state, "run_import")
    assert "1 line cannot be imported" in state.error and not state.importing
    with new_session() as session:
        mine = select(func.count()).select_from(UserBook).where(UserBook.user_id == state.current_user_id())
        assert session.exec(mine).one() == 0  # nothing half-imported
    state.set_skip_invalid(True)
    run_background(state, "run_import")
    assert state.finished and state.created == 1 and state.failed == 1


def test_leaving_the_page_abandons_the_preview_and_its_file(signed_up):
    state = _import(signed_up)
    run(state.preview([_upload(GOODREADS.read_bytes())]))
    job_id, path = state._job_id, _file_of(state)
    state.forget_upload()
    assert state._job_id == 0 and state.file_name == "" and not Path(path).exists()
    assert _job(job_id).state == "abandoned"
    run_background(state, "run_import")  # nothing left to import
    assert not state.finished and state.created == 0


def test_files_the_dropzone_refuses_are_explained_on_the_page(signed_up):
    """Reflex's upload only logs a server refusal (413), so the page refuses
    what the server would, in the browser, and says so in its error callout."""
    state = _import(signed_up)
    too_large = {"file": {"path": "big.csv"}, "errors": [{"code": "file-too-large", "message": "File is larger"}]}
    state.reject_files([too_large])
    assert state.error == "Import files must be at most 20 MB."
    state.reject_files([{"file": {"path": "x.png"}, "errors": [{"code": "file-invalid-type", "message": "type"}]}])
    assert state.error == "Choose a CSV export or a TrackMyRead JSON backup (.csv or .json)."
    state.reject_files([{"file": {"path": "x"}, "errors": [{"code": "other", "message": "Something else"}]}])
    assert state.error == "Something else"


def test_the_upload_guard_gives_import_uploads_the_import_limit():
    from booktracker import asgi
    from booktracker.pages.import_export import ImportState

    assert asgi.UPLOAD_LIMITS[ImportState.get_full_name()] is asgi.IMPORT_LIMIT
    assert asgi.IMPORT_LIMIT.message == imports.TOO_LARGE  # the page and the server say the same


def test_an_expired_preview_is_swept_and_explained(signed_up):
    import datetime

    state = _import(signed_up)
    run(state.preview([_upload(GOODREADS.read_bytes())]))
    path = _file_of(state)
    later = datetime.datetime.now(datetime.UTC) + jobs.EXPIRES + datetime.timedelta(minutes=1)
    old = (later - jobs.EXPIRES - datetime.timedelta(minutes=2)).timestamp()
    import os

    os.utime(path, (old, old))
    with new_session() as session:
        assert jobs.sweep(session, now=later) == 1
    assert not Path(path).exists() and _job(state._job_id).state == "expired"
    run_background(state, "run_import")
    assert state.error == jobs.EXPIRED and not state.importing


def test_the_app_sweeps_abandoned_previews_when_a_worker_starts():
    """Previews left by a restart are not waited on until the next preview."""
    from booktracker.booktracker import app

    assert jobs.sweep_at_startup in app.get_lifespan_tasks()


def test_coming_back_to_the_page_shows_no_earlier_error_or_preview(signed_up):
    state = _import(signed_up)
    run(state.preview([_upload(b"just,some\nother,csv\n")]))
    assert state.error
    run(state.load())
    assert state.error == ""

    rows = [f"{n},,Nobody,,,0,,,,,to-read" for n in range(3)]
    run(state.preview([_upload("\n".join([HEADER, "1,Real Book,Somebody,,,0,,,,,to-read", *rows]).encode())]))
    job_id, path = state._job_id, _file_of(state)
    assert state.preview_total == 4 and state.errors
    run(state.load())
    assert (state.file_name, state.preview_total, state.preview_invalid, state.errors) == ("", 0, 0, [])
    assert state._job_id == 0 and not Path(path).exists() and _job(job_id).state == "abandoned"


def test_an_import_still_running_keeps_its_progress_when_the_page_loads(signed_up):
    state = _import(signed_up)
    state.importing, state.done, state.total = True, 3, 10
    run(state.load())
    assert (state.importing, state.done, state.total) == (True, 3, 10)
