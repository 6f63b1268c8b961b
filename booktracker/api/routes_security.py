"""/api/v1: the two-factor second step of a login, signing out everywhere,
the reader's signed-in sessions, and two-factor settings."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from booktracker.api.deps import CurrentUserId, SessionDep, bearer_token, client_ip
from booktracker.api.schemas import (
    RecoveryCodesResponse,
    TokenResponse,
    TwoFactorCode,
    TwoFactorDisable,
    TwoFactorLogin,
    TwoFactorSetupResponse,
)
from booktracker.api.tokens import token_response
from booktracker.services import auth, sessions, two_factor
from booktracker.services.auth import TokenCheck

router = APIRouter(tags=["auth"])


def _token_check(session: SessionDep, token: Annotated[str, Depends(bearer_token)]) -> TokenCheck:
    return auth.check_token(session=session, token=token)


CurrentCheck = Annotated[TokenCheck, Depends(_token_check)]


@router.post("/auth/login/two-factor", response_model=TokenResponse)
def login_two_factor(body: TwoFactorLogin, session: SessionDep, request: Request):
    """The challenge from /auth/login with a code from the app (or a recovery code).
    Wrong codes are throttled like passwords (429 with Retry-After); a code works once."""
    user = two_factor.complete_login(session=session, challenge=body.challenge, code=body.code, ip=client_ip(request))
    return token_response(user, session=session, request=request)


@router.post("/auth/logout-all", status_code=status.HTTP_204_NO_CONTENT)
def logout_all(session: SessionDep, user_id: CurrentUserId):
    """Sign out every device, this one included: every token stops working."""
    auth.revoke_tokens(session=session, user_id=user_id)


@router.get("/me/sessions", response_model=list[sessions.SessionView])
def list_sessions(session: SessionDep, check: CurrentCheck):
    """The reader's signed-in devices, most recently seen first; ``current`` is this token's."""
    assert check.user.id is not None  # a stored row
    return sessions.active(session=session, user_id=check.user.id, current_sid=check.session_id)


@router.delete("/me/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_session(session_id: str, session: SessionDep, user_id: CurrentUserId):
    """End one session (its token stops working at its next request); 404 if it is not the reader's."""
    sessions.end(session=session, user_id=user_id, sid=session_id)


@router.post("/me/two-factor", response_model=TwoFactorSetupResponse)
def start_two_factor(session: SessionDep, user_id: CurrentUserId):
    """A new pending secret (and its QR code); on once confirmed with a code. 409 if already on."""
    setup = two_factor.start(session=session, user_id=user_id)
    return TwoFactorSetupResponse(secret=setup.secret, otpauth_uri=setup.otpauth_uri, qr_code=setup.qr_data_uri)


@router.post("/me/two-factor/confirm", response_model=RecoveryCodesResponse)
def confirm_two_factor(body: TwoFactorCode, session: SessionDep, user_id: CurrentUserId, request: Request):
    """Turns two-factor on with a code from the pending secret; the ten recovery codes are shown once."""
    codes = two_factor.confirm(session=session, user_id=user_id, code=body.code, ip=client_ip(request))
    return RecoveryCodesResponse(recovery_codes=codes)


@router.delete("/me/two-factor", status_code=status.HTTP_204_NO_CONTENT)
def disable_two_factor(body: TwoFactorDisable, session: SessionDep, user_id: CurrentUserId, request: Request):
    """Turns two-factor off: needs the password and a code."""
    two_factor.disable(session=session, user_id=user_id, password=body.password, code=body.code, ip=client_ip(request))


@router.post("/me/two-factor/recovery-codes", response_model=RecoveryCodesResponse)
def regenerate_recovery_codes(body: TwoFactorCode, session: SessionDep, user_id: CurrentUserId, request: Request):
    """Ten new recovery codes (the earlier ones stop working), after a code."""
    codes = two_factor.regenerate_recovery_codes(
        session=session, user_id=user_id, code=body.code, ip=client_ip(request)
    )
    return RecoveryCodesResponse(recovery_codes=codes)
