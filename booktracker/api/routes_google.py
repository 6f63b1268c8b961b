"""/api/v1 Google sign-in: sign in / sign up / link with a Google ID token,
and add or remove Google sign-in from the account."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, SessionDep, client_ip
from booktracker.api.schemas import TokenResponse, TwoFactorRequired
from booktracker.api.tokens import token_response
from booktracker.services import google_signin, two_factor

router = APIRouter(tags=["auth"])


class GoogleSignIn(BaseModel):
    # The ID token ("credential") Google Identity Services gives the page.
    id_token: str = Field(max_length=8192)
    # Only for a first sign-in: the username of the new account.
    username: str = Field(default="", max_length=30)
    # Only when an account with the same email exists: its password, to link it.
    password: str = Field(default="", max_length=1000)


class GoogleNextStep(BaseModel):
    """Not signed in yet: send the same ID token again with what ``next`` names."""

    next: Literal["username", "password"]
    email: str
    suggested_username: str = ""


class GoogleLink(BaseModel):
    id_token: str = Field(max_length=8192)


class GoogleStatus(BaseModel):
    linked: bool
    has_password: bool


@router.post("/auth/google", response_model=TokenResponse | TwoFactorRequired | GoogleNextStep)
def google_sign_in(body: GoogleSignIn, session: SessionDep, request: Request):
    """A token for the account linked to this Google account; or the next step
    (a username for a new account, or the password of the account with the
    same email, which links it); or a two-factor challenge as /auth/login."""
    outcome = google_signin.sign_in_with_google(
        session=session, id_token=body.id_token, username=body.username, password=body.password, ip=client_ip(request)
    )
    if outcome.user is None:
        step = "username" if outcome.needs_username else "password"
        return GoogleNextStep(next=step, email=outcome.email, suggested_username=outcome.suggested_username)
    if two_factor.is_enabled(outcome.user):
        return TwoFactorRequired(challenge=two_factor.issue_challenge(outcome.user))
    return token_response(outcome.user, session=session, request=request)


@router.put("/me/google", response_model=GoogleStatus)
def link_google(body: GoogleLink, session: SessionDep, user_id: CurrentUserId):
    user = google_signin.link(session=session, user_id=user_id, id_token=body.id_token)
    return GoogleStatus(linked=True, has_password=google_signin.has_password(user))


@router.delete("/me/google", status_code=status.HTTP_204_NO_CONTENT)
def unlink_google(session: SessionDep, user_id: CurrentUserId):
    """Refused (422) when Google is the account's only way to sign in."""
    google_signin.unlink(session=session, user_id=user_id)
