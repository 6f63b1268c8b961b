"""The book page's shelves: the book's shelves as chips with remove, and an
"Add to shelf" picker (the reader's other shelves, or a new one).

``BookShelvesMixin`` is mixed into ``BookDetailState`` (pages/book_detail.py);
its components are in components/shelves.py. The picker loads the reader's
shelves when it opens, so the page's load costs nothing more. Every handler
re-checks on the server who the reader is; the services refuse another
reader's book or shelf as missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx

from booktracker.db import session_scope
from booktracker.services import shelves
from booktracker.services.shelves import ShelfView
from booktracker.state import handle_errors

if TYPE_CHECKING:
    from booktracker.models import UserBookDetail


class BookShelvesMixin(rx.State, mixin=True):
    shelf_picker_open: rx.Field[bool] = rx.field(False)
    # The reader's shelves this book is not on yet (filled when the picker opens).
    shelf_choices: rx.Field[list[ShelfView]] = rx.field(default_factory=list)

    if TYPE_CHECKING:
        # BookDetailState (an AuthState) defines these.
        detail: rx.Field[UserBookDetail]

        def current_user_id(self) -> int: ...

    def _set_book_shelves(self, names: list[str]) -> None:
        self.detail = self.detail.model_copy(update={"shelves": names})

    @rx.event
    @handle_errors
    def set_shelf_picker_open(self, open_: bool):
        self.shelf_picker_open = open_
        if not open_:
            return
        user_id = self.current_user_id()
        with session_scope() as session:
            everything = shelves.list_shelves(session=session, user_id=user_id)
        on_book = {name.casefold() for name in self.detail.shelves}
        self.shelf_choices = [shelf for shelf in everything if shelf.name.casefold() not in on_book]

    @rx.event
    @handle_errors
    def add_to_shelf(self, shelf_id: int):
        user_id = self.current_user_id()
        with session_scope() as session:
            names = shelves.add_to_shelf(
                session=session, user_id=user_id, user_book_id=self.detail.id, shelf_id=int(shelf_id)
            )
        self._set_book_shelves(names)
        self.shelf_picker_open = False
        added = next((shelf.name for shelf in self.shelf_choices if shelf.id == int(shelf_id)), "the shelf")
        return rx.toast.success(f"Added to “{added}”.")

    @rx.event
    @handle_errors
    def add_to_new_shelf(self, form: dict):
        user_id = self.current_user_id()
        name = shelves.shelf_name(str(form.get("name", "")))  # refused here, before any write
        with session_scope() as session:
            names = shelves.add_to_new_shelf(session=session, user_id=user_id, user_book_id=self.detail.id, name=name)
        self._set_book_shelves(names)
        self.shelf_picker_open = False
        return rx.toast.success(f"Added to the new shelf “{name}”.")

    @rx.event
    @handle_errors
    def remove_from_shelf(self, name: str):
        user_id = self.current_user_id()
        with session_scope() as session:
            names = shelves.remove_from_shelf_by_name(
                session=session, user_id=user_id, user_book_id=self.detail.id, name=name
            )
        self._set_book_shelves(names)
        return rx.toast.success(f"Removed from “{name}”.")
