"""Reporting a post, a comment or a reader: the button and the one dialog.

Pages that show report buttons render ``report_dialog()`` once; a button
opens it for its target (``ReportState.open_report(kind, id)``).
"""

from __future__ import annotations

import reflex as rx

from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.models import REPORT_REASON_LABELS, ReportReason
from booktracker.services import moderation
from booktracker.state import AuthState, handle_errors

TARGET_NAMES = {"post": "this post", "comment": "this comment", "user": "this reader"}


class ReportState(AuthState):
    report_kind: str = ""
    report_target: int = 0
    report_error: str = ""

    @rx.var
    def report_title(self) -> str:
        return f"Report {TARGET_NAMES.get(self.report_kind, '')}"

    @rx.event
    @handle_errors
    def open_report(self, kind: str, target_id: int):
        self.current_user_id()
        self.report_kind, self.report_target, self.report_error = kind, target_id, ""

    @rx.event
    def set_report_open(self, open_: bool):
        if not open_:
            self.report_kind, self.report_target = "", 0

    @rx.event
    @handle_errors
    def send_report(self, form: dict):
        user_id = self.current_user_id()
        try:
            with session_scope() as session:
                moderation.report(
                    session=session,
                    user_id=user_id,
                    target_kind=self.report_kind,
                    target_id=self.report_target,
                    reason=form.get("reason", ""),
                    details=form.get("details", ""),
                )
        except ServiceError as exc:
            self.report_error = exc.message  # the dialog stays open, with what was typed
            return None
        self.report_kind, self.report_target = "", 0
        return rx.toast.success("Thank you: a moderator will look at it.")


def report_button(kind: str, target_id: rx.Var[int] | int, *, label: str = "Report") -> rx.Component:
    return rx.button(
        rx.icon("flag", size=14),
        label,
        variant="ghost",
        size="1",
        color_scheme="gray",
        on_click=ReportState.open_report(kind, target_id),
        class_name="report-button",
    )


def report_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(ReportState.report_title),
            rx.dialog.description("Moderators see your report; the reader you report is not told who sent it."),
            rx.form(
                rx.vstack(
                    rx.select.root(
                        rx.select.trigger(placeholder="Why?", aria_label="Reason"),
                        rx.select.content(
                            *[rx.select.item(REPORT_REASON_LABELS[r], value=r.value) for r in ReportReason]
                        ),
                        name="reason",
                        required=True,
                    ),
                    rx.text_area(
                        name="details",
                        placeholder="Anything a moderator should know (optional)",
                        max_length=moderation.DETAILS_MAX,
                        aria_label="Details",
                        width="100%",
                    ),
                    rx.cond(
                        ReportState.report_error != "",
                        rx.text(ReportState.report_error, color_scheme="red", size="2", role="alert"),
                    ),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        rx.button("Send report", type="submit", id="send-report"),
                        gap="3",
                        justify="end",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=ReportState.send_report,
                reset_on_submit=False,
            ),
        ),
        open=ReportState.report_kind != "",
        on_open_change=ReportState.set_report_open,
    )
