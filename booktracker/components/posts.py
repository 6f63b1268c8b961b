"""Showing posts: avatar, the post card with its actions, comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

import reflex as rx
from pydantic import BaseModel
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.backend_origin import backend_origin
from booktracker.components.books import WRAP, stars
from booktracker.components.long_text import foldable
from booktracker.components.numbers import grouped_var
from booktracker.components.report import report_button
from booktracker.components.spoilers import rich_text, shielded
from booktracker.services.avatars import UPLOAD_URL_PREFIX
from booktracker.services.posts import CommentView, PostView
from booktracker.services.storage import MEDIA_PATH

# Radix avatar sizes; the literal type is what rx.avatar's ``size`` accepts.
AvatarSize = Literal["1", "2", "3", "4", "5", "6", "7", "8", "9"]

EMOTIONS = ["😊", "😍", "😂", "😮", "🤔", "😢", "😡", "😱", "🥱", "🤯", "❤️", "🔥"]


def avatar(initials: rx.Var[str], *, size: AvatarSize = "3", src: rx.Var[str] | str | None = None) -> rx.Component:
    """The reader's picture (services/avatars.py) where they uploaded one; initials
    otherwise, and while or if the picture does not load."""
    fallback = rx.cond(initials != "", initials, "📖")
    if src is None:
        return rx.avatar(fallback=fallback, size=size, radius="full", color_scheme="indigo")
    # alt="": the picture sits next to the reader's name, so it adds nothing
    # for a screen reader (axe image-alt, found by the messy-data suite).
    return rx.avatar(
        src=avatar_src(src),
        fallback=fallback,
        size=size,
        radius="full",
        color_scheme="indigo",
        class_name="avatar",
        custom_attrs={"alt": ""},
    )


def avatar_src(url: rx.Var[str] | str) -> rx.Var:
    """Cloudinary avatars are absolute URLs; local ones a path under /_upload/ on the backend."""
    url = rx.Var.create(url).to(str)
    return rx.cond(url.startswith(UPLOAD_URL_PREFIX), f"{_BACKEND_ORIGIN}{url}", url)


# The backend's origin as the browser reaches it (the static export bakes API_URL in).
_BACKEND_ORIGIN = backend_origin()


def image_src(post: ObjectVar[PostView]) -> rx.Var:
    """Public images: a Cloudinary URL, or a file under /_upload/. Private ones: a
    signed link -- Cloudinary's, or a path on the backend (services/storage.py)."""
    return rx.cond(
        post.image_url.startswith(MEDIA_PATH),
        f"{_BACKEND_ORIGIN}{post.image_url}",
        rx.cond(post.image_url != "", post.image_url, rx.get_upload_url(post.image_path)),
    )


class PostNumbers(BaseModel):
    """A card's live numbers once they changed after its list was loaded (post_list.py's ``numbers``)."""

    like_count: int
    comment_count: int
    liked_by_me: bool


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
    reveal: Any = None  # "Show anyway" on a shielded post (components/spoilers.py)
    numbers: ObjectVar[dict[int, PostNumbers]] | None = None  # changed numbers by post id, over the post's own


def _byline(post: ObjectVar[PostView]) -> rx.Component:
    return rx.hstack(
        avatar(post.author_initials, src=post.author_avatar_url),
        rx.vstack(
            rx.cond(
                post.author_username != "",
                rx.link(
                    post.author_name, href=routes.profile(post.author_username), weight="bold", size="2", style=WRAP
                ),
                rx.text(post.author_name, weight="bold", size="2", style=WRAP),
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
            min_width="0",  # a long unbroken name wraps instead of pushing the emotion out
        ),
        rx.spacer(),
        # An emotion is one emoji today; older or imported ones may hold up to 16: they end in "…"
        # (all of them in the tooltip) instead of pushing the header wider than a phone.
        rx.cond(
            post.emotion != "",
            rx.text(
                post.emotion,
                size="6",
                aria_label="Emotion",
                title=post.emotion,
                max_width="40%",
                flex_shrink="0",
                white_space="nowrap",
                overflow="hidden",
                text_overflow="ellipsis",
            ),
        ),
        align="center",
        width="100%",
        class_name="post-header",
    )


def _book_line(post: ObjectVar[PostView]) -> rx.Component:
    return rx.cond(
        post.book_title != "",
        rx.hstack(
            # flex_shrink: a title that wraps (long, or Japanese) squeezed the icon to a sliver.
            rx.icon("book-open", size=14, color=rx.color("accent", 10), flex_shrink="0"),
            rx.text(
                # The shared book's public page (0: no book shown to this viewer).
                rx.cond(
                    post.book_id.to(int) > 0,
                    rx.link(
                        rx.text.strong(post.book_title), href=routes.book_page(post.book_id), class_name="book-link"
                    ),
                    rx.text.strong(post.book_title),
                ),
                rx.cond(post.book_authors != "", f" · {post.book_authors}", ""),
                # .to(int) only tells the type checker it is a number; the JS is unchanged.
                rx.cond(post.page.to(int) >= 0, f" · p. {grouped_var(post.page)}", ""),
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


def _body(post: ObjectVar[PostView], reveal: Any = None) -> rx.Component:
    # The book line stays readable; what was said is what the spoiler shield blurs.
    content = _content(post)
    return rx.vstack(
        _book_line(post),
        content if reveal is None else shielded(post, content, reveal),
        spacing="2",
        width="100%",
    )


def _review_text(post: ObjectVar[PostView], text: rx.Component) -> rx.Component:
    """A review's stars, and its text collapsed behind a click when it has spoilers
    (a native <details>: no state, works in every list)."""
    return rx.vstack(
        rx.hstack(
            rx.badge("Review", size="1", variant="soft"),
            stars(post.review_rating),
            spacing="2",
            align="center",
            class_name="review-line",
        ),
        rx.cond(
            post.review_has_spoilers & (post.text != ""),
            rx.el.details(
                rx.el.summary(
                    "This review has spoilers — Show", class_name="spoiler-toggle", style={"cursor": "pointer"}
                ),
                text,
                class_name="review-spoiler",
            ),
            text,
        ),
        spacing="2",
        width="100%",
    )


def _content(post: ObjectVar[PostView]) -> rx.Component:
    # Text is rendered as text (@mentions as links), never as HTML: "<script>" shows as typed.
    text = rich_text(post.text, post.text_parts, white_space="pre-wrap", class_name="post-text", style=WRAP)
    text = foldable(post.text, text)
    return rx.vstack(
        rx.cond(
            post.review_id.to(int) > 0,
            _review_text(post, text),
            rx.cond(post.text != "", text),
        ),
        rx.cond(
            post.quote != "",
            foldable(post.quote, rx.blockquote(post.quote, size="2", white_space="pre-wrap", style=WRAP)),
        ),
        rx.cond((post.image_url != "") | (post.image_path != ""), _post_image(post)),
        spacing="2",
        width="100%",
    )


# An image that fails to load (a deleted file, an expired link, no network) gives way to a
# quiet placeholder instead of the browser's broken-image icon and alt text; a later src
# that loads (the same <img> reused for another post) shows again.
_IMAGE_FAILED = rx.Var(
    "(e) => { e.currentTarget.style.display = 'none'; e.currentTarget.nextElementSibling.style.display = 'flex'; }"
)
_IMAGE_LOADED = rx.Var(
    "(e) => { e.currentTarget.style.display = ''; e.currentTarget.nextElementSibling.style.display = 'none'; }"
)


def _post_image(post: ObjectVar[PostView]) -> rx.Component:
    return rx.box(
        rx.image(
            src=image_src(post),
            alt=rx.cond(post.book_title != "", f"Image shared about {post.book_title}", "Image shared with the post"),
            loading="lazy",
            max_height="28rem",
            width="100%",
            object_fit="cover",
            border_radius="var(--radius-3)",
            custom_attrs={"onError": _IMAGE_FAILED, "onLoad": _IMAGE_LOADED},
            class_name="post-image",
        ),
        rx.flex(
            rx.icon("image-off", size=20),
            rx.text("Image unavailable", size="2"),
            display="none",
            align="center",
            justify="center",
            gap="2",
            height="6rem",
            color=rx.color("gray", 11),
            background=rx.color("gray", 3),
            border_radius="var(--radius-3)",
            class_name="post-image-missing",
        ),
        width="100%",
    )


def _numbers(post: ObjectVar[PostView], actions: PostActions) -> tuple[rx.Var, rx.Var, rx.Var]:
    """Likes, comments and "liked by me" as the card shows them: the changed ones where there are."""
    if actions.numbers is None:
        return post.like_count, post.comment_count, post.liked_by_me
    changed = actions.numbers.contains(post.id)
    live = cast(ObjectVar[PostNumbers], actions.numbers[post.id])
    return (
        rx.cond(changed, live.like_count, post.like_count),
        rx.cond(changed, live.comment_count, post.comment_count),
        rx.cond(changed, live.liked_by_me, post.liked_by_me),
    )


def _actions(post: ObjectVar[PostView], actions: PostActions) -> rx.Component:
    like_count, comment_count, liked_by_me = _numbers(post, actions)
    return rx.hstack(
        rx.cond(
            actions.logged_in,
            rx.button(
                rx.icon("heart", size=16, fill=rx.cond(liked_by_me, "currentColor", "none")),
                grouped_var(like_count),
                variant="ghost",
                color_scheme=rx.cond(liked_by_me, "red", "gray"),
                on_click=actions.toggle_like(post.id),
                aria_label=rx.cond(liked_by_me, "Unlike", "Like"),
                aria_pressed=liked_by_me,
                class_name="like-button",
            ),
        ),
        rx.button(
            rx.icon("message-circle", size=16),
            grouped_var(comment_count),
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
                # A review is edited on the reader's copy page (its text and stars are the review's).
                rx.cond(
                    post.review_id.to(int) == 0,
                    rx.icon_button(
                        rx.icon("pencil", size=14),
                        variant="ghost",
                        size="1",
                        on_click=actions.start_edit(post.id),
                        aria_label="Edit post",
                        class_name="edit-post",
                    ),
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
            rx.cond(actions.editing_id == post.id, actions.editor, _body(post, actions.reveal)),
            _actions(post, actions),
            rx.cond(actions.open_comments_id == post.id, actions.comments),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="post-card",
        id=f"post-{post.id}",
    )


def _comment_text(comment: ObjectVar[CommentView], on_reveal: Any) -> rx.Component:
    text = rich_text(
        comment.text, comment.text_parts, size="2", white_space="pre-wrap", class_name="comment-text", style=WRAP
    )
    text = foldable(comment.text, text)
    return text if on_reveal is None else shielded(comment, text, on_reveal, size="1")


def comment_row(comment: ObjectVar[CommentView], on_delete, on_reveal: Any = None) -> rx.Component:
    return rx.hstack(
        avatar(comment.author_initials, size="1", src=comment.author_avatar_url),
        rx.vstack(
            rx.hstack(
                rx.link(
                    comment.author_name,
                    href=routes.profile(comment.author_username),
                    size="1",
                    weight="bold",
                    style=WRAP,
                ),
                rx.text(rx.moment(comment.created_at, from_now=True), size="1", color_scheme="gray"),
                rx.cond(comment.hidden, rx.badge("Hidden by a moderator", size="1", color_scheme="red")),
                # Where in the book it speaks of (the spoiler shield's anchor).
                rx.cond(
                    comment.page.to(int) >= 0, rx.text(f"p. {grouped_var(comment.page)}", size="1", color_scheme="gray")
                ),
                rx.cond(comment.chapter != "", rx.text(f"ch. {comment.chapter}", size="1", color_scheme="gray")),
                spacing="2",
            ),
            _comment_text(comment, on_reveal),
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
