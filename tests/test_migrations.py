"""Migrations: they match the models and go down and up cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from alembic import command
from booktracker.migrations import alembic_config
from booktracker.settings import settings


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_downgrade_to_base_and_back(engine):
    config = alembic_config(settings.database_url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == head
        assert compare_metadata(context, SQLModel.metadata) == []
