"""/login: email + password, then back to where the reader was going."""

import reflex as rx

from booktracker import routes
from booktracker.components.forms import card_form, field, form_error, text_input
from booktracker.components.layout import page
from booktracker.errors import ServiceError
from booktracker.services import auth
from booktracker.state import AuthState, handle_errors, in_thread


class LoginState(AuthState):
    # rx.Field: the class attribute type-checks as a Var (form_error), the instance one as a str.
    error: rx.Field[str] = rx.field("")

    @rx.event
    @handle_errors
    async def log_in(self, form: dict):
        self.error = ""
        try:
            user = await in_thread(
                auth.authenticate,
                email=form.get("email", ""),
                password=form.get("password", ""),
                ip=self.router.session.client_ip,
            )
        except ServiceError as exc:
            self.error = exc.message
            return None
        self._log_in(user)
        target = self.router.url.query_parameters.get("next", routes.AFTER_LOGIN)
        return rx.redirect(routes.safe_next_path(target))


def login_page() -> rx.Component:
    return page(
        card_form(
            "Log in",
            form_error(LoginState.error),
            field("Email", text_input("email", type="email", required=True, auto_complete="email")),
            field(
                "Password",
                text_input("password", type="password", required=True, auto_complete="current-password"),
            ),
            rx.button("Log in", type="submit", size="3", width="100%", id="login-submit"),
            on_submit=LoginState.log_in,
            footer=rx.text(
                "New here? ",
                rx.link("Create an account", href=routes.SIGNUP, underline="always"),
                size="2",
                margin_top="1rem",
            ),
        )
    )
