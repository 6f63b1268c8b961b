"""The spoiler shield on cards, and text with @mentions as links.

A shielded post or comment (services/spoilers.py) shows its content blurred,
hidden from screen readers, with the message saying where the reader is and a
"Show anyway" button; revealing changes only that item in this tab's list.
Mentions are rendered from the server's parts (services/mentions.py) as text
and links -- never as HTML, so markup in a post shows as typed.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.errors import InvalidInput
from booktracker.services.mentions import TextPart
from booktracker.services.posts.comments import CHAPTER_MAX

BLUR = {"filter": "blur(7px)", "user_select": "none", "pointer_events": "none"}


def _part(part: ObjectVar[TextPart]) -> rx.Component:
    return rx.cond(
        part.username != "",
        rx.link(part.text, href=routes.profile(part.username), class_name="mention"),
        rx.text.span(part.text),
    )


def rich_text(text: rx.Var[str], parts: rx.Var[list[TextPart]], **props: Any) -> rx.Component:
    """The text as typed, with its @mentions as links to the profiles."""
    return rx.cond(
        parts.length() > 0,  # pyright: ignore[reportAttributeAccessIssue]
        rx.text(rx.foreach(parts, _part), **props),
        rx.text(text, **props),
    )


def shielded(item: Any, content: rx.Component, on_reveal: Any, *, size: str = "2") -> rx.Component:
    """``content`` blurred behind the shield's message while ``item.shielded``."""
    return rx.cond(
        item.shielded,
        rx.vstack(
            rx.callout.root(
                rx.callout.icon(rx.icon("eye-off", size=16)),
                rx.hstack(
                    rx.text(item.shield_message, size=size),  # pyright: ignore[reportArgumentType]
                    rx.button(
                        "Show anyway",
                        size="1",
                        variant="soft",
                        on_click=on_reveal(item.id),
                        class_name="show-spoiler",
                    ),
                    align="center",
                    wrap="wrap",
                    spacing="2",
                ),
                color_scheme="amber",
                size="1",
                width="100%",
                class_name="spoiler-shield",
            ),
            rx.box(content, aria_hidden="true", style=BLUR, width="100%", class_name="spoiler-blurred"),
            spacing="2",
            width="100%",
        ),
        content,
    )


def anchor_page(raw: Any) -> int | None:
    """A comment form's optional page: "" is none; anything but a whole number is refused."""
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput("Page must be a whole number.", field="page")
    return int(text)


def anchor_inputs() -> rx.Component:
    """Optional: the page or chapter a comment speaks of, so readers behind it get it shielded."""
    return rx.hstack(
        rx.text("Spoils up to", size="1", color_scheme="gray"),
        rx.input(
            name="page",
            id="comment-page",
            type="number",
            min=0,
            placeholder="page",
            width="6rem",
            size="1",
            aria_label="Page it speaks of",
        ),
        rx.input(
            name="chapter",
            id="comment-chapter",
            placeholder="chapter",
            max_length=CHAPTER_MAX,
            width="7rem",
            size="1",
            aria_label="Chapter it speaks of",
        ),
        spacing="2",
        align="center",
        margin_top="0.25rem",
    )
