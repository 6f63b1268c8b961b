"""/circles: my reading circles and public ones to discover, search by name,
paged; and a form to start a circle."""

from __future__ import annotations

import reflex as rx

from booktracker import routes
from booktracker.components.circles import circle_card
from booktracker.components.layout import empty_state, page
from booktracker.db import session_scope
from booktracker.errors import InvalidInput
from booktracker.services import circles
from booktracker.services.circles import CircleCard
from booktracker.state import AuthState, handle_errors


def circle_input(form: dict) -> circles.CircleInput:
    """A circle's form (this page's "Start a circle", and pages/circle_settings.py):
    the same three fields; "visibility" is "public" unless "private" is chosen."""
    return circles.CircleInput(
        name=str(form.get("name", "")),
        description=str(form.get("description", "")),
        is_public=form.get("visibility", "public") != "private",
    )


class CirclesState(AuthState):
    tab: str = "discover"  # mine | discover
    query: str = ""
    page_number: int = 1
    cards: rx.Field[list[CircleCard]] = rx.field(default_factory=list)
    has_more: bool = False
    creating: bool = False
    create_error: str = ""

    def _list(self, viewer_id: int | None = None, *, checked: bool = False) -> None:
        viewer = viewer_id if checked else self._viewer_id()  # checked: the token was read in this event
        with session_scope() as session:
            self.cards, self.has_more = circles.list_circles(
                session=session, viewer_id=viewer, tab=self.tab, query=self.query, page=self.page_number
            )

    @rx.event
    @handle_errors
    def load(self):
        viewer_id = self._viewer_id()
        self.tab = "mine" if viewer_id is not None else "discover"
        self.query, self.page_number, self.creating, self.create_error = "", 1, False, ""
        self._list(viewer_id, checked=True)
        if self.tab == "mine" and not self.cards:  # nothing joined yet: show what there is
            self.tab = "discover"
            self._list(viewer_id, checked=True)

    @rx.event
    @handle_errors
    def set_tab(self, tab: str | list[str]):
        tab = tab if isinstance(tab, str) else "discover"
        self.tab, self.page_number = (tab if tab in circles.LIST_TABS else "discover"), 1
        self._list()

    @rx.event
    @handle_errors
    def set_query(self, value: str):
        self.query, self.page_number = value[:80], 1
        self._list()

    @rx.event
    @handle_errors
    def go_to_page(self, number: int):
        self.page_number = max(1, number)
        self._list()

    @rx.event
    def set_creating(self, value: bool):
        self.creating, self.create_error = value, ""

    @rx.event
    @handle_errors
    def create(self, form: dict):
        user_id = self.current_user_id()
        try:
            with session_scope() as session:
                circle_id = circles.create_circle(session=session, user_id=user_id, data=circle_input(form))
        except InvalidInput as exc:
            self.create_error = exc.message
            return None
        self.creating = False
        return rx.redirect(routes.circle(circle_id))


def create_dialog() -> rx.Component:
    S = CirclesState
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("plus", size=16), "Start a circle", id="circle-create")),
        rx.dialog.content(
            rx.dialog.title("Start a reading circle"),
            rx.form(
                rx.vstack(
                    rx.text("Name", as_="label", html_for="circle-name", weight="medium"),
                    rx.input(id="circle-name", name="name", max_length=circles.NAME_MAX, required=True, width="100%"),
                    rx.text("What is it about?", as_="label", html_for="circle-description", weight="medium"),
                    rx.text_area(
                        id="circle-description", name="description", max_length=circles.DESCRIPTION_MAX, width="100%"
                    ),
                    rx.radio_group(
                        ["public", "private"],
                        name="visibility",
                        default_value="public",
                        direction="row",
                        aria_label="Who can see it",
                    ),
                    rx.text(
                        "Public: anyone can see and join. Private: members only; readers ask to join or use an invite link.",
                        size="1",
                        color_scheme="gray",
                    ),
                    rx.cond(S.create_error != "", rx.callout(S.create_error, color_scheme="red", role="alert")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Create", type="submit", id="circle-create-submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.create,
            ),
        ),
        open=S.creating,
        on_open_change=S.set_creating,
    )


def circles_page() -> rx.Component:
    S = CirclesState
    return page(
        rx.vstack(
            rx.hstack(
                rx.heading("Reading circles", size="7"),
                rx.spacer(),
                rx.cond(AuthState.logged_in, create_dialog()),
                align="center",
                width="100%",
                wrap="wrap",
            ),
            rx.hstack(
                rx.cond(
                    AuthState.logged_in,
                    rx.segmented_control.root(
                        rx.segmented_control.item("My circles", value="mine"),
                        rx.segmented_control.item("Discover", value="discover"),
                        value=S.tab,
                        on_change=S.set_tab,
                    ),
                ),
                rx.debounce_input(
                    rx.input(
                        rx.input.slot(rx.icon("search", size=16)),
                        value=S.query,
                        on_change=S.set_query,
                        placeholder="Search circles by name",
                        aria_label="Search circles",
                        id="circle-search",
                        width="100%",
                    ),
                    debounce_timeout=300,
                ),
                width="100%",
                wrap="wrap",
            ),
            rx.cond(
                S.cards.length() > 0,
                rx.vstack(rx.foreach(S.cards, circle_card), spacing="2", width="100%"),
                empty_state("users", "No circles here yet", "Start one, or look at the public circles."),
            ),
            rx.hstack(
                rx.cond(
                    S.page_number > 1, rx.button("Previous", variant="soft", on_click=S.go_to_page(S.page_number - 1))
                ),
                rx.cond(S.has_more, rx.button("Next page", variant="soft", on_click=S.go_to_page(S.page_number + 1))),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="48rem",
    )
