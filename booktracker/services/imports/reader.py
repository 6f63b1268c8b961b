"""Reading an export file: its text, its format (from the header), its rows.

- Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
  text") or without, and anything else read as Windows-1252 / Latin-1 with a
  notice in the preview (those bytes are always some text; the reader checks
  the accented titles there before importing).
- The size is checked before the bytes are read (``check_size``) and again here.
- Columns we have no place for are listed (``unknown_columns``), never
  dropped silently; a bad row becomes a RowError for its line; the same book
  twice in a file is imported once and its later lines reported.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable

from booktracker.errors import InvalidInput, ServiceError
from booktracker.services.books import TITLE_MAX
from booktracker.services.imports import goodreads, storygraph
from booktracker.services.imports.rows import ImportRow, RowError, book_key, today
from booktracker.services.library.read_dates import validate_dates

MAX_FILE_MB = 20
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
TOO_LARGE = f"Import files must be at most {MAX_FILE_MB} MB."
FORMATS = (goodreads, storygraph)
LATIN_1_NOTICE = "The file is not UTF-8: it was read as Latin-1 (Windows-1252). Check accented titles below."


@dataclasses.dataclass
class ParsedFile:
    format: str
    rows: list[ImportRow | RowError]
    unknown_columns: list[str]
    notice: str = ""


def check_size(size: int | None) -> None:
    """Refuse a file by its declared size, before reading it."""
    if size is not None and size > MAX_FILE_BYTES:
        raise InvalidInput(TOO_LARGE, field="file")


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and a notice when it was not UTF-8."""
    check_size(len(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, notice = data.decode("utf-16"), ""
    elif data[:1] == b"\x00" or data[1:2] == b"\x00":
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        text, notice = data.decode("utf-16-be" if data[:1] == b"\x00" else "utf-16-le", errors="replace"), ""
    else:
        try:
            text, notice = data.decode("utf-8-sig"), ""
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            notice = LATIN_1_NOTICE
    # NUL characters are never meaningful in an export and PostgreSQL cannot store them.
    return text.replace("\x00", ""), notice


def detect_format(header: list[str]):
    names = {h.strip() for h in header}
    for module in FORMATS:
        if names >= module.REQUIRED_COLUMNS:
            return module
    raise InvalidInput(
        "This is not a Goodreads or StoryGraph export: the header has neither 'Exclusive Shelf' nor 'Read Status'.",
        field="file",
    )


def row_key(row: ImportRow) -> str:
    """The same book in one file: by ISBN-13, else by title and first author."""
    return row.isbn or book_key(row)


def parse_csv(data: bytes) -> ParsedFile:
    text, notice = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("The file is empty.", field="file") from None
    except csv.Error as exc:
        raise InvalidInput(f"The file is not a CSV file ({exc}).", field="file") from None
    module = detect_format(header)
    parse: Callable[[int, dict[str, str]], ImportRow] = module.parse_row
    names = [h.strip() for h in header]
    known = module.COLUMNS | module.DERIVED_COLUMNS
    unknown = [name for name in names if name and name not in known]
    rows: list[ImportRow | RowError] = []
    first_line: dict[str, int] = {}
    line = reader.line_num + 1
    try:
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            rows.append(_parse_one(parse, start, names, values, first_line))
    except csv.Error as exc:
        rows.append(RowError(line, f"The rest of the file cannot be read as CSV ({exc})."))
    return ParsedFile(format=module.NAME, rows=rows, unknown_columns=unknown, notice=notice)


def _parse_one(parse, start: int, names: list[str], values: list[str], first_line: dict[str, int]):
    if len(values) > len(names):
        return RowError(start, f"{len(values)} fields where the header has {len(names)}.")
    try:
        row = parse(start, dict(zip(names, values, strict=False)))
        if not row.title:
            raise InvalidInput("The title is missing.")
        if len(row.title) > TITLE_MAX:
            raise InvalidInput(f"The title is longer than {TITLE_MAX} characters.")
        day = today()
        for read in row.reads:
            validate_dates(read.started_on, read.ended_on, today=day)
    except ServiceError as exc:
        return RowError(start, exc.message)
    key = row_key(row)
    if key in first_line:
        first = first_line[key]
        return RowError(start, f"The same book as line {first}: imported once, from line {first}.", duplicate=True)
    first_line[key] = start
    return row
