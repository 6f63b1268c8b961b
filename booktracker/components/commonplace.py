"""The book page's "My commonplace book" card: the reader's own posts, quotes
and notes about the book, in page order (pages/book_commonplace.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP
from booktracker.components.numbers import grouped_var
from booktracker.components.spoilers import rich_text
from booktracker.services.posts import PostView


def _where(post: ObjectVar[PostView]) -> rx.Component:
    return rx.vstack(
        rx.cond(post.page.to(int) >= 0, rx.text(f"p. {grouped_var(post.page)}", weight="bold", size="2")),
        rx.cond(post.chapter != "", rx.text(f"ch. {post.chapter}", size="1", color_scheme="gray", style=WRAP)),
        rx.cond((post.page.to(int) < 0) & (post.chapter == ""), rx.text("—", size="2", color_scheme="gray")),
        spacing="0",
        min_width="4.5rem",
        max_width="4.5rem",
    )


def _entry(post: ObjectVar[PostView]) -> rx.Component:
    return rx.hstack(
        _where(post),
        rx.vstack(
            rx.cond(post.quote != "", rx.blockquote(post.quote, size="2", white_space="pre-wrap", style=WRAP)),
            rx.cond(
                post.text != "",
                rich_text(post.text, post.text_parts, size="2", white_space="pre-wrap", style=WRAP),
            ),
            rx.hstack(
                rx.cond(post.emotion != "", rx.text(post.emotion, size="2")),
                rx.text(rx.moment(post.created_at, format="LL"), size="1", color_scheme="gray"),
                rx.cond(~post.is_public, rx.badge(rx.icon("lock", size=10), "Private", size="1", color_scheme="gray")),
                spacing="2",
                align="center",
            ),
            spacing="1",
            min_width="0",
            width="100%",
        ),
        spacing="3",
        align="start",
        width="100%",
        class_name="commonplace-entry",
    )


def commonplace_card(state: Any) -> rx.Component:
    """``state``: BookDetailState (CommonplaceMixin)."""
    return rx.card(
        rx.vstack(
            rx.heading("My commonplace book", size="4"),
            rx.text("Your posts, quotes and notes about this book, in page order.", size="2", color_scheme="gray"),
            rx.cond(
                state.commonplace.length() > 0,
                rx.vstack(rx.foreach(state.commonplace, _entry), spacing="3", width="100%", id="commonplace-list"),
                rx.text(
                    "Nothing yet: post a thought or a quote about this book from the ",
                    rx.link("feed", href=routes.HOME, underline="always"),  # axe: a link in text needs more than colour
                    ", with its page.",
                    size="2",
                    id="commonplace-empty",
                ),
            ),
            rx.cond(
                (state.commonplace_page > 1) | state.commonplace_more,
                rx.hstack(
                    rx.button(
                        "Previous",
                        variant="soft",
                        size="1",
                        disabled=state.commonplace_page <= 1,
                        on_click=state.commonplace_go(state.commonplace_page - 1),
                    ),
                    rx.text(f"Page {state.commonplace_page}", size="1", color_scheme="gray"),
                    rx.button(
                        "Next",
                        variant="soft",
                        size="1",
                        disabled=~state.commonplace_more,
                        on_click=state.commonplace_go(state.commonplace_page + 1),
                        id="commonplace-next",
                    ),
                    spacing="2",
                    align="center",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="commonplace",
    )
