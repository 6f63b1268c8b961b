"""Shared fixtures of the service tests: readers signed up through auth.signup."""

import pytest

from booktracker.services import auth


def reader(session, name: str):
    """Signs up `name` (email: the name lowercased, spaces as dots)."""
    return auth.signup(
        session=session, email=f"{name.lower().replace(' ', '.')}@example.com", name=name, password="password 123"
    )


@pytest.fixture
def ann(session):
    return reader(session, "Ann")


@pytest.fixture
def bob(session):
    return reader(session, "Bob")
