"""The comments under a post: a page of comments, each followed by its
loaded replies, "Show earlier comments", "Show N more replies", replying,
deleting, and new comments from other tabs.

``CommentThreadMixin`` is part of ``PostListMixin`` (post_list.py), which
owns the posts and counts them: it calls ``_bump_comment_count`` here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.posts import comment_row
from booktracker.components.spoilers import anchor_inputs, anchor_page
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.services import posts
from booktracker.services.posts import CommentView
from booktracker.state import handle_errors


class CommentThreadMixin(rx.State, mixin=True):
    open_comments_id: rx.Field[int] = rx.field(0)
    comments: list[CommentView] = []  # a page of top-level comments, each followed by its loaded replies
    comments_cursor: str = ""  # the earlier comments ("Show earlier comments"); "" when none
    replying_to: rx.Field[int] = rx.field(0)  # the comment the form answers; 0: a new comment
    replying_to_name: str = ""
    comment_error: str = ""

    if TYPE_CHECKING:
        # PostListMixin (post_list.py) and AuthState (state.py) define these.
        def current_user_id(self) -> int: ...

        def _origin(self) -> str: ...

        def _bump_comment_count(self, post_id: int, delta: int) -> None: ...

    @rx.event
    @handle_errors
    def toggle_comments(self, post_id: int):
        self.comment_error = ""
        self.replying_to, self.replying_to_name = 0, ""
        if self.open_comments_id == post_id:
            self.open_comments_id, self.comments, self.comments_cursor = 0, [], ""
            return
        user_id = self.current_user_id()
        with session_scope() as session:
            page = posts.comment_page(session=session, viewer_id=user_id, post_id=post_id)
        self.comments, self.comments_cursor = page.comments, page.next_cursor
        self.open_comments_id = post_id

    @rx.event
    @handle_errors
    def load_earlier_comments(self):
        """The page of comments before the first one shown, above it."""
        if not (self.open_comments_id and self.comments_cursor):
            return
        user_id = self.current_user_id()
        with session_scope() as session:
            page = posts.comment_page(
                session=session, viewer_id=user_id, post_id=self.open_comments_id, cursor=self.comments_cursor
            )
        shown = {c.id for c in self.comments}
        self.comments = [c for c in page.comments if c.id not in shown] + self.comments
        self.comments_cursor = page.next_cursor

    @rx.event
    @handle_errors
    def load_more_replies(self, thread_id: int):
        """The next page of a thread's replies, after the reply that offers "Show N more replies"."""
        rows = [i for i, c in enumerate(self.comments) if thread_id in (c.id, c.parent_id)]
        if not rows:
            return
        at = next((i for i in rows if self.comments[i].more_replies > 0), rows[-1])
        anchor = self.comments[at]
        cursor = posts.reply_cursor(anchor) if anchor.parent_id else ""
        user_id = self.current_user_id()
        with session_scope() as session:
            page = posts.comment_page(
                session=session,
                viewer_id=user_id,
                post_id=self.open_comments_id,
                parent_id=thread_id,
                cursor=cursor,
            )
        shown = {c.id for c in self.comments}
        new = [c for c in page.comments if c.id not in shown]  # one's own reply may be shown already
        if new and page.next_cursor:
            new[-1] = new[-1].model_copy(update={"more_replies": max(anchor.more_replies - len(page.comments), 1)})
        self.comments[at] = anchor.model_copy(update={"more_replies": 0})
        self.comments[at + 1 : at + 1] = new

    @rx.event
    def start_reply(self, comment_id: int):
        comment = next((c for c in self.comments if c.id == comment_id), None)
        if comment is not None:
            self.replying_to, self.replying_to_name = comment_id, comment.author_name
            return rx.set_focus("comment-text")
        return None

    @rx.event
    def cancel_reply(self):
        self.replying_to, self.replying_to_name = 0, ""

    def _show_own_comment(self, comment: CommentView) -> None:
        """A new comment goes last; a reply at the end of its thread (its top-level comment counts it)."""
        if not comment.parent_id:
            self.comments.append(comment)
            return
        rows = [i for i, c in enumerate(self.comments) if comment.parent_id in (c.id, c.parent_id)]
        if not rows:
            return
        top = self.comments[rows[0]]
        self.comments[rows[0]] = top.model_copy(update={"reply_count": top.reply_count + 1})
        self.comments.insert(rows[-1] + 1, comment)

    @rx.event
    @handle_errors
    def add_comment(self, form: dict):
        self.comment_error = ""
        user_id = self.current_user_id()
        try:
            with session_scope() as session:
                comment = posts.add_comment(
                    session=session,
                    user_id=user_id,
                    post_id=self.open_comments_id,
                    text=form.get("text", ""),
                    origin=self._origin(),
                    page=anchor_page(form.get("page")),
                    chapter=form.get("chapter", ""),
                    parent_id=self.replying_to or None,
                )
        except ServiceError as exc:
            self.comment_error = exc.message
            return None
        self._show_own_comment(comment)
        self.replying_to, self.replying_to_name = 0, ""
        self._bump_comment_count(comment.post_id, 1)
        return [rx.set_value(field, "") for field in ("comment-text", "comment-page", "comment-chapter")]

    @rx.event
    @handle_errors
    def delete_comment(self, comment_id: int):
        user_id = self.current_user_id()
        with session_scope() as session:
            posts.delete_comment(session=session, user_id=user_id, comment_id=comment_id, origin=self._origin())
        gone = next((c for c in self.comments if c.id == comment_id), None)
        if gone is None:
            return
        # Its replies go with a comment (the database cascades), and leave the count with it.
        self.comments = [
            c.model_copy(update={"reply_count": c.reply_count - 1}) if c.id == gone.parent_id else c
            for c in self.comments
            if comment_id not in (c.id, c.parent_id)
        ]
        self._bump_comment_count(self.open_comments_id, -(1 + (0 if gone.parent_id else gone.reply_count)))

    def _show_new_comment(self, new: CommentView) -> None:
        """Into the open panel where the reader would find it after a reload:
        a comment last, a reply at the end of its thread when that is loaded."""
        if any(c.id == new.id for c in self.comments):
            return
        if not new.parent_id:
            self.comments.append(new)
            return
        thread = [i for i, c in enumerate(self.comments) if new.parent_id in (c.id, c.parent_id)]
        if not thread or self.comments[thread[0]].id != new.parent_id:
            return  # its comment is not loaded here
        top, last = self.comments[thread[0]], self.comments[thread[-1]]
        self.comments[thread[0]] = top.model_copy(update={"reply_count": top.reply_count + 1})
        if last.more_replies > 0:  # earlier replies are not loaded yet: "Show more" brings it in order
            last = self.comments[thread[-1]]
            self.comments[thread[-1]] = last.model_copy(update={"more_replies": last.more_replies + 1})
            return
        self.comments.insert(thread[-1] + 1, new)

    @rx.event
    def reveal_comment(self, comment_id: int):
        self.comments = [c.model_copy(update={"shielded": False}) if c.id == comment_id else c for c in self.comments]


# ---------------------------------------------------------------- rendering


def comments_panel(state: type[CommentThreadMixin]) -> rx.Component:
    return rx.vstack(
        rx.separator(size="4"),
        rx.cond(
            state.comments_cursor != "",
            rx.button(
                "Show earlier comments",
                variant="ghost",
                size="1",
                on_click=state.load_earlier_comments,
                class_name="earlier-comments",
            ),
        ),
        rx.foreach(state.comments, lambda c: _comment_item(state, c)),
        rx.cond(
            state.replying_to != 0,
            rx.hstack(
                rx.text(f"Replying to {state.replying_to_name}", size="1", color_scheme="gray"),
                rx.icon_button(
                    rx.icon("x", size=12),
                    size="1",
                    variant="ghost",
                    color_scheme="gray",
                    on_click=state.cancel_reply,
                    aria_label="Cancel reply",
                ),
                align="center",
                spacing="1",
            ),
        ),
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
            anchor_inputs(),
            on_submit=state.add_comment,
            reset_on_submit=False,
            width="100%",
        ),
        rx.cond(state.comment_error != "", rx.text(state.comment_error, color_scheme="red", size="2", role="alert")),
        spacing="2",
        width="100%",
    )


def _comment_item(state: type[CommentThreadMixin], comment: ObjectVar[CommentView]) -> rx.Component:
    """A comment, or a reply indented under its comment, with "Reply" and,
    on a thread's last loaded reply, "Show N more replies"."""
    thread_id = rx.cond(comment.parent_id != 0, comment.parent_id, comment.id)
    return rx.vstack(
        comment_row(comment, state.delete_comment, state.reveal_comment),
        rx.hstack(
            rx.button(
                "Reply",
                variant="ghost",
                size="1",
                color_scheme="gray",
                on_click=state.start_reply(comment.id),
                class_name="reply-comment",
            ),
            rx.cond(
                comment.more_replies.to(int) > 0,
                rx.button(
                    rx.cond(
                        comment.more_replies == 1, "Show 1 more reply", f"Show {comment.more_replies} more replies"
                    ),
                    variant="ghost",
                    size="1",
                    on_click=state.load_more_replies(thread_id),
                    class_name="more-replies",
                ),
            ),
            spacing="3",
            padding_left="2rem",
        ),
        spacing="1",
        width="100%",
        padding_left=rx.cond(comment.parent_id != 0, "2rem", "0"),
        class_name=rx.cond(comment.parent_id != 0, "comment-reply", "comment-top"),
    )
