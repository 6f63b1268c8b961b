"""Column helpers every table module uses."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Protocol

from sqlmodel import Field
from sqlmodel.main import OnDeleteType

from booktracker.db import UTCDateTime, utcnow


def in_check(column: str, enum: type[Enum], nullable: bool = False) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum)
    check = f"{column} IN ({values})"
    return f"{column} IS NULL OR {check}" if nullable else check


def timestamp(index: bool = False) -> datetime.datetime:
    return Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        sa_column_kwargs={"nullable": False},
        index=index,
    )


def optional_timestamp() -> datetime.datetime | None:
    return Field(default=None, sa_type=UTCDateTime, nullable=True)


def fk(target: str, *, nullable: bool = False, index: bool = True, ondelete: OnDeleteType = "CASCADE"):
    if nullable:
        return Field(default=None, foreign_key=target, ondelete=ondelete, nullable=True, index=index)
    return Field(foreign_key=target, ondelete=ondelete, index=index)


class _Row(Protocol):
    id: int | None


def saved_id(row: _Row) -> int:
    """The id of a row that is in the database (loaded, flushed or committed).

    Table models type ``id`` as ``int | None`` because a new row has none until
    it is inserted; code holding a stored row narrows it here, once.
    """
    if row.id is None:
        raise ValueError(f"this {type(row).__name__} has no id: it was never flushed")
    return row.id
