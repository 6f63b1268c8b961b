"""The answer that signs an API client in: shared by every route that ends
a sign-in (password, two-factor code, Google, sign-up, password change)."""

from fastapi import Request
from sqlmodel import Session

from booktracker.api.deps import client_ip
from booktracker.api.schemas import TokenResponse
from booktracker.models import User, UserPublic
from booktracker.services import auth


def token_response(user: User, *, session: Session, request: Request) -> TokenResponse:
    """A new sign-in session for this client (its User-Agent and address) and its token."""
    token = auth.sign_in(
        session=session, user=user, user_agent=request.headers.get("user-agent", ""), ip=client_ip(request)
    )
    return TokenResponse(access_token=token, user=UserPublic.model_validate(user))
