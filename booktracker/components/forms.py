"""Labelled form fields with consistent spacing."""

import reflex as rx
from reflex_components_core.el.elements.forms import HTMLInputTypeAttribute

from booktracker.services import auth


def field(label: str, control: rx.Component, *, hint: str = "") -> rx.Component:
    """A control inside its <label>: the association holds whatever the
    control renders (Radix inputs put ids on wrappers, not on the input)."""
    return rx.el.label(
        rx.text(label, size="2", weight="medium"),
        control,
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        display="flex",
        flex_direction="column",
        gap="0.25rem",
        width="100%",
    )


def text_input(name: str, *, type: HTMLInputTypeAttribute = "text", **props) -> rx.Component:
    props.setdefault("id", name)
    return rx.input(name=name, type=type, size="3", width="100%", **props)


def new_password_input(name: str) -> rx.Component:
    """A password being chosen: the lengths auth accepts, and the browser may suggest one."""
    return text_input(
        name,
        type="password",
        required=True,
        min_length=auth.PASSWORD_MIN,
        max_length=auth.PASSWORD_MAX,
        auto_complete="new-password",
    )


def switch_field(label: str | rx.Var[str], *, checked: rx.Var[bool], on_change, id: str | rx.Var[str]) -> rx.Component:
    """A switch with its text beside it, both inside one <label> (a click on
    the text flips it; screen readers name the switch by it)."""
    return rx.el.label(
        rx.hstack(
            rx.switch(checked=checked, on_change=on_change, id=id),
            rx.text(label, size="2"),
            spacing="2",
            align="center",
        ),
    )


def form_error(message: rx.Var[str]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
    )


def card_form(title: str, *children: rx.Component, on_submit, footer: rx.Component | None = None) -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(title, size="6"),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
            ),
            footer if footer is not None else rx.fragment(),
            size="4",
            width="100%",
            max_width="28rem",
        ),
        padding_top="3rem",
    )
