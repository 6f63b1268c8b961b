"""The "Email address" section of /settings: the address, whether it is
confirmed, and changing it (password asked, new address confirmed by mail,
old address told)."""

import reflex as rx
from sqlmodel import Session

from booktracker.components.forms import field, form_error, text_input
from booktracker.errors import ServiceError
from booktracker.models import User
from booktracker.services import accounts
from booktracker.state import AuthState, handle_errors, in_thread


class EmailState(AuthState):
    email: rx.Field[str] = rx.field("")
    verified: rx.Field[bool] = rx.field(True)
    error: rx.Field[str] = rx.field("")
    sent: rx.Field[str] = rx.field("")

    def _open_settings(self, session: Session, user_id: int) -> None:
        """/settings opened (AccountState.load)."""
        user = session.get(User, user_id)
        self.email = user.email if user else ""
        self.verified = user is not None and user.email_verified_at is not None
        self.error, self.sent = "", ""

    @rx.event
    @handle_errors
    async def change_email(self, form: dict):
        self.error, self.sent = "", ""
        user_id = self.current_user_id()
        try:
            # In a thread: bcrypt checks the password (throttled like a login).
            self.sent = await in_thread(
                accounts.request_email_change,
                user_id=user_id,
                password=form.get("password", ""),
                new_email=form.get("new_email", ""),
                ip=self.router.session.client_ip,
            )
        except ServiceError as exc:
            self.error = exc.message


def email_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Email address", size="4"),
            rx.text(
                "Your address: ",
                rx.text.strong(EmailState.email, id="current-email"),
                rx.cond(EmailState.verified, " (confirmed)", " (not confirmed yet)"),
                size="2",
            ),
            rx.form(
                rx.vstack(
                    form_error(EmailState.error),
                    rx.cond(
                        EmailState.sent != "",
                        rx.callout(EmailState.sent, icon="mail", color_scheme="green", role="status", id="email-sent"),
                    ),
                    field(
                        "New email address",
                        text_input("new_email", type="email", required=True, auto_complete="email"),
                        hint="We send a link to the new address; it replaces the old one once you open it.",
                    ),
                    field(
                        "Your password",
                        text_input(
                            "password",
                            type="password",
                            required=True,
                            id="email_password",
                            auto_complete="current-password",
                        ),
                    ),
                    rx.button("Change email", type="submit", id="change-email"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=EmailState.change_email,
                reset_on_submit=True,
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
