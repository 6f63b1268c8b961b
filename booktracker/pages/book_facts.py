"""The facts of a book on its page: when it went into the library, its
publisher, years, ISBNs, series and contributors (only those that are known)."""

from __future__ import annotations

import dataclasses
import datetime

from booktracker.models import UserBookDetail
from booktracker.pages.book_reads import day_text


@dataclasses.dataclass
class BookFact:
    label: str
    value: str
    id: str


def book_facts(detail: UserBookDetail, offset_minutes: int = 0) -> list[BookFact]:
    """What the book page lists under "About this book", in the reader's zone."""
    facts: list[tuple[str, str, str]] = []
    if detail.added_at:
        added = datetime.datetime.fromisoformat(detail.added_at) + datetime.timedelta(minutes=offset_minutes)
        facts.append(("Added", day_text(added.date().isoformat()), "fact-added"))
    if detail.series:
        position = f" #{detail.series_position}" if detail.series_position else ""
        facts.append(("Series", f"{detail.series}{position}", "fact-series"))
    if detail.contributors:
        facts.append(("Contributors", ", ".join(detail.contributors), "fact-contributors"))
    if detail.publisher:
        facts.append(("Publisher", detail.publisher, "fact-publisher"))
    if detail.published_date:
        facts.append(("Published", detail.published_date, "fact-published"))
    if detail.original_year and str(detail.original_year) != detail.published_date[:4]:
        facts.append(("First published", str(detail.original_year), "fact-original-year"))
    if detail.isbn13:
        facts.append(("ISBN-13", detail.isbn13, "fact-isbn13"))
    if detail.isbn10:
        facts.append(("ISBN-10", detail.isbn10, "fact-isbn10"))
    return [BookFact(label=label, value=value, id=fact_id) for label, value, fact_id in facts]
