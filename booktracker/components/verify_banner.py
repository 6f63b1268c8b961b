"""The banner a reader sees until they confirm their email address, with a (throttled) resend."""

import reflex as rx

from booktracker.db import session_scope
from booktracker.services import accounts
from booktracker.state import AuthState, handle_errors


class VerifyBannerState(AuthState):
    @rx.event
    @handle_errors
    def resend(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            said = accounts.resend_verification(session=session, user_id=user_id, ip=self.router.session.client_ip)
        return rx.toast.success(said)


def verify_banner() -> rx.Component:
    return rx.cond(
        AuthState.logged_in & AuthState.email_unverified,
        rx.callout.root(
            rx.callout.icon(rx.icon("mail-warning")),
            rx.callout.text(
                "Please confirm your email address with the link we sent you, so you can recover "
                "your account if you forget the password. ",
                rx.button(
                    "Send the link again",
                    size="1",
                    variant="soft",
                    high_contrast=True,
                    on_click=VerifyBannerState.resend,
                    id="resend-verification",
                ),
            ),
            # Amber text on amber fails WCAG AA in light mode (axe, 4.5:1): high contrast.
            color_scheme="amber",
            high_contrast=True,
            role="status",
            id="verify-banner",
            width="100%",
            max_width="72rem",
            margin_x="auto",
            margin_top="0.75rem",
        ),
    )
