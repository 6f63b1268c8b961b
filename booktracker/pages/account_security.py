"""The security parts of /settings: two-factor sign-in (turn on with a QR code
and a code, recovery codes shown once, new codes, turn off) and the signed-in
devices (each revocable). pages/account.py places them on the page."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from reflex.vars.object import ObjectVar
from sqlmodel import Session

from booktracker import routes
from booktracker.components.forms import field, form_error, text_input
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.models import User
from booktracker.services import sessions, two_factor
from booktracker.state import TOKEN_STORAGE_NAME, AuthState, handle_errors, in_thread


@dataclass
class DeviceRow:
    id: str
    device: str
    ip: str
    last_seen: str
    current: bool


def _device_row(view: sessions.SessionView) -> DeviceRow:
    seen = view.last_seen_at.strftime("%d %b %Y, %H:%M UTC")
    return DeviceRow(id=view.id, device=view.device, ip=view.ip, last_seen=seen, current=view.current)


class SecurityState(AuthState):
    two_factor_on: rx.Field[bool] = rx.field(False)
    codes_left: rx.Field[int] = rx.field(0)
    # While turning it on: the pending secret as text and as a QR code (data: URI).
    setup_secret: rx.Field[str] = rx.field("")
    setup_qr: rx.Field[str] = rx.field("")
    # Shown once, right after they are made; gone at the next page load.
    recovery_codes: rx.Field[list[str]] = rx.field(default_factory=list)
    two_factor_error: rx.Field[str] = rx.field("")
    devices: rx.Field[list[DeviceRow]] = rx.field(default_factory=list)

    def _show_security(self, session: Session, user_id: int) -> None:
        user = session.get(User, user_id)
        self.two_factor_on = user is not None and two_factor.is_enabled(user)
        self.codes_left = two_factor.recovery_codes_left(session=session, user_id=user_id)
        views = sessions.active(session=session, user_id=user_id, current_sid=self._session_id)
        self.devices = [_device_row(view) for view in views]

    def _load_security(self, user_id: int) -> None:
        with session_scope() as session:
            self._show_security(session, user_id)

    def _open_settings(self, session: Session, user_id: int) -> None:
        """/settings opened (AccountState.load): recovery codes shown earlier are gone."""
        self.setup_secret = self.setup_qr = self.two_factor_error = ""
        self.recovery_codes = []
        self._show_security(session, user_id)

    @rx.event
    @handle_errors
    def start_two_factor(self):
        user_id = self.current_user_id()
        self.two_factor_error = ""
        with session_scope() as session:
            setup = two_factor.start(session=session, user_id=user_id)
        self.setup_secret, self.setup_qr = setup.secret, setup.qr_data_uri

    @rx.event
    @handle_errors
    def cancel_setup(self):
        self.setup_secret = self.setup_qr = self.two_factor_error = ""

    def _with_code(self, service, form: dict, **kwargs):
        """Run a two-factor service with the typed code; its refusal becomes the form's message."""
        user_id = self.current_user_id()
        self.two_factor_error = ""
        try:
            with session_scope() as session:
                return service(
                    session=session, user_id=user_id, code=form.get("code", ""), ip=self.router.session.client_ip
                )
        except ServiceError as exc:
            self.two_factor_error = exc.message
            return None

    @rx.event
    @handle_errors
    def confirm_two_factor(self, form: dict):
        codes = self._with_code(two_factor.confirm, form)
        if codes is None:
            return None
        self.setup_secret = self.setup_qr = ""
        self.recovery_codes = codes
        self._load_security(self.current_user_id())
        return rx.toast.success("Two-factor sign-in is on. Keep your recovery codes somewhere safe.")

    @rx.event
    @handle_errors
    def regenerate_codes(self, form: dict):
        codes = self._with_code(two_factor.regenerate_recovery_codes, form)
        if codes is None:
            return None
        self.recovery_codes = codes
        self._load_security(self.current_user_id())
        return rx.toast.success("New recovery codes made; the earlier ones no longer work.")

    @rx.event
    @handle_errors
    async def disable_two_factor(self, form: dict):
        user_id = self.current_user_id()
        self.two_factor_error = ""
        try:
            await in_thread(  # bcrypt: off the event loop
                two_factor.disable,
                user_id=user_id,
                password=form.get("password", ""),
                code=form.get("code", ""),
                ip=self.router.session.client_ip,
            )
        except ServiceError as exc:
            self.two_factor_error = exc.message
            return None
        self.recovery_codes = []
        self._load_security(user_id)
        return rx.toast.success("Two-factor sign-in is off.")

    @rx.event
    @handle_errors
    def hide_codes(self):
        self.recovery_codes = []

    @rx.event
    @handle_errors
    def copy_codes(self):
        return [rx.set_clipboard("\n".join(self.recovery_codes)), rx.toast.success("Recovery codes copied.")]

    @rx.event
    @handle_errors
    def revoke_device(self, session_id: str):
        user_id = self.current_user_id()
        with session_scope() as session:
            sessions.end(session=session, user_id=user_id, sid=session_id)
        if session_id == self._session_id:  # this device: same as logging out
            self._forget_user()
            return [rx.remove_local_storage(TOKEN_STORAGE_NAME), rx.redirect(routes.LOGIN)]
        self._load_security(user_id)
        return rx.toast.success("That device is signed out.")


# ----------------------------------------------------------------- components


def _code_input(input_id: str) -> rx.Component:
    return text_input("code", required=True, auto_complete="one-time-code", max_length=24, id=input_id)


def _setup() -> rx.Component:
    return rx.vstack(
        rx.text("Scan this QR code with your authenticator app, or type the key below into it.", size="2"),
        rx.image(src=SecurityState.setup_qr, alt="QR code for your authenticator app", width="12rem", id="totp-qr"),
        rx.text("Key: ", rx.code(SecurityState.setup_secret, id="totp-secret"), size="2"),
        rx.form(
            rx.vstack(
                field("Code from the app", _code_input("totp-confirm-code")),
                rx.hstack(
                    rx.button("Turn on", type="submit", id="totp-confirm"),
                    rx.button("Cancel", type="button", variant="soft", on_click=SecurityState.cancel_setup),
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=SecurityState.confirm_two_factor,
            reset_on_submit=True,
        ),
        spacing="3",
        width="100%",
    )


def _recovery_codes() -> rx.Component:
    return rx.callout.root(
        rx.vstack(
            rx.text(
                "Your recovery codes. Each signs you in once if you lose your phone. "
                "They are shown only now: save them somewhere safe.",
                size="2",
                weight="bold",
            ),
            rx.grid(
                rx.foreach(SecurityState.recovery_codes, lambda code: rx.code(code, class_name="recovery-code")),
                columns="2",
                spacing="2",
                id="recovery-codes",
            ),
            rx.hstack(
                rx.button("Copy codes", size="1", on_click=SecurityState.copy_codes, id="copy-recovery-codes"),
                rx.button("I saved them", size="1", variant="soft", on_click=SecurityState.hide_codes),
            ),
            spacing="3",
        ),
        color_scheme="amber",
        width="100%",
    )


def _when_on() -> rx.Component:
    return rx.vstack(
        rx.text(
            "On: signing in asks for a code from your authenticator app. Recovery codes left: ",
            rx.text.strong(SecurityState.codes_left),
            ".",
            size="2",
            id="two-factor-on",
        ),
        rx.form(
            rx.hstack(
                field("Code", _code_input("regenerate-code")),
                rx.button("New recovery codes", type="submit", variant="soft", id="regenerate-codes"),
                align="end",
                width="100%",
            ),
            on_submit=SecurityState.regenerate_codes,
            reset_on_submit=True,
        ),
        rx.form(
            rx.vstack(
                rx.text("Turn off: type your password and a code.", size="2"),
                field(
                    "Password",
                    text_input(
                        "password", type="password", required=True, auto_complete="current-password", id="totp-password"
                    ),
                ),
                field("Code", _code_input("disable-code")),
                rx.button("Turn off two-factor", type="submit", color_scheme="red", variant="soft", id="totp-off"),
                spacing="3",
                width="100%",
            ),
            on_submit=SecurityState.disable_two_factor,
            reset_on_submit=True,
        ),
        spacing="3",
        width="100%",
    )


def two_factor_panel() -> rx.Component:
    """The body of the "Two-factor sign-in" section."""
    return rx.vstack(
        form_error(SecurityState.two_factor_error),
        rx.cond(SecurityState.recovery_codes.length() > 0, _recovery_codes(), rx.fragment()),
        rx.cond(
            SecurityState.two_factor_on,
            _when_on(),
            rx.cond(
                SecurityState.setup_secret != "",
                _setup(),
                rx.vstack(
                    rx.text(
                        "Off. With it on, signing in also asks for a code from an authenticator app on your phone.",
                        size="2",
                        color_scheme="gray",
                    ),
                    rx.button("Set up two-factor sign-in", on_click=SecurityState.start_two_factor, id="totp-start"),
                ),
            ),
        ),
        spacing="3",
        width="100%",
    )


def _device(row: ObjectVar[DeviceRow]) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(
                rx.text(row.device, weight="bold", size="2"),
                rx.cond(row.current, rx.badge("This device", color_scheme="green"), rx.fragment()),
            ),
            rx.text(row.ip, " · last seen ", row.last_seen, size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        rx.button(
            "Sign out", size="1", variant="soft", color_scheme="gray", on_click=SecurityState.revoke_device(row.id)
        ),
        align="center",
        width="100%",
        class_name="device-row",
    )


def devices_list() -> rx.Component:
    """The signed-in devices, for the "Signed-in devices" section."""
    return rx.vstack(rx.foreach(SecurityState.devices, _device), spacing="2", width="100%", id="devices")
