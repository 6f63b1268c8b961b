"""The reader's day, from the browser's clock.

Read dates are calendar dates in the reader's time zone: a book finished at
23:30 in Sydney was finished that day, not the day before in UTC. Only the
browser knows the zone, so a page asks it once (``ask_browser_offset``) and
its state keeps the answer (``ReaderClockMixin``); the stats page asks the
same way for its streaks.
"""

from __future__ import annotations

import datetime

import reflex as rx
from reflex.event import EventSpec

from booktracker.errors import InvalidInput
from booktracker.services import library

# getTimezoneOffset() is in minutes *behind* UTC (UTC+2 gives -120); real
# zones lie within UTC-12 … UTC+14.
_OFFSET_SCRIPT = "new Date().getTimezoneOffset()"
_MAX_OFFSET = 840


def ask_browser_offset(callback) -> EventSpec:
    """Ask the browser for its UTC offset; ``callback`` gets getTimezoneOffset()."""
    return rx.call_script(_OFFSET_SCRIPT, callback=callback)


def offset_from_browser(raw) -> int | None:
    """Minutes *ahead* of UTC from what the browser sent, or None when it is
    not a believable offset (a forged event, a missing answer)."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return -value if -_MAX_OFFSET <= value <= _MAX_OFFSET else None


class ReaderClockMixin(rx.State, mixin=True):
    """A page state that needs "today" in the reader's zone: its date inputs
    default to it and the services refuse dates after it."""

    offset_minutes: int = 0
    # ISO date shown as the default and the latest date of date inputs.
    today_iso: rx.Field[str] = rx.field("")

    def _today(self) -> datetime.date:
        return library.reader_today(self.offset_minutes)

    def _start_clock(self) -> EventSpec:
        """Fill ``today_iso`` (UTC until the browser answers) and ask the browser."""
        self.today_iso = self._today().isoformat()
        return ask_browser_offset(type(self).set_clock)

    @rx.event
    def set_clock(self, browser_offset: int | None = None):
        offset = offset_from_browser(browser_offset)
        if offset is not None:
            self.offset_minutes = offset
        self.today_iso = self._today().isoformat()


def date_from_form(form: dict, name: str, *, what: str) -> datetime.date | None:
    """The date a form's ``name`` input holds; None when its "I don't remember"
    box (``<name>_unknown``) is ticked. ``what`` ("you started") words the refusal."""
    if form.get(f"{name}_unknown") in (True, "on", "true"):
        return None
    raw = str(form.get(name, "") or "").strip()
    if not raw:
        raise InvalidInput(f"Enter the date {what}, or tick “I don't remember”.", field=name)
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"“{raw[:20]}” is not a date; pick the day {what}.", field=name) from None
