"""A list of posts with likes, comments, inline edit and delete.

``PostListMixin`` holds the list and its handlers; the feed and profile
pages mix it into their own state and only say how to load a page.
Every handler re-checks on the server who the reader is and what they may
touch (the services refuse anything else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.posts import EMOTIONS, PostActions, comment_row, post_card
from booktracker.components.report import report_dialog
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.services import posts
from booktracker.services.posts import CommentView, PostView
from booktracker.state import LoginRequired, handle_errors

# The oldest posts fall out of the state past this, keeping it small.
MAX_POSTS_IN_STATE = 60


class PostListMixin(rx.State, mixin=True):
    posts: rx.Field[list[PostView]] = rx.field(default_factory=list)
    next_cursor: str = ""
    loading_posts: bool = False
    open_comments_id: rx.Field[int] = rx.field(0)
    comments: list[CommentView] = []
    comment_error: str = ""
    editing_id: rx.Field[int] = rx.field(0)
    edit_emotion: rx.Field[str] = rx.field("")
    deleting_id: int = 0

    if TYPE_CHECKING:
        # Pages mix this into a subclass of AuthState (state.py), which
        # defines these; declared here only so the type checker knows.
        auth_token: str
        logged_in: rx.Field[bool]

        def current_user_id(self) -> int: ...

    # ------------------------------------------------------------ helpers

    def _viewer_id(self) -> int | None:
        """The reader, or None for a logged-out visitor (public pages)."""
        if not self.auth_token:
            return None
        try:
            return self.current_user_id()
        except LoginRequired as exc:
            if exc.message:  # a suspended account: said, and logged out (state.py)
                raise
            return None

    def _index(self, post_id: int) -> int:
        for index, post in enumerate(self.posts):
            if post.id == post_id:
                return index
        return -1

    def _set_page(self, page: posts.FeedPage, *, append: bool) -> None:
        combined = (self.posts + page.posts) if append else page.posts
        self.posts = combined[-MAX_POSTS_IN_STATE:]
        self.next_cursor = page.next_cursor

    def _load_page(self, cursor: str) -> posts.FeedPage:
        raise NotImplementedError  # each page says which posts it lists

    @rx.event
    @handle_errors
    def load_more(self):
        if self.next_cursor:
            self._set_page(self._load_page(self.next_cursor), append=True)

    # ------------------------------------------------------------ likes

    @rx.event
    @handle_errors
    def toggle_like(self, post_id: int):
        """Optimistic: the heart changes at once and is put back on failure."""
        index = self._index(post_id)
        if index < 0:
            return
        before = self.posts[index]
        liked = not before.liked_by_me
        self.posts[index] = before.model_copy(
            update={"liked_by_me": liked, "like_count": before.like_count + (1 if liked else -1)}
        )
        yield
        try:
            user_id = self.current_user_id()
            with session_scope() as session:
                change = posts.like if liked else posts.unlike
                count = change(session=session, user_id=user_id, post_id=post_id)
        except Exception:
            self.posts[index] = before  # the heart goes back
            raise  # handle_errors: to the login page and back, or an error toast
        index = self._index(post_id)
        if index >= 0:
            self.posts[index] = self.posts[index].model_copy(update={"like_count": count})

    # ------------------------------------------------------------ comments

    @rx.event
    @handle_errors
    def toggle_comments(self, post_id: int):
        self.comment_error = ""
        if self.open_comments_id == post_id:
            self.open_comments_id, self.comments = 0, []
            return
        user_id = self.current_user_id()
        with session_scope() as session:
            self.comments = posts.list_comments(session=session, viewer_id=user_id, post_id=post_id)
        self.open_comments_id = post_id

    def _bump_comment_count(self, post_id: int, delta: int) -> None:
        index = self._index(post_id)
        if index >= 0:
            post = self.posts[index]
            self.posts[index] = post.model_copy(update={"comment_count": post.comment_count + delta})

    @rx.event
    @handle_errors
    def add_comment(self, form: dict):
        self.comment_error = ""
        user_id = self.current_user_id()
        try:
            with session_scope() as session:
                comment = posts.add_comment(
                    session=session, user_id=user_id, post_id=self.open_comments_id, text=form.get("text", "")
                )
        except ServiceError as exc:
            self.comment_error = exc.message
            return None
        self.comments.append(comment)
        self._bump_comment_count(comment.post_id, 1)
        return rx.set_value("comment-text", "")

    @rx.event
    @handle_errors
    def delete_comment(self, comment_id: int):
        user_id = self.current_user_id()
        with session_scope() as session:
            posts.delete_comment(session=session, user_id=user_id, comment_id=comment_id)
        self.comments = [c for c in self.comments if c.id != comment_id]
        self._bump_comment_count(self.open_comments_id, -1)

    # ------------------------------------------------------------ edit

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

    # ------------------------------------------------------------ delete

    @rx.event
    def ask_delete(self, post_id: int):
        self.deleting_id = post_id

    @rx.event
    def set_delete_open(self, open_: bool):
        if not open_:
            self.deleting_id = 0

    @rx.event
    @handle_errors
    def confirm_delete(self):
        user_id = self.current_user_id()
        post_id, self.deleting_id = self.deleting_id, 0
        with session_scope() as session:
            posts.delete_post(session=session, user_id=user_id, post_id=post_id)  # its stored image too
        self.posts = [p for p in self.posts if p.id != post_id]
        return rx.toast.success("Post deleted.")


# ---------------------------------------------------------------- rendering


def editor(state: type[PostListMixin], current: ObjectVar[PostView]) -> rx.Component:
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


def comments_panel(state: type[PostListMixin]) -> rx.Component:
    return rx.vstack(
        rx.separator(size="4"),
        rx.foreach(state.comments, lambda c: comment_row(c, state.delete_comment)),
        rx.form(
            rx.hstack(
                rx.input(
                    name="text",
                    id="comment-text",
                    placeholder="Write a comment…",
                    max_length=posts.COMMENT_MAX,
                    width="100%",
                    aria_label="Comment",
                ),
                rx.button("Send", type="submit", class_name="send-comment"),
                width="100%",
            ),
            on_submit=state.add_comment,
            reset_on_submit=False,
            width="100%",
        ),
        rx.cond(state.comment_error != "", rx.text(state.comment_error, color_scheme="red", size="2", role="alert")),
        spacing="2",
        width="100%",
    )


def delete_dialog(state: type[PostListMixin]) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this post?"),
            rx.alert_dialog.description("Its likes, comments and image go with it. This cannot be undone."),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Delete", color_scheme="red", on_click=state.confirm_delete, id="confirm-delete-post"),
                gap="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
        open=state.deleting_id != 0,
        on_open_change=state.set_delete_open,
    )


def post_list(state: type[PostListMixin], *, empty: rx.Component) -> rx.Component:
    def card(post: ObjectVar[PostView]) -> rx.Component:
        actions = PostActions(
            toggle_like=state.toggle_like,
            toggle_comments=state.toggle_comments,
            start_edit=state.start_edit,
            ask_delete=state.ask_delete,
            logged_in=state.logged_in,
            open_comments_id=state.open_comments_id,
            editing_id=state.editing_id,
            comments=comments_panel(state),
            editor=editor(state, post),
        )
        return post_card(post, actions)

    return rx.vstack(
        rx.cond(state.posts.length() > 0, rx.foreach(state.posts, card), empty),
        rx.cond(
            state.next_cursor != "",
            rx.center(
                rx.button(
                    "Load more", variant="soft", on_click=state.load_more, id="load-more", loading=state.loading_posts
                ),
                width="100%",
            ),
        ),
        delete_dialog(state),
        report_dialog(),
        spacing="3",
        width="100%",
    )
