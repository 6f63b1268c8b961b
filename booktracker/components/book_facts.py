"""The book page's "About this book" card: added date, publisher, years,
ISBNs, series and contributors, as a list that wraps on a phone."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.vars.object import ObjectVar
from reflex.vars.sequence import ArrayVar

from booktracker.components.books import WRAP
from booktracker.pages.book_facts import BookFact


def _fact(fact: ObjectVar[BookFact]) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(fact.label, min_width="8rem"),
        rx.data_list.value(rx.text(fact.value, id=fact.id, style=WRAP), min_width="0"),
    )


def facts_card(facts: ArrayVar[Sequence[BookFact]]) -> rx.Component:
    return rx.cond(
        facts.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading("About this book", size="4"),
                rx.data_list.root(
                    rx.foreach(facts, _fact),
                    orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                    size="2",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="book-facts",
        ),
    )
