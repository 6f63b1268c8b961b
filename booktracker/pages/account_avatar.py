"""The "Picture" section of /settings: upload, preview and remove the reader's
avatar (services/avatars.py). Choosing a file uploads it at once; a file the
browser or the server refuses is said beside the picture, as in the composer."""

import reflex as rx
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from booktracker.components.posts import avatar
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.services import avatars, images
from booktracker.state import AuthState, LoginRequired, handle_errors

UPLOAD_ID = "avatar-image"
DB_DOWN_MESSAGE = "Your picture could not be saved right now; try again in a moment."


class AvatarState(AuthState):
    avatar_url: rx.Field[str] = rx.field("")  # the large crop, for the preview
    avatar_error: rx.Field[str] = rx.field("")
    avatar_saving: rx.Field[bool] = rx.field(False)

    def _show(self, avatar: avatars.Avatar) -> None:
        self.avatar_url = avatar.url
        self.user_avatar = avatar.small_url  # the header's picture (AuthState)

    def _open_settings(self, session: Session, user_id: int) -> None:
        """/settings opened (AccountState.load)."""
        self._show(avatars.current(session=session, user_id=user_id))
        self.avatar_error = ""

    @rx.event
    def reject_avatar(self, rejected: list[dict]):
        """The upload's on_drop_rejected: the browser refused the file (type or size)."""
        self.avatar_error = images.rejected_upload_message()

    @rx.event
    @handle_errors
    async def upload_avatar(self, files: list[rx.UploadFile]):
        self.avatar_error = ""
        if not files:
            return None
        self.avatar_saving = True
        try:
            user_id = self.current_user_id()
            upload = files[0]
            images.check_declared_size(upload.size)
            # One byte past the limit is enough for the service to refuse a larger file.
            data = await upload.read(images.MAX_IMAGE_BYTES + 1)
            with session_scope() as session:
                self._show(avatars.set_avatar(session=session, user_id=user_id, data=data))
        except LoginRequired:
            raise  # handle_errors: to the login page and back
        except (ServiceError, DBAPIError) as exc:
            self.avatar_error = exc.message if isinstance(exc, ServiceError) else DB_DOWN_MESSAGE
            return rx.clear_selected_files(UPLOAD_ID)
        finally:
            self.avatar_saving = False
        return [rx.clear_selected_files(UPLOAD_ID), rx.toast.success("Picture updated.")]

    @rx.event
    @handle_errors
    def remove_avatar(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            avatars.remove_avatar(session=session, user_id=user_id)
        self._show(avatars.Avatar(url="", small_url=""))
        self.avatar_error = ""
        return rx.toast.success("Picture removed: your initials are shown.")


def avatar_section(section) -> rx.Component:
    """``section``: the settings page's card (pages/account.py)."""
    state = AvatarState
    return section(
        "Picture",
        rx.hstack(
            rx.box(avatar(rx.Var.create(""), size="7", src=state.avatar_url), id="avatar-preview"),
            rx.vstack(
                # The label names the upload's hidden file input (axe: form elements need labels).
                rx.el.label(
                    rx.upload.root(
                        rx.button(
                            rx.icon("image-plus", size=16),
                            rx.cond(state.avatar_url != "", "Change picture", "Upload a picture"),
                            type="button",
                            variant="soft",
                            loading=state.avatar_saving,
                        ),
                        id=UPLOAD_ID,
                        accept={"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]},
                        max_files=1,
                        multiple=False,
                        max_size=images.MAX_IMAGE_BYTES,
                        on_drop=state.upload_avatar(rx.upload_files(upload_id=UPLOAD_ID)),
                        # Our message beside the picture instead of Reflex's technical toast.
                        on_drop_rejected=state.reject_avatar,
                        border="none",
                        padding="0",
                    ),
                ),
                rx.cond(
                    state.avatar_url != "",
                    rx.button(
                        "Remove picture",
                        variant="ghost",
                        color_scheme="gray",
                        size="1",
                        on_click=state.remove_avatar,
                        id="remove-avatar",
                    ),
                ),
                rx.text("JPEG, PNG or WebP, up to 5 MB; its centre square is shown.", size="1", color_scheme="gray"),
                spacing="2",
            ),
            spacing="4",
            align="center",
        ),
        rx.cond(
            state.avatar_error != "",
            rx.callout(state.avatar_error, icon="triangle-alert", color_scheme="red", role="alert", id="avatar-error"),
        ),
    )
