"""The reader's calendar day and the dates of a read.

Reads are dated in the reader's time zone: the browser sends its UTC offset
and ``reader_today`` turns it into the reader's day, which is the latest date
``validate_dates`` accepts.
"""

from __future__ import annotations

import datetime

from booktracker.db import utcnow
from booktracker.errors import InvalidInput

OFFSET_MAX = 14 * 60
EARLIEST_YEAR = 1000


def validate_offset(offset_minutes: int) -> int:
    """A UTC offset in minutes east, within the zones that exist."""
    if not -OFFSET_MAX <= offset_minutes <= OFFSET_MAX:
        raise InvalidInput("Time zone offset must be within ±14 hours.", field="tz_offset")
    return int(offset_minutes)


def reader_today(offset_minutes: int) -> datetime.date:
    """The reader's calendar day, from their UTC offset in minutes east."""
    return (utcnow() + datetime.timedelta(minutes=validate_offset(offset_minutes))).date()


def day_of(value: datetime.date | None) -> datetime.date | None:
    # A datetime is a date too, but compares with neither; keep its day.
    return value.date() if isinstance(value, datetime.datetime) else value


def validate_dates(started_on: datetime.date | None, ended_on: datetime.date | None, *, today: datetime.date) -> None:
    """Refuse impossible read dates; None ("I don't remember") always passes."""
    for value, field, what in ((started_on, "started_on", "start"), (ended_on, "ended_on", "end")):
        value = day_of(value)
        if value is None:
            continue
        if value.year < EARLIEST_YEAR:
            raise InvalidInput(f"The {what} date must be in the year {EARLIEST_YEAR} or later.", field=field)
        if value > today:
            raise InvalidInput(f"The {what} date cannot be in the future.", field=field)
    started_on, ended_on = day_of(started_on), day_of(ended_on)
    if started_on is not None and ended_on is not None and ended_on < started_on:
        raise InvalidInput("The end date cannot be before the start date.", field="ended_on")
