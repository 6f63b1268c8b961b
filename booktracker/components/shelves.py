"""Shelves on screen: the library's shelf filter and "Manage shelves" dialog
(over ``LibraryShelvesMixin``), and the book page's shelf chips with the
"Add to shelf" picker (over ``BookShelvesMixin``).

Shelf names may be long (100 characters): every place that shows one lets it
wrap or cuts it with an ellipsis, so nothing overflows a phone screen.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.numbers import count_text, grouped_var
from booktracker.models import UserBookDetail
from booktracker.pages.book_shelves import BookShelvesMixin
from booktracker.pages.library_shelves import ANY_SHELF, LibraryShelvesMixin
from booktracker.services import shelves
from booktracker.services.shelves import ShelfView

# Long names wrap anywhere rather than push the layout wider.
_WRAP = {"overflow_wrap": "anywhere", "min_width": "0"}


def _name_input(default: rx.Var[str] | str = "", **props) -> rx.Component:
    return rx.input(
        name="name",
        default_value=default,
        max_length=shelves.NAME_MAX,
        required=True,
        flex="1",
        min_width="0",
        **props,
    )


def _count_text(count: rx.Var[int]) -> rx.Var[str]:
    return count_text(count, "book")


# ----------------------------------------------------------------- the library


def shelf_filter(state: type[LibraryShelvesMixin]) -> rx.Component:
    """The shelf select (every shelf with its number of books) and "Manage shelves"."""

    def option(shelf: ObjectVar[ShelfView]) -> rx.Component:
        return rx.select.item(f"{shelf.name} ({grouped_var(shelf.count)})", value=shelf.id.to_string())

    return rx.flex(
        rx.select.root(
            rx.select.trigger(aria_label="Shelf", min_width="10rem", max_width="min(100%, 16rem)"),
            rx.select.content(
                rx.select.item("All shelves", value=ANY_SHELF),
                rx.foreach(state.shelves, option),
                max_width="min(24rem, calc(100vw - 2rem))",
            ),
            value=state.shelf_filter,
            on_change=state.set_shelf_filter,
        ),
        manage_shelves_dialog(state),
        gap="2",
        align="center",
        max_width="100%",
    )


def _shelf_row(state: type[LibraryShelvesMixin], shelf: ObjectVar[ShelfView]) -> rx.Component:
    renaming = state.renaming_shelf_id == shelf.id
    deleting = state.deleting_shelf_id == shelf.id
    view = rx.flex(
        rx.vstack(
            rx.text(shelf.name, weight="medium", size="2", style=_WRAP),
            rx.text(_count_text(shelf.count), size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.icon_button(
            rx.icon("pencil", size=14),
            variant="ghost",
            on_click=state.start_rename_shelf(shelf.id),
            aria_label=f"Rename {shelf.name}",
        ),
        rx.icon_button(
            rx.icon("trash-2", size=14),
            variant="ghost",
            color_scheme="red",
            on_click=state.ask_delete_shelf(shelf.id),
            aria_label=f"Delete {shelf.name}",
        ),
        gap="3",
        align="center",
        width="100%",
    )
    rename = rx.form(
        rx.flex(
            _name_input(shelf.name, aria_label=f"New name for {shelf.name}", auto_focus=True),
            rx.button("Save", type="submit", size="2"),
            rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=state.cancel_shelf_edit),
            gap="2",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        on_submit=state.rename_shelf,
        reset_on_submit=False,
        width="100%",
    )
    confirm = rx.callout.root(
        rx.vstack(
            rx.text(
                f"Delete the shelf “{shelf.name}”? Its books stay in your library; they only leave this shelf.",
                size="2",
                style=_WRAP,
            ),
            rx.flex(
                rx.button("Delete shelf", color_scheme="red", size="2", on_click=state.delete_shelf),
                rx.button("Cancel", variant="soft", color_scheme="gray", size="2", on_click=state.cancel_shelf_edit),
                gap="2",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        color_scheme="red",
        role="alert",
        width="100%",
    )
    return rx.box(rx.cond(renaming, rename, rx.cond(deleting, confirm, view)), width="100%")


def manage_shelves_dialog(state: type[LibraryShelvesMixin]) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("library-big", size=14), "Manage shelves", variant="soft")),
        rx.dialog.content(
            rx.dialog.title("Your shelves"),
            rx.dialog.description(
                "Put a book on as many shelves as you like. Deleting a shelf keeps its books.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.flex(
                    _name_input(placeholder="New shelf name", aria_label="New shelf name"),
                    rx.button(rx.icon("plus", size=14), "Create", type="submit"),
                    gap="2",
                    align="center",
                    width="100%",
                ),
                on_submit=state.create_shelf,
                reset_on_submit=True,
                width="100%",
                margin_y="1rem",
            ),
            rx.cond(
                state.shelves.length() > 0,
                rx.vstack(
                    rx.foreach(state.shelves, lambda shelf: _shelf_row(state, shelf)),
                    spacing="3",
                    width="100%",
                    max_height="50vh",
                    overflow_y="auto",
                ),
                rx.text("No shelves yet.", size="2", color_scheme="gray"),
            ),
            rx.flex(
                rx.dialog.close(rx.button("Done", variant="soft", color_scheme="gray")),
                justify="end",
                margin_top="1rem",
            ),
            max_width="min(32rem, calc(100vw - 2rem))",
        ),
        open=state.managing_shelves,
        on_open_change=state.set_managing_shelves,
    )


# ----------------------------------------------------------------- the book page


def _chip(state: type[BookShelvesMixin], name: rx.Var[str]) -> rx.Component:
    return rx.badge(
        # Badges and buttons keep their text on one line (nowrap): a long name must be let wrap.
        rx.text(name, style=_WRAP, white_space="normal", dir="auto"),
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            on_click=state.remove_from_shelf(name),
            aria_label=f"Remove from {name}",
        ),
        size="2",
        variant="soft",
        radius="full",
        max_width="100%",
    )


def _picker(state: type[BookShelvesMixin]) -> rx.Component:
    def choice(shelf: ObjectVar[ShelfView]) -> rx.Component:
        return rx.button(
            rx.text(shelf.name, style=_WRAP, trim="both", white_space="normal"),
            variant="soft",
            size="1",
            on_click=state.add_to_shelf(shelf.id),
            height="auto",
            min_height="1.5rem",
        )

    return rx.popover.root(
        rx.popover.trigger(
            rx.button(rx.icon("plus", size=14), "Add to shelf", variant="soft", size="1", id="add-to-shelf")
        ),
        rx.popover.content(
            rx.vstack(
                rx.cond(
                    state.shelf_choices.length() > 0,
                    rx.flex(
                        rx.foreach(state.shelf_choices, choice),
                        gap="2",
                        wrap="wrap",
                        max_height="40vh",
                        overflow_y="auto",
                    ),
                    rx.text("No other shelves yet: create one.", size="2", color_scheme="gray"),
                ),
                rx.form(
                    rx.flex(
                        _name_input(placeholder="New shelf", aria_label="New shelf name", id="new-shelf-name"),
                        rx.button("Create and add", type="submit", size="2"),
                        gap="2",
                        align="center",
                        wrap="wrap",
                        width="100%",
                    ),
                    on_submit=state.add_to_new_shelf,
                    reset_on_submit=False,
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            width="min(22rem, calc(100vw - 2rem))",
        ),
        open=state.shelf_picker_open,
        on_open_change=state.set_shelf_picker_open,
    )


def book_shelves_card(state: type[BookShelvesMixin]) -> rx.Component:
    """The book's shelves as chips (with remove) and the "Add to shelf" picker."""
    return rx.card(
        rx.vstack(
            rx.heading("Shelves", size="4"),
            rx.flex(
                rx.foreach(state.detail.to(ObjectVar, UserBookDetail).shelves, lambda name: _chip(state, name)),
                _picker(state),
                gap="2",
                wrap="wrap",
                align="center",
                width="100%",
                id="book-shelves",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
