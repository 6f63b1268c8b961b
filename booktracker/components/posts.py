"""Showing posts: avatar, the post card with its actions, comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import reflex as rx
from reflex.constants import Dirs
from reflex.utils.imports import ImportVar
from reflex.vars import Var, VarData
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP
from booktracker.components.report import report_button
from booktracker.services.posts import CommentView, PostView
from booktracker.services.storage import MEDIA_PATH

# Radix avatar sizes; the literal type is what rx.avatar's ``size`` accepts.
AvatarSize = Literal["1", "2", "3", "4", "5", "6", "7", "8", "9"]

EMOTIONS = ["😊", "😍", "😂", "😮", "🤔", "😢", "😡", "😱", "🥱", "🤯", "❤️", "🔥"]


def avatar(initials: rx.Var[str], *, size: AvatarSize = "3") -> rx.Component:
    return rx.avatar(fallback=rx.cond(initials != "", initials, "📖"), size=size, radius="full", color_scheme="indigo")


# The backend's origin as the browser reaches it (the static export bakes API_URL in).
_BACKEND_ORIGIN = Var(
    _js_expr="getBackendURL(env.UPLOAD).origin",
    _var_data=VarData(
        imports={f"$/{Dirs.STATE_PATH}": "getBackendURL", "$/env.json": ImportVar(tag="env", is_default=True)}
    ),
).to(str)


def image_src(post: ObjectVar[PostView]) -> rx.Var:
    """Public images: a Cloudinary URL, or a file under /_upload/. Private ones: a
    signed link -- Cloudinary's, or a path on the backend (services/storage.py)."""
    return rx.cond(
        post.image_url.startswith(MEDIA_PATH),
        f"{_BACKEND_ORIGIN}{post.image_url}",
        rx.cond(post.image_url != "", post.image_url, rx.get_upload_url(post.image_path)),
    )


@dataclass
class PostActions:
    """The event handlers a page wires into its post cards."""

    toggle_like: Any
    toggle_comments: Any
    start_edit: Any
    ask_delete: Any
    logged_in: rx.Var[bool]
    open_comments_id: rx.Var[int]
    editing_id: rx.Var[int]
    comments: rx.Component
    editor: rx.Component


def _byline(post: ObjectVar[PostView]) -> rx.Component:
    return rx.hstack(
        avatar(post.author_initials),
        rx.vstack(
            rx.cond(
                post.author_username != "",
                rx.link(post.author_name, href=routes.profile(post.author_username), weight="bold", size="2"),
                rx.text(post.author_name, weight="bold", size="2"),
            ),
            rx.hstack(
                rx.text(rx.moment(post.created_at, from_now=True), size="1", color_scheme="gray"),
                rx.cond(post.edited, rx.text("· edited", size="1", color_scheme="gray")),
                rx.cond(~post.is_public, rx.badge(rx.icon("lock", size=10), "Private", size="1", color_scheme="gray")),
                # Only its author still sees a post a moderator hid.
                rx.cond(post.hidden, rx.badge("Hidden by a moderator", size="1", color_scheme="red")),
                spacing="1",
                align="center",
            ),
            spacing="0",
        ),
        rx.spacer(),
        rx.cond(post.emotion != "", rx.text(post.emotion, size="6", aria_label="Emotion")),
        align="center",
        width="100%",
    )


def _book_line(post: ObjectVar[PostView]) -> rx.Component:
    return rx.cond(
        post.book_title != "",
        rx.hstack(
            rx.icon("book-open", size=14, color=rx.color("accent", 10)),
            rx.text(
                rx.text.strong(post.book_title),
                rx.cond(post.book_authors != "", f" · {post.book_authors}", ""),
                # .to(int) only tells the type checker it is a number; the JS is unchanged.
                rx.cond(post.page.to(int) >= 0, f" · p. {post.page}", ""),
                rx.cond(post.chapter != "", f" · ch. {post.chapter}", ""),
                size="2",
                color_scheme="gray",
                min_width="0",
                style=WRAP,
            ),
            spacing="2",
            align="center",
            width="100%",
        ),
    )


def _body(post: ObjectVar[PostView]) -> rx.Component:
    return rx.vstack(
        _book_line(post),
        # Text is rendered as text, never as HTML: "<script>" shows as typed.
        rx.cond(post.text != "", rx.text(post.text, white_space="pre-wrap", class_name="post-text", style=WRAP)),
        rx.cond(
            post.quote != "",
            rx.blockquote(post.quote, size="2", white_space="pre-wrap", style=WRAP),
        ),
        rx.cond(
            (post.image_url != "") | (post.image_path != ""),
            rx.image(
                src=image_src(post),
                alt=rx.cond(
                    post.book_title != "", f"Image shared about {post.book_title}", "Image shared with the post"
                ),
                loading="lazy",
                max_height="28rem",
                width="100%",
                object_fit="cover",
                border_radius="var(--radius-3)",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _actions(post: ObjectVar[PostView], actions: PostActions) -> rx.Component:
    return rx.hstack(
        rx.cond(
            actions.logged_in,
            rx.button(
                rx.icon("heart", size=16, fill=rx.cond(post.liked_by_me, "currentColor", "none")),
                post.like_count,
                variant="ghost",
                color_scheme=rx.cond(post.liked_by_me, "red", "gray"),
                on_click=actions.toggle_like(post.id),
                aria_label=rx.cond(post.liked_by_me, "Unlike", "Like"),
                aria_pressed=post.liked_by_me,
                class_name="like-button",
            ),
        ),
        rx.button(
            rx.icon("message-circle", size=16),
            post.comment_count,
            variant="ghost",
            color_scheme="gray",
            on_click=actions.toggle_comments(post.id),
            disabled=~actions.logged_in,
            aria_label="Comments",
            class_name="comments-button",
        ),
        rx.spacer(),
        rx.cond(actions.logged_in & ~post.is_mine, report_button("post", post.id)),
        rx.cond(
            post.is_mine,
            rx.hstack(
                rx.icon_button(
                    rx.icon("pencil", size=14),
                    variant="ghost",
                    size="1",
                    on_click=actions.start_edit(post.id),
                    aria_label="Edit post",
                    class_name="edit-post",
                ),
                rx.icon_button(
                    rx.icon("trash-2", size=14),
                    variant="ghost",
                    size="1",
                    color_scheme="red",
                    on_click=actions.ask_delete(post.id),
                    aria_label="Delete post",
                    class_name="delete-post",
                ),
                spacing="2",
            ),
        ),
        width="100%",
        align="center",
    )


def post_card(post: ObjectVar[PostView], actions: PostActions) -> rx.Component:
    return rx.card(
        rx.vstack(
            _byline(post),
            rx.cond(actions.editing_id == post.id, actions.editor, _body(post)),
            _actions(post, actions),
            rx.cond(actions.open_comments_id == post.id, actions.comments),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="post-card",
        id=f"post-{post.id}",
    )


def comment_row(comment: ObjectVar[CommentView], on_delete) -> rx.Component:
    return rx.hstack(
        avatar(comment.author_initials, size="1"),
        rx.vstack(
            rx.hstack(
                rx.link(comment.author_name, href=routes.profile(comment.author_username), size="1", weight="bold"),
                rx.text(rx.moment(comment.created_at, from_now=True), size="1", color_scheme="gray"),
                rx.cond(comment.hidden, rx.badge("Hidden by a moderator", size="1", color_scheme="red")),
                spacing="2",
            ),
            rx.text(comment.text, size="2", white_space="pre-wrap", class_name="comment-text"),
            spacing="0",
            width="100%",
        ),
        rx.cond(
            comment.can_delete,
            rx.icon_button(
                rx.icon("x", size=12),
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=on_delete(comment.id),
                aria_label="Delete comment",
            ),
        ),
        # Comments are shown to signed-in readers only; the dialog is on the page (post_list.py).
        rx.cond(~comment.is_mine, report_button("comment", comment.id)),
        width="100%",
        align="start",
    )
