"""/circles/<id>: one reading circle -- about, current book and schedule,
members' progress, the goal ring, posts with a small composer, leaderboard
and activity. Curators set the book, the schedule and the goal here
(pages/circle_schedule.py); members and settings have their own pages.

Opening it costs a constant number of statements whatever the number of
members and posts (tests/states/test_circles.py counts them): the token,
the circle with the viewer's role, its counts and goal, the schedule, a page
of members, the leaderboard, a page of activity, a page of posts.
"""

from __future__ import annotations

import reflex as rx

from booktracker import routes
from booktracker.components.circles import activity_row, cover, goal_ring, leaderboard_table, progress_row, role_badge
from booktracker.components.layout import empty_state, page
from booktracker.components.numbers import count_text
from booktracker.components.post_list import PostListMixin, post_list
from booktracker.db import session_scope
from booktracker.errors import NotFound, ServiceError
from booktracker.models import CircleGoalKind
from booktracker.pages.circle_schedule import CircleScheduleMixin, schedule_section
from booktracker.services import circles, posts
from booktracker.services.circles import ActivityItem, CircleOverview, LeaderRow, MemberProgress
from booktracker.state import AuthState, handle_errors

EMPTY = CircleOverview(
    id=0, name="", description="", cover_url="", cover_path="", is_public=True, member_count=0, my_role="",
    book_id=0, book_title="", book_authors="", book_cover_url="", book_pages=0, book_started_on="",
    goal_kind=CircleGoalKind.NONE.value, goal_target=0, goal_done=0, goal_percent=0, post_count=0,
    sees_content=False, on_leaderboard=False,
)  # fmt: skip


class CircleState(CircleScheduleMixin, PostListMixin, AuthState):
    circle: rx.Field[CircleOverview] = rx.field(default_factory=lambda: EMPTY.model_copy())
    found: rx.Field[str] = rx.field("loading")  # loading | found | missing
    progress: rx.Field[list[MemberProgress]] = rx.field(default_factory=list)
    board: rx.Field[list[LeaderRow]] = rx.field(default_factory=list)
    board_period: str = "month"
    activity: rx.Field[list[ActivityItem]] = rx.field(default_factory=list)
    activity_page: int = 1
    activity_more: bool = False
    composer_text: str = ""
    composer_page: str = ""
    composer_chapter: str = ""
    composer_error: str = ""

    def _circle_id(self) -> int:
        raw = str(self.router.page.params.get(routes.CIRCLE_PARAM, "")) if self.router else ""
        return int(raw) if raw.isdigit() else 0

    def _load_page(self, cursor: str, *, viewer_id: int | None = None, checked: bool = False) -> posts.FeedPage:
        # ``checked``: the caller already checked the token in this event (one statement saved).
        viewer = viewer_id if checked else self._viewer_id()
        with session_scope() as session:
            return posts.circle_posts(session=session, viewer_id=viewer, circle_id=self.circle.id, cursor=cursor)

    def _reload(self, viewer_id: int | None) -> None:
        """Everything the page shows but its posts, with one access check (services/circles/pages.py)."""
        with session_scope() as session:
            shown = circles.circle_page(
                session=session,
                viewer_id=viewer_id,
                circle_id=self._circle_id(),
                period=self.board_period,
                activity_page=self.activity_page,
            )
        self.circle, self.schedule, self.progress, self.board = shown.head, shown.schedule, shown.progress, shown.board
        self.activity, self.activity_more = shown.activity, shown.activity_more

    @rx.event
    @handle_errors
    def load(self):
        self.found, self.board_period, self.activity_page, self.composer_error = "loading", "month", 1, ""
        self.book_choices = []
        viewer_id = self._viewer_id()
        try:
            self._reload(viewer_id)
        except NotFound:
            self.circle, self.found = EMPTY, "missing"
            self._set_page(posts.FeedPage(posts=[], next_cursor=""), append=False)
            return
        no_posts = posts.FeedPage(posts=[], next_cursor="")
        page_ = self._load_page("", viewer_id=viewer_id, checked=True) if self.circle.sees_content else no_posts
        self._set_page(page_, append=False)
        self.found = "found"

    @rx.event
    @handle_errors
    def join(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            role = circles.join(session=session, user_id=user_id, circle_id=self.circle.id)
        self._reload(user_id)
        if role == "pending":
            return rx.toast.info("Request sent: the circle's owner or a curator will answer it.")
        self._set_page(self._load_page(""), append=False)
        return None

    @rx.event
    @handle_errors
    def leave(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            circles.leave(session=session, user_id=user_id, circle_id=self.circle.id)
        return rx.redirect(routes.CIRCLES)

    @rx.event
    @handle_errors
    def toggle_leaderboard(self, shown: bool):
        user_id = self.current_user_id()
        with session_scope() as session:
            circles.set_on_leaderboard(session=session, user_id=user_id, circle_id=self.circle.id, shown=shown)
        self._reload(user_id)

    @rx.event
    @handle_errors
    def set_board_period(self, period: str | list[str]):
        self.board_period = period if isinstance(period, str) and period in circles.PERIODS else "month"
        viewer_id = self._viewer_id()
        with session_scope() as session:
            self.board = circles.leaderboard(
                session=session, viewer_id=viewer_id, circle_id=self.circle.id, period=self.board_period
            )

    @rx.event
    @handle_errors
    def activity_to(self, number: int):
        self.activity_page = max(1, number)
        with session_scope() as session:
            self.activity, self.activity_more = circles.activity(
                session=session, viewer_id=self._viewer_id(), circle_id=self.circle.id, page=self.activity_page
            )

    @rx.event
    def set_composer_text(self, value: str):
        self.composer_text = value[: posts.TEXT_MAX]

    @rx.event
    @handle_errors
    def publish(self, form: dict):
        """A post in the circle, at a page/chapter of the current book (the spoiler shield uses them)."""
        user_id = self.current_user_id()
        page_text = str(form.get("page", "")).strip()
        data = posts.PostInput(
            text=self.composer_text,
            page=int(page_text) if page_text.isdigit() else None,
            chapter=str(form.get("chapter", "")),
            circle_id=self.circle.id,
        )
        try:
            with session_scope() as session:
                posts.publish(session=session, user_id=user_id, data=data, origin=self._origin())
        except ServiceError as exc:
            self.composer_error = exc.message
            return
        self.composer_text, self.composer_error = "", ""
        self._set_page(self._load_page(""), append=False)


def _head() -> rx.Component:
    S = CircleState
    c = S.circle
    return rx.hstack(
        cover(c.cover_url, c.cover_path, size="5rem"),
        rx.vstack(
            rx.hstack(rx.heading(c.name, size="7", dir="auto"), role_badge(c.my_role), align="center", wrap="wrap"),
            rx.text(c.description, color_scheme="gray", dir="auto", white_space="pre-wrap"),
            rx.hstack(
                rx.text(count_text(c.member_count, "member"), size="2"),
                rx.text(rx.cond(c.is_public, "Public", "Private"), size="2", color_scheme="gray"),
                rx.link("Members", href=routes.circle_members(c.id), size="2"),
                rx.cond(
                    (c.my_role == "owner") | (c.my_role == "curator"),
                    rx.link("Settings", href=routes.circle_settings(c.id), size="2", id="circle-settings-link"),
                ),
                wrap="wrap",
            ),
            _membership_button(),
            spacing="2",
            min_width="0",
        ),
        align="start",
        width="100%",
    )


def _membership_button() -> rx.Component:
    S = CircleState
    role = S.circle.my_role
    return rx.cond(
        ~AuthState.logged_in,
        rx.link("Log in to join", href=routes.LOGIN),
        rx.match(
            role,
            ("", rx.button(rx.cond(S.circle.is_public, "Join", "Ask to join"), on_click=S.join, id="circle-join")),
            ("pending", rx.button("Requested", variant="soft", on_click=S.leave, id="circle-withdraw")),
            ("owner", rx.fragment()),
            rx.hstack(
                rx.checkbox(
                    "Show me on the leaderboard", checked=S.circle.on_leaderboard, on_change=S.toggle_leaderboard
                ),
                rx.button("Leave", variant="soft", color_scheme="gray", size="1", on_click=S.leave),
                align="center",
                wrap="wrap",
            ),
        ),
    )


def _composer() -> rx.Component:
    S = CircleState
    return rx.form(
        rx.vstack(
            rx.debounce_input(
                rx.text_area(
                    id="circle-composer",
                    value=S.composer_text,
                    on_change=S.set_composer_text,
                    placeholder="Say something to the circle…",
                    aria_label="Post to the circle",
                    rows="3",
                    width="100%",
                ),
                debounce_timeout=250,
            ),
            rx.hstack(
                rx.input(name="page", type="number", min=0, placeholder="Page", aria_label="Page", width="7rem"),
                rx.input(name="chapter", placeholder="Chapter", aria_label="Chapter", max_length=posts.CHAPTER_MAX),
                rx.spacer(),
                rx.button("Post", type="submit", id="circle-post"),
                width="100%",
                wrap="wrap",
            ),
            rx.cond(S.composer_error != "", rx.text(S.composer_error, color_scheme="red", size="2", role="alert")),
            width="100%",
        ),
        on_submit=S.publish,
        reset_on_submit=True,
        width="100%",
    )


def _side() -> rx.Component:
    S = CircleState
    return rx.vstack(
        rx.cond(
            S.circle.goal_kind != "none",
            goal_ring(S.circle.goal_done, S.circle.goal_target, S.circle.goal_percent, S.circle.goal_kind),
        ),
        rx.heading("Progress", size="4"),
        rx.cond(
            S.progress.length() > 0,
            rx.vstack(rx.foreach(S.progress, progress_row), width="100%"),
            rx.text("No members yet.", color_scheme="gray"),
        ),
        rx.hstack(
            rx.heading("Leaderboard", size="4"),
            rx.spacer(),
            rx.segmented_control.root(
                rx.segmented_control.item("Month", value="month"),
                rx.segmented_control.item("All time", value="all"),
                value=S.board_period,
                on_change=S.set_board_period,
                size="1",
            ),
            align="center",
            width="100%",
        ),
        leaderboard_table(S.board),
        rx.heading("Activity", size="4"),
        rx.vstack(rx.foreach(S.activity, activity_row), width="100%", spacing="2"),
        rx.hstack(
            rx.cond(
                S.activity_page > 1,
                rx.button("Newer", size="1", variant="soft", on_click=S.activity_to(S.activity_page - 1)),
            ),
            rx.cond(
                S.activity_more,
                rx.button("Older", size="1", variant="soft", on_click=S.activity_to(S.activity_page + 1)),
            ),
        ),
        spacing="3",
        width="100%",
        min_width="0",
    )


def circle_page() -> rx.Component:
    S = CircleState
    content = rx.grid(
        rx.vstack(
            schedule_section(S),
            rx.cond(
                (S.circle.my_role == "owner") | (S.circle.my_role == "curator") | (S.circle.my_role == "member"),
                _composer(),
            ),
            post_list(S, empty=empty_state("message-square", "No posts yet", "Start the conversation.")),
            spacing="4",
            width="100%",
            min_width="0",
        ),
        _side(),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="5",
        width="100%",
    )
    return page(
        rx.cond(
            S.found == "missing",
            empty_state("users", "This circle does not exist", "It may have been deleted."),
            rx.vstack(
                _head(),
                rx.cond(
                    S.circle.sees_content,
                    content,
                    rx.callout("Only members see this circle's posts and progress.", icon="lock", width="100%"),
                ),
                spacing="5",
                width="100%",
            ),
        ),
    )
