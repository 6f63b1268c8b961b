"""The reviews card of the reader's copy page: each read with its review, and
the form that writes or edits it (state: pages/book_reviews.py ``ReviewsMixin``)."""

from __future__ import annotations

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.book_details import RATING_CHOICES
from booktracker.components.books import WRAP, stars
from booktracker.components.forms import field
from booktracker.pages.book_reviews import ReviewRow, ReviewsMixin
from booktracker.services import reviews


def _form(state: type[ReviewsMixin], row: ObjectVar[ReviewRow]) -> rx.Component:
    return rx.form(
        rx.vstack(
            field(
                "Rating",
                rx.select.root(
                    rx.select.trigger(id="review-rating", aria_label="Rating", width="100%"),
                    rx.select.content(*[rx.select.item(text, value=key) for key, text in RATING_CHOICES]),
                    name="rating",
                    default_value=row.rating,
                ),
            ),
            field(
                "Review",
                rx.text_area(
                    name="text",
                    id="review-text",
                    default_value=row.text,
                    max_length=reviews.REVIEW_MAX,
                    rows="5",
                    width="100%",
                    placeholder="What did you think?",
                ),
            ),
            rx.flex(
                rx.checkbox(
                    "It has spoilers", name="has_spoilers", id="review-spoilers", default_checked=row.has_spoilers
                ),
                rx.checkbox("Public", name="is_public", id="review-public", default_checked=row.is_public),
                gap="4",
                wrap="wrap",
            ),
            rx.cond(
                state.review_error != "",
                rx.text(state.review_error, color_scheme="red", size="2", role="alert", id="review-error"),
            ),
            _form_buttons(state, row),
            spacing="3",
            width="100%",
        ),
        on_submit=state.save_review,
        reset_on_submit=False,
        width="100%",
        id="review-form",
    )


def _form_buttons(state: type[ReviewsMixin], row: ObjectVar[ReviewRow]) -> rx.Component:
    return rx.flex(
        rx.button("Save review", type="submit", id="save-review"),
        rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=state.close_review),
        rx.cond(
            row.has_review,
            rx.button(
                "Delete review",
                type="button",
                variant="soft",
                color_scheme="red",
                on_click=state.delete_review,
                id="delete-review",
            ),
        ),
        gap="2",
        wrap="wrap",
    )


def _shown(state: type[ReviewsMixin], row: ObjectVar[ReviewRow]) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text(row.summary, size="2", min_width="0", flex="1"),
            rx.button(
                rx.icon("pencil", size=14),
                rx.cond(row.has_review, "Edit review", "Write a review"),
                size="1",
                variant="soft",
                on_click=state.open_review(row.read_id),
                class_name="review-button",
            ),
            gap="2",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(
            row.has_review,
            rx.vstack(
                rx.hstack(
                    stars(row.rating.to(float)),
                    rx.cond(row.has_spoilers, rx.badge("Spoilers", size="1", color_scheme="amber")),
                    rx.cond(
                        ~row.is_public, rx.badge(rx.icon("lock", size=10), "Private", size="1", color_scheme="gray")
                    ),
                    spacing="2",
                    align="center",
                ),
                rx.cond(row.text != "", rx.text(row.text, size="2", white_space="pre-wrap", style=WRAP)),
                spacing="1",
                width="100%",
                class_name="my-review",
            ),
        ),
        spacing="2",
        width="100%",
    )


def reviews_section(state: type[ReviewsMixin]) -> rx.Component:
    def row(item: ObjectVar[ReviewRow]) -> rx.Component:
        return rx.box(
            rx.cond(state.reviewing_read_id == item.read_id, _form(state, item), _shown(state, item)),
            width="100%",
            padding_y="0.5rem",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
            class_name="review-row",
        )

    return rx.card(
        rx.vstack(
            rx.heading("Reviews", size="4"),
            rx.cond(
                state.review_rows.length() == 0,
                rx.text("Start a read to review it.", size="2", color_scheme="gray"),
                rx.vstack(rx.foreach(state.review_rows, row), spacing="0", width="100%"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="reviews",
    )
