"""The "Spoiler shield" section of /settings: one switch (services/spoilers.py)."""

import reflex as rx
from sqlmodel import Session

from booktracker.components.forms import switch_field
from booktracker.db import session_scope
from booktracker.models import User
from booktracker.services import spoilers
from booktracker.state import AuthState, handle_errors


class SpoilerSettingState(AuthState):
    shield_on: rx.Field[bool] = rx.field(True)

    def _open_settings(self, session: Session, user_id: int) -> None:
        """/settings opened (AccountState.load)."""
        user = session.get(User, user_id)
        self.shield_on = user.spoiler_shield if user else True

    @rx.event
    @handle_errors
    def set_shield(self, on: bool):
        user_id = self.current_user_id()
        with session_scope() as session:
            self.shield_on = spoilers.set_shield(session=session, user_id=user_id, on=on).spoiler_shield
        return rx.toast.success("Spoiler shield on." if self.shield_on else "Spoiler shield off.")


def spoiler_section(section) -> rx.Component:
    """``section``: the settings page's card (pages/account.py)."""
    return section(
        "Spoiler shield",
        switch_field(
            "Blur posts and comments from past my page",
            checked=SpoilerSettingState.shield_on,
            on_change=SpoilerSettingState.set_shield,
            id="spoiler-shield",
        ),
        rx.text(
            "In books you are reading, quotes, posts and comments anchored to a later page or chapter are blurred "
            "until you choose “Show anyway”. Books you finished, or that are not in your library, are never blurred.",
            size="2",
            color_scheme="gray",
        ),
    )
