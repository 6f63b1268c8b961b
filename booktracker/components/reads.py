"""Reads on screen: date fields with "I don't remember", and the book page's
reading history (``reads_section``) over a state with ``ReadsMixin``."""

from __future__ import annotations

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.books import label_of, read_count_badge, status_badge
from booktracker.components.forms import field
from booktracker.models import READ_END_ACTIONS, READ_END_DATE_LABELS, ReadingStatus
from booktracker.pages.book_reads import START_FORM, ReadRow, ReadsMixin

# The form fields a date error can be about; other errors show above the form.
DATE_FIELDS = ("started_on", "ended_on")


def is_date_field(name: rx.Var[str]) -> rx.Var[bool]:
    """Whether an error's field is one of the dates (shown beside it, not above)."""
    return (name == DATE_FIELDS[0]) | (name == DATE_FIELDS[1])


def end_date_label(status: rx.Var[str]) -> rx.Var:
    """ "Finished on", "Stopped on"... for a read's status."""
    return label_of(status, READ_END_DATE_LABELS, "Ended on")


def date_field(
    name: str,
    label: str | rx.Var,
    *,
    today: rx.Var[str],
    error: rx.Var[str],
    error_field: rx.Var[str],
    default: rx.Var[str] | None = None,
    unknown: rx.Var | bool = False,
    prefix: str = "",
) -> rx.Component:
    """A date (default and latest: the reader's today) with its "I don't
    remember" box, and the refusal of that date beneath it."""
    control_id = f"{prefix}{name}"
    return rx.vstack(
        field(
            label,  # pyright: ignore[reportArgumentType]  (a Var renders like the string)
            rx.input(
                type="date",
                name=name,
                id=control_id,
                default_value=today if default is None else default,
                max=today,
                size="3",
                width="100%",
                # A new "today" from the browser re-mounts the empty field with it.
                key=f"{control_id}-{today}",
            ),
        ),
        rx.checkbox("I don't remember", name=f"{name}_unknown", id=f"{control_id}_unknown", default_checked=unknown),
        rx.cond(
            error_field == name,
            rx.text(error, color_scheme="red", size="2", role="alert", id=f"{control_id}-error"),
        ),
        spacing="2",
        width="100%",
        min_width="0",
    )


def _form_buttons(state: type[ReadsMixin], submit: str | rx.Var, submit_id: str) -> rx.Component:
    return rx.flex(
        rx.button(submit, type="submit", id=submit_id),
        rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=state.cancel_read_form),
        gap="2",
        wrap="wrap",
    )


def _other_error(state: type[ReadsMixin]) -> rx.Component:
    """A refusal not about a date (e.g. a read already under way)."""
    return rx.cond(
        (state.read_error != "") & ~is_date_field(state.read_error_field),
        rx.text(state.read_error, color_scheme="red", size="2", role="alert", id="read-error"),
    )


def _edit_form(state: type[ReadsMixin], read: ObjectVar[ReadRow]) -> rx.Component:
    dates = {"today": state.today_iso, "error": state.read_error, "error_field": state.read_error_field}
    return rx.form(
        rx.vstack(
            rx.grid(
                date_field(
                    "started_on",
                    "Started on",
                    default=read.started_on,
                    unknown=read.started_on == "",
                    prefix="edit-",
                    **dates,
                ),
                rx.cond(
                    read.ended,
                    date_field(
                        "ended_on",
                        end_date_label(read.status),
                        default=read.ended_on,
                        unknown=read.ended_on == "",
                        prefix="edit-",
                        **dates,
                    ),
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            _other_error(state),
            _form_buttons(state, "Save dates", "save-read"),
            spacing="3",
            width="100%",
        ),
        on_submit=state.save_read,
        reset_on_submit=False,
        width="100%",
        id="edit-read-form",
    )


def _read_row(state: type[ReadsMixin], read: ObjectVar[ReadRow]) -> rx.Component:
    summary = rx.flex(
        status_badge(read.status),
        rx.text(read.summary, size="2", class_name="read-summary", min_width="0", flex="1"),
        rx.flex(
            rx.button(
                rx.icon("calendar", size=14),
                "Edit dates",
                size="1",
                variant="soft",
                on_click=state.edit_read(read.id),
                id=f"edit-read-{read.number}",
            ),
            rx.icon_button(
                rx.icon("trash-2", size=14),
                size="1",
                variant="ghost",
                color_scheme="red",
                on_click=state.ask_delete_read(read.id),
                aria_label=f"Delete read {read.number}",
                id=f"delete-read-{read.number}",
            ),
            gap="2",
            align="center",
        ),
        gap="2",
        align="center",
        wrap="wrap",
        width="100%",
    )
    return rx.box(
        rx.cond(state.editing_read_id == read.id, _edit_form(state, read), summary),
        id=f"read-{read.number}",
        class_name="read-row",
        width="100%",
        padding_y="0.5rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def _new_read_form(state: type[ReadsMixin]) -> rx.Component:
    """Start a read (its start date) or end the current one (its end date)."""
    dates = {"today": state.today_iso, "error": state.read_error, "error_field": state.read_error_field}
    starting = state.read_form == START_FORM
    return rx.form(
        rx.vstack(
            rx.cond(
                starting,
                date_field("started_on", "Started on", prefix="new-", **dates),
                date_field("ended_on", end_date_label(state.read_form), prefix="new-", **dates),
            ),
            _other_error(state),
            _form_buttons(
                state, rx.cond(starting, "Start", label_of(state.read_form, READ_END_ACTIONS)), "confirm-read"
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=state.submit_read,
        reset_on_submit=False,
        width="100%",
        max_width="24rem",
        key=state.read_form,
        id="new-read-form",
    )


def _actions(state: type[ReadsMixin]) -> rx.Component:
    end_buttons = [
        rx.cond(
            ~((key == ReadingStatus.PAUSED.value) & (state.open_read_status == key)),
            rx.button(
                label,
                size="2",
                variant="soft",
                on_click=state.open_read_form(key),
                id=f"end-read-{key}",
            ),
        )
        for key, label in READ_END_ACTIONS.items()
    ]
    return rx.flex(
        rx.cond(
            state.open_read_status != "",
            rx.fragment(*end_buttons),
            rx.button(
                rx.icon("rotate-ccw", size=14),
                rx.cond(state.reads.length() > 0, "Start a re-read", "Start reading"),
                size="2",
                on_click=state.open_read_form(START_FORM),
                id="start-read",
            ),
        ),
        gap="2",
        wrap="wrap",
    )


def _delete_dialog(state: type[ReadsMixin]) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this read?"),
            rx.alert_dialog.description(
                "Its dates leave your reading history and your stats. The book stays in your library."
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Delete", color_scheme="red", on_click=state.delete_read, id="confirm-delete-read"),
                gap="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
        open=state.deleting_read_id != 0,
        on_open_change=state.set_delete_read_open,
    )


def reads_section(state: type[ReadsMixin]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Reading history", size="4"),
                rx.box(read_count_badge(state.finished_reads), id="read-count"),
                gap="2",
                align="center",
            ),
            rx.cond(
                state.reads.length() == 0,
                rx.text("No reads yet.", size="2", color_scheme="gray"),
                rx.vstack(rx.foreach(state.reads, lambda read: _read_row(state, read)), spacing="0", width="100%"),
            ),
            _actions(state),
            rx.cond(state.read_form != "", _new_read_form(state)),
            _delete_dialog(state),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="reading-history",
    )
