"""/import: Goodreads/StoryGraph import with preview and progress; exports."""

from __future__ import annotations

import asyncio
import json

import reflex as rx
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from booktracker import routes
from booktracker.asgi import IMPORT_LIMIT, register_upload_limit
from booktracker.components.layout import page
from booktracker.db import get_engine, session_scope
from booktracker.errors import ServiceError
from booktracker.services import exports, imports
from booktracker.services.imports import RowError, jobs
from booktracker.state import DB_DOWN_MESSAGE, AuthState, LoginRequired, handle_errors

UPLOAD_ID = "import-csv"
# The names of the chosen files (rx.selected_files is a list[str] Var, typed only as Var).
SELECTED_FILES = rx.selected_files(UPLOAD_ID).to(list[str])
SHOWN_ERRORS = 50
# Reviews become reviews of the read (never notes or posts); keys are imports.REVIEW_CHOICES.
REVIEW_LABELS = {
    "private": "Import reviews, visible only to me",
    "public": "Import reviews as public reviews",
    "skip": "Skip reviews",
}


def _new_session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


# What the dropzone says when it refuses a file (react-dropzone's error codes).
REJECTIONS = {
    "file-too-large": imports.TOO_LARGE,
    "file-invalid-type": "Choose a CSV export or a TrackMyRead JSON backup (.csv or .json).",
    "too-many-files": "Choose one file.",
}


class ImportState(AuthState):
    # The uploaded file stays on the server (services/imports/jobs); only its name reaches the page.
    _job_id: int = 0
    file_name: str = ""
    file_format: str = ""
    preview_total: int = 0
    preview_new: int = 0
    preview_existing: int = 0
    preview_invalid: int = 0
    # rx.Field: the class attribute type-checks as a Var (.length()), the instance one as the list.
    errors: rx.Field[list[RowError]] = rx.field(default_factory=list)
    # Columns of the file that have no place here, and a note on its encoding.
    unknown_columns: str = ""
    notice: str = ""
    review_as: str = "private"
    # Import the good lines and report the bad ones (as before); off: a file with a bad line is refused whole.
    skip_invalid: bool = True
    error: str = ""
    importing: bool = False
    done: int = 0
    total: int = 0
    created: int = 0
    updated: int = 0
    failed: int = 0
    finished: bool = False

    @rx.event
    @handle_errors
    def load(self):
        """on_load: a fresh page, not the last attempt's error, preview or result
        (an import still running keeps its progress)."""
        user_id = self.current_user_id()
        if self.importing:
            return
        self._forget_upload(user_id)
        self.error, self.notice, self.unknown_columns, self.file_format = "", "", "", ""
        self.preview_total = self.preview_new = self.preview_existing = self.preview_invalid = 0
        self.errors = []
        self.finished = False
        self.done = self.total = self.created = self.updated = self.failed = 0

    @rx.event
    async def preview(self, files: list[rx.UploadFile]):
        self.error, self.finished, self.errors = "", False, []
        try:
            user_id = self.current_user_id()
        except LoginRequired:
            return rx.redirect(routes.login(next=routes.IMPORT))
        self._forget_upload(user_id)  # a new preview abandons the last one (and its temp file)
        if not files:
            self.error = "Choose a CSV file first."
            return None
        upload = files[0]
        try:
            imports.check_size(upload.size)  # before reading it
            data = await upload.read(imports.MAX_FILE_BYTES + 1)
            with session_scope() as session:
                job, result = jobs.create(session=session, user_id=user_id, data=data, file_name=upload.name or "")
        except ServiceError as exc:
            self.error = exc.message
            return None
        self._job_id, self.file_name = job.id or 0, job.file_name
        self.file_format = imports.FORMAT_NAMES.get(result.format, result.format)
        self.preview_total, self.preview_new = result.total, result.new
        self.preview_existing, self.preview_invalid = result.already_in_library, result.invalid_count
        self.unknown_columns, self.notice = ", ".join(result.unknown_columns), result.notice
        self.errors = result.invalid[:SHOWN_ERRORS]
        return rx.clear_selected_files(UPLOAD_ID)

    def _forget_upload(self, user_id: int) -> None:
        if self._job_id and not self.importing:
            with session_scope() as session:
                jobs.abandon(session=session, user_id=user_id, job_id=self._job_id)
        if not self.importing:
            self._job_id, self.file_name = 0, ""

    @rx.event
    def forget_upload(self):
        """Leaving the page abandons a preview that was not imported (its temp file goes)."""
        try:
            self._forget_upload(self.current_user_id())
        except LoginRequired:
            self._job_id, self.file_name = 0, ""

    @rx.event
    def reject_files(self, rejected: list[dict]):
        """The dropzone refused the file (too large, not a CSV): say why, here rather than in a toast."""
        codes = [error.get("code", "") for item in rejected for error in item.get("errors", [])]
        messages = [error.get("message", "") for item in rejected for error in item.get("errors", [])]
        known = [REJECTIONS[code] for code in codes if code in REJECTIONS]
        self.error = (known or [m for m in messages if m] or ["This file cannot be imported."])[0]

    @rx.event
    def set_review_as(self, value: str):
        self.review_as = value if value in REVIEW_LABELS else "private"

    @rx.event
    def set_skip_invalid(self, value: bool):
        self.skip_invalid = bool(value)

    @rx.event(background=True)
    @handle_errors
    async def run_import(self):
        """Runs beside other readers' events: each batch is a worker thread."""
        async with self:
            if self.importing or not self._job_id:
                return None
            # LoginRequired goes to handle_errors: to the login page and back.
            user_id, job_id = self.current_user_id(), self._job_id
            try:
                with session_scope() as session:
                    jobs.start(
                        session=session,
                        user_id=user_id,
                        job_id=job_id,
                        review_as=self.review_as,
                        skip_invalid=self.skip_invalid,
                    )
            except ServiceError as exc:
                self.error = exc.message
                return None
            self.importing, self.finished, self.error = True, False, ""
            self.done = self.created = self.updated = self.failed = 0
        steps = jobs.run(job_id, _new_session)
        try:
            while (progress := await asyncio.to_thread(next, steps, None)) is not None:
                async with self:
                    self.done, self.total = progress.done, progress.total
                    self.created, self.updated, self.failed = progress.created, progress.already, len(progress.failed)
                    self.errors = progress.failed[:SHOWN_ERRORS]
        except (ServiceError, DBAPIError) as exc:
            async with self:
                self.importing, self._job_id, self.file_name = False, 0, ""
                self.error = exc.message if isinstance(exc, ServiceError) else DB_DOWN_MESSAGE
            return None
        except Exception:
            async with self:
                self.importing, self._job_id, self.file_name = False, 0, ""  # the button works again
            raise  # a bug: handle_errors logs it and shows a toast
        async with self:
            self.importing, self.finished = False, True
            self._job_id, self.file_name = 0, ""
        return rx.toast.success("Import finished.")

    @rx.event
    @handle_errors
    def download_csv(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            text = "".join(exports.goodreads_csv(session=session, user_id=user_id))
        return rx.download(data=text, filename="trackmyread_library.csv")

    @rx.event
    @handle_errors
    def download_json(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            data = exports.user_data(session=session, user_id=user_id)
        return rx.download(data=json.dumps(data, indent=2, ensure_ascii=False), filename="trackmyread_data.json")


# Uploads to this state may be import files (20 MB), not images (5 MB): the server's guard knows.
register_upload_limit(ImportState.get_full_name(), IMPORT_LIMIT)
S = ImportState


def stat(label: str, value, id_: str) -> rx.Component:
    return rx.vstack(
        rx.text(value, size="6", weight="bold", id=id_), rx.text(label, size="1", color_scheme="gray"), spacing="0"
    )


def errors_table() -> rx.Component:
    return rx.cond(
        S.errors.length() > 0,
        rx.vstack(
            rx.text("Rows that cannot be imported:", weight="bold", size="2"),
            rx.table.root(
                rx.table.header(rx.table.row(rx.table.column_header_cell("Line"), rx.table.column_header_cell("Why"))),
                rx.table.body(
                    rx.foreach(S.errors, lambda e: rx.table.row(rx.table.cell(e.line), rx.table.cell(e.reason)))
                ),
                size="1",
                width="100%",
                id="import-errors",
            ),
            width="100%",
        ),
    )


def import_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Import from Goodreads or StoryGraph", size="5"),
            rx.text(
                "Export your library (Goodreads: My Books → Import and export; StoryGraph: Manage account → Export) "
                f"and choose the CSV here, or a TrackMyRead JSON backup for an empty account. At most {imports.MAX_FILE_MB} MB.",
                size="2",
                color_scheme="gray",
            ),
            _file_chooser(),
            rx.button(
                "Preview",
                on_click=S.preview(rx.upload_files(upload_id=UPLOAD_ID)),
                id="import-preview",
                variant="outline",
            ),
            rx.cond(
                S.error != "",
                rx.callout(
                    S.error, icon="triangle-alert", color_scheme="red", role="alert", width="100%", id="import-error"
                ),
            ),
            _preview(),
            _progress(),
            errors_table(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _file_chooser() -> rx.Component:
    """The upload: a CSV export or a JSON backup, refused in the browser when too big or of another type."""
    return rx.el.label(
        rx.upload.root(
            rx.hstack(
                rx.button(rx.icon("file-up", size=16), "Choose CSV", type="button", variant="soft"),
                rx.text(
                    rx.cond(
                        SELECTED_FILES.length() > 0,
                        SELECTED_FILES[0],
                        "No file chosen",
                    ),
                    size="2",
                    id="import-file",
                ),
                align="center",
            ),
            id=UPLOAD_ID,
            accept={"text/csv": [".csv"], "text/plain": [".csv"], "application/json": [".json"]},
            max_files=1,
            multiple=False,
            max_size=imports.MAX_FILE_BYTES,
            # Reflex's upload shows no server refusal (it only logs it), so the
            # size and type are refused here, in the browser, with the server's words.
            on_drop_rejected=S.reject_files,
            border="none",
            padding="0",
        ),
        aria_label="Choose an export CSV",
    )


def _preview() -> rx.Component:
    """What the chosen file holds, the choices for reviews and bad lines, and the Import button."""
    return rx.cond(
        S.file_name != "",
        rx.vstack(
            rx.text(f"{S.file_name} — a {S.file_format} export", size="2", weight="bold"),
            rx.hstack(
                stat("rows", S.preview_total, "preview-total"),
                stat("new books", S.preview_new, "preview-new"),
                stat("already in your library", S.preview_existing, "preview-existing"),
                stat("cannot be imported", S.preview_invalid, "preview-invalid"),
                spacing="6",
                wrap="wrap",
            ),
            rx.cond(
                S.unknown_columns != "",
                rx.text(f"Not imported: columns {S.unknown_columns}", size="2", id="import-unknown-columns"),
            ),
            rx.cond(S.notice != "", rx.text(S.notice, size="2", color_scheme="amber", id="import-notice")),
            rx.radio_group.root(
                rx.vstack(
                    *[rx.radio_group.item(label, value=key) for key, label in REVIEW_LABELS.items()],
                    spacing="1",
                ),
                value=S.review_as,
                on_change=S.set_review_as,
                aria_label="What to do with reviews",
            ),
            rx.el.label(
                rx.hstack(
                    rx.checkbox(checked=S.skip_invalid, on_change=S.set_skip_invalid, id="import-skip-invalid"),
                    rx.text("Skip lines with errors (otherwise a file with errors is not imported at all)", size="2"),
                    align="center",
                ),
            ),
            rx.button("Import", on_click=S.run_import, loading=S.importing, id="import-run"),
            spacing="3",
            width="100%",
        ),
    )


def _progress() -> rx.Component:
    """The running import's progress, and the way to the library once it is done."""
    return rx.cond(
        S.importing | S.finished,
        rx.vstack(
            rx.progress(
                # Radix takes any number; Reflex's stub says int (a percentage with decimals works).
                value=rx.cond(S.total > 0, S.done * 100 / S.total, 0),  # pyright: ignore[reportArgumentType]
                max=100,
                id="import-progress",
                aria_label="Import progress",
            ),
            rx.text(
                f"{S.done} of {S.total} rows · {S.created} added · {S.updated} already in your library · {S.failed} not imported",
                size="2",
                id="import-status",
            ),
            rx.cond(S.finished, rx.link(rx.button("Open my library"), href=routes.LIBRARY)),
            width="100%",
        ),
    )


def export_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Export", size="5"),
            rx.text(
                "Your library as a Goodreads-compatible CSV, or everything of yours as JSON.",
                size="2",
                color_scheme="gray",
            ),
            rx.hstack(
                rx.button(
                    rx.icon("download", size=16),
                    "Library (CSV)",
                    variant="soft",
                    on_click=S.download_csv,
                    id="export-csv",
                ),
                rx.button(
                    rx.icon("download", size=16),
                    "All my data (JSON)",
                    variant="soft",
                    on_click=S.download_json,
                    id="export-json",
                ),
                wrap="wrap",
            ),
            spacing="3",
        ),
        width="100%",
    )


def import_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.heading("Import & export", size="7"),
            import_card(),
            export_card(),
            spacing="4",
            width="100%",
            # Leaving the page abandons a preview that was not imported.
            on_unmount=S.forget_upload,
        ),
        max_width="48rem",
    )
