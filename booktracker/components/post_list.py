"""A list of posts with likes, comments, inline edit and delete.

``PostListMixin`` holds the list, its paging and its handlers; the feed and
profile pages mix it into their own state and only say how to load a page.
The comments panel is comment_thread.py's, the in-place editor post_editor.py's.
Every handler re-checks on the server who the reader is and what they may
touch (the services refuse anything else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import live_feed
from booktracker.components.comment_thread import CommentThreadMixin, comments_panel
from booktracker.components.post_editor import PostEditMixin, editor
from booktracker.components.posts import PostActions, PostNumbers, post_card
from booktracker.components.report import report_dialog
from booktracker.db import session_scope
from booktracker.services import events, posts
from booktracker.services.posts import PostView
from booktracker.state import LoginRequired, handle_errors

# The oldest posts fall out of the state past this, keeping it small.
MAX_POSTS_IN_STATE = 60


class PostListMixin(CommentThreadMixin, PostEditMixin, mixin=True):
    posts: rx.Field[list[PostView]] = rx.field(default_factory=list)
    next_cursor: str = ""
    # False until the first page arrives: "No posts yet" would be a lie before it (``pending`` shows instead).
    posts_loaded: bool = False
    loading_posts: bool = False
    deleting_id: int = 0
    # Likes and comment counts that changed after the list was loaded, by post id, shown over the
    # posts' own: a like then sends each tab showing the post this small dict, not the whole list
    # again (up to 60 posts, ~12 KB of JSON per tab; its encoding was a quarter of a worker's time
    # at 50 readers: bench/RESULTS.md, "Live numbers apart from the list").
    numbers: rx.Field[dict[int, PostNumbers]] = rx.field(default_factory=dict)

    if TYPE_CHECKING:
        # Pages mix this into a subclass of AuthState (state.py), which
        # defines these; declared here only so the type checker knows.
        auth_token: str
        logged_in: rx.Field[bool]

        def current_user_id(self) -> int: ...

        def _viewer_id(self) -> int | None: ...  # AuthState's: None for a visitor

    # ------------------------------------------------------------ helpers

    def _index(self, post_id: int) -> int:
        for index, post in enumerate(self.posts):
            if post.id == post_id:
                return index
        return -1

    def _set_page(self, page: posts.FeedPage, *, append: bool) -> None:
        combined = (self.posts + page.posts) if append else page.posts
        self.posts = combined[-MAX_POSTS_IN_STATE:]
        self.next_cursor = page.next_cursor
        self.posts_loaded = True
        if not append:
            self.numbers = {}  # the posts are fresh from the database: their own numbers are the latest
        self._keep_numbers_of_shown_posts()
        self._record_shown()

    def shown_numbers(self, post_id: int) -> PostNumbers | None:
        """What the post's card shows: its changed numbers, or the post's own; None if not listed."""
        if post_id in self.numbers:
            return self.numbers[post_id]
        index = self._index(post_id)
        if index < 0:
            return None
        post = self.posts[index]
        return PostNumbers(like_count=post.like_count, comment_count=post.comment_count, liked_by_me=post.liked_by_me)

    def _change_numbers(self, post_id: int, **update) -> None:
        shown = self.shown_numbers(post_id)
        if shown is not None:
            self.numbers[post_id] = shown.model_copy(update=update)

    def _keep_numbers_of_shown_posts(self) -> None:
        if self.numbers:
            listed = {post.id for post in self.posts}
            self.numbers = {post_id: n for post_id, n in self.numbers.items() if post_id in listed}

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
        before = self.shown_numbers(post_id)
        if before is None:
            return
        liked = not before.liked_by_me
        self.numbers[post_id] = before.model_copy(
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
            self._change_numbers(post_id, liked_by_me=before.liked_by_me, like_count=before.like_count)  # back
            raise  # handle_errors: to the login page and back, or an error toast
        self._change_numbers(post_id, like_count=count)

    def _bump_comment_count(self, post_id: int, delta: int) -> None:
        shown = self.shown_numbers(post_id)
        if shown is not None:
            self.numbers[post_id] = shown.model_copy(update={"comment_count": shown.comment_count + delta})

    # ------------------------------------------------------------ live updates

    def _apply_post_change(self, change: events.PostChanged) -> None:
        """Another tab liked or commented on a post this list shows (live_feed.py).

        A like costs no SQL: the count is everyone's. Comments are counted per
        reader (blocks, mutes, hiding), so an added or deleted comment re-reads
        this reader's count, and an open comments panel gets the new comment
        only as this reader may see it (never one from a reader they blocked).
        """
        if self._index(change.post_id) < 0:
            return  # fell out of the list since it was recorded
        logged_in = bool(self.auth_token)
        update: dict = {"like_count": change.like_count} if logged_in else {}  # visitors see no like counts
        new_comment = None
        if change.comments_changed:
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
        if update:
            self._change_numbers(change.post_id, **update)
        if new_comment is not None:
            self._show_new_comment(new_comment)

    # ------------------------------------------------------------ spoiler shield

    @rx.event
    def reveal_post(self, post_id: int):
        """Show anyway: this post only, in this tab (no SQL)."""
        index = self._index(post_id)
        if index >= 0:
            self.posts[index] = self.posts[index].model_copy(update={"shielded": False})

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
        self._keep_numbers_of_shown_posts()
        return rx.toast.success("Post deleted.")


# ---------------------------------------------------------------- rendering


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


def loading_posts() -> rx.Component:
    """Before the first page: a quiet placeholder, not "No posts yet"."""
    return rx.center(rx.spinner(size="3"), width="100%", padding="var(--space-6)", aria_label="Loading posts")


def post_list(state: type[PostListMixin], *, empty: rx.Component, pending: rx.Component | None = None) -> rx.Component:
    """The cards, "Load more", and the dialogs; ``empty`` once a page came back with none,
    ``pending`` until the first page arrives (default: a spinner)."""

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
            numbers=state.numbers,
        )
        return post_card(post, actions)

    return rx.vstack(
        rx.cond(
            state.posts.length() > 0,
            rx.foreach(state.posts, card),
            rx.cond(state.posts_loaded, empty, pending if pending is not None else loading_posts()),
        ),
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
