"""/books/[user_book_id]: progress, status, rating, notes, format, ownership."""

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.book_copy import copy_card, progress_form
from booktracker.components.book_details import UNKNOWN, details_card
from booktracker.components.book_facts import facts_card
from booktracker.components.books import WRAP, cover, read_count_badge, status_badge
from booktracker.components.commonplace import commonplace_card
from booktracker.components.layout import empty_state, match_component, page
from booktracker.components.reads import reads_section
from booktracker.components.review_form import reviews_section
from booktracker.components.shelves import book_shelves_card
from booktracker.db import session_scope
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import (
    OWNERSHIP_LABELS,
    STATUS_LABELS,
    Ownership,
    ReadingStatus,
    UserBookDetail,
)
from booktracker.pages.book_commonplace import CommonplaceMixin
from booktracker.pages.book_copy import CopyMixin
from booktracker.pages.book_facts import BookFact, book_facts
from booktracker.pages.book_reads import ReadsMixin
from booktracker.pages.book_reviews import ReviewsMixin
from booktracker.pages.book_shelves import BookShelvesMixin
from booktracker.services import library
from booktracker.state import AuthState, handle_errors

EMPTY_DETAIL = UserBookDetail(
    id=0,
    book_id=0,
    title="",
    authors="",
    cover_url="",
    status=ReadingStatus.TO_READ.value,
    current_page=0,
    total_pages=0,
    percent=0,
    rating=0.0,
    format="",
    ownership=Ownership.NONE.value,
    isbn13="",
    isbn10="",
    publisher="",
    published_date="",
    description="",
    private_notes="",
    borrowed_from="",
    loaned_to="",
    reads=[],
)


class BookDetailState(CopyMixin, ReadsMixin, ReviewsMixin, BookShelvesMixin, CommonplaceMixin, AuthState):
    # rx.Field: the class attributes type-check as Vars (the page binds to them), the instance ones as values.
    detail: rx.Field[UserBookDetail] = rx.field(default_factory=lambda: EMPTY_DETAIL.model_copy(deep=True))
    ownership_choice: str = Ownership.NONE.value
    status: rx.Field[str] = rx.field("loading")  # loading | found | missing
    confirm_remove: bool = False
    # "About this book": added date, publisher, years, ISBNs, series, contributors.
    facts: rx.Field[list[BookFact]] = rx.field(default_factory=list)
    # The shared book's public page, readable ("/book/12-dune").
    public_path: rx.Field[str] = rx.field("")

    def _user_book_id(self) -> int:
        raw = self.router.page.params.get(routes.BOOK_PARAM, "")
        return int(raw) if str(raw).isdigit() else 0

    def _show(self, detail: UserBookDetail) -> None:
        self.detail = detail
        self.ownership_choice = detail.ownership
        self.status = "found"
        self.facts = book_facts(detail, self.offset_minutes)
        self.public_path = routes.book_page(detail.book_id, detail.title)
        self._show_reads(detail)
        self._show_reviews(detail)
        self._show_copy(detail)

    @rx.event
    @handle_errors
    def load(self):
        self.status = "loading"
        self.confirm_remove = False
        user_id = self.current_user_id()
        try:
            with session_scope() as session:
                detail = library.get_detail(session=session, user_id=user_id, user_book_id=self._user_book_id())
        except NotFound:
            self.detail, self.status = EMPTY_DETAIL, "missing"
            return None
        self._show(detail)
        self._load_commonplace(user_id, detail.id)  # the reader's posts about it, in page order
        self._close_forms()
        return self._start_clock()  # read dates are the reader's days

    # save_progress (page, % or h:mm) and save_copy: CopyMixin (pages/book_copy.py).

    @rx.event
    @handle_errors
    def change_status(self, status: str):
        user_id = self.current_user_id()
        with session_scope() as session:
            detail = library.set_status(session=session, user_id=user_id, user_book_id=self.detail.id, status=status)
        self._show(detail)
        return rx.toast.success(f"Moved to {STATUS_LABELS[status]}.")

    @rx.event
    def choose_ownership(self, value: str):
        self.ownership_choice = value if value in OWNERSHIP_LABELS else Ownership.NONE.value

    @rx.event
    @handle_errors
    def save_details(self, form: dict):
        user_id = self.current_user_id()
        try:
            rating = float(form.get("rating", "0") or 0)
        except ValueError:
            raise InvalidInput("Pick a rating from the list.", field="rating") from None
        book_format = form.get("format", UNKNOWN)
        update = library.DetailsUpdate(
            rating=rating,
            private_notes=form.get("private_notes", ""),
            format="" if book_format == UNKNOWN else book_format,
            ownership=form.get("ownership", Ownership.NONE.value),
            borrowed_from=form.get("borrowed_from", ""),
            loaned_to=form.get("loaned_to", ""),
        )
        with session_scope() as session:
            detail = library.update_details(
                session=session, user_id=user_id, user_book_id=self.detail.id, update=update
            )
        self._show(detail)
        return rx.toast.success("Saved.")

    @rx.event
    @handle_errors
    def set_hidden(self, hidden: bool):
        user_id = self.current_user_id()
        changes = library.EntryChanges(hidden=bool(hidden))
        with session_scope() as session:
            detail = library.update_entry(
                session=session, user_id=user_id, user_book_id=self.detail.id, changes=changes
            )
        self._show(detail)
        return rx.toast.success("Hidden from others." if detail.hidden else "Shown to others again.")

    @rx.event
    def set_confirm_remove(self, open_: bool):
        self.confirm_remove = open_

    @rx.event
    @handle_errors
    def remove(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            # The entry's posts go too, with their stored images.
            library.remove_from_library(session=session, user_id=user_id, user_book_id=self.detail.id)
        self.confirm_remove = False
        return [rx.redirect(routes.LIBRARY), rx.toast.success(f"Removed “{self.detail.title}” from your library.")]


S = BookDetailState


def detail_var() -> ObjectVar[UserBookDetail]:
    """The entry the page binds to; .to() only tells the type checker its fields (same JS)."""
    return S.detail.to(ObjectVar, UserBookDetail)


def header() -> rx.Component:
    d = detail_var()
    return rx.flex(
        cover(d.cover_url, d.title, width="8rem"),
        rx.vstack(
            rx.heading(d.title, size="7", id="book-title", style=WRAP),
            rx.text(d.authors, size="4", color_scheme="gray", style=WRAP),
            rx.link("Book page: reviews and readers", href=S.public_path, size="2", id="public-book-link"),
            rx.hstack(
                status_badge(d.status),
                rx.box(read_count_badge(S.finished_reads), id="header-read-count"),
                rx.cond(d.isbn13 != "", rx.text(f"ISBN {d.isbn13}", size="1", color_scheme="gray")),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.cond(d.description != "", rx.text(d.description, size="2", color_scheme="gray", style=WRAP)),
            spacing="2",
            min_width="0",
        ),
        spacing="4",
        direction=rx.breakpoints(initial="column", sm="row"),
        width="100%",
    )


def progress_card() -> rx.Component:
    d = detail_var()
    return rx.card(
        rx.vstack(
            rx.heading("Progress", size="4"),
            progress_form(S),  # page, % or h:mm: components/book_copy.py
            rx.flex(
                *[
                    rx.button(
                        label,
                        size="1",
                        variant=rx.cond(d.status == key, "solid", "soft"),
                        on_click=S.change_status(key),
                        id=f"status-{key}",
                    )
                    for key, label in STATUS_LABELS.items()
                ],
                gap="2",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def hide_switch() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.switch(
                checked=detail_var().hidden, on_change=S.set_hidden, id="hide-book", aria_label="Hide from others"
            ),
            rx.vstack(
                rx.text("Hide from others", weight="bold", size="2"),
                rx.text(
                    "Keeps this book out of your profile, friends' “reading now”, the counts others see, "
                    "and shows no book on your posts about it.",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )


def remove_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                rx.icon("trash-2", size=14),
                "Remove from library",
                color_scheme="red",
                variant="soft",
                high_contrast=True,
                id="remove-book",
            ),
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Remove this book?"),
            rx.alert_dialog.description(
                "It leaves your library together with your progress history and your notes about it. This cannot be undone."
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Remove", color_scheme="red", on_click=S.remove, id="confirm-remove"),
                gap="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
        open=S.confirm_remove,
        on_open_change=S.set_confirm_remove,
    )


def book_detail_page() -> rx.Component:
    return page(
        match_component(
            S.status,
            ("loading", rx.center(rx.spinner(size="3"), padding="3rem")),
            (
                "missing",
                empty_state(
                    "book-x",
                    "Book not found",
                    "This book is not in your library.",
                    rx.link(rx.button("Back to library"), href=routes.LIBRARY),
                ),
            ),
            rx.vstack(
                rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text("Library")), href=routes.LIBRARY, size="2"),
                header(),
                rx.grid(
                    progress_card(),
                    details_card(S),
                    copy_card(S),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                reads_section(S),
                reviews_section(S),
                facts_card(S.facts),
                book_shelves_card(S),
                commonplace_card(S),
                hide_switch(),
                remove_dialog(),
                spacing="4",
                width="100%",
            ),
        ),
        max_width="60rem",
    )
