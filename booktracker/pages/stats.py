"""/stats: reading numbers, charts and the annual goal."""

import calendar

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.clock import ask_browser_offset, offset_from_browser
from booktracker.components.books import WRAP
from booktracker.components.layout import page
from booktracker.components.numbers import SLICE_LABEL, TOOLTIP_VALUE, grouped, grouped_var
from booktracker.db import session_scope
from booktracker.errors import InvalidInput
from booktracker.models import FORMAT_LABELS, STATUS_COLORS, STATUS_LABELS
from booktracker.services import stats
from booktracker.state import AuthState, handle_errors

MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]


def _n(value) -> str:
    """1234 -> "1,234" (numbers are shown formatted)."""
    return grouped(value if isinstance(value, int) else round(value, 1))


def _rate(value: float | None) -> str:
    """Pages per day: "—" until reading spans two days, whole pages from 10 up."""
    if value is None:
        return "—"
    return grouped(round(value)) if value >= 10 else f"{value:.1f}"


CHART_COLORS = ["#12a594", "#3e63dd", "#e54666", "#ffc53d", "#8e4ec6", "#f76b15", "#978365"]


def status_color(status: str) -> str:
    """The Radix colour of the status badge (components/books.py), as a chart fill."""
    return f"var(--{STATUS_COLORS.get(status, 'gray')}-9)"


class StatsState(AuthState):
    offset_minutes: int = 0
    year: int = 0
    cards: list[dict[str, str]] = []
    heat: rx.Field[list[dict[str, str | int]]] = rx.field(default_factory=list)
    months: rx.Field[list[dict[str, str | int]]] = rx.field(default_factory=list)
    # Slices of the pie charts: name, value and the colour of the slice.
    formats: rx.Field[list[dict[str, str | int]]] = rx.field(default_factory=list)
    statuses: rx.Field[list[dict[str, str | int]]] = rx.field(default_factory=list)
    # rx.Field: the class attribute type-checks as a Var (.length()), the instance one as the list.
    emotions: rx.Field[list[dict[str, str | int]]] = rx.field(default_factory=list)
    goal_kind: str = ""
    goal_target: int = 0
    goal_done: int = 0
    goal_percent: int = 0
    goal_message: str = ""
    goal_error: str = ""
    loaded: bool = False

    @rx.event
    def start(self):
        # The browser knows the reader's time zone; streaks count its days.
        return ask_browser_offset(StatsState.load)

    @rx.event
    @handle_errors
    def load(self, browser_offset: int | None = None):
        user_id = self.current_user_id()
        offset = offset_from_browser(browser_offset)
        if offset is not None:
            self.offset_minutes = offset
        with session_scope() as session:
            result = stats.reading_stats(session=session, user_id=user_id, offset_minutes=self.offset_minutes)
        self.year = result.year
        self.cards = [
            {"label": f"Books finished in {result.year}", "value": _n(result.books_this_year), "id": "stat-books-year"},
            {"label": "Reading now", "value": _n(result.currently_reading), "id": "stat-reading"},
            {"label": "Finished, all time", "value": _n(result.finished_total), "id": "stat-finished"},
            {"label": "Pages read", "value": _n(result.pages_read), "id": "stat-pages"},
            {"label": "Emotions logged", "value": _n(result.emotions_logged), "id": "stat-emotions"},
            {"label": "Average pages per book", "value": _n(result.avg_pages_per_book), "id": "stat-avg-book"},
            {"label": "Current streak (days)", "value": _n(result.current_streak), "id": "stat-streak"},
            {"label": "Longest streak (days)", "value": _n(result.longest_streak), "id": "stat-longest"},
            {"label": "Pages per day", "value": _rate(result.avg_pages_per_day), "id": "stat-per-day"},
        ]
        self.heat = [{"day": d.day[5:], "pages": d.pages} for d in result.pages_per_day]
        self.months = [{"month": MONTHS[i], "books": n} for i, n in enumerate(result.finished_per_month)]
        self.formats = [
            {"name": FORMAT_LABELS.get(k, "Not set"), "value": v, "color": CHART_COLORS[i % len(CHART_COLORS)]}
            for i, (k, v) in enumerate(result.formats.items())
        ]
        self.statuses = [
            {"name": STATUS_LABELS.get(k, k), "value": v, "color": status_color(k)} for k, v in result.statuses.items()
        ]
        self.emotions = [{"emoji": k, "count": v} for k, v in result.emotions.items()]
        goal = result.goal
        self.goal_kind, self.goal_target, self.goal_done, self.goal_percent = (
            goal.kind,
            goal.target,
            goal.done,
            goal.percent,
        )
        if not goal.kind:
            self.goal_message = ""
        else:
            pace = "on track" if goal.on_track else f"behind by {_n(goal.behind_by)}"
            self.goal_message = f"{_n(goal.done)} of {_n(goal.target)} {goal.kind} — {pace}."
        self.loaded = True

    @rx.event
    @handle_errors
    def save_goal(self, form: dict):
        self.goal_error = ""
        user_id = self.current_user_id()
        raw = str(form.get("target", "")).strip()
        try:
            if not raw.isdigit():
                raise InvalidInput("Enter a whole number.", field="goal")
            kind = form.get("kind", "books")
            with session_scope() as session:
                stats.set_goal(
                    session=session,
                    user_id=user_id,
                    year=self.year,
                    books=int(raw) if kind == "books" else None,
                    pages=int(raw) if kind == "pages" else None,
                )
        except InvalidInput as exc:
            self.goal_error = exc.message
            return None
        return StatsState.load(None)


S = StatsState
# Axis numbers in compact form ("1K", "12K"): a narrow axis never clips them.
COMPACT_NUMBER = "(value) => new Intl.NumberFormat('en', {notation: 'compact'}).format(value)"


def stat_card(card: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(card["value"], size="7", weight="bold", id=card["id"]),
            rx.text(card["label"], size="2", color_scheme="gray"),
            spacing="1",
        ),
    )


def goal_card() -> rx.Component:
    ring = rx.box(
        rx.center(
            rx.text(f"{S.goal_percent}%", size="5", weight="bold", id="goal-percent"),
            width="100%",
            height="100%",
            background=rx.color("gray", 1),
            border_radius="50%",
        ),
        width="7rem",
        height="7rem",
        padding="0.6rem",
        border_radius="50%",
        background=f"conic-gradient(var(--accent-9) calc({S.goal_percent} * 1%), var(--gray-4) 0)",
        role="img",
        aria_label=f"Goal {S.goal_percent}% done",
    )
    return rx.card(
        rx.flex(
            rx.cond(S.goal_kind != "", ring),
            rx.vstack(
                rx.heading(f"{S.year} reading goal", size="4"),
                rx.cond(
                    S.goal_message != "",
                    rx.text(S.goal_message, id="goal-message"),
                    rx.text("Set a goal for the year.", color_scheme="gray"),
                ),
                rx.form(
                    rx.hstack(
                        rx.input(
                            name="target",
                            id="goal-target",
                            type="number",
                            min=1,
                            placeholder="e.g. 24",
                            width="7rem",
                            aria_label="Goal",
                        ),
                        rx.select.root(
                            rx.select.trigger(aria_label="Goal unit"),
                            rx.select.content(
                                rx.select.item("books", value="books"), rx.select.item("pages", value="pages")
                            ),
                            name="kind",
                            default_value="books",
                        ),
                        rx.button("Save goal", type="submit", id="save-goal"),
                        align="center",
                        wrap="wrap",
                    ),
                    on_submit=S.save_goal,
                ),
                rx.cond(S.goal_error != "", rx.text(S.goal_error, color_scheme="red", size="2", role="alert")),
                spacing="2",
            ),
            gap="4",
            align="center",
            wrap="wrap",
        ),
        width="100%",
    )


def chart_tooltip() -> rx.Component:
    """The hovered bar's or slice's value, grouped like every number ("1,667")."""
    # Reflex's GraphingTooltip has no `formatter` prop; recharts' Tooltip takes it as any other.
    return rx.recharts.graphing_tooltip(custom_attrs={"formatter": TOOLTIP_VALUE})


def chart_card(title: str, chart: rx.Component) -> rx.Component:
    return rx.card(rx.vstack(rx.heading(title, size="3"), chart, spacing="2", width="100%"), width="100%")


def pages_chart() -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="pages", fill="var(--accent-9)", name="Pages"),
        # Recharts drops the day labels that would overlap (a phone shows fewer).
        rx.recharts.x_axis(data_key="day", interval="preserveStartEnd", min_tick_gap=12, font_size=11),
        rx.recharts.y_axis(width=40, font_size=11, allow_decimals=False, tick_formatter=COMPACT_NUMBER),
        chart_tooltip(),
        data=S.heat,
        height=220,
        width="100%",
    )


def months_chart() -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="books", fill="var(--accent-9)", name="Books"),
        rx.recharts.x_axis(data_key="month", interval="preserveStartEnd", min_tick_gap=4, font_size=11),
        rx.recharts.y_axis(width=40, allow_decimals=False, font_size=11, tick_formatter=COMPACT_NUMBER),
        chart_tooltip(),
        data=S.months,
        height=220,
        width="100%",
    )


def pie(data) -> rx.Component:
    return rx.recharts.pie_chart(
        rx.recharts.pie(
            rx.foreach(data, lambda item: rx.recharts.cell(fill=item["color"].to(str))),
            data=data,
            data_key="value",
            name_key="name",
            label=SLICE_LABEL,
            outer_radius=70,
        ),
        chart_tooltip(),
        rx.recharts.legend(),
        height=240,
        width="100%",
    )


def emotions_card() -> rx.Component:
    return chart_card(
        "Emotions you logged",
        rx.cond(
            S.emotions.length() > 0,
            rx.flex(
                rx.foreach(
                    S.emotions,
                    # A 16-emoji emotion (older or imported posts) wraps inside its badge, not off a phone.
                    lambda e: rx.badge(
                        rx.text(e["emoji"], size="5", white_space="normal", style=WRAP),
                        grouped_var(e["count"]),
                        size="3",
                        variant="soft",
                        max_width="100%",
                    ),
                ),
                gap="2",
                wrap="wrap",
            ),
            rx.text("No emotions yet — share one from the feed.", color_scheme="gray", size="2"),
        ),
    )


def stats_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.heading("Reading stats", size="7"),
            goal_card(),
            rx.grid(
                rx.foreach(S.cards, stat_card), columns=rx.breakpoints(initial="2", sm="3"), spacing="3", width="100%"
            ),
            chart_card("Pages per day, last 12 weeks", pages_chart()),
            rx.grid(
                chart_card(f"Books finished per month, {S.year}", months_chart()),
                emotions_card(),
                chart_card("Formats", pie(S.formats)),
                chart_card("Statuses", pie(S.statuses)),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="3",
                width="100%",
            ),
            spacing="4",
            width="100%",
        )
    )
