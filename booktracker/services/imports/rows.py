"""The row every export format becomes, and the cell parsing they share.

Parsing is pure and validates everything a row carries (dates, ratings,
pages, lengths) before anything is written: a bad cell becomes a message for
its line, never a half-written book.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re

from dateutil import parser as date_parser

from booktracker.errors import InvalidInput
from booktracker.services.books import PAGES_MAX, dedupe_key
from booktracker.services.shelves import shelf_name

PRIVATE_NOTES_MAX = 10_000
REVIEW_MAX = 20_000
BINDING_MAX = 60  # UserBook.binding
# A date a day ahead of UTC is still "today" somewhere.
FUTURE_SLACK = datetime.timedelta(days=1)


@dataclasses.dataclass(slots=True)
class ReadSpec:
    """One read-through as the file tells it; dates may be unknown (None)."""

    status: str
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None


@dataclasses.dataclass(slots=True)
class ImportRow:
    """One book of an export, in our terms (statuses and formats are ours)."""

    line: int
    title: str  # without the "(Series, #1)" suffix
    authors: str  # the author(s) credited as such
    isbn: str  # ISBN-13 or ""
    status: str
    reads: list[ReadSpec] = dataclasses.field(default_factory=list)
    series: str = ""
    series_position: str = ""
    contributors: list[dict[str, str]] = dataclasses.field(default_factory=list)
    pages: int | None = None  # the reader's copy
    rating: float | None = None
    date_added: datetime.date | None = None
    format: str | None = None
    binding: str = ""  # the binding as written when it is not our word for the format
    owned_copies: int = 0
    private_notes: str = ""
    review: str = ""
    has_spoilers: bool = False
    shelves: list[str] = dataclasses.field(default_factory=list)
    publisher: str = ""
    year: str = ""
    original_year: int | None = None
    content_warnings: str = ""
    key: str = ""  # book_key(row), once computed
    isbn10: str | None = None  # the ISBN-10 form of ``isbn`` when the parser had it


def book_key(row: ImportRow) -> str:
    """The row's title + first author key (services/books.dedupe_key), computed
    once per row: folding Unicode at each of its four uses was a fifth of an
    import's CPU (bench/imports.py)."""
    if not row.key:
        row.key = dedupe_key(row.title, row.authors)
    return row.key


@dataclasses.dataclass
class RowError:
    line: int
    reason: str
    # A book already on an earlier line: reported, imported once, never a reason to stop.
    duplicate: bool = False


def unquote(value: str | None) -> str:
    """A cell without Goodreads' ``="…"`` quoting (used for ISBNs)."""
    value = (value or "").strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    return value.strip()


def today() -> datetime.date:
    return (datetime.datetime.now(datetime.UTC) + FUTURE_SLACK).date()


_NUMERIC_DAY = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")


def _numeric_day(value: str) -> datetime.date | None:
    """Goodreads' and StoryGraph's own "2020/10/25" / "2020-10-25" without dateutil
    (a tenth of an import's time); an impossible one raises ValueError like dateutil."""
    match = _NUMERIC_DAY.fullmatch(value)
    return datetime.date(*map(int, match.groups())) if match else None


def parse_day(value: str | None, *, what: str = "date") -> datetime.date | None:
    """A calendar date ("2020/10/25", "2020-10-25", "Oct 25, 2020"); impossible
    dates (2023/02/30) and dates in the future are refused."""
    value = unquote(value)
    if not value:
        return None
    try:
        parsed = (
            _numeric_day(value)
            or date_parser.parse(value, yearfirst=True, default=datetime.datetime(2000, 1, 1, 12, 0)).date()
        )
    except (ValueError, OverflowError):
        raise InvalidInput(f"{what.capitalize()} '{value}' is not a date.") from None
    if parsed.year < 1000:
        raise InvalidInput(f"{what.capitalize()} '{value}' is not a date.")
    if parsed > today():
        raise InvalidInput(f"{what.capitalize()} {parsed.isoformat()} is in the future.")
    return parsed


def parse_rating(value: str | None) -> float | None:
    """Stars in quarter steps, stored exactly (StoryGraph's 3.75 stays 3.75); 0 is unrated."""
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
    if stars * 4 != int(stars * 4):
        raise InvalidInput(f"Rating {value} is not in quarter stars (0.25, 0.5, … 5).")
    return stars


def parse_count(value: str | None, *, what: str, limit: int = 1000) -> int:
    value = unquote(value)
    if not value:
        return 0
    if not value.isdigit() or int(value) > limit:
        raise InvalidInput(f"{what} '{value}' is not a whole number from 0 to {limit}.")
    return int(value)


def parse_year(value: str | None) -> int | None:
    value = unquote(value)
    if not value:
        return None
    if not re.fullmatch(r"-?\d{1,4}", value):
        raise InvalidInput(f"Year '{value}' is not a year.")
    return int(value)


def parse_pages(value: str | None) -> int | None:
    value = unquote(value)
    if not value or value == "0":
        return None
    if not value.isdigit() or int(value) > PAGES_MAX:
        raise InvalidInput(f"Number of pages '{value}' is not a whole number up to {PAGES_MAX:,}.")
    return int(value)


def bounded(value: str | None, limit: int, what: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"{what} is longer than {limit:,} characters.")
    return value


def split_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


_PERSON = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)$")


def split_people(value: str | None) -> tuple[list[str], list[dict[str, str]]]:
    """Co-authors and, apart, contributors with a role: "Quentin Blake (Illustrator)"."""
    authors: list[str] = []
    contributors: list[dict[str, str]] = []
    for part in split_list(value):
        match = _PERSON.match(part)
        if match and match["name"]:
            contributors.append({"name": match["name"], "role": match["role"].strip()})
        else:
            authors.append(part)
    return authors, contributors


# "Dune (Dune, #1)", "The Way of Kings (The Stormlight Archive #1)", "X (Series, #0.5)", "Y (Series, #1-3)".
_SERIES = re.compile(r"^(?P<title>.*\S)\s+\((?P<series>[^()]+?),?\s+#(?P<position>[\d.]+(?:-[\d.]+)?)\)$")


def split_series(title: str) -> tuple[str, str, str]:
    """Goodreads' title with its series suffix: (title, series, position)."""
    match = _SERIES.match(title.strip())
    if not match:
        return title.strip(), "", ""
    return match["title"], match["series"].strip(), match["position"]


def with_series(title: str, series: str, position: str) -> str:
    """The title as Goodreads writes it, the inverse of ``split_series``."""
    return f"{title} ({series}, #{position})" if series and position else title


# A file names the same few shelves on thousands of lines.
_shelf_name = functools.lru_cache(maxsize=1024)(shelf_name)


def shelf_names(names: list[str]) -> list[str]:
    """Shelf names as services/shelves stores them, without repeats (ignoring case)."""
    out: dict[str, str] = {}
    for raw in names:
        try:
            name = _shelf_name(raw)
        except InvalidInput as exc:
            raise InvalidInput(f"Shelf '{raw[:40]}': {exc.message}") from None
        out.setdefault(name.casefold(), name)
    return list(out.values())
