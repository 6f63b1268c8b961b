"""Alembic environment: TrackMyRead's tables and the configured database."""

from logging.config import fileConfig

from sqlmodel import SQLModel

import booktracker.models  # noqa: F401  (registers every table)
from alembic import context
from booktracker.db import build_engine
from booktracker.settings import settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _url() -> str:
    # An explicit URL (tests, backup/restore) wins over the settings.
    return config.attributes.get("database_url") or settings.database_url


def _configure(**kwargs) -> None:
    url = _url()
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=url.startswith("sqlite"),
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = build_engine(_url())
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                # Batch mode rebuilds a table (copy, DROP, rename). With foreign
                # keys on, SQLite's DROP first deletes the table's rows and so
                # cascades: rebuilding user_books emptied reading_progress, reads
                # and posts (tests/test_migrations.py). SQLite's own recipe: keys
                # off during the change (outside a transaction), checked after.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and (broken := conn.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    raise RuntimeError(f"migration left rows pointing at missing rows: {broken[:5]}")
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
