"""The book page's "My copy": the reader's own title, page count, ISBN, cover
and audiobook length, and the unit progress is entered in (page, %, h:mm).

``CopyMixin`` is mixed into ``BookDetailState`` (pages/book_detail.py); its
components are in components/book_copy.py. The copy is only this reader's:
the services never let it change the shared book other readers see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx

from booktracker.components.numbers import grouped
from booktracker.db import session_scope
from booktracker.errors import InvalidInput
from booktracker.models import ProgressUnit
from booktracker.services import library
from booktracker.services.library import copies
from booktracker.state import handle_errors

if TYPE_CHECKING:
    from booktracker.models import UserBookDetail


def _whole(raw: object, message: str, field: str) -> int:
    try:
        return int(str(raw).strip())
    except ValueError:
        raise InvalidInput(message, field=field) from None


def progress_value(unit: str, raw: object) -> int:
    """The number typed in the progress box, in the entry's unit: h:mm for time."""
    if unit == ProgressUnit.MINUTES.value:
        minutes = copies.parse_duration(str(raw or ""), field="current_page")
        if minutes is None:
            raise InvalidInput("Enter the time listened as hours:minutes, e.g. 2:05.", field="current_page")
        return minutes
    if unit == ProgressUnit.PERCENT.value:
        return _whole(str(raw).strip().removesuffix("%"), "Enter a whole percent from 0 to 100.", "current_page")
    return _whole(raw, "Enter a page number.", "current_page")


def progress_text(unit: str, value: int) -> str:
    """ "page 12", "40 %", "2:05 listened": what a saved progress says."""
    if unit == ProgressUnit.MINUTES.value:
        return f"{copies.format_duration(value)} listened"
    if unit == ProgressUnit.PERCENT.value:
        return f"{value} %"
    return f"page {value}"


class CopyMixin(rx.State, mixin=True):
    # The progress box as typed: "12", "40" or "2:05" (h:mm for audiobooks).
    progress_input: rx.Field[str] = rx.field("0")
    # "Page 12 of 320 · 4%", "40 %", "2:05 of 11:42 · 18%".
    progress_summary: rx.Field[str] = rx.field("")
    # The audiobook's length as h:mm for the copy form ("" when unknown).
    audio_length: rx.Field[str] = rx.field("")
    # The read's end is known (page count, 100 %, audiobook length): a bar can show.
    progress_has_end: rx.Field[bool] = rx.field(False)

    if TYPE_CHECKING:
        # BookDetailState (a subclass of AuthState) defines these.
        detail: rx.Field[UserBookDetail]

        def current_user_id(self) -> int: ...

        def _show(self, detail: UserBookDetail) -> None: ...

    def _show_copy(self, detail: UserBookDetail) -> None:
        """Called by the page's ``_show`` whenever the entry is (re)loaded."""
        unit, value = detail.progress_unit, detail.current_page
        self.progress_has_end = (
            copies.unit_total(unit, detail.total_pages or None, detail.audio_minutes or None) is not None
        )
        self.audio_length = copies.format_duration(detail.audio_minutes or None)
        if unit == ProgressUnit.MINUTES.value:
            self.progress_input = copies.format_duration(value)
            end = f" of {self.audio_length}" if detail.audio_minutes else ""
            self.progress_summary = f"{self.progress_input}{end} listened · {detail.percent}%"
        elif unit == ProgressUnit.PERCENT.value:
            self.progress_input = str(value)
            self.progress_summary = f"{value}% read"
        else:
            self.progress_input = str(value)
            end = f" of {grouped(detail.total_pages)} · {detail.percent}%" if detail.total_pages else ""
            self.progress_summary = f"Page {grouped(value)}{end}"

    @rx.event
    @handle_errors
    def save_progress(self, form: dict):
        user_id = self.current_user_id()
        value = progress_value(self.detail.progress_unit, form.get("current_page", ""))
        with session_scope() as session:
            detail = library.update_progress(
                session=session, user_id=user_id, user_book_id=self.detail.id, current_page=value
            )
        self._show(detail)
        return rx.toast.success(f"Progress saved: {progress_text(detail.progress_unit, detail.current_page)}.")

    @rx.event
    @handle_errors
    def save_copy(self, form: dict):
        user_id = self.current_user_id()
        pages = str(form.get("copy_pages", "")).strip()
        changes = library.EntryChanges(
            copy_title=str(form.get("copy_title", "")),
            copy_pages=_whole(pages, "Pages must be a whole number.", "copy_pages") if pages else 0,
            copy_isbn=str(form.get("copy_isbn", "")),
            copy_cover_url=str(form.get("copy_cover_url", "")),
            audio_minutes=copies.parse_duration(str(form.get("audio_length", ""))) or 0,
            progress_unit=str(form.get("progress_unit", self.detail.progress_unit)),
        )
        with session_scope() as session:
            detail = library.update_entry(
                session=session, user_id=user_id, user_book_id=self.detail.id, changes=changes
            )
        self._show(detail)
        return rx.toast.success("Your copy is saved (only you see it).")
