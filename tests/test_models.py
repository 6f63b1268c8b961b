"""The vocabulary beside the enums in booktracker/models.py: a new status,
format or ownership cannot ship without the words and colour readers see."""

from typing import get_args

import pytest
import sqlalchemy as sa
from reflex_components_radix.themes.base import LiteralAccentColor
from sqlmodel import SQLModel

from booktracker.models import (
    FORMAT_LABELS,
    OWNERSHIP_LABELS,
    PROFILE_VISIBILITY_LABELS,
    STATUS_COLORS,
    STATUS_LABELS,
    STATUS_TAB_LABELS,
    BookFormat,
    Ownership,
    ProfileVisibility,
    ReadingStatus,
)

VOCABULARIES = [
    (STATUS_LABELS, ReadingStatus),
    (STATUS_TAB_LABELS, ReadingStatus),
    (STATUS_COLORS, ReadingStatus),
    (FORMAT_LABELS, BookFormat),
    (OWNERSHIP_LABELS, Ownership),
    (PROFILE_VISIBILITY_LABELS, ProfileVisibility),
]


@pytest.mark.parametrize(("words", "enum"), VOCABULARIES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_member_has_its_words_in_enum_order(words, enum):
    # Enum order is the order of selects, tabs and status buttons.
    assert list(words) == list(enum)
    assert all(isinstance(key, enum) for key in words)
    assert all(isinstance(text, str) and text.strip() for text in words.values())


@pytest.mark.parametrize("labels", [STATUS_LABELS, STATUS_TAB_LABELS, FORMAT_LABELS, OWNERSHIP_LABELS])
def test_labels_tell_members_apart(labels):
    assert len(set(labels.values())) == len(labels)


def test_labels_look_up_stored_strings():
    # Rows and events carry plain strings; the enum keys must answer them.
    assert STATUS_LABELS["did-not-finish"] == "Did not finish"
    assert STATUS_TAB_LABELS["did-not-finish"] == "DNF"
    assert "borrowed" in OWNERSHIP_LABELS and "unknown" not in FORMAT_LABELS


def test_the_words_readers_see_stay_the_same():
    assert list(STATUS_LABELS.values()) == ["Want to read", "Reading", "Finished", "Paused", "Did not finish"]
    assert list(STATUS_TAB_LABELS.values()) == ["Want to read", "Reading", "Finished", "Paused", "DNF"]
    assert list(FORMAT_LABELS.values()) == ["Hardcover", "Paperback", "E-book", "Kindle", "PDF", "Audiobook"]
    assert list(OWNERSHIP_LABELS.values()) == ["Not owned", "Owned", "Borrowed", "Loaned out"]


def test_status_colours_are_radix_colour_schemes():
    allowed = set(get_args(LiteralAccentColor))
    assert set(STATUS_COLORS.values()) <= allowed


def test_the_database_checks_allow_every_enum_value():
    checks = {
        str(constraint.name): str(constraint.sqltext)
        for constraint in SQLModel.metadata.tables["user_books"].constraints
        if isinstance(constraint, sa.CheckConstraint)
    }
    for name, enum in [("status", ReadingStatus), ("format", BookFormat), ("ownership", Ownership)]:
        assert all(f"'{member.value}'" in checks[f"ck_user_books_{name}"] for member in enum)
