"""Reading an export file: its text, its format (from the header), its rows.

UTF-8 with or without BOM, Windows line endings and quoted newlines are
handled; a bad row becomes a RowError for its line, never an exception.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from booktracker.errors import InvalidInput, ServiceError
from booktracker.services.imports import goodreads, storygraph
from booktracker.services.imports.rows import ImportRow, RowError

MAX_FILE_BYTES = 20 * 1024 * 1024
TITLE_MAX = 300
FORMATS = (goodreads, storygraph)


def _text(data: bytes) -> io.StringIO:
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "The file is not UTF-8 text; export it again from Goodreads or StoryGraph.", field="file"
        ) from None
    # NUL characters are never meaningful in an export and PostgreSQL cannot store them.
    return io.StringIO(text.replace("\x00", ""), newline="")


def detect_format(header: list[str]) -> str:
    names = {h.strip() for h in header}
    for module in FORMATS:
        if names >= module.REQUIRED_COLUMNS:
            return module.NAME
    raise InvalidInput(
        "This is not a Goodreads or StoryGraph export: the header has neither 'Exclusive Shelf' nor 'Read Status'.",
        field="file",
    )


def read_rows(data: bytes) -> tuple[str, Iterator[ImportRow | RowError]]:
    """The file's format and a stream of parsed rows (or per-line errors)."""
    reader = csv.reader(_text(data))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("The file is empty.", field="file") from None
    kind = detect_format(header)
    parse: Callable[[int, dict[str, str]], ImportRow] = (
        goodreads.parse_row if kind == goodreads.NAME else storygraph.parse_row
    )
    names = [h.strip() for h in header]

    def rows() -> Iterator[ImportRow | RowError]:
        line = reader.line_num + 1
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(names):
                yield RowError(start, f"{len(values)} fields where the header has {len(names)}.")
                continue
            try:
                row = parse(start, dict(zip(names, values, strict=False)))
                if not row.title:
                    raise InvalidInput("The title is missing.")
                if len(row.title) > TITLE_MAX:
                    raise InvalidInput(f"The title is longer than {TITLE_MAX} characters.")
                yield row
            except ServiceError as exc:
                yield RowError(start, exc.message)

    return kind, rows()
