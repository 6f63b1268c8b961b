"""/: the landing page; readers who are logged in go straight to their library."""

import reflex as rx

from booktracker.components.layout import page


def index_page() -> rx.Component:
    return page(
        rx.center(
            rx.vstack(
                rx.icon("book-open-check", size=48, color=rx.color("accent", 9)),
                rx.heading("Track every book you read", size="8", text_align="center"),
                rx.text(
                    "Keep your library, log your progress page by page, and see how your reading goes.",
                    size="4",
                    color_scheme="gray",
                    text_align="center",
                    max_width="32rem",
                ),
                rx.hstack(
                    rx.link(rx.button("Get started", size="3"), href="/signup"),
                    rx.link(rx.button("Log in", size="3", variant="soft"), href="/login"),
                    spacing="3",
                ),
                align="center",
                spacing="5",
            ),
            padding_top="5rem",
        )
    )
