"""/api/v1/auth and /api/v1/me."""

from fastapi import APIRouter, Depends, Request, status

from booktracker.api.deps import CurrentUser, SessionDep, bearer_token
from booktracker.api.schemas import LoginRequest, MeResponse, SignupRequest, TokenResponse
from booktracker.models import User, UserPublic
from booktracker.services import auth

router = APIRouter(tags=["auth"])


def _token_response(user: User) -> TokenResponse:
    return TokenResponse(access_token=auth.issue_token(user), user=UserPublic.model_validate(user))


@router.post("/auth/signup", status_code=status.HTTP_201_CREATED, response_model=TokenResponse)
def signup(body: SignupRequest, session: SessionDep):
    user = auth.signup(session=session, email=body.email, name=body.name, password=body.password)
    return _token_response(user)


@router.post("/auth/login", response_model=TokenResponse)
def login(body: LoginRequest, session: SessionDep, request: Request):
    ip = request.client.host if request.client else ""
    user = auth.authenticate(session=session, email=body.email, password=body.password, ip=ip)
    return _token_response(user)


@router.post("/auth/refresh", response_model=TokenResponse)
def refresh(user: CurrentUser):
    return _token_response(user)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(session: SessionDep, token: str = Depends(bearer_token)):
    user = auth.check_token(session=session, token=token).user
    auth.revoke_tokens(session=session, user_id=user.id)


@router.get("/me", response_model=MeResponse)
def me(user: CurrentUser):
    return MeResponse.model_validate(user, from_attributes=True)
