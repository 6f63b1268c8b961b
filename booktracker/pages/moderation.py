"""/moderation: the report queue and the audit log, for moderators only.

To everyone else -- visitors included -- the page says "not found", as the
API answers 404 (services/moderation.py decides who moderates).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.layout import empty_state, match_component, page
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.models import REPORT_REASON_LABELS, ModerationAction, User
from booktracker.services import moderation
from booktracker.services.moderation import LogView, ReportView
from booktracker.state import AuthState, LoginRequired, handle_errors

ACTION_LABELS = {
    ModerationAction.HIDE: "Hide",
    ModerationAction.UNHIDE: "Unhide",
    ModerationAction.DELETE: "Delete",
    ModerationAction.SUSPEND: "Suspend the reader",
    ModerationAction.REINSTATE: "Reinstate the reader",
    ModerationAction.DISMISS: "Dismiss",
}


class ModerationState(AuthState):
    # "loading", "allowed" or "missing" (not a moderator: the page does not exist).
    access: rx.Field[str] = rx.field("loading")
    reports: rx.Field[list[ReportView]] = rx.field(default_factory=list)
    reports_page: rx.Field[int] = rx.field(1)
    reports_more: rx.Field[bool] = rx.field(False)
    log_entries: rx.Field[list[LogView]] = rx.field(default_factory=list)
    log_page: rx.Field[int] = rx.field(1)
    log_more: rx.Field[bool] = rx.field(False)
    action_error: rx.Field[str] = rx.field("")

    def _moderator_id(self) -> int | None:
        if not self.auth_token:
            return None
        try:
            user_id = self.current_user_id()
        except LoginRequired as exc:
            if exc.message:  # suspended: said, and logged out
                raise
            return None
        with session_scope() as session:
            return user_id if moderation.is_moderator(session.get(User, user_id)) else None

    def _refresh(self, user_id: int) -> None:
        with session_scope() as session:
            self.reports, self.reports_more = moderation.reports(
                session=session, user_id=user_id, page=self.reports_page
            )
            self.log_entries, self.log_more = moderation.log(session=session, user_id=user_id, page=self.log_page)

    @rx.event
    @handle_errors
    def load(self):
        user_id = self._moderator_id()
        self.access = "allowed" if user_id is not None else "missing"
        self.reports, self.log_entries, self.action_error = [], [], ""
        if user_id is not None:
            self.reports_page = self.log_page = 1
            self._refresh(user_id)

    @rx.event
    @handle_errors
    def turn_page(self, which: str, delta: int):
        user_id = self._moderator_id()
        if user_id is None:
            self.access = "missing"
            return
        if which == "reports":
            self.reports_page = max(1, self.reports_page + delta)
        else:
            self.log_page = max(1, self.log_page + delta)
        self._refresh(user_id)

    @rx.event
    @handle_errors
    def act(self, form: dict):
        self.action_error = ""
        user_id = self._moderator_id()
        if user_id is None:
            self.access = "missing"
            return None
        try:
            with session_scope() as session:
                moderation.act(
                    session=session,
                    user_id=user_id,
                    report_id=int(form.get("report_id") or 0),
                    action=form.get("action", ""),
                    note=form.get("note", ""),
                )
        except ServiceError as exc:
            self.action_error = exc.message
            return None
        self._refresh(user_id)
        return rx.toast.success("Done, and logged.")


def report_card(report: ObjectVar[ReportView]) -> rx.Component:
    reason = rx.Var.create(REPORT_REASON_LABELS).to(dict)[report.reason]
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(report.status, color_scheme=rx.cond(report.status == "open", "orange", "gray")),
                rx.text(rx.text.strong(report.target_kind), " by ", report.target_name, size="2"),
                rx.cond(
                    report.target_username != "",
                    rx.link(f"@{report.target_username}", href=routes.profile(report.target_username), size="2"),
                ),
                rx.cond(report.target_suspended, rx.badge("suspended", color_scheme="red")),
                rx.cond(report.content_hidden, rx.badge("hidden", color_scheme="red")),
                rx.cond(~report.content_exists, rx.badge("deleted", color_scheme="gray")),
                wrap="wrap",
                align="center",
            ),
            rx.text(reason, " · reported by @", report.reporter_username, size="1", color_scheme="gray"),
            rx.cond(report.details != "", rx.text(report.details, size="2", white_space="pre-wrap")),
            rx.cond(
                report.content != "",
                rx.blockquote(report.content, size="2", white_space="pre-wrap", class_name="reported-content"),
            ),
            rx.form(
                rx.hstack(
                    rx.el.input(type="hidden", name="report_id", value=report.id.to_string()),
                    rx.select.root(
                        rx.select.trigger(placeholder="Action", aria_label="Action"),
                        rx.select.content(
                            *[rx.select.item(label, value=action.value) for action, label in ACTION_LABELS.items()]
                        ),
                        name="action",
                        required=True,
                    ),
                    rx.input(name="note", placeholder="Note for the log", aria_label="Note", width="100%"),
                    rx.button("Apply", type="submit", class_name="apply-action"),
                    width="100%",
                ),
                on_submit=ModerationState.act,
                reset_on_submit=True,
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="report-card",
    )


def log_row(entry: ObjectVar[LogView]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.moment(entry.created_at, from_now=True)),
        rx.table.cell(f"@{entry.moderator_username}"),
        rx.table.cell(entry.action),
        rx.table.cell(entry.target_kind, " #", entry.target_id),
        rx.table.cell(entry.note),
    )


def pager(which: str, number: rx.Var[int], more: rx.Var[bool]) -> rx.Component:
    return rx.hstack(
        rx.button(
            "Previous", variant="soft", disabled=number.to(int) <= 1, on_click=ModerationState.turn_page(which, -1)
        ),
        rx.text("Page ", number, size="2"),
        rx.button("Next", variant="soft", disabled=~more, on_click=ModerationState.turn_page(which, 1)),
        align="center",
    )


def moderation_page() -> rx.Component:
    S = ModerationState
    allowed = rx.vstack(
        rx.heading("Moderation", size="7"),
        rx.heading("Reports", size="5"),
        rx.cond(S.action_error != "", rx.callout(S.action_error, color_scheme="red", role="alert")),
        rx.cond(
            S.reports.length() > 0,
            rx.foreach(S.reports, report_card),
            empty_state("flag", "No reports", "Nothing waits for a moderator."),
        ),
        pager("reports", S.reports_page, S.reports_more),
        rx.heading("Audit log", size="5"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(h) for h in ("When", "Moderator", "Action", "Target", "Note")]
                )
            ),
            rx.table.body(rx.foreach(S.log_entries, log_row)),
            width="100%",
        ),
        pager("log", S.log_page, S.log_more),
        spacing="4",
        width="100%",
    )
    return page(
        match_component(
            S.access,
            ("loading", rx.center(rx.spinner(size="3"), padding="3rem")),
            ("allowed", allowed),
            empty_state("circle-help", "Page not found", "There is nothing at this address."),
        ),
        max_width="56rem",
    )
