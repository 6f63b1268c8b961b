"""/api/v1/auth and /api/v1/me."""

from fastapi import APIRouter, Depends, Request, status

from booktracker.api.deps import CurrentUser, CurrentUserId, SessionDep, bearer_token, client_ip
from booktracker.api.schemas import (
    LoginRequest,
    MeResponse,
    PasswordChange,
    PasswordConfirm,
    ProfileUpdate,
    SignupRequest,
    TokenResponse,
    TwoFactorRequired,
)
from booktracker.api.tokens import token_response
from booktracker.models import UserPublic, saved_id
from booktracker.services import auth, privacy_settings, social, spoilers, two_factor

router = APIRouter(tags=["auth"])


@router.post("/auth/signup", status_code=status.HTTP_201_CREATED, response_model=TokenResponse)
def signup(body: SignupRequest, session: SessionDep, request: Request):
    user = auth.signup(session=session, email=body.email, name=body.name, password=body.password)
    return token_response(user, session=session, request=request)


@router.post("/auth/login", response_model=TokenResponse | TwoFactorRequired)
def login(body: LoginRequest, session: SessionDep, request: Request):
    """The token; or, when the reader turned two-factor on, a challenge to send
    with a code to /auth/login/two-factor."""
    user = auth.authenticate(session=session, email=body.email, password=body.password, ip=client_ip(request))
    if two_factor.is_enabled(user):
        return TwoFactorRequired(challenge=two_factor.issue_challenge(user))
    return token_response(user, session=session, request=request)


@router.post("/auth/refresh", response_model=TokenResponse)
def refresh(session: SessionDep, token: str = Depends(bearer_token)):
    """A fresh token for the same session."""
    check = auth.check_token(session=session, token=token)
    fresh = auth.issue_token(check.user, sid=check.session_id)
    return TokenResponse(access_token=fresh, user=UserPublic.model_validate(check.user))


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(session: SessionDep, token: str = Depends(bearer_token)):
    """Ends this token's session only; /auth/logout-all signs out every device."""
    auth.check_token(session=session, token=token)  # a bad token is refused (401)
    auth.log_out(session=session, token=token)


@router.get("/me", response_model=MeResponse)
def me(user: CurrentUser):
    return MeResponse.model_validate(user, from_attributes=True)


@router.patch("/me", response_model=MeResponse)
def update_me(body: ProfileUpdate, session: SessionDep, user: CurrentUser):
    """Name, username, bio, who sees the profile, the spoiler shield; what is left out stays."""
    user_id = saved_id(user)
    visibility = body.profile_visibility
    if visibility is not None:
        visibility = privacy_settings.checked_visibility(visibility)  # refused before anything changes
    if (body.name, body.username, body.bio) != (None, None, None):
        user = social.update_profile(
            session=session,
            user_id=user_id,
            name=user.name if body.name is None else body.name,
            username=user.username if body.username is None else body.username,
            bio=user.bio if body.bio is None else body.bio,
        )
    if visibility is not None:
        user = privacy_settings.set_profile_visibility(session=session, user_id=user_id, visibility=visibility)
    if body.spoiler_shield is not None:
        user = spoilers.set_shield(session=session, user_id=user_id, on=body.spoiler_shield)
    return MeResponse.model_validate(user, from_attributes=True)


@router.post("/auth/password", response_model=TokenResponse)
def change_password(body: PasswordChange, session: SessionDep, user_id: CurrentUserId, request: Request):
    """Every other token stops working; the response carries this device's new one.
    Wrong current passwords are throttled like logins (429 with Retry-After)."""
    updated = auth.change_password(
        session=session,
        user_id=user_id,
        current_password=body.current_password,
        new_password=body.new_password,
        ip=client_ip(request),
    )
    return token_response(updated, session=session, request=request)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
def delete_me(body: PasswordConfirm, session: SessionDep, user_id: CurrentUserId, request: Request):
    # Images too; wrong passwords are throttled like logins.
    auth.delete_account(session=session, user_id=user_id, password=body.password, ip=client_ip(request))
