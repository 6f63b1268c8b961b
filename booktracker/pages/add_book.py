"""/books/add: add a book by hand (title, author, pages, ISBN, cover URL).

A book added as reading, finished, paused or did-not-finish gets its first
read, so the page asks when it started and ended (default: the reader's
today; "I don't remember" leaves a date unknown). A back-filled finish from
last year counts toward last year, not today.
"""

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.clock import ReaderClockMixin, date_from_form
from booktracker.components.books import WRAP, cover
from booktracker.components.forms import field, form_error, text_input
from booktracker.components.layout import page
from booktracker.components.numbers import count_text
from booktracker.components.reads import date_field, end_date_label, is_date_field
from booktracker.db import session_scope
from booktracker.errors import InvalidInput, ServiceError
from booktracker.models import READ_STATUSES, STATUS_LABELS, ReadingStatus
from booktracker.pages.book_reads import END_DATE_WHAT
from booktracker.services import book_search, library
from booktracker.services.book_search import BookResult
from booktracker.services.books import BookInput
from booktracker.state import AuthState, handle_errors


class AddBookState(ReaderClockMixin, AuthState):
    # rx.Field: the class attribute type-checks as a Var (form_error, .length()), the instance one as the value.
    error: rx.Field[str] = rx.field("")
    # The form field the error is about ("started_on"...), shown beside it; "" for the form.
    error_field: rx.Field[str] = rx.field("")
    # The shelf picked in the form: a read status asks for its dates.
    status_choice: rx.Field[str] = rx.field(ReadingStatus.TO_READ.value)
    query: str = ""
    results: rx.Field[list[BookResult]] = rx.field(default_factory=list)
    # What the server found, kept server-side: a pick never trusts the client.
    _found: list[BookResult] = []
    search_error: str = ""
    searched: bool = False

    @rx.event
    @handle_errors
    def load(self):
        """on_load: only for readers; the browser says what day it is there."""
        self.current_user_id()
        self.error, self.error_field, self.status_choice = "", "", ReadingStatus.TO_READ.value
        return self._start_clock()

    @rx.event
    def choose_status(self, value: str):
        self.status_choice = value if value in STATUS_LABELS else ReadingStatus.TO_READ.value

    @rx.event
    @handle_errors
    def search(self, form: dict):
        self.search_error = ""
        self.current_user_id()
        self.query = str(form.get("query", ""))[: book_search.QUERY_MAX]
        try:
            with session_scope() as session:
                found = book_search.search(session=session, text=self.query)
        except ServiceError as exc:
            self.search_error, self.results, self._found = exc.message, [], []
            return
        self._found = found
        self.results = found
        self.searched = True

    @rx.event
    @handle_errors
    def pick(self, index: int):
        user_id = self.current_user_id()
        if not 0 <= int(index) < len(self._found):
            return rx.toast.error("That search result is gone; search again.")
        with session_scope() as session:
            result = book_search.pick_result(session=session, user_id=user_id, result=self._found[int(index)])
        return _added(result)

    @rx.event
    @handle_errors
    def add(self, form: dict):
        self.error, self.error_field = "", ""
        user_id = self.current_user_id()
        book = BookInput(
            title=form.get("title", ""),
            authors=form.get("authors", ""),
            isbn=form.get("isbn", ""),
            cover_url=form.get("cover_url", ""),
            total_pages=form.get("total_pages", "") or None,
        )
        status = str(form.get("status", ReadingStatus.TO_READ.value))
        try:
            started_on, ended_on = _read_dates(form, status)
            with session_scope() as session:
                result = library.add_to_library(
                    session=session,
                    user_id=user_id,
                    book=book,
                    status=status,
                    started_on=started_on,
                    ended_on=ended_on,
                    today=self._today(),
                )
        except InvalidInput as exc:
            # Shown beside the form (or the date it is about), which keeps everything typed so far.
            self.error, self.error_field = exc.message, exc.field or ""
            return None
        return _added(result)


def _read_dates(form: dict, status: str) -> tuple:
    """(started_on, ended_on) of the first read a status asks for; none for "want to read"."""
    if status not in READ_STATUSES:
        return None, None
    started_on = date_from_form(form, "started_on", what="you started")
    if status == ReadingStatus.READING.value:
        return started_on, None
    return started_on, date_from_form(form, "ended_on", what=END_DATE_WHAT[status])


def _added(result: library.AddResult) -> list:
    message = (
        rx.toast.success("Added to your library.")
        if result.created
        else rx.toast.info("That book is already in your library.")
    )
    user_book_id = result.user_book.id
    assert user_book_id is not None  # the service returns a saved entry
    return [rx.redirect(routes.book(user_book_id)), message]


def search_result(result: ObjectVar[BookResult], index: rx.Var[int]) -> rx.Component:
    return rx.card(
        rx.hstack(
            cover(result.cover_url, result.title, width="3rem"),
            rx.vstack(
                rx.text(result.title, weight="bold", size="2", style=WRAP),
                rx.text(result.authors, size="1", color_scheme="gray", style=WRAP),
                rx.text(
                    # .to(int): typing only
                    rx.cond(result.total_pages.to(int) > 0, count_text(result.total_pages, "page"), ""),
                    rx.cond(result.isbn13 != "", f" · ISBN {result.isbn13}", ""),
                    rx.cond(result.published_date != "", f" · {result.published_date}", ""),
                    size="1",
                    color_scheme="gray",
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            rx.button("Add", size="2", on_click=AddBookState.pick(index), class_name="pick-result"),
            align="center",
            width="100%",
        ),
        width="100%",
        class_name="search-result",
    )


def search_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Find a book", size="5"),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="query",
                        id="search-query",
                        placeholder="Title, author or ISBN",
                        width="100%",
                        max_length=book_search.QUERY_MAX,
                        aria_label="Search books",
                    ),
                    rx.button(rx.icon("search", size=16), "Search", type="submit", id="search-submit"),
                    width="100%",
                ),
                on_submit=AddBookState.search,
                reset_on_submit=False,
                width="100%",
            ),
            rx.cond(
                AddBookState.search_error != "",
                rx.callout(
                    AddBookState.search_error,
                    icon="wifi-off",
                    color_scheme="amber",
                    role="alert",
                    width="100%",
                    id="search-error",
                ),
            ),
            rx.foreach(AddBookState.results, search_result),
            rx.cond(
                AddBookState.searched & (AddBookState.results.length() == 0) & (AddBookState.search_error == ""),
                rx.text("Nothing found — add it by hand below.", color_scheme="gray", size="2"),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        max_width="36rem",
        margin_x="auto",
        margin_bottom="1rem",
        width="100%",
    )


def first_read_dates() -> rx.Component:
    """Started on / finished on for a book added as read or being read."""
    S = AddBookState
    choice = S.status_choice
    return rx.cond(
        choice != ReadingStatus.TO_READ.value,  # every other shelf is a read
        rx.grid(
            date_field("started_on", "Started on", today=S.today_iso, error=S.error, error_field=S.error_field),
            rx.cond(
                choice != ReadingStatus.READING.value,
                date_field(
                    "ended_on", end_date_label(choice), today=S.today_iso, error=S.error, error_field=S.error_field
                ),
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
            id="first-read-dates",
        ),
    )


def add_book_page() -> rx.Component:
    return page(
        search_card(),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Add a book by hand", size="5"),
                    # A date's error shows beside that date instead.
                    form_error(rx.cond(is_date_field(AddBookState.error_field), "", AddBookState.error)),
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
                            default_value=ReadingStatus.TO_READ.value,
                            on_change=AddBookState.choose_status,
                        ),
                    ),
                    first_read_dates(),
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
        ),
    )
