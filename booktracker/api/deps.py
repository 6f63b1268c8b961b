"""Shared FastAPI dependencies: a DB session and the authenticated reader."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from booktracker.db import session_scope
from booktracker.errors import AuthenticationFailed
from booktracker.models import User
from booktracker.services import auth
from booktracker.settings import settings


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


# The scheme object puts "HTTP bearer" into the OpenAPI spec and marks every
# operation that depends on it. auto_error=False: FastAPI's own refusal (a bare
# 403/401 without our error body) must never reach a client, so a missing or
# malformed header is refused below as AuthenticationFailed (401, our error
# contract, WWW-Authenticate: Bearer).
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    bearerFormat="JWT",
    description="The access_token from /api/v1/auth/login or /auth/signup. Optional on public reads.",
)
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def bearer_token(credentials: BearerCredentials) -> str:
    token = credentials.credentials.strip() if credentials is not None else ""
    if not token:
        raise AuthenticationFailed("Send 'Authorization: Bearer <token>'.")
    return token


def current_user(session: SessionDep, token: Annotated[str, Depends(bearer_token)]) -> User:
    return auth.check_token(session=session, token=token).user


CurrentUser = Annotated[User, Depends(current_user)]


def current_user_id(user: CurrentUser) -> int:
    # A stored row always has its id; the model only types it optional for inserts.
    assert user.id is not None
    return user.id


# For routes that only need who is asking: FastAPI resolves current_user once per request.
CurrentUserId = Annotated[int, Depends(current_user_id)]


def optional_user(request: Request, session: SessionDep, credentials: BearerCredentials) -> User | None:
    """The reader if a token is sent (it must then be valid), else None."""
    # The scheme answers None both for no header and for a malformed one; only
    # the first means "anonymous", the second is refused like a bad token.
    if not request.headers.get("authorization"):
        return None
    return current_user(session, bearer_token(credentials))


OptionalUser = Annotated[User | None, Depends(optional_user)]


def client_ip(request: Request) -> str:
    """The reader's address, which the login throttle keys on.

    Behind TRUSTED_PROXY_HOPS reverse proxies it is the entry the outermost
    proxy appended to X-Forwarded-For (the hops-th from the end): entries
    further left were written by the client, which can put anything there.
    Without trusted proxies the header is ignored and the peer address is used.
    The same rule as Reflex's websocket (rx.Config(trusted_proxy_hops=...)), so
    the web and API logins count the same reader alike.
    """
    peer = request.client.host if request.client else ""
    hops = settings.trusted_proxy_hops
    if not hops:
        return peer
    # Repeated headers count as one comma-separated list (RFC 9110 5.3).
    forwarded = [ip.strip() for value in request.headers.getlist("x-forwarded-for") for ip in value.split(",")]
    forwarded = [ip for ip in forwarded if ip]
    return forwarded[-hops] if len(forwarded) >= hops else peer
