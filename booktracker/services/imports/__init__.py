"""Importing a Goodreads or StoryGraph export CSV, or our own JSON backup.

Inside: ``rows`` (the row every format becomes, shared cell parsing and
validation), ``goodreads`` and ``storygraph`` (one parser per format, each
documenting where every column goes), ``reader`` (encoding, size, header,
unknown columns, duplicates), ``writer`` (one batch in a constant number of
statements), ``importer`` (``Importer``: preview and run), ``restore`` (the
JSON account backup back in), ``backup_export`` (the backup written) and
``jobs`` (an import kept between its preview and its end, with its temp file
and progress in the database: the one use case of the page and the API).
"""

from booktracker.services.imports.importer import (
    BATCH,
    FORMAT_NAMES,
    MAX_REPORTED_ERRORS,
    REVIEW_CHOICES,
    Importer,
    ImportPreview,
    ImportProgress,
    import_rows,
    preview,
)
from booktracker.services.imports.reader import MAX_FILE_BYTES, MAX_FILE_MB, TOO_LARGE, check_size, parse_csv
from booktracker.services.imports.rows import ImportRow, RowError, parse_rating

__all__ = [
    "BATCH",
    "FORMAT_NAMES",
    "MAX_FILE_BYTES",
    "MAX_FILE_MB",
    "MAX_REPORTED_ERRORS",
    "REVIEW_CHOICES",
    "TOO_LARGE",
    "ImportPreview",
    "ImportProgress",
    "ImportRow",
    "Importer",
    "RowError",
    "check_size",
    "import_rows",
    "parse_csv",
    "parse_rating",
    "preview",
]
