"""/circles/<id>/settings (owner and curators): name, description, public or
private, cover; the invite link (the owner rotates it: the old one stops
working); deleting the circle (owner)."""

from __future__ import annotations

import reflex as rx

from booktracker import routes
from booktracker.components.circles import cover
from booktracker.components.layout import empty_state, page
from booktracker.db import session_scope
from booktracker.errors import InvalidInput, NotFound
from booktracker.pages.circles import circle_input
from booktracker.services import circles, images
from booktracker.settings import settings
from booktracker.state import AuthState, handle_errors

COVER_UPLOAD = "circle-cover"


class CircleSettingsState(AuthState):
    circle_id: rx.Field[int] = rx.field(0)
    name: str = ""
    description: str = ""
    is_public: bool = True
    cover_url: rx.Field[str] = rx.field("")
    cover_path: rx.Field[str] = rx.field("")
    my_role: str = ""
    allowed: bool = False
    error: str = ""
    confirm_delete: bool = False
    _invite_code: str = ""  # backend only: shown as the link below
    invite_link: str = ""

    def _reload(self, user_id: int) -> None:
        raw = str(self.router.page.params.get(routes.CIRCLE_PARAM, "")) if self.router else ""
        with session_scope() as session:
            head = circles.overview(session=session, viewer_id=user_id, circle_id=int(raw) if raw.isdigit() else 0)
            self._invite_code = circles.invite_code(session=session, user_id=user_id, circle_id=head.id)
        self.circle_id, self.name, self.description, self.is_public = (
            head.id,
            head.name,
            head.description,
            head.is_public,
        )
        self.cover_url, self.cover_path, self.my_role = head.cover_url, head.cover_path, head.my_role
        self.invite_link = settings.public_url + routes.circle_join(self._invite_code)  # no trailing "/" (settings)
        self.allowed = True

    @rx.event
    @handle_errors
    def load(self):
        user_id = self.current_user_id()
        self.allowed, self.error, self.confirm_delete = False, "", False
        try:
            self._reload(user_id)
        except (NotFound, circles.Forbidden):
            self.allowed = False

    @rx.event
    @handle_errors
    def save(self, form: dict):
        user_id = self.current_user_id()
        try:
            with session_scope() as session:
                circles.edit_circle(session=session, user_id=user_id, circle_id=self.circle_id, data=circle_input(form))
        except InvalidInput as exc:
            self.error = exc.message
            return None
        self.error = ""
        self._reload(user_id)
        return rx.toast.success("Saved.")

    @rx.event
    @handle_errors
    async def upload_cover(self, files: list[rx.UploadFile]):
        user_id = self.current_user_id()
        if not files:
            return
        images.check_declared_size(files[0].size)
        data = await files[0].read(images.MAX_IMAGE_BYTES + 1)
        with session_scope() as session:
            circles.set_cover(session=session, user_id=user_id, circle_id=self.circle_id, image=data)
        self._reload(user_id)

    @rx.event
    @handle_errors
    def rotate(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            circles.rotate_code(session=session, user_id=user_id, circle_id=self.circle_id)
        self._reload(user_id)
        return rx.toast.info("New invite link: the old one no longer works.")

    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = value

    @rx.event
    @handle_errors
    def delete(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            circles.delete_circle(session=session, user_id=user_id, circle_id=self.circle_id)
        return rx.redirect(routes.CIRCLES)


def _form() -> rx.Component:
    S = CircleSettingsState
    return rx.form(
        rx.vstack(
            rx.text("Name", as_="label", html_for="circle-settings-name", weight="medium"),
            rx.input(
                id="circle-settings-name", name="name", default_value=S.name, max_length=circles.NAME_MAX, width="100%"
            ),
            rx.text("Description", as_="label", html_for="circle-settings-description", weight="medium"),
            rx.text_area(
                id="circle-settings-description",
                name="description",
                default_value=S.description,
                max_length=circles.DESCRIPTION_MAX,
                width="100%",
            ),
            rx.radio_group(
                ["public", "private"],
                name="visibility",
                default_value=rx.cond(S.is_public, "public", "private"),
                direction="row",
                aria_label="Who can see it",
            ),
            rx.cond(S.error != "", rx.text(S.error, color_scheme="red", size="2", role="alert")),
            rx.button("Save", type="submit"),
            width="100%",
        ),
        on_submit=S.save,
        key=S.circle_id.to_string() + S.name,
    )


def _cover() -> rx.Component:
    S = CircleSettingsState
    return rx.hstack(
        cover(S.cover_url, S.cover_path, size="5rem"),
        rx.upload.root(
            rx.button("Choose a cover", variant="soft", type="button"),
            id=COVER_UPLOAD,
            accept={"image/jpeg": [], "image/png": [], "image/webp": []},
            max_files=1,
            max_size=images.MAX_IMAGE_BYTES,
            on_drop=S.upload_cover(rx.upload_files(upload_id=COVER_UPLOAD)),  # type: ignore[arg-type]
        ),
        align="center",
    )


def _invite() -> rx.Component:
    S = CircleSettingsState
    return rx.vstack(
        rx.heading("Invite link", size="4"),
        rx.text("Anyone with this link joins at once.", size="2", color_scheme="gray"),
        rx.hstack(
            rx.code(S.invite_link, id="circle-invite-link", style={"overflowWrap": "anywhere"}),
            rx.icon_button(
                rx.icon("copy", size=16),
                variant="soft",
                aria_label="Copy the invite link",
                on_click=[rx.set_clipboard(S.invite_link), rx.toast.info("Copied.")],
            ),
            align="center",
            wrap="wrap",
        ),
        rx.cond(S.my_role == "owner", rx.button("New link", variant="soft", on_click=S.rotate, id="circle-rotate")),
        width="100%",
    )


def _danger() -> rx.Component:
    S = CircleSettingsState
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button("Delete the circle", color_scheme="red", variant="soft")),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this circle?"),
            rx.alert_dialog.description("Its posts, schedule and members' list go too. This cannot be undone."),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=S.delete)),
                justify="end",
            ),
        ),
        open=S.confirm_delete,
        on_open_change=S.set_confirm_delete,
    )


def circle_settings_page() -> rx.Component:
    S = CircleSettingsState
    return page(
        rx.cond(
            S.allowed,
            rx.vstack(
                rx.link("← " + S.name, href=routes.circle(S.circle_id)),
                rx.heading("Circle settings", size="6"),
                _cover(),
                _form(),
                _invite(),
                rx.cond(S.my_role == "owner", _danger()),
                spacing="5",
                width="100%",
            ),
            empty_state("lock", "Only the owner and curators", "This page is for the people who run the circle."),
        ),
        max_width="40rem",
    )
