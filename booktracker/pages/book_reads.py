"""The book page's reading history: every read of the entry, its dates, and
starting, ending, correcting and deleting reads.

``ReadsMixin`` is mixed into ``BookDetailState`` (pages/book_detail.py); its
components are in components/reads.py. Dates are the reader's calendar days
(``ReaderClockMixin``): a date input's default and latest day is the
reader's today. Every handler re-checks on the server who the reader is; the
services refuse another reader's entry or read as missing.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from typing import TYPE_CHECKING

import reflex as rx

from booktracker.clock import ReaderClockMixin, date_from_form
from booktracker.db import session_scope
from booktracker.errors import InvalidInput
from booktracker.models import READ_END_ACTIONS, READ_END_DATE_LABELS, STATUS_LABELS, ReadingStatus
from booktracker.services import library
from booktracker.state import handle_errors

if TYPE_CHECKING:
    from booktracker.models import UserBookDetail

START_FORM = "start"  # ``read_form`` when the start-a-read form is open
# What each ending asks: "Enter the date you finished".
END_DATE_WHAT = {status: "you " + label.removesuffix(" on").lower() for status, label in READ_END_DATE_LABELS.items()}


def day_text(iso: str) -> str:
    """ "2025-03-03" -> "3 Mar 2025" (the same in every browser locale)."""
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


@dataclasses.dataclass
class ReadRow:
    """One read as the reading history shows it."""

    id: int
    number: int
    status: str
    started_on: str  # ISO, or "" when unknown
    ended_on: str
    summary: str  # "Read 2 · started 3 Mar 2025 · finished 12 Apr 2025"
    ended: bool  # finished, paused or did not finish: it has an end date


def read_summary(number: int, status: str, started_on: str, ended_on: str) -> str:
    parts = [f"Read {number}"]
    ended = status in READ_END_DATE_LABELS
    if not started_on and not (ended and ended_on):
        parts.append("dates unknown")
    else:
        parts.append(f"started {day_text(started_on)}" if started_on else "start date unknown")
        if ended:
            verb = READ_END_DATE_LABELS[status].removesuffix(" on").lower()  # "finished", "stopped"
            parts.append(f"{verb} {day_text(ended_on)}" if ended_on else f"{verb}, date unknown")
    return " · ".join(parts)


def read_rows(reads) -> list[ReadRow]:
    """The reads newest first, numbered from the first read (Read 1)."""
    total = len(reads)
    return [
        ReadRow(
            id=read.id,
            number=total - index,
            status=read.status,
            started_on=read.started_on,
            ended_on=read.ended_on,
            summary=read_summary(total - index, read.status, read.started_on, read.ended_on),
            ended=read.status in READ_END_DATE_LABELS,
        )
        for index, read in enumerate(reads)
    ]


class ReadsMixin(ReaderClockMixin, mixin=True):
    reads: rx.Field[list[ReadRow]] = rx.field(default_factory=list)
    # Finished reads, as the library counts them ("3 reads"): a re-read under way is not one yet.
    finished_reads: rx.Field[int] = rx.field(0)
    # The current read's status when it can still end (reading or paused), else "".
    open_read_status: rx.Field[str] = rx.field("")
    # "" | START_FORM | an ending status: the form open under the history.
    read_form: rx.Field[str] = rx.field("")
    editing_read_id: rx.Field[int] = rx.field(0)
    deleting_read_id: rx.Field[int] = rx.field(0)
    # A refused date, shown in the open form beside its field (read_error_field).
    read_error: rx.Field[str] = rx.field("")
    read_error_field: rx.Field[str] = rx.field("")

    if TYPE_CHECKING:
        # BookDetailState (a subclass of AuthState) defines these.
        detail: rx.Field[UserBookDetail]

        def current_user_id(self) -> int: ...

        def _show(self, detail: UserBookDetail) -> None: ...

    # ------------------------------------------------------------ helpers

    def _show_reads(self, detail: UserBookDetail) -> None:
        """Called by the page's ``_show`` whenever the entry is (re)loaded."""
        self.reads = read_rows(detail.reads)
        self.finished_reads = sum(read.status == ReadingStatus.FINISHED for read in detail.reads)
        current = next((read for read in detail.reads if read.is_current), None)
        # A book back on "want to read" starts a new read rather than ending its paused one.
        can_end = (
            current is not None
            and current.status in (ReadingStatus.READING, ReadingStatus.PAUSED)
            and detail.status != ReadingStatus.TO_READ
        )
        self.open_read_status = current.status if can_end and current is not None else ""

    def _close_forms(self) -> None:
        self.read_form, self.editing_read_id, self.deleting_read_id = "", 0, 0
        self.read_error, self.read_error_field = "", ""

    def _reload(self, session, user_id: int) -> None:
        self._show(library.get_detail(session=session, user_id=user_id, user_book_id=self.detail.id))
        self._close_forms()

    def _refused(self, exc: InvalidInput) -> None:
        """A date the service refused: beside its field; the form keeps its input."""
        self.read_error, self.read_error_field = exc.message, exc.field or ""

    # ------------------------------------------------------------ forms

    @rx.event
    def open_read_form(self, kind: str):
        self._close_forms()
        self.read_form = kind if kind == START_FORM or kind in READ_END_ACTIONS else ""

    @rx.event
    def edit_read(self, read_id: int):
        self._close_forms()
        self.editing_read_id = int(read_id)

    @rx.event
    def cancel_read_form(self):
        self._close_forms()

    @rx.event
    def ask_delete_read(self, read_id: int):
        self._close_forms()
        self.deleting_read_id = int(read_id)

    @rx.event
    def set_delete_read_open(self, open_: bool):
        if not open_:
            self.deleting_read_id = 0

    # ------------------------------------------------------------ changes

    @rx.event
    @handle_errors
    def submit_read(self, form: dict):
        """The form under the history: start a read, or end the current one."""
        if self.read_form == START_FORM:
            return self._start_read(form)
        return self._end_read(form)

    def _start_read(self, form: dict):
        user_id = self.current_user_id()
        try:
            started_on = date_from_form(form, "started_on", what="you started")
            with session_scope() as session:
                library.start_read(
                    session=session,
                    user_id=user_id,
                    user_book_id=self.detail.id,
                    started_on=started_on,
                    today=self._today(),
                )
                self._reload(session, user_id)
        except InvalidInput as exc:
            self._refused(exc)
            return None
        return rx.toast.success(f"Read {len(self.reads)} started.")

    def _end_read(self, form: dict):
        user_id = self.current_user_id()
        status = self.read_form
        if status not in READ_END_ACTIONS:
            raise InvalidInput("Choose how the read ended.", field="status")
        try:
            ended_on = date_from_form(form, "ended_on", what=END_DATE_WHAT[status])
            with session_scope() as session:
                library.end_read(
                    session=session,
                    user_id=user_id,
                    user_book_id=self.detail.id,
                    status=status,
                    ended_on=ended_on,
                    today=self._today(),
                )
                self._reload(session, user_id)
        except InvalidInput as exc:
            self._refused(exc)
            return None
        return rx.toast.success(f"Moved to {STATUS_LABELS[status]}.")

    @rx.event
    @handle_errors
    def save_read(self, form: dict):
        user_id = self.current_user_id()
        read = next((row for row in self.reads if row.id == self.editing_read_id), None)
        try:
            started_on = date_from_form(form, "started_on", what="you started")
            ended_on = None
            if read is not None and read.ended:
                ended_on = date_from_form(form, "ended_on", what=END_DATE_WHAT[read.status])
            with session_scope() as session:
                # A read not on this page (gone, or someone else's) is refused by the service.
                library.update_read(
                    session=session,
                    user_id=user_id,
                    read_id=self.editing_read_id,
                    started_on=started_on,
                    ended_on=ended_on,
                    today=self._today(),
                )
                self._reload(session, user_id)
        except InvalidInput as exc:
            self._refused(exc)
            return None
        return rx.toast.success("Dates saved.")

    @rx.event
    @handle_errors
    def delete_read(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            library.delete_read(session=session, user_id=user_id, read_id=self.deleting_read_id)
            self._reload(session, user_id)
        return rx.toast.success("Read deleted.")
