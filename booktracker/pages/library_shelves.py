"""The library page's shelves: the shelf filter with counts, and "Manage
shelves" (create, rename, delete with a confirm).

``LibraryShelvesMixin`` is mixed into ``LibraryState`` (pages/library.py);
its components are in components/shelves.py. Every handler re-checks on the
server who the reader is; the services refuse another reader's shelf as
missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx

from booktracker.db import session_scope
from booktracker.services import shelves
from booktracker.services.shelves import ShelfView
from booktracker.state import handle_errors

ANY_SHELF = "any"  # Radix selects cannot hold an empty value


class LibraryShelvesMixin(rx.State, mixin=True):
    # The shelf filter: a shelf id as text, or ANY_SHELF.
    shelf_filter: rx.Field[str] = rx.field(ANY_SHELF)
    shelves: rx.Field[list[ShelfView]] = rx.field(default_factory=list)
    managing_shelves: rx.Field[bool] = rx.field(False)
    renaming_shelf_id: rx.Field[int] = rx.field(0)
    deleting_shelf_id: rx.Field[int] = rx.field(0)

    if TYPE_CHECKING:
        # LibraryState (an AuthState) defines these.
        def current_user_id(self) -> int: ...
        def _refresh(self) -> int: ...
        def _filter_changed(self) -> None: ...

    def _shelf_query(self) -> str:
        """The library query's shelf: "" for every book."""
        return "" if self.shelf_filter == ANY_SHELF else self.shelf_filter

    def _load_shelves(self, user_id: int) -> None:
        """The reader's shelves with their counts: one statement."""
        with session_scope() as session:
            self.shelves = shelves.list_shelves(session=session, user_id=user_id)
        if all(str(shelf.id) != self.shelf_filter for shelf in self.shelves):
            self.shelf_filter = ANY_SHELF  # the shelf was deleted (here or in another tab)

    def _shelves_changed(self, user_id: int) -> None:
        self._load_shelves(user_id)
        self._refresh()  # counts and the filtered rows may have changed

    @rx.event
    @handle_errors
    def set_shelf_filter(self, value: str):
        known = any(str(shelf.id) == value for shelf in self.shelves)
        self.shelf_filter = value if known else ANY_SHELF
        self._filter_changed()

    @rx.event
    @handle_errors
    def set_managing_shelves(self, open_: bool):
        self.managing_shelves = open_
        self.renaming_shelf_id = self.deleting_shelf_id = 0

    @rx.event
    @handle_errors
    def create_shelf(self, form: dict):
        user_id = self.current_user_id()
        with session_scope() as session:
            shelf = shelves.create_shelf(session=session, user_id=user_id, name=str(form.get("name", "")))
        self._shelves_changed(user_id)
        return rx.toast.success(f"Shelf “{shelf.name}” created.")

    @rx.event
    @handle_errors
    def start_rename_shelf(self, shelf_id: int):
        self.renaming_shelf_id, self.deleting_shelf_id = shelf_id, 0

    @rx.event
    @handle_errors
    def rename_shelf(self, form: dict):
        user_id = self.current_user_id()
        with session_scope() as session:
            shelf = shelves.rename_shelf(
                session=session, user_id=user_id, shelf_id=self.renaming_shelf_id, name=str(form.get("name", ""))
            )
        self.renaming_shelf_id = 0
        self._shelves_changed(user_id)
        return rx.toast.success(f"Renamed to “{shelf.name}”.")

    @rx.event
    @handle_errors
    def ask_delete_shelf(self, shelf_id: int):
        self.deleting_shelf_id, self.renaming_shelf_id = shelf_id, 0

    @rx.event
    @handle_errors
    def cancel_shelf_edit(self):
        self.renaming_shelf_id = self.deleting_shelf_id = 0

    @rx.event
    @handle_errors
    def delete_shelf(self):
        user_id = self.current_user_id()
        name = next((shelf.name for shelf in self.shelves if shelf.id == self.deleting_shelf_id), "")
        with session_scope() as session:
            shelves.delete_shelf(session=session, user_id=user_id, shelf_id=self.deleting_shelf_id)
        self.deleting_shelf_id = 0
        self._shelves_changed(user_id)
        return rx.toast.success(f"Shelf “{name}” deleted; its books stay in your library.")
