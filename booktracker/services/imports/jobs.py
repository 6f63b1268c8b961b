"""An import kept between its preview and its end: the one use case behind
the import page and ``/api/v1/imports``.

``create`` previews an uploaded file and keeps it in a temp file beside an
``ImportJob`` row; ``start`` claims the job for one run (an UPDATE that only
one worker or click can win); ``run`` imports it through ``Importer``,
writing progress into the row once per batch, so any worker can answer a
poll. The temp file goes when the import finishes or fails, is abandoned
(a new preview, leaving the page: ``abandon``) or expires (``sweep``, at
start-up and on every preview: files and previews older than ``EXPIRES``).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col

from booktracker.db import utcnow
from booktracker.errors import Conflict, InvalidInput, NotFound, ServiceError
from booktracker.models import ImportJob
from booktracker.services.imports.importer import BATCH, REVIEW_CHOICES, Importer, ImportPreview, ImportProgress
from booktracker.services.imports.rows import RowError

log = logging.getLogger(__name__)

# Where previews wait for their run; every worker of one machine shares it.
UPLOAD_DIR = Path(tempfile.gettempdir()) / "trackmyread-imports"
EXPIRES = datetime.timedelta(hours=1)
EXPIRED = "This preview has expired (after an hour): choose the file again."
INTERRUPTED = "The import was interrupted (the server restarted). Import the same file again to add the rest."
UNEXPECTED = "The import stopped on an unexpected error; what was imported stays. Try the same file again."
ALREADY_RUN = "This import has already been started."
NO_SUCH_IMPORT = "No such import."


def _upload_dir() -> Path:
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    return UPLOAD_DIR


def sweep_files(*, now: datetime.datetime | None = None) -> int:
    """Remove preview files older than EXPIRES; how many. Needs no database (start-up)."""
    cutoff = ((now or utcnow()) - EXPIRES).timestamp()
    removed = 0
    if UPLOAD_DIR.exists():
        for path in UPLOAD_DIR.glob("import-*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # another worker swept it first
                pass
    return removed


async def sweep_at_startup() -> None:
    """A lifespan task: files left by previews before a restart."""
    removed = sweep_files()
    if removed:
        log.info("removed %d expired import preview files", removed)


def sweep(session: Session, *, now: datetime.datetime | None = None) -> int:
    """Expired preview files and their jobs; the number of files removed.

    A running job whose progress has not moved for as long was cut off by a
    restart (its thread died with the worker): it is marked failed."""
    now = now or utcnow()
    removed = sweep_files(now=now)
    stale = col(ImportJob.updated_at) < now - EXPIRES
    session.execute(
        sa.update(ImportJob)
        .where(col(ImportJob.state) == "previewed", stale)
        .values(state="expired", file_path="", updated_at=now)
    )
    session.execute(
        sa.update(ImportJob)
        .where(col(ImportJob.state) == "running", stale)
        .values(state="failed", file_path="", message=INTERRUPTED, updated_at=now)
    )
    session.commit()
    return removed


def _error_dicts(errors: list[RowError]) -> list[dict]:
    return [dataclasses.asdict(error) for error in errors]


def create(*, session: Session, user_id: int, data: bytes, file_name: str) -> tuple[ImportJob, ImportPreview]:
    """Preview ``data`` and keep it for a run; a bad file raises and leaves nothing behind."""
    sweep(session)
    result = Importer(user_id=user_id, data=data).preview(session)
    suffix = ".json" if result.format == "trackmyread-export" else ".csv"
    handle, path = tempfile.mkstemp(prefix="import-", suffix=suffix, dir=_upload_dir())
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    job = ImportJob(
        user_id=user_id,
        format=result.format,
        file_name=(file_name or f"export{suffix}")[:255],
        file_path=path,
        summary={
            "new": result.new,
            "already_in_library": result.already_in_library,
            "invalid_count": result.invalid_count,
            "duplicates": result.duplicates,
            "unknown_columns": result.unknown_columns,
            "notice": result.notice,
        },
        total=result.total,
        errors=_error_dicts(result.invalid),
    )
    try:
        session.add(job)
        session.commit()
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise
    return job, result


def get(*, session: Session, user_id: int, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None or job.user_id != user_id:  # another reader's import is no one's
        raise NotFound(NO_SUCH_IMPORT)
    return job


def abandon(*, session: Session, user_id: int, job_id: int) -> None:
    """Drop a preview that will not be imported (a running import goes on)."""
    job = session.get(ImportJob, job_id)
    if job is None or job.user_id != user_id or job.state != "previewed":
        return
    Path(job.file_path).unlink(missing_ok=True)
    job.state, job.file_path, job.updated_at = "abandoned", "", utcnow()
    session.add(job)
    session.commit()


def start(*, session: Session, user_id: int, job_id: int, review_as: str, skip_invalid: bool) -> ImportJob:
    """Claim a previewed job for its one run; refusals leave it previewed."""
    if review_as not in REVIEW_CHOICES:
        raise InvalidInput("Choose what to do with reviews: private, public or skip.", field="review_as")
    job = get(session=session, user_id=user_id, job_id=job_id)
    if job.state in ("expired", "abandoned"):
        raise Conflict(EXPIRED, field="file")
    if job.state != "previewed":
        raise Conflict(ALREADY_RUN)
    bad = int(job.summary.get("invalid_count", 0))
    if bad and not skip_invalid:
        raise InvalidInput(
            f"{bad} line{'s' if bad != 1 else ''} cannot be imported (listed below); nothing was imported. "
            "Correct them, or choose to skip lines with errors.",
            field="file",
        )
    if not Path(job.file_path).exists():
        job.state, job.file_path = "expired", ""
        session.add(job)
        session.commit()
        raise Conflict(EXPIRED, field="file")
    claimed = session.execute(
        sa.update(ImportJob)
        .where(col(ImportJob.id) == job_id, col(ImportJob.state) == "previewed")
        .values(state="running", review_as=review_as, skip_invalid=skip_invalid, errors=[], updated_at=utcnow())
    )
    session.commit()
    if getattr(claimed, "rowcount", 1) != 1:  # another click or worker won
        raise Conflict(ALREADY_RUN)
    session.refresh(job)
    return job


def _save(session_factory: Callable[[], Session], job_id: int, **values) -> None:
    with session_factory() as session:
        session.execute(sa.update(ImportJob).where(col(ImportJob.id) == job_id).values(updated_at=utcnow(), **values))
        session.commit()


def _progress_values(progress: ImportProgress) -> dict:
    return {
        "done": progress.done,
        "total": progress.total,
        "created": progress.created,
        "already": progress.already,
        "failed": len(progress.failed),
        "errors": _error_dicts(progress.failed),
    }


def run(job_id: int, session_factory: Callable[[], Session], *, batch_size: int = BATCH) -> Iterator[ImportProgress]:
    """Import a started job, yielding progress after each batch (also written to its row).

    The temp file is removed at the end, whether the import finished or failed;
    a failure is written to the row (``message``) and raised to the caller."""
    with session_factory() as session:
        job = session.get(ImportJob, job_id)
        if job is None or job.state != "running":
            raise Conflict(ALREADY_RUN)
        user_id, path, review_as, skip_invalid = job.user_id, Path(job.file_path), job.review_as, job.skip_invalid
    progress: ImportProgress | None = None
    try:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise Conflict(EXPIRED, field="file") from None
        importer = Importer(user_id=user_id, data=data, review_as=review_as, skip_invalid=skip_invalid)
        for progress in importer.run(session_factory, batch_size=batch_size):
            state = {"state": "finished", "file_path": ""} if progress.finished else {}
            _save(session_factory, job_id, **_progress_values(progress), **state)
            yield progress
    except ServiceError as exc:
        _fail(session_factory, job_id, exc.message, progress)
        raise
    except BaseException:
        _fail(session_factory, job_id, UNEXPECTED, progress)
        raise
    finally:
        path.unlink(missing_ok=True)


def _fail(session_factory, job_id: int, message: str, progress: ImportProgress | None) -> None:
    values = _progress_values(progress) if progress is not None else {}
    try:
        _save(session_factory, job_id, state="failed", file_path="", message=message[:500], **values)
    except Exception:  # the database is what failed: the sweep marks the job later
        log.exception("could not record the failure of import %s", job_id)


def run_to_end(job_id: int, session_factory: Callable[[], Session]) -> None:
    """Run a started job in a background thread; failures are in its row."""
    started = time.perf_counter()
    try:
        for _progress in run(job_id, session_factory):
            pass
    except ServiceError:
        pass
    except Exception:
        log.exception("import %s failed", job_id)
    log.info("import %s ran in %.1f s", job_id, time.perf_counter() - started)
