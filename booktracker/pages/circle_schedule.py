"""The circle page's book-and-schedule section: the current book with its
start date and checkpoints for everyone who sees the circle; for curators and
the owner, forms to pick the book (from their library), add or remove
checkpoints and set the shared goal (services/circles/schedule.py checks it)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.db import session_scope
from booktracker.errors import InvalidInput
from booktracker.models import CircleGoalKind
from booktracker.services import circles
from booktracker.services.circles import BookChoice, CheckpointView, CircleOverview
from booktracker.state import handle_errors

NO_BOOK = "none"


def _date(value: object, field: str) -> datetime.date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("Pick a date.", field=field) from None


class CircleScheduleMixin(rx.State, mixin=True):
    schedule: rx.Field[list[CheckpointView]] = rx.field(default_factory=list)
    book_choices: rx.Field[list[BookChoice]] = rx.field(default_factory=list)
    schedule_error: str = ""

    if TYPE_CHECKING:
        circle: rx.Field[CircleOverview]

        def current_user_id(self) -> int: ...

        def _reload(self, viewer_id: int | None) -> None: ...

    def _done(self, user_id: int) -> None:
        self.schedule_error = ""
        self._reload(user_id)

    @rx.event
    @handle_errors
    def load_book_choices(self, open_: bool):
        """When the curator opens the book picker: their library, not on every page load."""
        if not open_ or self.book_choices:
            return
        user_id = self.current_user_id()
        with session_scope() as session:
            self.book_choices = circles.book_choices(session=session, user_id=user_id)

    @rx.event
    @handle_errors
    def set_book(self, form: dict):
        user_id = self.current_user_id()
        raw = str(form.get("book_id", NO_BOOK))
        book_id = int(raw) if raw.isdigit() else None
        started = _date(form.get("started_on"), "started_on")
        with session_scope() as session:
            circles.set_current_book(
                session=session, user_id=user_id, circle_id=self.circle.id, book_id=book_id, started_on=started
            )
        self._done(user_id)

    @rx.event
    @handle_errors
    def add_checkpoint(self, form: dict):
        user_id = self.current_user_id()
        due = _date(form.get("due_on"), "due_on")
        page_text = str(form.get("page", "")).strip()
        if due is None:
            self.schedule_error = "Pick the date it is due."
            return
        try:
            with session_scope() as session:
                circles.add_checkpoint(
                    session=session,
                    user_id=user_id,
                    circle_id=self.circle.id,
                    label=str(form.get("label", "")),
                    due_on=due,
                    page=int(page_text) if page_text.isdigit() else None,
                )
        except InvalidInput as exc:
            self.schedule_error = exc.message
            return
        self._done(user_id)

    @rx.event
    @handle_errors
    def delete_checkpoint(self, checkpoint_id: int):
        user_id = self.current_user_id()
        with session_scope() as session:
            circles.delete_checkpoint(
                session=session, user_id=user_id, circle_id=self.circle.id, checkpoint_id=checkpoint_id
            )
        self._done(user_id)

    @rx.event
    @handle_errors
    def set_goal(self, form: dict):
        user_id = self.current_user_id()
        target = str(form.get("goal_target", "0")).strip()
        with session_scope() as session:
            circles.set_goal(
                session=session,
                user_id=user_id,
                circle_id=self.circle.id,
                kind=str(form.get("goal_kind", CircleGoalKind.NONE.value)),
                target=int(target) if target.isdigit() else 0,
            )
        self._done(user_id)


def _checkpoint(state: type[CircleScheduleMixin], runs: rx.Var[bool], point: ObjectVar[CheckpointView]) -> rx.Component:
    return rx.hstack(
        rx.icon("flag", size=14),
        rx.text(point.label, dir="auto", weight="medium"),
        rx.text("by ", rx.moment(point.due_on, format="ddd D MMM"), size="2", color_scheme="gray"),
        rx.cond(point.page.to(int) > 0, rx.text("(p. ", point.page, ")", size="2", color_scheme="gray")),
        rx.spacer(),
        rx.cond(
            runs,
            rx.icon_button(
                rx.icon("x", size=14),
                size="1",
                variant="ghost",
                aria_label="Remove checkpoint",
                on_click=state.delete_checkpoint(point.id),
            ),
        ),
        align="center",
        width="100%",
        wrap="wrap",
    )


def _runner_forms(state: type[CircleScheduleMixin]) -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.select.root(
                    rx.select.trigger(placeholder="Choose from your library", aria_label="Current book"),
                    rx.select.content(
                        rx.select.item("No book", value=NO_BOOK),
                        rx.foreach(state.book_choices, lambda b: rx.select.item(b.title, value=b.book_id.to_string())),
                    ),
                    name="book_id",
                    on_open_change=state.load_book_choices,
                ),
                rx.input(name="started_on", type="date", aria_label="Start date"),
                rx.button("Set book", type="submit", size="2", id="circle-set-book"),
                wrap="wrap",
            ),
            on_submit=state.set_book,
        ),
        rx.form(
            rx.hstack(
                rx.input(name="label", placeholder="Chapters 1–5", aria_label="Checkpoint", max_length=200),
                rx.input(name="due_on", type="date", aria_label="Due on"),
                rx.input(name="page", type="number", min=1, placeholder="Page", aria_label="Up to page", width="6rem"),
                rx.button("Add checkpoint", type="submit", size="2", variant="soft"),
                wrap="wrap",
            ),
            on_submit=state.add_checkpoint,
            reset_on_submit=True,
        ),
        rx.form(
            rx.hstack(
                rx.select(["none", "pages", "books"], name="goal_kind", default_value="pages", aria_label="Goal kind"),
                rx.input(
                    name="goal_target", type="number", min=0, placeholder="Target", aria_label="Goal", width="7rem"
                ),
                rx.button("Set goal", type="submit", size="2", variant="soft"),
                wrap="wrap",
            ),
            on_submit=state.set_goal,
        ),
        rx.cond(state.schedule_error != "", rx.text(state.schedule_error, color_scheme="red", size="2", role="alert")),
        spacing="2",
        width="100%",
    )


def schedule_section(state: type[CircleScheduleMixin]) -> rx.Component:
    c = state.circle
    runs = (c.my_role == "owner") | (c.my_role == "curator")
    return rx.card(
        rx.vstack(
            rx.heading("Reading now", size="4"),
            rx.cond(
                c.book_id.to(int) > 0,
                rx.hstack(
                    rx.cond(c.book_cover_url != "", rx.image(src=c.book_cover_url, alt="", width="3rem")),
                    rx.vstack(
                        rx.text(c.book_title, weight="bold", dir="auto"),
                        rx.text(c.book_authors, size="2", color_scheme="gray", dir="auto"),
                        rx.cond(
                            c.book_started_on != "",
                            rx.text("Started ", rx.moment(c.book_started_on, format="D MMM YYYY"), size="2"),
                        ),
                        spacing="1",
                    ),
                ),
                rx.text("No book chosen yet.", color_scheme="gray"),
            ),
            rx.vstack(rx.foreach(state.schedule, lambda p: _checkpoint(state, runs, p)), width="100%", spacing="1"),
            rx.cond(runs, _runner_forms(state)),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
