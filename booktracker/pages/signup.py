"""/signup: create an account and land in the (empty) library."""

import reflex as rx

from booktracker import routes
from booktracker.components.forms import card_form, field, form_error, text_input
from booktracker.components.layout import page
from booktracker.errors import ServiceError
from booktracker.pages.google_signin import google_sign_in
from booktracker.services import auth
from booktracker.state import AuthState, handle_errors, in_thread


class SignupState(AuthState):
    # rx.Field: the class attribute type-checks as a Var (form_error), the instance one as a str.
    error: rx.Field[str] = rx.field("")

    @rx.event
    @handle_errors
    async def sign_up(self, form: dict):
        self.error = ""
        try:
            user = await in_thread(
                auth.signup, email=form.get("email", ""), name=form.get("name", ""), password=form.get("password", "")
            )
        except ServiceError as exc:
            self.error = exc.message
            return None
        self._log_in(user)
        return [rx.redirect(routes.LIBRARY), rx.toast.success(f"Welcome, {user.name}!")]


def signup_page() -> rx.Component:
    return page(
        card_form(
            "Create your account",
            form_error(SignupState.error),
            field("Name", text_input("name", required=True, max_length=auth.NAME_MAX, auto_complete="name")),
            field("Email", text_input("email", type="email", required=True, auto_complete="email")),
            field(
                "Password",
                text_input(
                    "password",
                    type="password",
                    required=True,
                    min_length=auth.PASSWORD_MIN,
                    max_length=auth.PASSWORD_MAX,
                    auto_complete="new-password",
                ),
                hint=f"{auth.PASSWORD_MIN} to {auth.PASSWORD_MAX} characters.",
            ),
            rx.button("Sign up", type="submit", size="3", width="100%", id="signup-submit"),
            on_submit=SignupState.sign_up,
            footer=rx.vstack(
                google_sign_in(),
                rx.text(
                    "Already have an account? ", rx.link("Log in", href=routes.LOGIN, underline="always"), size="2"
                ),
                spacing="3",
                margin_top="1rem",
            ),
        )
    )
