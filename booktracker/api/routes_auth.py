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
)
from booktracker.models import User, UserPublic, saved_id
from booktracker.services import auth, social

router = APIRouter(tags=["auth"])


def _token_response(user: User) -> TokenResponse:
    return TokenResponse(access_token=auth.issue_token(user), user=UserPublic.model_validate(user))


@router.post("/auth/signup", status_code=status.HTTP_201_CREATED, response_model=TokenResponse)
def signup(body: SignupRequest, session: SessionDep):
    user = auth.signup(session=session, email=body.email, name=body.name, password=body.password)
    return _token_response(user)


@router.post("/auth/login", response_model=TokenResponse)
def login(body: LoginRequest, session: SessionDep, request: Request):
    user = auth.authenticate(session=session, email=body.email, password=body.password, ip=client_ip(request))
    return _token_response(user)


@router.post("/auth/refresh", response_model=TokenResponse)
def refresh(user: CurrentUser):
    return _token_response(user)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(session: SessionDep, token: str = Depends(bearer_token)):
    user = auth.check_token(session=session, token=token).user
    auth.revoke_tokens(session=session, user_id=saved_id(user))


@router.get("/me", response_model=MeResponse)
def me(user: CurrentUser):
    return MeResponse.model_validate(user, from_attributes=True)


@router.patch("/me", response_model=MeResponse)
def update_me(body: ProfileUpdate, session: SessionDep, user_id: CurrentUserId):
    updated = social.update_profile(
        session=session, user_id=user_id, name=body.name, username=body.username, bio=body.bio
    )
    return MeResponse.model_validate(updated, from_attributes=True)


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
    return _token_response(updated)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
def delete_me(body: PasswordConfirm, session: SessionDep, user_id: CurrentUserId, request: Request):
    # Images too; wrong passwords are throttled like logins.
    auth.delete_account(session=session, user_id=user_id, password=body.password, ip=client_ip(request))
