"""/settings: privacy (who sees the profile, follow requests), change password,
log out everywhere, delete the account."""

import reflex as rx
from reflex.vars.object import ObjectVar
from sqlmodel import Session

from booktracker import routes
from booktracker.components.forms import field, form_error, new_password_input, text_input
from booktracker.components.layout import page
from booktracker.components.posts import avatar
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.models import PROFILE_VISIBILITY_LABELS, ProfileVisibility, User
from booktracker.pages.account_avatar import AvatarState, avatar_section
from booktracker.pages.account_email import EmailState, email_section
from booktracker.pages.account_notifications import NotificationSettingsState, notifications_section
from booktracker.pages.account_push import PushState, push_section
from booktracker.pages.account_security import SecurityState, devices_list, two_factor_panel
from booktracker.pages.account_spoilers import SpoilerSettingState, spoiler_section
from booktracker.pages.google_signin import GoogleState, google_settings
from booktracker.services import auth, privacy_settings
from booktracker.services.social import PersonView
from booktracker.state import TOKEN_STORAGE_NAME, AuthState, handle_errors, in_thread

# The change-password form's fields (their ids: text_input uses the name).
PASSWORD_FIELDS = ("current_password", "new_password", "confirm_password")
# The sections AccountState.load fills, each with its ``_open_settings(session, user_id)``;
# PushState asks the browser instead (its subscription belongs to the browser).
SECTIONS = (SecurityState, EmailState, SpoilerSettingState, AvatarState, NotificationSettingsState, GoogleState)


class AccountState(AuthState):
    # rx.Field: the class attributes type-check as Vars (form_error), the instance ones as str.
    password_error: rx.Field[str] = rx.field("")
    delete_error: rx.Field[str] = rx.field("")
    profile_visibility: rx.Field[str] = rx.field(ProfileVisibility.PUBLIC.value)
    follow_requests: rx.Field[list[PersonView]] = rx.field(default_factory=list)

    def _show_privacy(self, session: Session, user_id: int) -> None:
        user = session.get(User, user_id)
        self.profile_visibility = user.profile_visibility if user else ProfileVisibility.PUBLIC.value
        self.follow_requests = privacy_settings.follow_requests(session=session, user_id=user_id)

    @rx.event
    @handle_errors
    async def load(self):
        """on_load of /settings, its one loader: the token is checked once and
        every section fills itself from one session (``_open_settings``).
        Eight handlers, each checking the token, cost 18 statements; this, 5
        (tests/states/test_account.py)."""
        user_id = self.current_user_id()
        sections = [await self.get_state(cls) for cls in SECTIONS]
        with session_scope() as session:
            # Every section reads the reader's row by id; kept referenced here, it
            # stays in the session's (weak) identity map: one SELECT instead of seven.
            _reader = session.get(User, user_id)
            self._show_privacy(session, user_id)
            for section in sections:
                section._open_settings(session, user_id)
        return (await self.get_state(PushState))._ask_browser()

    @rx.event
    @handle_errors
    def set_profile_visibility(self, value: str):
        user_id = self.current_user_id()
        with session_scope() as session:
            privacy_settings.set_profile_visibility(session=session, user_id=user_id, visibility=value)
            self._show_privacy(session, user_id)  # public / signed-in approve every waiting request
        return rx.toast.success(f"Profile visible to: {PROFILE_VISIBILITY_LABELS[self.profile_visibility]}.")

    @rx.event
    @handle_errors
    def answer_request(self, username: str, approve: bool):
        user_id = self.current_user_id()
        answer = privacy_settings.approve_follow if approve else privacy_settings.decline_follow
        with session_scope() as session:
            answer(session=session, user_id=user_id, username=username)
            self._show_privacy(session, user_id)
        return rx.toast.success(f"@{username} now follows you." if approve else "Request declined.")

    @rx.event
    @handle_errors
    async def change_password(self, form: dict):
        self.password_error = ""
        user_id = self.current_user_id()
        if form.get("new_password", "") != form.get("confirm_password", ""):
            self.password_error = "The new passwords do not match."
            return None
        try:
            user = await in_thread(
                auth.change_password,
                user_id=user_id,
                current_password=form.get("current_password", ""),
                new_password=form.get("new_password", ""),
                ip=self.router.session.client_ip,  # throttled like a login
            )
        except ServiceError as exc:
            self.password_error = exc.message
            return None
        self._log_in(user)  # every other device is logged out, this one stays in
        # Only a change that worked empties the form: after an error the reader keeps what was typed.
        return [
            *(rx.set_value(name, "") for name in PASSWORD_FIELDS),
            rx.toast.success("Password changed. Other devices have been logged out."),
        ]

    @rx.event
    @handle_errors
    def log_out_everywhere(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            auth.revoke_tokens(session=session, user_id=user_id)
        self._forget_user()
        return [rx.remove_local_storage(TOKEN_STORAGE_NAME), rx.redirect(routes.LOGIN)]

    @rx.event
    @handle_errors
    async def delete_account(self, form: dict):
        self.delete_error = ""
        user_id = self.current_user_id()
        try:
            # In a thread: bcrypt, then deleting the stored images (Cloudinary calls).
            await in_thread(
                auth.delete_account,
                user_id=user_id,
                password=form.get("password", ""),
                ip=self.router.session.client_ip,  # throttled like a login
            )
        except ServiceError as exc:
            self.delete_error = exc.message
            return None
        self._forget_user()
        return [
            rx.remove_local_storage(TOKEN_STORAGE_NAME),
            rx.redirect(routes.HOME),
            rx.toast.success("Your account and all your data have been deleted."),
        ]


def section(title: str, *children: rx.Component, danger: bool = False) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", color_scheme="red" if danger else None),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def request_row(person: ObjectVar[PersonView]) -> rx.Component:
    return rx.hstack(
        avatar(person.initials, size="2"),
        rx.link(person.name, href=routes.profile(person.username), weight="bold"),
        rx.text(f"@{person.username}", color_scheme="gray", size="2"),
        rx.spacer(),
        rx.button("Approve", size="1", on_click=AccountState.answer_request(person.username, True)),
        rx.button(
            "Decline",
            size="1",
            variant="soft",
            color_scheme="gray",
            on_click=AccountState.answer_request(person.username, False),
        ),
        align="center",
        width="100%",
    )


def privacy_section() -> rx.Component:
    return section(
        "Privacy",
        field(
            "Who can see my profile, posts, follows and books",
            rx.select.root(
                rx.select.trigger(id="profile-visibility", aria_label="Who can see my profile", width="100%"),
                rx.select.content(
                    *[rx.select.item(label, value=str(value)) for value, label in PROFILE_VISIBILITY_LABELS.items()]
                ),
                value=AccountState.profile_visibility,
                on_change=AccountState.set_profile_visibility,
            ),
        ),
        rx.text(
            "With “Followers I approve” or “Only me”, following you is a request you approve or decline here. "
            "A book you hide on its page never shows to anyone else. Private posts stay yours whatever you choose.",
            size="2",
            color_scheme="gray",
        ),
        rx.heading("Follow requests", size="3"),
        rx.cond(
            AccountState.follow_requests.length() > 0,
            rx.vstack(rx.foreach(AccountState.follow_requests, request_row), spacing="2", width="100%"),
            rx.text("No one is waiting.", size="2", color_scheme="gray", id="no-follow-requests"),
        ),
    )


def account_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.heading("Account settings", size="7"),
            avatar_section(section),
            privacy_section(),
            spoiler_section(section),
            notifications_section(section),
            section("Notifications on this device", push_section()),
            email_section(),
            section(
                "Change password",
                rx.form(
                    rx.vstack(
                        form_error(AccountState.password_error),
                        field(
                            "Current password",
                            text_input(
                                "current_password", type="password", required=True, auto_complete="current-password"
                            ),
                        ),
                        field(
                            "New password",
                            new_password_input("new_password"),
                        ),
                        field(
                            "Repeat new password",
                            text_input(
                                "confirm_password", type="password", required=True, auto_complete="new-password"
                            ),
                        ),
                        rx.button("Change password", type="submit", id="change-password"),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=AccountState.change_password,
                    reset_on_submit=False,
                ),
            ),
            section("Two-factor sign-in", two_factor_panel()),
            google_settings(),
            section(
                "Signed-in devices",
                devices_list(),
                rx.text("Log out of TrackMyRead on every device, including this one.", size="2", color_scheme="gray"),
                rx.button(
                    "Log out everywhere",
                    variant="soft",
                    on_click=AccountState.log_out_everywhere,
                    id="logout-everywhere",
                ),
            ),
            section(
                "Delete account",
                rx.text(
                    "This deletes your profile, library, progress, posts, comments and images. It cannot be undone.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.form(
                    rx.vstack(
                        form_error(AccountState.delete_error),
                        field(
                            "Type your password to confirm",
                            text_input(
                                "password",
                                type="password",
                                required=True,
                                id="delete_password",
                                auto_complete="current-password",
                            ),
                        ),
                        rx.button("Delete my account", type="submit", color_scheme="red", id="delete-account"),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=AccountState.delete_account,
                ),
                danger=True,
            ),
            spacing="4",
            width="100%",
        ),
        max_width="40rem",
    )
