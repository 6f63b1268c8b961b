"""/api/v1/auth/password-reset, /auth/verify-email and /me/email: the emailed links."""

from fastapi import APIRouter, Request, status

from booktracker.api.deps import CurrentUserId, OptionalUser, SessionDep, client_ip
from booktracker.api.schemas import (
    EmailChange,
    EmailLinkToken,
    MessageResponse,
    PasswordResetConfirm,
    PasswordResetRequest,
)
from booktracker.models import saved_id
from booktracker.services import accounts

router = APIRouter(tags=["auth"])


@router.post("/auth/password-reset", status_code=status.HTTP_202_ACCEPTED, response_model=MessageResponse)
def request_password_reset(body: PasswordResetRequest, session: SessionDep, request: Request):
    """Emails a reset link if the address has an account; the answer is the
    same either way. Throttled per address and per client (429)."""
    message = accounts.request_password_reset(session=session, email=body.email, ip=client_ip(request))
    return MessageResponse(message=message)


@router.post("/auth/password-reset/confirm", response_model=MessageResponse)
def confirm_password_reset(body: PasswordResetConfirm, session: SessionDep):
    """Sets the new password; every earlier token and session stops working."""
    accounts.reset_password(session=session, token=body.token, new_password=body.new_password)
    return MessageResponse(message=accounts.RESET_DONE)


@router.post("/auth/verify-email", response_model=MessageResponse)
def verify_email(body: EmailLinkToken, session: SessionDep, user: OptionalUser):
    """Confirms the address (or the new address of an email change) from the
    emailed link. With a bearer token, a link of another account is refused."""
    _user, message = accounts.verify_email(
        session=session, token=body.token, user_id=saved_id(user) if user is not None else None
    )
    return MessageResponse(message=message)


@router.post("/auth/verify-email/resend", status_code=status.HTTP_202_ACCEPTED, response_model=MessageResponse)
def resend_verification(session: SessionDep, user_id: CurrentUserId, request: Request):
    """A new confirmation link to the reader's address (throttled, 429)."""
    message = accounts.resend_verification(session=session, user_id=user_id, ip=client_ip(request))
    return MessageResponse(message=message)


@router.post("/me/email", status_code=status.HTTP_202_ACCEPTED, response_model=MessageResponse)
def change_email(body: EmailChange, session: SessionDep, user_id: CurrentUserId, request: Request):
    """Asks the password (throttled like a login), emails the new address a
    confirmation link and tells the old one; the address changes when the link is opened."""
    message = accounts.request_email_change(
        session=session, user_id=user_id, password=body.password, new_email=body.new_email, ip=client_ip(request)
    )
    return MessageResponse(message=message)
