"""Importing a Goodreads or StoryGraph export CSV into a reader's library.

- The format is recognised from the header (current and older Goodreads
  headers, StoryGraph's); UTF-8 BOM, Windows line endings, quoted newlines
  and Goodreads' ``="…"`` ISBN quoting are handled.
- Lossless where TrackMyRead has a place: status, rating (quarter stars
  rounded to half), dates read and added, pages, binding/format, owned
  copies, private notes, the review (as a private note or as a post), custom
  shelves, tags and moods (as tags).
- ``preview`` counts what would happen without writing; ``import_rows``
  commits in batches and yields progress after each, so a web page can run
  it as a background task; re-importing the same file creates nothing new.

Inside: ``rows`` (the row every format becomes, and shared cell parsing),
``goodreads`` and ``storygraph`` (one parser per format), ``reader`` (the
file's text, format and rows) and ``importer`` (``Importer``: parses a file
once, owns its caches, writes through the library and posts rules). The
file is parsed once and its rows kept for the run: at most MAX_FILE_BYTES.
"""

from booktracker.services.imports.importer import (
    BATCH,
    MAX_REPORTED_ERRORS,
    REVIEW_CHOICES,
    Importer,
    ImportPreview,
    ImportProgress,
    import_rows,
    preview,
)
from booktracker.services.imports.reader import MAX_FILE_BYTES, detect_format, read_rows
from booktracker.services.imports.rows import ImportRow, RowError, round_rating

__all__ = [
    "BATCH",
    "MAX_FILE_BYTES",
    "MAX_REPORTED_ERRORS",
    "REVIEW_CHOICES",
    "ImportPreview",
    "ImportProgress",
    "ImportRow",
    "Importer",
    "RowError",
    "detect_format",
    "import_rows",
    "preview",
    "read_rows",
    "round_rating",
]
