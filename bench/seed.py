"""Seed a database with a large, realistic social graph for benchmarks.

Full scale: 10,000 users, 100,000 library entries, 200,000 posts,
1,000,000 likes and 100,000 follows (``--scale`` shrinks every count).
Rows go in with bulk INSERTs (COPY on PostgreSQL), not through the services,
so seeding the full size takes seconds to a couple of minutes.
"""

from __future__ import annotations

import datetime
import io
import random
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import SQLModel

from booktracker.models import Book, Comment, Follow, Like, Notification, Post, Read, ReadingProgress, User, UserBook
from booktracker.services.auth import hash_password
from booktracker.services.books import dedupe_key

BASE = {
    "users": 10_000,
    "books": 20_000,
    "entries": 100_000,
    "posts": 200_000,
    "likes": 1_000_000,
    "follows": 100_000,
    "comments": 100_000,
}
STATUSES = ["to-read", "reading", "finished", "paused", "did-not-finish"]
FORMATS = [None, "hardcover", "paperback", "ebook", "kindle", "pdf", "audiobook"]
EMOTIONS = ["😊", "😢", "😮", "😍", "🤔", "😡", ""]
PASSWORD = "benchmark password"
HEAVY_USER_ID = 1  # gets many more books and posts than the others
# A busy public post by the heavy reader (note ids divisible by 50 are theirs):
# 1,000 comments, the newest 100 with 5 replies each (bench/query_cost.py "comments").
BUSY_POST_OFFSET = 50  # counts.posts - this
BUSY_COMMENTS, BUSY_THREADS, BUSY_REPLIES = 1_000, 100, 5


@dataclass
class SeedCounts:
    users: int
    books: int
    entries: int
    posts: int
    likes: int
    follows: int
    # Spread over random posts, besides the busy post's: with the busy post's
    # alone, PostgreSQL's statistics said every post had 1,500 comments and
    # counted each card's comments with a scan of the table (issue 14).
    comments: int = 0

    @classmethod
    def scaled(cls, scale: float) -> SeedCounts:
        return cls(**{name: max(10, int(value * scale)) for name, value in BASE.items()})


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _insert(conn, table: sa.Table, rows: list[dict]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        columns = list(rows[0])
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_value(row[c]) for c in columns) + "\n")
        buffer.seek(0)
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cursor:
            cursor.copy_expert(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN", buffer)
    else:
        for start in range(0, len(rows), 20_000):
            conn.execute(table.insert(), rows[start : start + 20_000])


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _reads(entries: list[dict], now: datetime.datetime, rng: random.Random) -> list[dict]:
    """Each entry that is not on the want-to-read shelf has a read (its own
    RNG, so the rest of the seed is the same as before reads existed); one in
    ten finished books is a re-read with an earlier finished read."""
    reads: list[dict] = []
    for entry in entries:
        if entry["status"] == "to-read":
            continue
        ended = (now - datetime.timedelta(days=rng.randint(0, 900))).date()
        started = ended - datetime.timedelta(days=rng.randint(1, 60))
        earlier = entry["status"] == "finished" and rng.random() < 0.1
        for n, (start, end, status) in enumerate(
            [(started - datetime.timedelta(days=800), started - datetime.timedelta(days=700), "finished")] * earlier
            + [(started, None if entry["status"] == "reading" else ended, entry["status"])]
        ):
            reads.append(
                {
                    "id": len(reads) + 1,
                    "user_id": entry["user_id"],
                    "user_book_id": entry["id"],
                    "book_id": entry["book_id"],
                    "status": status,
                    "started_on": start,
                    "ended_on": end,
                    "progress": entry["current_page"] if n == earlier else 0,
                    "format": None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    return reads


def seed(engine: sa.Engine, counts: SeedCounts, *, rng_seed: int = 7) -> None:
    rng = random.Random(rng_seed)
    now = _now()
    password_hash = hash_password(PASSWORD)
    tables = SQLModel.metadata.tables
    with engine.begin() as conn:
        users = [
            {
                "id": i,
                "email": f"reader{i}@example.com",
                "username": f"reader{i}",
                "name": f"Reader {i}",
                "bio": "",
                "password_hash": password_hash,
                "token_version": 0,
                "created_at": now,
            }
            for i in range(1, counts.users + 1)
        ]
        _insert(conn, tables[User.__tablename__], users)
        books = [
            {
                "id": i,
                "title": f"Book number {i}",
                "authors": f"Author {i % 997}",
                "isbn10": None,
                "isbn13": None,
                "cover_url": "",
                "description": "",
                "total_pages": rng.randint(90, 900),
                "publisher": "",
                "published_date": "",
                "language": "en",
                "dedupe_key": dedupe_key(f"Book number {i}", f"Author {i % 997}"),
                "created_at": now,
            }
            for i in range(1, counts.books + 1)
        ]
        _insert(conn, tables[Book.__tablename__], books)
        pages = {b["id"]: b["total_pages"] for b in books}

        entries, seen = [], set()
        heavy_books = min(counts.books, max(500, counts.entries // counts.users * 50))
        for book_id in range(1, heavy_books + 1):
            seen.add((HEAVY_USER_ID, book_id))
        while len(seen) < counts.entries + heavy_books:
            seen.add((rng.randint(2, counts.users), rng.randint(1, counts.books)))
        for entry_id, (user_id, book_id) in enumerate(sorted(seen), start=1):
            status = rng.choice(STATUSES)
            total = pages[book_id]
            current = total if status == "finished" else rng.randint(0, total)
            entries.append(
                {
                    "id": entry_id,
                    "user_id": user_id,
                    "book_id": book_id,
                    "status": status,
                    "current_page": current,
                    "rating": rng.choice([None, 3.0, 3.5, 4.0, 4.5, 5.0]),
                    "private_notes": "",
                    "format": rng.choice(FORMATS),
                    "ownership": rng.choice(["none", "owned", "borrowed", "loaned"]),
                    "borrowed_from": "",
                    "loaned_to": "",
                    "created_at": now - datetime.timedelta(days=rng.randint(0, 900)),
                    "updated_at": now - datetime.timedelta(minutes=rng.randint(0, 500_000)),
                }
            )
        _insert(conn, tables[UserBook.__tablename__], entries)
        _insert(conn, tables[Read.__tablename__], _reads(entries, now, random.Random(rng_seed + 1)))

        progress = []
        heavy_entries = [e for e in entries if e["user_id"] == HEAVY_USER_ID]
        for n, entry in enumerate(heavy_entries * 4):
            delta = rng.randint(5, 60)
            progress.append(
                {
                    "id": n + 1,
                    "user_id": HEAVY_USER_ID,
                    "user_book_id": entry["id"],
                    "book_id": entry["book_id"],
                    "from_page": 0,
                    "to_page": delta,
                    "pages_delta": delta,
                    "recorded_at": now - datetime.timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 1400)),
                }
            )
        _insert(conn, tables[ReadingProgress.__tablename__], progress)

        entry_of_user: dict[int, list[dict]] = {}
        for entry in entries:
            entry_of_user.setdefault(entry["user_id"], []).append(entry)
        likes = set()
        while len(likes) < counts.likes:
            # Newer posts get more likes, like a real feed.
            note_id = counts.posts - int(rng.paretovariate(1.2)) % counts.posts
            likes.add((rng.randint(1, counts.users), note_id))
        like_count = Counter(note_id for _, note_id in likes)
        notes = []
        for note_id in range(1, counts.posts + 1):
            user_id = HEAVY_USER_ID if note_id % 50 == 0 else rng.randint(1, counts.users)
            own = entry_of_user.get(user_id)
            entry = rng.choice(own) if own else None
            created = now - datetime.timedelta(seconds=(counts.posts - note_id) * 37)
            notes.append(
                {
                    "id": note_id,
                    "user_id": user_id,
                    "user_book_id": entry["id"] if entry else None,
                    "book_id": entry["book_id"] if entry else None,
                    "text": f"Thoughts number {note_id}",
                    "emotion": rng.choice(EMOTIONS),
                    "quote": "",
                    "image_url": "",
                    "image_key": "",
                    "page": None,
                    "chapter": "",
                    "is_public": rng.random() > 0.1,
                    "like_count": like_count[note_id],
                    "created_at": created,
                    "updated_at": created,
                }
            )
        busy = busy_post_id(counts)
        notes[busy - 1]["is_public"] = True
        _insert(conn, tables[Post.__tablename__], notes)
        _insert(conn, tables[Comment.__tablename__], _busy_comments(busy, counts.users, now, rng))
        _insert(conn, tables[Comment.__tablename__], spread_comments(counts, notes, now, rng))

        _insert(conn, tables[Like.__tablename__], [{"user_id": u, "note_id": n, "created_at": now} for u, n in likes])
        _insert(conn, tables[Notification.__tablename__], _heavy_notifications(likes, now, rng))

        follows = {(HEAVY_USER_ID, f) for f in range(2, min(counts.users, 300))}
        while len(follows) < counts.follows:
            a, b = rng.randint(1, counts.users), rng.randint(1, counts.users)
            if a != b:
                follows.add((a, b))
        _insert(
            conn,
            tables[Follow.__tablename__],
            [{"follower_id": a, "followee_id": b, "created_at": now} for a, b in follows],
        )
        if conn.dialect.name == "postgresql":
            for table in ("users", "books", "user_books", "reads", "notes", "reading_progress", "comments"):
                conn.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    # Steady state, as autovacuum would leave it: statistics and visibility
    # maps (index-only scans) are up to date.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"))


def busy_post_id(counts: SeedCounts) -> int:
    return max(1, counts.posts - BUSY_POST_OFFSET)


def _busy_comments(post_id: int, users: int, now: datetime.datetime, rng: random.Random) -> list[dict]:
    """Comments a minute apart on one post; the newest threads get replies."""
    rows = []
    for n in range(1, BUSY_COMMENTS + 1):
        created = now - datetime.timedelta(minutes=2 * (BUSY_COMMENTS - n) + 10)
        rows.append(_comment(n, post_id, rng.randint(1, users), None, f"Comment {n}", created))
    next_id = BUSY_COMMENTS + 1
    for parent in range(BUSY_COMMENTS - BUSY_THREADS + 1, BUSY_COMMENTS + 1):
        for r in range(BUSY_REPLIES):
            created = rows[parent - 1]["created_at"] + datetime.timedelta(seconds=10 * (r + 1))
            rows.append(_comment(next_id, post_id, rng.randint(1, users), parent, f"Reply {r}", created))
            next_id += 1
    return rows


def spread_comments(counts: SeedCounts, notes: list[dict], now: datetime.datetime, rng: random.Random) -> list[dict]:
    """``counts.comments`` comments on random posts (ids after the busy post's), each after its post."""
    first_id = BUSY_COMMENTS + BUSY_THREADS * BUSY_REPLIES + 1
    rows = []
    for n in range(counts.comments):
        note = notes[rng.randrange(len(notes))]
        age = max(1.0, (now - note["created_at"]).total_seconds())
        created = note["created_at"] + datetime.timedelta(seconds=rng.uniform(0, age))
        rows.append(_comment(first_id + n, note["id"], rng.randint(1, counts.users), None, f"Comment {n}", created))
    return rows


def _comment(comment_id, post_id, user_id, parent_id, text, created) -> dict:
    return {
        "id": comment_id,
        "note_id": post_id,
        "user_id": user_id,
        "parent_id": parent_id,
        "text": text,
        "page": None,
        "chapter": "",
        "hidden_at": None,
        "created_at": created,
    }


def _heavy_notifications(likes: set[tuple[int, int]], now: datetime.datetime, rng: random.Random) -> list[dict]:
    """The heavy reader's notifications: one per like of their posts (note ids divisible
    by 50), newest first in time; all but the newest 200 read (bench/query_cost.py)."""
    mine = sorted((n, u) for u, n in likes if n % 50 == 0 and u != HEAVY_USER_ID)
    rows = []
    for rank, (note_id, user_id) in enumerate(mine):
        created = now - datetime.timedelta(minutes=len(mine) - rank + rng.random())
        read = created if rank < len(mine) - 200 else None
        rows.append(
            {
                "user_id": HEAVY_USER_ID,
                "actor_id": user_id,
                "kind": "like",
                "post_id": note_id,
                "comment_id": None,
                "circle_id": None,
                "created_at": created,
                "read_at": read,
            }
        )
    return rows
