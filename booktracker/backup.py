"""Back up and restore the whole database.

    python -m booktracker.backup dump backup.json   [--database-url URL]
    python -m booktracker.backup restore backup.json [--database-url URL]
    python -m booktracker.backup dump --pg-dump backup.dump      (PostgreSQL only)
    python -m booktracker.backup restore --pg-restore backup.dump

The JSON form is portable (SQLite <-> PostgreSQL): every table in foreign-key
order, rows streamed in batches, ids kept. Restore needs an empty database:
it migrates it to the latest schema, refuses if any table has rows, loads
the rows and moves PostgreSQL's id sequences past the restored ids.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import booktracker.models  # noqa: F401  (registers the tables)
from booktracker.db import build_engine
from booktracker.migrations import ensure_database_exists, upgrade_to_head
from booktracker.settings import settings
from booktracker.settings_checks import normalize_database_url

FORMAT = "trackmyread-backup"
BATCH = 2000


class BackupError(RuntimeError):
    pass


def _tables() -> list[sa.Table]:
    return list(SQLModel.metadata.sorted_tables)


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, datetime.date):  # calendar dates of reads
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode()}
    return value


def _decode(value, column: sa.Column):
    if isinstance(value, dict) and "$dt" in value:
        return datetime.datetime.fromisoformat(value["$dt"])
    if isinstance(value, dict) and "$date" in value:
        return datetime.date.fromisoformat(value["$date"])
    if isinstance(value, dict) and "$b64" in value:
        return base64.b64decode(value["$b64"])
    return value


def _rows(conn, table: sa.Table) -> Iterator[dict]:
    order = list(table.primary_key.columns)
    result = conn.execution_options(stream_results=True).execute(sa.select(table).order_by(*order))
    for chunk in result.mappings().partitions(BATCH):
        yield from chunk


def dump(database_url: str, path: Path) -> dict[str, int]:
    """Write every table as JSON, one row per line inside each table's list."""
    engine = build_engine(database_url)
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn, path.open("w", encoding="utf-8") as out:
            out.write(f'{{"format": "{FORMAT}", "version": 1, "tables": {{')
            for index, table in enumerate(_tables()):
                out.write(("," if index else "") + f"\n{json.dumps(table.name)}: [")
                count = 0
                for row in _rows(conn, table):
                    out.write(("," if count else "") + "\n" + json.dumps({k: _encode(v) for k, v in row.items()}))
                    count += 1
                out.write("\n]")
                counts[table.name] = count
            out.write("\n}}\n")
    finally:
        engine.dispose()
    return counts


def _require_empty(conn) -> None:
    for table in _tables():
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(
                f"Refusing to restore: table {table.name!r} already has rows. Restore into an empty database."
            )


def restore(database_url: str, path: Path) -> dict[str, int]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a TrackMyRead backup.")
    ensure_database_exists(database_url)
    upgrade_to_head(database_url)
    engine = build_engine(database_url)
    counts: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            _require_empty(conn)
            for table in _tables():
                rows = data["tables"].get(table.name, [])
                columns = {c.name: c for c in table.columns}
                decoded = [{k: _decode(v, columns[k]) for k, v in row.items() if k in columns} for row in rows]
                for start in range(0, len(decoded), BATCH):
                    conn.execute(table.insert(), decoded[start : start + BATCH])
                counts[table.name] = len(decoded)
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
    finally:
        engine.dispose()
    return counts


def _reset_sequences(conn) -> None:
    for table in _tables():
        # Integer ids only: user_sessions' ids are random strings, no sequence.
        column = table.columns.get("id")
        if column is not None and column.autoincrement in (True, "auto") and column.type.python_type is int:
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def _libpq_url(database_url: str) -> str:
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        raise BackupError("--pg-dump/--pg-restore need a PostgreSQL DATABASE_URL.")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return found


def pg_dump(database_url: str, path: Path) -> None:
    subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}", _libpq_url(database_url)], check=True
    )


def pg_restore(database_url: str, path: Path) -> None:
    ensure_database_exists(database_url)
    subprocess.run(
        [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_libpq_url(database_url)}", str(path)],
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["dump", "restore"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--database-url", default=settings.database_url)
    parser.add_argument("--pg-dump", action="store_true", help="use pg_dump's custom format (PostgreSQL)")
    parser.add_argument("--pg-restore", action="store_true", help="restore a pg_dump file (PostgreSQL)")
    args = parser.parse_args(argv)
    url = normalize_database_url(args.database_url)
    try:
        if args.action == "dump":
            if args.pg_dump:
                pg_dump(url, args.file)
                print(f"✅ pg_dump written to {args.file}")
            else:
                counts = dump(url, args.file)
                print(f"✅ {sum(counts.values())} rows from {len(counts)} tables written to {args.file}")
        else:
            if args.pg_restore:
                pg_restore(url, args.file)
                print(f"✅ restored {args.file} with pg_restore")
            else:
                counts = restore(url, args.file)
                print(f"✅ restored {sum(counts.values())} rows into {len(counts)} tables")
    except (BackupError, subprocess.CalledProcessError) as exc:
        print(f"❌ {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
