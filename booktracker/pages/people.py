"""/people: find readers by name or username and follow them."""

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP
from booktracker.components.layout import empty_state, page
from booktracker.components.posts import avatar
from booktracker.db import session_scope
from booktracker.services import social
from booktracker.services.social import PersonView
from booktracker.state import AuthState, handle_errors


class PeopleState(AuthState):
    query: str = ""
    # rx.Field: on the class the type checker sees a Var (.length(), foreach), on an instance the list.
    results: rx.Field[list[PersonView]] = rx.field(default_factory=list)
    page_number: int = 1
    searched: bool = False

    def _search(self) -> None:
        user_id = self.current_user_id()
        with session_scope() as session:
            self.results = social.search_people(
                session=session, viewer_id=user_id, text=self.query, page=self.page_number
            )
        self.searched = len(self.query.strip()) >= 2

    @rx.event
    @handle_errors
    def load(self):
        self.current_user_id()

    @rx.event
    @handle_errors
    def set_query(self, value: str):
        self.query, self.page_number = value[:80], 1
        self._search()

    @rx.event
    @handle_errors
    def more(self):
        self.page_number += 1
        self._search()

    @rx.event
    @handle_errors
    def toggle_follow(self, username: str):
        user_id = self.current_user_id()
        person = next((p for p in self.results if p.username == username), None)
        asked = None
        with session_scope() as session:
            if person is not None and (person.i_follow or person.requested):  # unfollow, or withdraw the request
                social.unfollow(session=session, user_id=user_id, username=username)
            else:
                asked = social.follow(session=session, user_id=user_id, username=username)
        self._search()
        if asked == social.FOLLOW_REQUESTED:
            return rx.toast.info("Follow request sent: they approve or decline it.")
        return None


def person_card(person: ObjectVar[PersonView]) -> rx.Component:
    return rx.card(
        rx.hstack(
            avatar(person.initials, src=person.avatar_url),
            rx.vstack(
                # Long unbroken names and usernames wrap; dir="auto": Arabic names read right to left.
                rx.link(person.name, href=routes.profile(person.username), weight="bold", style=WRAP, dir="auto"),
                rx.text(f"@{person.username}", size="1", color_scheme="gray", style=WRAP),
                spacing="0",
                min_width="0",
            ),
            rx.spacer(),
            rx.cond(
                person.username != AuthState.username,
                rx.button(
                    rx.cond(person.i_follow, "Following", rx.cond(person.requested, "Requested", "Follow")),
                    variant=rx.cond(person.i_follow | person.requested, "soft", "solid"),
                    on_click=PeopleState.toggle_follow(person.username),
                    size="2",
                ),
            ),
            align="center",
            width="100%",
        ),
        width="100%",
    )


def people_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.heading("Find readers", size="7"),
            rx.debounce_input(
                rx.input(
                    rx.input.slot(rx.icon("search", size=16)),
                    value=PeopleState.query,
                    on_change=PeopleState.set_query,
                    placeholder="Name or username",
                    aria_label="Search readers",
                    id="people-search",
                    width="100%",
                ),
                debounce_timeout=300,
            ),
            rx.cond(
                PeopleState.results.length() > 0,
                rx.vstack(
                    rx.foreach(PeopleState.results, person_card),
                    rx.cond(
                        PeopleState.results.length() == social.PEOPLE_PAGE,
                        rx.button("Next page", variant="soft", on_click=PeopleState.more),
                    ),
                    spacing="2",
                    width="100%",
                ),
                rx.cond(PeopleState.searched, empty_state("users", "Nobody found", "Try another name.")),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="40rem",
    )
