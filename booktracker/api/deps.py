"""Shared FastAPI dependencies: a DB session and the authenticated reader."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header
from sqlmodel import Session

from booktracker.db import session_scope
from booktracker.errors import AuthenticationFailed
from booktracker.models import User
from booktracker.services import auth


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def bearer_token(authorization: Annotated[str | None, Header()] = None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Send 'Authorization: Bearer <token>'.")
    return token.strip()


def current_user(session: SessionDep, token: Annotated[str, Depends(bearer_token)]) -> User:
    return auth.check_token(session=session, token=token).user


CurrentUser = Annotated[User, Depends(current_user)]


def optional_user(session: SessionDep, authorization: Annotated[str | None, Header()] = None) -> User | None:
    """The reader if a token is sent (it must then be valid), else None."""
    if not authorization:
        return None
    return current_user(session, bearer_token(authorization))


OptionalUser = Annotated[User | None, Depends(optional_user)]
