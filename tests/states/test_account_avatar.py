"""The settings page's picture section (pages/account_avatar.py AvatarState):
upload with a preview and the header's picture, refusals said beside it, remove."""

import io

import reflex as rx

from booktracker.services import images
from tests.states.helpers import open_settings, redirects, route, run, sub, toasts
from tests.support.images import jpeg_with_gps


def _state(root):
    from booktracker.pages.account_avatar import AvatarState

    route(root, "/settings")
    return sub(root, AvatarState)


def _file(data: bytes) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), size=len(data))


def test_needs_a_login(root):
    state = _state(root)
    assert redirects(run(state.upload_avatar([_file(jpeg_with_gps())]))) == ["/login?next=/settings"]


def test_upload_preview_refusals_and_remove(signed_up):
    state = _state(signed_up)
    open_settings(signed_up)
    assert state.avatar_url == "" and state.user_avatar == ""

    result = run(state.upload_avatar([_file(jpeg_with_gps((300, 200)))]))
    assert ("success", "Picture updated.") in toasts(result)
    assert state.avatar_url.startswith("/_upload/") and state.user_avatar.startswith("/_upload/")
    assert state.avatar_error == "" and not state.avatar_saving
    shown = state.avatar_url

    run(state.upload_avatar([_file(b"not an image")]))
    assert state.avatar_error == "That file is not a readable JPEG, PNG or WebP image."
    assert state.avatar_url == shown and not state.avatar_saving  # the old picture stays
    state.reject_avatar([{"name": "huge.jpg"}])
    assert state.avatar_error == images.rejected_upload_message()

    state.remove_avatar()
    assert state.avatar_url == "" and state.user_avatar == "" and state.avatar_error == ""
    open_settings(signed_up)
    assert state.avatar_url == ""
