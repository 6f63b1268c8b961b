"""The share button: the Web Share API where the browser has it (phones),
otherwise the link is copied to the clipboard; a toast says which.

It shares the backend's /share/… link (booktracker/api/share.py), whose page
carries the Open Graph tags a chat app shows as a preview and sends people
on to the real page. ``window.tmrShare`` is defined in every page's head
(booktracker/pwa.py), so the click runs it at once, within the user gesture
the browser requires for both share and clipboard.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.function import FunctionStringVar

from booktracker.pwa import backend_url

_SHARE = FunctionStringVar.create("window.tmrShare")


class ShareState(rx.State):
    """Only says what happened; nothing about the reader is kept."""

    @rx.event
    def shared(self, result: str):
        if result == "copied":
            return rx.toast.success("Link copied — paste it anywhere.")
        if result.startswith("failed:"):
            return rx.toast.info(f"Copy this link: {result.removeprefix('failed:')}", duration=15000)
        return None


def share_button(share_path: str | rx.Var, title: str | rx.Var, *, label: str = "Share") -> rx.Component:
    """``share_path``: routes.share_profile(…) or routes.share_book(…)."""
    url = (
        backend_url() + share_path if isinstance(share_path, str) else rx.Var.create(backend_url()) + share_path.to(str)
    )
    return rx.button(
        rx.icon("share-2", size=16),
        label,
        on_click=rx.call_script(_SHARE.call(url, title), callback=ShareState.shared),
        variant="soft",
        size="2",
        aria_label=f"{label}: copy or send a link",
        class_name="share-button",
    )
