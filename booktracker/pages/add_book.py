"""/books/add: add a book by hand (title, author, pages, ISBN, cover URL)."""

import reflex as rx

from booktracker.components.books import STATUS_LABELS
from booktracker.components.forms import field, form_error, text_input
from booktracker.components.layout import page
from booktracker.db import session_scope
from booktracker.services import library
from booktracker.services.books import BookInput
from booktracker.services.errors import InvalidInput
from booktracker.state import AuthState, handle_errors


class AddBookState(AuthState):
    error: str = ""

    @rx.event
    @handle_errors
    def add(self, form: dict):
        self.error = ""
        user_id = self.current_user_id()
        book = BookInput(
            title=form.get("title", ""),
            authors=form.get("authors", ""),
            isbn=form.get("isbn", ""),
            cover_url=form.get("cover_url", ""),
            total_pages=form.get("total_pages", "") or None,
        )
        try:
            with session_scope() as session:
                result = library.add_to_library(
                    session=session, user_id=user_id, book=book, status=form.get("status", "to-read")
                )
        except InvalidInput as exc:
            # Shown beside the form, which keeps everything typed so far.
            self.error = exc.message
            return None
        message = (
            rx.toast.success("Added to your library.")
            if result.created
            else rx.toast.info("That book is already in your library.")
        )
        return [rx.redirect(f"/books/{result.user_book.id}"), message]


def add_book_page() -> rx.Component:
    return page(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Add a book", size="6"),
                    form_error(AddBookState.error),
                    field("Title", text_input("title", required=True, max_length=300)),
                    field("Author(s)", text_input("authors", max_length=500, placeholder="e.g. Ursula K. Le Guin")),
                    rx.grid(
                        field("Pages", text_input("total_pages", type="number", min=0, max=100000)),
                        field("ISBN", text_input("isbn", placeholder="10 or 13 digits")),
                        columns=rx.breakpoints(initial="1", sm="2"),
                        spacing="3",
                        width="100%",
                    ),
                    field("Cover image URL", text_input("cover_url", type="url", placeholder="https://…")),
                    field(
                        "Shelf",
                        rx.select.root(
                            rx.select.trigger(id="status", aria_label="Shelf"),
                            rx.select.content(
                                *[rx.select.item(label, value=key) for key, label in STATUS_LABELS.items()]
                            ),
                            name="status",
                            default_value="to-read",
                        ),
                    ),
                    rx.button("Add to library", type="submit", size="3", id="add-book-submit"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=AddBookState.add,
                reset_on_submit=False,
            ),
            size="4",
            max_width="36rem",
            margin_x="auto",
        )
    )
