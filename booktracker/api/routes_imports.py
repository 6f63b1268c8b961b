"""/api/v1/imports: upload an export (preview), run it, poll its progress.

The same use case as the import page (``services/imports/jobs``): the job
lives in the database, so the upload, the run and the polls may reach
different workers. The run goes on after the response, in a worker thread
with its own sessions; its progress is written once per batch.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, File, UploadFile, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.db import get_engine
from booktracker.models import ImportJob, saved_id
from booktracker.services import imports
from booktracker.services.imports import jobs

router = APIRouter(tags=["imports"])


class LineError(BaseModel):
    line: int
    reason: str
    duplicate: bool = Field(description="The same book as an earlier line: imported once, not an error.")


class ImportStatus(BaseModel):
    id: int
    state: Literal["previewed", "running", "finished", "failed", "abandoned", "expired"]
    format: str = Field(description="goodreads, storygraph or trackmyread-export (a JSON account backup).")
    file_name: str
    total: int = Field(description="Lines in the file (or entries in a backup).")
    new: int = Field(description="Preview: books the run would add.")
    already_in_library: int = Field(description="Preview: books already in your library, left as they are.")
    invalid_count: int = Field(description="Preview: lines that cannot be imported.")
    duplicates: int = Field(description="Preview: lines repeating an earlier book.")
    unknown_columns: list[str] = Field(description="Columns of the file that have no place here.")
    notice: str = Field(description="A note on the file's encoding, if it was not UTF-8.")
    done: int = Field(description="Run: lines handled so far (moves once per batch).")
    imported: int
    already: int
    failed: int
    errors: list[LineError] = Field(
        description=f"Preview: bad and repeated lines; run: lines not imported (at most {imports.MAX_REPORTED_ERRORS})."
    )
    message: str = Field(description="Why the run failed, when state is failed.")


class RunRequest(BaseModel):
    review_as: Literal["private", "public", "skip"] = Field(
        default="private", description="Reviews in the file: visible only to you, public, or not imported."
    )
    skip_invalid: bool = Field(
        default=True, description="Import the good lines and report the bad ones; false: refuse a file with any."
    )


def _status(job: ImportJob) -> ImportStatus:
    summary = job.summary or {}
    return ImportStatus(
        id=saved_id(job),
        state=job.state,  # pyright: ignore[reportArgumentType]  (the table's check constraint holds these)
        format=job.format,
        file_name=job.file_name,
        total=job.total,
        new=summary.get("new", 0),
        already_in_library=summary.get("already_in_library", 0),
        invalid_count=summary.get("invalid_count", 0),
        duplicates=summary.get("duplicates", 0),
        unknown_columns=summary.get("unknown_columns", []),
        notice=summary.get("notice", ""),
        done=job.done,
        imported=job.created,
        already=job.already,
        failed=job.failed,
        errors=[LineError(**error) for error in job.errors or []],
        message=job.message,
    )


def _new_session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


@router.post("/imports", status_code=status.HTTP_201_CREATED, response_model=ImportStatus)
async def upload_import(
    file: Annotated[
        UploadFile,
        File(description=f"A Goodreads or StoryGraph CSV, or a JSON backup; at most {imports.MAX_FILE_MB} MB."),
    ],
    session: SessionDep,
    user_id: CurrentUserId,
):
    """Preview an export file: what importing it would do, nothing written yet. Run it with the id."""
    imports.check_size(file.size)  # the ASGI guard refused bigger bodies already; this names the file
    data = await file.read(imports.MAX_FILE_BYTES + 1)
    job, _preview = jobs.create(session=session, user_id=user_id, data=data, file_name=file.filename or "")
    return _status(job)


@router.post("/imports/{import_id}/run", status_code=status.HTTP_202_ACCEPTED, response_model=ImportStatus)
def run_import(
    import_id: int, body: RunRequest, session: SessionDep, user_id: CurrentUserId, background: BackgroundTasks
):
    """Start a previewed import; poll GET /imports/{id} for its progress."""
    job = jobs.start(
        session=session, user_id=user_id, job_id=import_id, review_as=body.review_as, skip_invalid=body.skip_invalid
    )
    background.add_task(jobs.run_to_end, saved_id(job), _new_session)
    return _status(job)


@router.get("/imports/{import_id}", response_model=ImportStatus)
def get_import(import_id: int, session: SessionDep, user_id: CurrentUserId):
    """An import's preview, state and progress (done of total, once per batch) and its line errors."""
    return _status(jobs.get(session=session, user_id=user_id, job_id=import_id))
