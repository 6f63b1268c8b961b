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

from booktracker import live_feed
from booktracker.components.posts import EMOTIONS, PostActions, comment_row, post_card
from booktracker.components.report import report_dialog
from booktracker.components.spoilers import anchor_inputs, anchor_page
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.services import events, posts
from booktracker.services.posts import CommentView, PostView
from booktracker.state import LoginRequired, handle_errors

# The oldest posts fall out of the state past this, keeping it small.
MAX_POSTS_IN_STATE = 60


class PostListMixin(rx.State, mixin=True):
    posts: rx.Field[list[PostView]] = rx.field(default_factory=list)
    next_cursor: str = ""
    loading_posts: bool = False
    open_comments_id: rx.Field[int] = rx.field(0)
    comments: list[CommentView] = []  # a page of top-level comments, each followed by its loaded replies
    comments_cursor: str = ""  # the earlier comments ("Show earlier comments"); "" when none
    replying_to: rx.Field[int] = rx.field(0)  # the comment the form answers; 0: a new comment
    replying_to_name: str = ""
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
        self._record_shown()

    def _origin(self) -> str:
        """This tab, for the services' events: live updates skip the tab that acted."""
        return self.router.session.client_token if self.router else ""

    def _record_shown(self) -> None:
        """Likes and comments of the posts on screen reach this tab live (live_feed.py)."""
        live_feed.posts_shown(self._origin(), type(self).get_full_name(), [p.id for p in self.posts])

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
                # This tab shows the change already: live updates skip it (live_feed.py).
                count = change(session=session, user_id=user_id, post_id=post_id, origin=self._origin())
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

    # ------------------------------------------------------------ live updates

    def _apply_post_change(self, change: events.PostChanged) -> None:
        """Another tab liked or commented on a post this list shows (live_feed.py).

        A like costs no SQL: the count is everyone's. Comments are counted per
        reader (blocks, mutes, hiding), so a comment re-reads this reader's
        count, and an open comments panel gets the new comment only as this
        reader may see it (never one from a reader they blocked).
        """
        index = self._index(change.post_id)
        if index < 0:
            return  # fell out of the list since it was recorded
        post = self.posts[index]
        logged_in = bool(self.auth_token)
        update: dict = {"like_count": change.like_count} if logged_in else {}  # visitors see no like counts
        # The event counts every comment: when it differs from this card, or the
        # likes did not move (a deleted comment says no id), count them again.
        recount = change.comment_id != 0 or change.comment_count != post.comment_count
        recount = recount or (logged_in and change.like_count == post.like_count)
        new_comment = None
        if recount:
            try:
                viewer_id = self.current_user_id() if logged_in else None
            except LoginRequired:
                return  # signed out meanwhile: the tab's next event says so
            with session_scope() as session:
                update["comment_count"] = posts.visible_comment_count(
                    session=session, viewer_id=viewer_id, post_id=change.post_id
                )
                if change.comment_id and viewer_id is not None and self.open_comments_id == change.post_id:
                    new_comment = posts.visible_comment(
                        session=session, viewer_id=viewer_id, post_id=change.post_id, comment_id=change.comment_id
                    )
        self.posts[index] = post.model_copy(update=update)
        if new_comment is not None:
            self._show_new_comment(new_comment)

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

    # ------------------------------------------------------------ spoiler shield

    @rx.event
    def reveal_post(self, post_id: int):
        """Show anyway: this post only, in this tab (no SQL)."""
        index = self._index(post_id)
        if index >= 0:
            self.posts[index] = self.posts[index].model_copy(update={"shielded": False})

    @rx.event
    def reveal_comment(self, comment_id: int):
        self.comments = [c.model_copy(update={"shielded": False}) if c.id == comment_id else c for c in self.comments]

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


def _comment_item(state: type[PostListMixin], comment: ObjectVar[CommentView]) -> rx.Component:
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
            reveal=state.reveal_post,
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
