"""Google sign-in on /login, /signup and /settings: the state behind
components/google_button.py (services/google_signin.py does the work).

The ID token Google's button hands the page arrives in a hidden form; it is
kept in backend state only (``_id_token``) while the reader chooses a
username (a new account) or types the password of the account with the
same email (linking it), so the browser never sends it twice.
"""

import reflex as rx
from sqlmodel import Session

from booktracker import routes
from booktracker.components.forms import field, form_error, text_input
from booktracker.components.google_button import google_button
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.services import google_signin, two_factor
from booktracker.settings import settings
from booktracker.state import AuthState, handle_errors, in_thread


class GoogleState(AuthState):
    error: rx.Field[str] = rx.field("")
    # The next step after Google answered: "" | "username" | "password".
    step: rx.Field[str] = rx.field("")
    email: rx.Field[str] = rx.field("")
    suggested_username: rx.Field[str] = rx.field("")
    # Settings: whether Google signs in to this account, and whether a password does too.
    linked: rx.Field[bool] = rx.field(False)
    has_password: rx.Field[bool] = rx.field(True)
    _id_token: str = ""

    def _reset(self) -> None:
        self.error, self.step, self.email, self.suggested_username = "", "", "", ""
        self._id_token = ""

    async def _signed_in(self, user):
        self._reset()
        if two_factor.is_enabled(user):
            # The code step of /login takes over (pages/login.py), as after a password.
            from booktracker.pages.login import LoginState

            login = await self.get_state(LoginState)
            login._challenge = two_factor.issue_challenge(user)
            login.needs_code, login.error = True, ""
            # Keeps ?next= so the code step goes on to it too (AuthState._log_in_and_go_on).
            return rx.redirect(routes.login(next=self.router.url.query_parameters.get("next")))
        return self._log_in_and_go_on(user)

    async def _try(self, *, username: str = "", password: str = ""):
        try:
            outcome = await in_thread(
                google_signin.sign_in_with_google,
                id_token=self._id_token,
                username=username,
                password=password,
                ip=self.router.session.client_ip,
            )
        except ServiceError as exc:
            self.error = exc.message
            return None
        if outcome.user is not None:
            return await self._signed_in(outcome.user)
        self.error = ""
        self.step = "username" if outcome.needs_username else "password"
        self.email, self.suggested_username = outcome.email, outcome.suggested_username
        return None

    @rx.event
    @handle_errors
    async def credential(self, form: dict):
        """Google's button answered (the hidden form of components/google_button.py)."""
        self._reset()
        self._id_token = str(form.get("credential", ""))[:8192]
        return await self._try()

    @rx.event
    @handle_errors
    async def choose_username(self, form: dict):
        return await self._try(username=str(form.get("username", "")))

    @rx.event
    @handle_errors
    async def prove_password(self, form: dict):
        return await self._try(password=str(form.get("password", "")))

    @rx.event
    @handle_errors
    def cancel(self):
        self._reset()

    # ------------------------------------------------------------ settings

    def _open_settings(self, session: Session, user_id: int) -> None:
        """/settings opened (AccountState.load)."""
        methods = google_signin.sign_in_methods(session=session, user_id=user_id)
        self.linked, self.has_password = methods.google, methods.password
        self.error = ""

    @rx.event
    @handle_errors
    def link(self, form: dict):
        user_id = self.current_user_id()
        self.error = ""
        try:
            with session_scope() as session:
                user = google_signin.link(
                    session=session, user_id=user_id, id_token=str(form.get("credential", ""))[:8192]
                )
        except ServiceError as exc:
            self.error = exc.message
            return None
        self.linked, self.has_password = True, google_signin.has_password(user)
        return rx.toast.success("Google sign-in added.")

    @rx.event
    @handle_errors
    def unlink(self):
        user_id = self.current_user_id()
        self.error = ""
        try:
            with session_scope() as session:
                google_signin.unlink(session=session, user_id=user_id)
        except ServiceError as exc:
            self.error = exc.message
            return None
        self.linked = False
        return rx.toast.success("Google sign-in removed.")


# ------------------------------------------------------------ components


def _username_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Welcome! Choose a username for your new account (", GoogleState.email, ").", size="2"),
            field(
                "Username",
                text_input(
                    "username",
                    required=True,
                    max_length=30,
                    default_value=GoogleState.suggested_username,
                    id="google-username",
                ),
                hint="3–30 characters: a–z, 0–9 or _.",
            ),
            rx.button("Create my account", type="submit", width="100%", id="google-create"),
            spacing="3",
            width="100%",
        ),
        on_submit=GoogleState.choose_username,
        reset_on_submit=False,
    )


def _password_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(
                "An account with ",
                rx.text.strong(GoogleState.email),
                " already exists. Enter its password once to add Google sign-in to it.",
                size="2",
            ),
            field(
                "Password",
                text_input(
                    "password", type="password", required=True, auto_complete="current-password", id="google-password"
                ),
            ),
            rx.button("Link and sign in", type="submit", width="100%", id="google-link"),
            spacing="3",
            width="100%",
        ),
        on_submit=GoogleState.prove_password,
        reset_on_submit=False,
    )


def google_sign_in() -> rx.Component:
    """The button on /login and /signup, then the step Google's answer needs."""
    if not settings.google_client_id:
        return rx.fragment()
    return rx.vstack(
        rx.hstack(
            rx.separator(size="4"),
            rx.text("or", size="1", color_scheme="gray"),
            rx.separator(size="4"),
            align="center",
            width="100%",
        ),
        form_error(GoogleState.error),
        rx.match(
            GoogleState.step,
            ("username", _username_step()),
            ("password", _password_step()),
            google_button(GoogleState.credential),
        ),
        rx.cond(
            GoogleState.step != "",
            rx.button("Cancel", variant="ghost", size="2", type="button", on_click=GoogleState.cancel),
        ),
        spacing="3",
        width="100%",
    )


def google_settings() -> rx.Component:
    """Settings: add or remove Google sign-in while one way to sign in remains."""
    if not settings.google_client_id:
        return rx.fragment()
    return rx.card(
        rx.vstack(
            rx.heading("Google sign-in", size="4"),
            form_error(GoogleState.error),
            rx.cond(
                GoogleState.linked,
                rx.vstack(
                    rx.text("Google signs you in to this account.", size="2"),
                    rx.cond(
                        GoogleState.has_password,
                        rx.button(
                            "Remove Google sign-in",
                            variant="soft",
                            color_scheme="red",
                            on_click=GoogleState.unlink,
                            id="google-unlink",
                        ),
                        rx.text(
                            "Google is your only way to sign in: set a password (Log out, then “Forgot password?”) "
                            "before removing it.",
                            size="2",
                            color_scheme="gray",
                        ),
                    ),
                    spacing="2",
                ),
                rx.vstack(
                    rx.text("Sign in with your Google account as well as your password.", size="2"),
                    google_button(GoogleState.link, prefix="google-settings", text="signin_with"),
                    spacing="2",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
