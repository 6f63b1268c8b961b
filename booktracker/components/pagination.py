"""Numbered pagination with ellipses: 1 … 5 6 7 … 20."""

from collections.abc import Sequence

import reflex as rx
from reflex.event import EventCallback
from reflex.vars.number import NumberVar

from booktracker.components.numbers import grouped

ELLIPSIS = 0  # a page number of 0 stands for "…"


def page_window(current: int, pages: int, *, radius: int = 1) -> list[int]:
    """The page numbers to show, with ELLIPSIS where a run is skipped.

    Always shows the first and last page and ``radius`` pages around the
    current one; a gap of a single page is shown as that page, not as "…".
    """
    if pages <= 1:
        return [1] if pages == 1 else []
    current = min(max(current, 1), pages)
    shown = {1, pages, *range(current - radius, current + radius + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= pages)
    window: list[int] = []
    for number in numbers:
        if window and number - window[-1] == 2:
            window.append(number - 1)
        elif window and number - window[-1] > 2:
            window.append(ELLIPSIS)
        window.append(number)
    return window


def count_label(count: int, noun: str, plural: str = "") -> str:
    """ "0 books", "1 book", "5,000 books"."""
    return f"{grouped(count)} {noun if count == 1 else plural or noun + 's'}"


def range_label(first: int, last: int, total: int, noun: str, plural: str = "") -> str:
    """What a page shows: "1 book", "3 books" when they all fit on it, else "1–6 of 5,000 books"."""
    if first <= 1 and last >= total:
        return count_label(total, noun, plural)
    return f"{grouped(first)}–{grouped(last)} of {grouped(total)} {plural or noun + 's'}"


def pagination(
    *,
    window: rx.Var[Sequence[int]],
    current: NumberVar[int],
    pages: NumberVar[int],
    on_page: EventCallback[int],
) -> rx.Component:
    def number(n: NumberVar[int]) -> rx.Component:
        return rx.cond(
            n == ELLIPSIS,
            rx.text("…", color_scheme="gray", padding_x="0.25rem"),
            rx.button(
                n,
                size="2",
                variant=rx.cond(n == current, "solid", "soft"),
                on_click=on_page(n),
                aria_label=f"Page {n}",
                aria_current=rx.cond(n == current, "page", "false"),
            ),
        )

    return rx.cond(
        pages > 1,
        rx.hstack(
            rx.icon_button(
                rx.icon("chevron-left"),
                size="2",
                variant="soft",
                disabled=current <= 1,
                # Reflex types int arithmetic as any number; .to(int) narrows it (same JS).
                on_click=on_page((current - 1).to(int)),
                aria_label="Previous page",
            ),
            rx.foreach(window, number),
            rx.icon_button(
                rx.icon("chevron-right"),
                size="2",
                variant="soft",
                disabled=current >= pages,
                on_click=on_page((current + 1).to(int)),
                aria_label="Next page",
            ),
            spacing="2",
            align="center",
            wrap="wrap",
            as_="nav",
            aria_label="Pagination",
        ),
    )
