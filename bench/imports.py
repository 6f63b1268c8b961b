"""Importing a 20,000-row Goodreads file into an empty account (`--only imports`).

The file is generated (every column a reader fills: ratings, dates read,
re-reads, shelves, reviews with spoilers, notes, bindings, series in titles,
additional authors), then run through ``Importer`` -- the page's and the
API's use case -- on a fresh database per backend. Reported: wall time, rows
per second, statements per batch (constant in the batch's size), and CPU
time of this process (Python; PostgreSQL's own CPU is the rest of the wall).
Targets (issue 11): ≤ 5 s on SQLite, ≤ 10 s on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import random
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

from booktracker.models import User
from booktracker.services.exports import GOODREADS_HEADER
from booktracker.services.imports import BATCH, Importer

TARGETS = {"sqlite": 5.0, "postgres": 10.0}
BINDINGS = ["Paperback", "Hardcover", "Kindle Edition", "ebook", "Audible Audio", "Mass Market Paperback", "Board book"]
SHELVES = ["read", "to-read", "currently-reading", "did-not-finish"]


def _isbn13(n: int) -> str:
    body = f"978{n:09d}"
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10
    return f"{body}{check}"


def goodreads_file(rows: int, seed: int = 11) -> bytes:
    rnd = random.Random(seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=GOODREADS_HEADER, lineterminator="\n")
    writer.writeheader()
    for n in range(rows):
        shelf = SHELVES[n % len(SHELVES)]
        finished = shelf == "read"
        year = 2000 + n % 25
        title = f"Book number {n}" + (f" (Saga {n % 97}, #{n % 9 + 1})" if n % 3 == 0 else "")
        writer.writerow(
            {
                "Book Id": 1_000_000 + n,
                "Title": title,
                "Author": f"Author {n % 4000}",
                "Author l-f": f"{n % 4000}, Author",
                "Additional Authors": f"Illustrator {n % 50}" if n % 10 == 0 else "",
                "ISBN": "",
                "ISBN13": f'="{_isbn13(n)}"' if n % 5 else '=""',
                "My Rating": rnd.randint(0, 5) if finished else 0,
                "Average Rating": "4.01",
                "Publisher": f"Press {n % 300}",
                "Binding": BINDINGS[n % len(BINDINGS)],
                "Number of Pages": 100 + n % 700,
                "Year Published": year,
                "Original Publication Year": year - n % 40,
                "Date Read": f"{year}/{n % 12 + 1:02d}/{n % 28 + 1:02d}" if finished else "",
                "Date Added": f"{year - 1}/01/{n % 28 + 1:02d}",
                "Bookshelves": f"{shelf}, shelf-{n % 30}" if n % 2 else shelf,
                "Bookshelves with positions": "",
                "Exclusive Shelf": shelf,
                "My Review": f"Review of book {n}, <b>{'great' if n % 2 else 'fine'}</b>." if n % 4 == 0 else "",
                "Spoiler": "true" if n % 8 == 0 else "",
                "Private Notes": f"note {n}" if n % 6 == 0 else "",
                "Read Count": (1 + n % 3) if finished else 0,
                "Owned Copies": n % 2,
            }
        )
    return out.getvalue().encode()


@dataclass
class ImportCost:
    backend: str
    rows: int
    seconds: float
    cpu_seconds: float
    statements: int
    batches: int
    created: int
    failed: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds

    @property
    def statements_per_batch(self) -> float:
        return self.statements / self.batches


def measure(backend: str, engine: sa.Engine, data: bytes, rows: int) -> ImportCost:
    with Session(engine) as session:
        stamp = time.time_ns()
        user = User(email=f"bench-{stamp}@example.com", username=f"imp{stamp % 10**9}", name="I", password_hash="x")
        session.add(user)
        session.commit()
        user_id = user.id or 0
    statements = 0

    def count(*_args) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        importer = Importer(user_id=user_id, data=data, review_as="private")
        steps = list(importer.run(lambda: Session(engine, expire_on_commit=False)))
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    finally:
        event.remove(engine, "before_cursor_execute", count)
    last = steps[-1]
    assert last.finished
    batches = -(-rows // BATCH)
    return ImportCost(backend, rows, seconds, cpu_seconds, statements, batches, last.created, len(last.failed))


def print_costs(costs: list[ImportCost]) -> None:
    print(f"{'backend':10} {'rows':>7} {'wall s':>7} {'rows/s':>8} {'CPU s':>6} {'stmts/batch':>11} {'target':>8}")
    for c in costs:
        verdict = "met" if c.seconds <= TARGETS[c.backend] else "MISSED"
        print(
            f"{c.backend:10} {c.rows:>7} {c.seconds:>7.2f} {c.rows_per_second:>8.0f} {c.cpu_seconds:>6.2f} "
            f"{c.statements_per_batch:>11.1f} {f'≤{TARGETS[c.backend]:.0f} s ' + verdict:>8}"
        )
        print(f"{'':10} created {c.created}, not imported {c.failed}, {c.batches} batches of {BATCH}")
