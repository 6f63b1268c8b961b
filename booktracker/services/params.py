"""Bound parameters for statements built once and run many times.

The post, comment and book-page queries are built once per shape (signed in
or not, first page or not) with ``functools.cache`` and run with these
parameters. Building them anew on every page -- the privacy, shield and
review joins through SQLAlchemy's aliases -- took ~30 ms of Python per feed
page, as long as running it (cProfile; bench/RESULTS.md, issue 14); a cached
statement costs only its cache key (~0.5 ms). The shared conditions of
services/privacy.py take a value or one of these in place of the viewer's id.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from booktracker.db import UTCDateTime

VIEWER: Any = sa.bindparam("viewer_id", type_=sa.Integer)
LIMIT: Any = sa.bindparam("limit", type_=sa.Integer)
# Keyset cursors: the (created_at, id) of the last row shown, and a like count where lists sort by likes.
AFTER_AT: Any = sa.bindparam("after_at", type_=UTCDateTime())
AFTER_ID: Any = sa.bindparam("after_id", type_=sa.Integer)
AFTER_LIKES: Any = sa.bindparam("after_likes", type_=sa.Integer)
AUTHOR: Any = sa.bindparam("author_id", type_=sa.Integer)
BOOK: Any = sa.bindparam("book_id", type_=sa.Integer)
CIRCLE: Any = sa.bindparam("circle_id", type_=sa.Integer)
POST: Any = sa.bindparam("post_id", type_=sa.Integer)
PARENT: Any = sa.bindparam("parent_id", type_=sa.Integer)


def viewer(signed_in: bool) -> Any:
    """What the shared conditions get for the viewer: the bound parameter, or None for a visitor."""
    return VIEWER if signed_in else None
