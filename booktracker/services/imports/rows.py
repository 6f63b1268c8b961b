"""The row every export format becomes, and the cell parsing they share."""

from __future__ import annotations

import dataclasses
import datetime
import math

from dateutil import parser as date_parser

from booktracker.errors import InvalidInput


@dataclasses.dataclass(slots=True)
class ImportRow:
    """One book of an export, in our terms (statuses and formats are ours)."""

    line: int
    title: str
    authors: str
    isbn: str
    pages: int | None
    status: str
    rating: float | None
    date_read: datetime.datetime | None
    date_added: datetime.datetime | None
    format: str | None
    owned: bool
    private_notes: str
    review: str
    tags: list[str]
    publisher: str
    year: str


@dataclasses.dataclass
class RowError:
    line: int
    reason: str


def unquote(value: str) -> str:
    """A cell without Goodreads' ``="…"`` quoting (used for ISBNs)."""
    value = (value or "").strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    return value.strip()


def parse_date(value: str) -> datetime.datetime | None:
    value = unquote(value)
    if not value:
        return None
    try:
        parsed = date_parser.parse(value, default=datetime.datetime(2000, 1, 1, 12, 0))
    except (ValueError, OverflowError):
        raise InvalidInput(f"'{value}' is not a date.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def round_rating(value: str) -> float | None:
    """Stars as the library keeps them: quarter stars round to half stars, 0 is unrated."""
    value = unquote(value)
    if not value:
        return None
    try:
        stars = float(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not a rating.") from None
    if stars == 0:
        return None
    if not 0 < stars <= 5:
        raise InvalidInput(f"Rating {value} is outside 0–5.")
    return min(5.0, max(1.0, math.floor(stars * 2 + 0.5) / 2))


def split_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]
