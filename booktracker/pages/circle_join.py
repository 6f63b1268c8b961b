"""/join/<code>: an invite link. Joining takes a click (not the page load),
so a link preview that fetches the page joins nobody."""

from __future__ import annotations

import reflex as rx

from booktracker import routes
from booktracker.components.layout import page
from booktracker.db import session_scope
from booktracker.services import circles
from booktracker.state import AuthState, handle_errors


class CircleJoinState(AuthState):
    @rx.event
    @handle_errors
    def load(self):
        self.current_user_id()  # the login page comes first, and back here

    @rx.event
    @handle_errors
    def join(self):
        user_id = self.current_user_id()
        code = str(self.router.page.params.get(routes.INVITE_PARAM, "")) if self.router else ""
        with session_scope() as session:
            circle_id = circles.join_by_code(session=session, user_id=user_id, code=code)
        return rx.redirect(routes.circle(circle_id))


def circle_join_page() -> rx.Component:
    return page(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.icon("users", size=32),
                    rx.heading("You are invited to a reading circle", size="5", text_align="center"),
                    rx.button("Join the circle", on_click=CircleJoinState.join, id="circle-join-by-link"),
                    align="center",
                    spacing="3",
                ),
            ),
            padding_y="3rem",
        ),
        max_width="32rem",
    )
