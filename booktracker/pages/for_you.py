"""/for-you: books to read next, each with the reason (services/recommendations)."""

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP, cover
from booktracker.components.layout import empty_state, page
from booktracker.db import session_scope
from booktracker.services import library, recommendations
from booktracker.services.recommendations import Reason, Suggestion
from booktracker.state import AuthState, handle_errors

REASON_ICONS = {Reason.FRIENDS: "users", Reason.AUTHOR: "pen-line", Reason.BUDDY: "book-open-check"}


class ForYouState(AuthState):
    # At most 3 × PER_SOURCE small rows: the whole list fits in state.
    suggestions: rx.Field[list[Suggestion]] = rx.field(default_factory=list)
    # Books added from this page, so their button says so without a reload.
    added: rx.Field[list[int]] = rx.field(default_factory=list)
    loaded: bool = False

    @rx.event
    @handle_errors
    def load(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            self.suggestions = recommendations.for_you(session=session, user_id=user_id)
        self.added = []
        self.loaded = True

    @rx.event
    @handle_errors
    def add(self, book_id: int):
        user_id = self.current_user_id()
        with session_scope() as session:
            result = library.add_shared_book(session=session, user_id=user_id, book_id=book_id)
        self.added = [*self.added, book_id]
        if not result.created:
            return rx.toast.info("Already in your library.")
        return rx.toast.success("Added to Want to read.")


def suggestion_card(item: ObjectVar[Suggestion]) -> rx.Component:
    is_buddy = item.reason == Reason.BUDDY.value
    return rx.card(
        rx.hstack(
            rx.link(cover(item.cover_url, item.title), href=routes.book_page(item.book_id), aria_label=item.title),
            rx.vstack(
                rx.link(rx.text(item.title, weight="bold", style=WRAP), href=routes.book_page(item.book_id)),
                rx.cond(item.authors != "", rx.text(item.authors, size="2", color_scheme="gray", style=WRAP)),
                rx.hstack(
                    rx.match(
                        item.reason,
                        *((reason.value, rx.icon(icon, size=14)) for reason, icon in REASON_ICONS.items()),
                        rx.icon("sparkles", size=14),
                    ),
                    rx.text(item.because, size="2", style=WRAP),
                    align="center",
                    spacing="1",
                ),
                rx.cond(
                    is_buddy,
                    rx.link("Open the book page", href=routes.book_page(item.book_id), size="2"),
                    rx.button(
                        rx.cond(ForYouState.added.contains(item.book_id), "Added", "Want to read"),
                        size="2",
                        variant="soft",
                        disabled=ForYouState.added.contains(item.book_id),
                        on_click=ForYouState.add(item.book_id),
                    ),
                ),
                spacing="2",
                align="start",
                min_width="0",
            ),
            align="start",
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def for_you_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.heading("For you", size="7"),
            rx.text(
                "From the readers you follow and the authors you rated highly.",
                color_scheme="gray",
            ),
            rx.cond(
                ForYouState.suggestions.length() > 0,
                rx.grid(
                    rx.foreach(ForYouState.suggestions, suggestion_card),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.cond(
                    ForYouState.loaded,
                    empty_state(
                        "sparkles",
                        "Nothing to suggest yet",
                        "Follow readers and rate the books you loved: suggestions come from both.",
                        rx.link(rx.button("Find readers"), href=routes.PEOPLE),
                    ),
                ),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="60rem",
    )
