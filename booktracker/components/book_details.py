"""The book page's "Rating, format and notes" form; its handlers
(``choose_ownership``, ``save_details``) are BookDetailState's (pages/book_detail.py)."""

from __future__ import annotations

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.forms import field
from booktracker.models import FORMAT_LABELS, OWNERSHIP_LABELS, Ownership, UserBookDetail
from booktracker.services import library

UNKNOWN = "unknown"  # Radix selects cannot hold an empty value
RATING_CHOICES = [("0", "No rating")] + [(f"{r:g}", f"{r:g} ★") for r in library.RATINGS]


def _detail(state) -> ObjectVar[UserBookDetail]:
    return state.detail.to(ObjectVar, UserBookDetail)


def _select(name: str, value, choices: list[tuple[str, str]], label: str, **props) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=name, aria_label=label, width="100%"),
        rx.select.content(*[rx.select.item(text, value=key) for key, text in choices]),
        name=name,
        default_value=value,
        **props,
    )


def details_card(state) -> rx.Component:
    """The form of ``save_details``; Borrowed from / Loaned to follow the chosen ownership."""
    d = _detail(state)
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Rating, format and notes", size="4"),
                rx.grid(
                    field(
                        "Rating",
                        _select(
                            "rating",
                            rx.cond(d.rating.to(float) > 0, d.rating.to_string(), "0"),
                            RATING_CHOICES,
                            "Rating",
                        ),
                    ),
                    field(
                        "Format",
                        _select(
                            "format",
                            rx.cond(d.format != "", d.format, UNKNOWN),
                            [(UNKNOWN, "Not set"), *list(FORMAT_LABELS.items())],
                            "Format",
                        ),
                    ),
                    _ownership_fields(state, d),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                field(
                    "Private notes",
                    rx.text_area(
                        name="private_notes",
                        id="private_notes",
                        default_value=d.private_notes,
                        max_length=library.PRIVATE_NOTES_MAX,
                        rows="4",
                        width="100%",
                        placeholder="Only you can see these.",
                    ),
                ),
                rx.button("Save", type="submit", id="save-details"),
                spacing="3",
                width="100%",
            ),
            key=d.id.to_string(),
            on_submit=state.save_details,
            reset_on_submit=False,
        ),
        width="100%",
    )


def _ownership_fields(state, d: ObjectVar[UserBookDetail]) -> rx.Component:
    """Ownership, and who lent or borrowed the book when that is the choice (grid cells)."""
    return rx.fragment(
        field(
            "Ownership",
            _select(
                "ownership",
                d.ownership,
                list(OWNERSHIP_LABELS.items()),
                "Ownership",
                on_change=state.choose_ownership,
            ),
        ),
        rx.cond(
            state.ownership_choice == Ownership.BORROWED.value,
            field(
                "Borrowed from",
                rx.input(name="borrowed_from", id="borrowed_from", default_value=d.borrowed_from, max_length=120),
            ),
        ),
        rx.cond(
            state.ownership_choice == Ownership.LOANED.value,
            field(
                "Loaned to",
                rx.input(name="loaned_to", id="loaned_to", default_value=d.loaned_to, max_length=120),
            ),
        ),
    )
