"""The "Notifications" section of /settings: a switch per kind and the daily
email digest (services/notification_settings.py)."""

import reflex as rx
from reflex.vars.object import ObjectVar
from sqlmodel import Session

from booktracker.components.forms import switch_field
from booktracker.db import session_scope
from booktracker.services import notification_settings
from booktracker.services.notification_settings import KindSwitch, NotificationSettings
from booktracker.state import AuthState, handle_errors


class NotificationSettingsState(AuthState):
    kinds: rx.Field[list[KindSwitch]] = rx.field(default_factory=list)
    digest_email: rx.Field[bool] = rx.field(False)

    def _show(self, view: NotificationSettings) -> None:
        self.kinds, self.digest_email = view.kinds, view.digest_email

    def _open_settings(self, session: Session, user_id: int) -> None:
        """/settings opened (AccountState.load)."""
        self._show(notification_settings.get(session=session, user_id=user_id))

    @rx.event
    @handle_errors
    def set_kind(self, kind: str, on: bool):
        user_id = self.current_user_id()
        with session_scope() as session:
            self._show(notification_settings.set_kind(session=session, user_id=user_id, kind=kind, on=on))

    @rx.event
    @handle_errors
    def set_digest(self, on: bool):
        user_id = self.current_user_id()
        with session_scope() as session:
            self._show(notification_settings.set_digest(session=session, user_id=user_id, on=on))
        return rx.toast.success("Daily email digest on." if self.digest_email else "Daily email digest off.")


def _switch(kind: ObjectVar[KindSwitch]) -> rx.Component:
    return switch_field(
        kind.label,
        checked=kind.on,
        on_change=lambda on: NotificationSettingsState.set_kind(kind.kind, on),
        id=f"notify-{kind.kind}",
    )


def notifications_section(section) -> rx.Component:
    """``section``: the settings page's card (pages/account.py)."""
    return section(
        "Notifications",
        rx.text("Tell me in the app about:", size="2", color_scheme="gray"),
        rx.vstack(rx.foreach(NotificationSettingsState.kinds, _switch), spacing="2"),
        switch_field(
            "A daily email of my unread notifications",
            checked=NotificationSettingsState.digest_email,
            on_change=NotificationSettingsState.set_digest,
            id="digest-email",
        ),
        rx.text(
            "At most one email a day, only when something new is unread, to your confirmed address.",
            size="2",
            color_scheme="gray",
        ),
    )
