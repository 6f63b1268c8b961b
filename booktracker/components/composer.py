"""The feed's post composer: text, emotion, quote, book/page/chapter,
visibility and one image upload."""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx

from booktracker.components.post_editor import emotion_picker
from booktracker.services import images, posts

if TYPE_CHECKING:
    from booktracker.pages.feed import FeedState

UPLOAD_ID = "post-image"
# The names of the chosen files (rx.selected_files is a list[str] Var, typed only as Var).
SELECTED_FILES = rx.selected_files(UPLOAD_ID).to(list[str])
# The book select's value for "no book" (a select item cannot have an empty value).
NO_BOOK = "none"


def _debounced(component: rx.Component) -> rx.Component:
    return rx.debounce_input(component, debounce_timeout=250)


def composer(state: type[FeedState]) -> rx.Component:
    """The post composer, wired to the feed's state (passed in: that module imports this one)."""
    return rx.card(
        rx.vstack(
            _writing(state),
            _book_and_place(state),
            _image(state),
            rx.cond(
                state.posting & (state.upload_progress > 0),
                rx.progress(value=state.upload_progress, max=100, aria_label="Upload progress", id="upload-progress"),
            ),
            rx.cond(
                state.composer_error != "",
                rx.callout(
                    state.composer_error,
                    icon="triangle-alert",
                    color_scheme="red",
                    role="alert",
                    id="composer-error",
                    width="100%",
                ),
            ),
            rx.hstack(
                rx.spacer(),
                rx.button(
                    "Post",
                    id="post-submit",
                    loading=state.posting,
                    on_click=state.submit_post(
                        rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=state.on_upload_progress)
                    ),
                ),
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _writing(state: type[FeedState]) -> rx.Component:
    """The text, the emotion and the quote."""
    return rx.fragment(
        rx.text("What are you feeling from your read?", weight="bold", size="3", as_="label", html_for="composer-text"),
        _debounced(
            rx.text_area(
                id="composer-text",
                value=state.composer_text,
                on_change=state.set_composer_text,
                placeholder="A thought, a feeling, a page that stayed with you…",
                rows="3",
                width="100%",
                max_length=posts.TEXT_MAX,
            )
        ),
        emotion_picker(state.composer_emotion, state.set_composer_emotion),
        _debounced(
            rx.text_area(
                id="composer-quote",
                value=state.composer_quote,
                on_change=state.set_composer_quote,
                placeholder="A quote (optional)",
                rows="2",
                width="100%",
                aria_label="Quote",
                max_length=posts.QUOTE_MAX,
            )
        ),
    )


def _book_and_place(state: type[FeedState]) -> rx.Component:
    """Which book the post is about, where in it, and who sees the post."""
    return rx.flex(
        rx.select.root(
            rx.select.trigger(placeholder="Link a book", aria_label="Book", id="composer-book", min_width="12rem"),
            rx.select.content(
                rx.select.item("No book", value=NO_BOOK),
                rx.foreach(state.my_books, lambda b: rx.select.item(b["title"], value=b["id"])),
            ),
            value=state.composer_book,
            on_change=state.set_composer_book,
        ),
        _debounced(
            rx.input(
                id="composer-page",
                value=state.composer_page,
                on_change=state.set_composer_page,
                placeholder="Page",
                type="number",
                min=0,
                width="6rem",
                aria_label="Page",
            )
        ),
        _debounced(
            rx.input(
                id="composer-chapter",
                value=state.composer_chapter,
                on_change=state.set_composer_chapter,
                placeholder="Chapter",
                width="8rem",
                aria_label="Chapter",
                max_length=posts.CHAPTER_MAX,
            )
        ),
        rx.hstack(
            rx.switch(
                checked=state.composer_public,
                on_change=state.set_composer_public,
                id="composer-public",
                aria_label="Share publicly",
            ),
            rx.text(
                rx.cond(state.composer_public, "Public", "Private"),
                size="2",
                as_="label",
                html_for="composer-public",
            ),
            align="center",
        ),
        gap="2",
        wrap="wrap",
        align="center",
    )


def _image(state: type[FeedState]) -> rx.Component:
    """One image: the upload, its name or why it was refused, and removing it."""
    return rx.fragment(
        rx.el.label(
            rx.upload.root(
                rx.hstack(
                    rx.button(rx.icon("image-plus", size=16), "Add image", type="button", variant="soft", size="2"),
                    rx.text(
                        rx.cond(
                            SELECTED_FILES.length() > 0,
                            SELECTED_FILES[0],
                            rx.cond(state.image_rejected, "Image not accepted", "JPEG, PNG or WebP, up to 5 MB"),
                        ),
                        size="1",
                        color_scheme="gray",
                        id="selected-image",
                    ),
                    align="center",
                ),
                id=UPLOAD_ID,
                accept={"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]},
                max_files=1,
                multiple=False,
                max_size=images.MAX_IMAGE_BYTES,
                # Our message in the composer's callout instead of Reflex's technical toast.
                on_drop_rejected=state.reject_image,
                no_drag=False,
                border="none",
                padding="0",
            ),
            aria_label="Add an image",
        ),
        rx.cond(
            (SELECTED_FILES.length() > 0) | state.image_rejected,
            rx.button(
                rx.icon("x", size=14),
                "Remove image",
                type="button",
                variant="ghost",
                size="1",
                color_scheme="gray",
                id="remove-image",
                on_click=state.remove_image,
            ),
        ),
    )
