"""/circles/<id>/members: members with their roles, a page at a time; for
curators and the owner, the pending requests (approve / decline) and
removing members; for the owner, making curators (or handing the circle over)."""

from __future__ import annotations

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.circles import progress_row
from booktracker.components.layout import empty_state, page
from booktracker.db import session_scope
from booktracker.errors import NotFound
from booktracker.services import circles
from booktracker.services.circles import CircleOverview, MemberProgress, RequestView
from booktracker.state import AuthState, handle_errors


class CircleMembersState(AuthState):
    circle_id: int = 0
    circle_name: str = ""
    my_role: str = ""
    missing: bool = False
    members: rx.Field[list[MemberProgress]] = rx.field(default_factory=list)
    offset: int = 0
    requests: rx.Field[list[RequestView]] = rx.field(default_factory=list)

    def _reload(self, viewer_id: int | None) -> None:
        raw = str(self.router.page.params.get(routes.CIRCLE_PARAM, "")) if self.router else ""
        with session_scope() as session:
            head: CircleOverview = circles.overview(
                session=session, viewer_id=viewer_id, circle_id=int(raw) if raw.isdigit() else 0
            )
            self.circle_id, self.circle_name, self.my_role = head.id, head.name, head.my_role
            self.members = circles.members_progress(
                session=session, viewer_id=viewer_id, circle_id=head.id, offset=self.offset
            )
            runs = viewer_id is not None and head.my_role in ("owner", "curator")
            self.requests = (
                circles.pending_requests(session=session, user_id=viewer_id, circle_id=head.id) if runs else []  # type: ignore[arg-type]
            )

    @rx.event
    @handle_errors
    def load(self):
        self.offset, self.missing = 0, False
        try:
            self._reload(self._viewer_id())
        except (NotFound, circles.Forbidden):
            self.missing, self.members, self.requests = True, [], []

    @rx.event
    @handle_errors
    def page_to(self, offset: int):
        self.offset = max(0, offset)
        self._reload(self._viewer_id())

    def _act(self, action, **kwargs) -> None:
        user_id = self.current_user_id()
        with session_scope() as session:
            action(session=session, user_id=user_id, circle_id=self.circle_id, **kwargs)
        self._reload(user_id)

    @rx.event
    @handle_errors
    def approve(self, member_id: int):
        self._act(circles.approve, member_id=member_id)

    @rx.event
    @handle_errors
    def decline(self, member_id: int):
        self._act(circles.decline, member_id=member_id)

    @rx.event
    @handle_errors
    def remove(self, member_id: int):
        self._act(circles.remove_member, member_id=member_id)

    @rx.event
    @handle_errors
    def set_role(self, member_id: int, role: str):
        self._act(circles.set_role, member_id=member_id, role=role)


def _request_row(request: ObjectVar[RequestView]) -> rx.Component:
    S = CircleMembersState
    return rx.hstack(
        rx.link(request.name, href=routes.profile(request.username), dir="auto"),
        rx.spacer(),
        rx.button("Approve", size="1", on_click=S.approve(request.user_id), class_name="circle-approve"),
        rx.button("Decline", size="1", variant="soft", color_scheme="gray", on_click=S.decline(request.user_id)),
        align="center",
        width="100%",
    )


def _member_row(member: ObjectVar[MemberProgress]) -> rx.Component:
    S = CircleMembersState
    is_owner = S.my_role == "owner"
    may_remove = (member.role != "owner") & (is_owner | ((S.my_role == "curator") & (member.role == "member")))
    return rx.hstack(
        progress_row(member),
        rx.cond(
            is_owner & (member.role != "owner"),
            rx.menu.root(
                rx.menu.trigger(rx.icon_button(rx.icon("ellipsis", size=16), variant="ghost", aria_label="Role")),
                rx.menu.content(
                    rx.cond(
                        member.role == "member",
                        rx.menu.item("Make curator", on_click=S.set_role(member.user_id, "curator")),
                        rx.menu.item("Make member", on_click=S.set_role(member.user_id, "member")),
                    ),
                    rx.menu.item("Hand the circle over", on_click=S.set_role(member.user_id, "owner")),
                ),
            ),
        ),
        rx.cond(
            may_remove & (member.username != AuthState.username),
            rx.button("Remove", size="1", variant="soft", color_scheme="red", on_click=S.remove(member.user_id)),
        ),
        align="center",
        width="100%",
    )


def circle_members_page() -> rx.Component:
    S = CircleMembersState
    return page(
        rx.cond(
            S.missing,
            empty_state("users", "Nothing to see here", "This circle does not exist, or only its members see it."),
            rx.vstack(
                rx.link("← " + S.circle_name, href=routes.circle(S.circle_id)),
                rx.heading("Members", size="6"),
                rx.cond(
                    S.requests.length() > 0,
                    rx.card(
                        rx.vstack(
                            rx.heading("Requests to join", size="4"),
                            rx.foreach(S.requests, _request_row),
                            width="100%",
                        ),
                        width="100%",
                    ),
                ),
                rx.vstack(rx.foreach(S.members, _member_row), width="100%", spacing="3"),
                rx.hstack(
                    rx.cond(
                        S.offset > 0,
                        rx.button("Previous", variant="soft", on_click=S.page_to(S.offset - circles.MEMBERS_PAGE)),
                    ),
                    rx.cond(
                        S.members.length() == circles.MEMBERS_PAGE,
                        rx.button("Next", variant="soft", on_click=S.page_to(S.offset + circles.MEMBERS_PAGE)),
                    ),
                ),
                spacing="4",
                width="100%",
            ),
        ),
        max_width="44rem",
    )
