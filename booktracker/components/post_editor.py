"""Editing a post in place: the form that replaces its text, and the
emotion picker (the composer uses it too).

``PostEditMixin`` is part of ``PostListMixin`` (post_list.py), which owns the posts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.posts import EMOTIONS
from booktracker.db import session_scope
from booktracker.services import posts
from booktracker.services.posts import PostView
from booktracker.state import handle_errors


class PostEditMixin(rx.State, mixin=True):
    editing_id: rx.Field[int] = rx.field(0)
    edit_emotion: rx.Field[str] = rx.field("")

    if TYPE_CHECKING:
        # PostListMixin (post_list.py) and AuthState (state.py) define these.
        posts: rx.Field[list[PostView]]

        def current_user_id(self) -> int: ...

        def _index(self, post_id: int) -> int: ...

    @rx.event
    def start_edit(self, post_id: int):
        index = self._index(post_id)
        if index >= 0:
            self.editing_id = post_id
            self.edit_emotion = self.posts[index].emotion

    @rx.event
    def cancel_edit(self):
        self.editing_id = 0

    @rx.event
    def set_edit_emotion(self, emotion: str):
        self.edit_emotion = "" if emotion == self.edit_emotion else emotion

    @rx.event
    @handle_errors
    def save_edit(self, form: dict):
        user_id = self.current_user_id()
        index = self._index(self.editing_id)
        if index < 0:
            return None
        current = self.posts[index]
        data = posts.PostInput(
            text=form.get("text", ""),
            emotion=self.edit_emotion,
            quote=form.get("quote", ""),
            page=current.page if current.page >= 0 else None,
            chapter=current.chapter,
            is_public=form.get("is_public") == "on",
        )
        with session_scope() as session:
            updated = posts.edit_post(session=session, user_id=user_id, post_id=current.id, data=data)
        self.posts[index] = updated
        self.editing_id = 0
        return rx.toast.success("Post updated.")


# ---------------------------------------------------------------- rendering


def editor(state: type[PostEditMixin], current: ObjectVar[PostView]) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text_area(
                name="text",
                default_value=current.text,
                rows="3",
                max_length=posts.TEXT_MAX,
                width="100%",
                aria_label="Post text",
                class_name="edit-text",
            ),
            rx.text_area(
                name="quote",
                default_value=current.quote,
                rows="2",
                max_length=posts.QUOTE_MAX,
                width="100%",
                placeholder="Quote (optional)",
                aria_label="Quote",
            ),
            emotion_picker(state.edit_emotion, state.set_edit_emotion),
            rx.hstack(
                rx.checkbox("Public", name="is_public", default_checked=current.is_public),
                rx.spacer(),
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=state.cancel_edit),
                rx.button("Save", type="submit", class_name="save-edit"),
                width="100%",
                align="center",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=state.save_edit,
        reset_on_submit=False,
        width="100%",
    )


def emotion_picker(selected: rx.Var[str], on_pick) -> rx.Component:
    return rx.flex(
        *[
            rx.button(
                emoji,
                type="button",
                size="1",
                variant=rx.cond(selected == emoji, "solid", "soft"),
                on_click=on_pick(emoji),
                aria_label=f"Emotion {emoji}",
                aria_pressed=selected == emoji,
            )
            for emoji in EMOTIONS
        ],
        gap="1",
        wrap="wrap",
        role="group",
        aria_label="How does it make you feel?",
    )
