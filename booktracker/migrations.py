"""Applying Alembic migrations from code (start-up, `make run`, tests).

Run as ``python -m booktracker.migrations`` to upgrade the configured DB.
"""

from __future__ import annotations

import logging
import sys

import sqlalchemy as sa
from alembic.config import Config
from sqlalchemy.engine import make_url

from alembic import command
from booktracker.settings import PROJECT_ROOT, settings

log = logging.getLogger("booktracker.migrations")


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def ensure_database_exists(database_url: str) -> None:
    """Create the PostgreSQL database named in the URL if the server lacks it."""
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql") or not url.database:
        return
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    finally:
        admin.dispose()


# Any constant: several workers starting at once take turns migrating.
MIGRATION_LOCK_ID = 7_310_042


def upgrade_to_head(database_url: str | None = None) -> None:
    url = database_url or settings.database_url
    config = alembic_config(url)
    if not url.startswith("postgresql"):
        command.upgrade(config, "head")
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            conn.commit()
            try:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                conn.commit()
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
                conn.commit()
    finally:
        engine.dispose()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        ensure_database_exists(settings.database_url)
        upgrade_to_head()
    except Exception as exc:
        log.error(
            "❌ could not migrate %s: %s", make_url(settings.database_url).render_as_string(hide_password=True), exc
        )
        return 1
    log.info("✅ database initialised at %s", make_url(settings.database_url).render_as_string(hide_password=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
