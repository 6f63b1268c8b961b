"""Pieces of the reading-circle pages: cards, the goal ring, members'
progress, the leaderboard and the activity feed (pages/circle*.py)."""

from __future__ import annotations

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP
from booktracker.components.numbers import count_text, grouped_var
from booktracker.components.posts import avatar
from booktracker.models import CircleGoalKind
from booktracker.services.circles import ActivityItem, CircleCard, LeaderRow, MemberProgress

ROLE_LABELS = {"owner": "Owner", "curator": "Curator", "member": "Member", "pending": "Requested", "": ""}
GOAL_LABELS = {CircleGoalKind.PAGES.value: "pages", CircleGoalKind.BOOKS.value: "books"}


def role_badge(role: rx.Var[str]) -> rx.Component:
    return rx.cond(
        role != "",
        rx.badge(
            rx.match(role, *[(key, label) for key, label in ROLE_LABELS.items() if key], ""),
            color_scheme=rx.cond(role == "pending", "amber", "indigo"),
            variant="soft",
        ),
    )


def cover(url: rx.Var[str], path: rx.Var[str], *, size: str = "4rem") -> rx.Component:
    return rx.cond(
        (url != "") | (path != ""),
        rx.image(
            src=rx.cond(url != "", url, rx.get_upload_url(path)),
            alt="",
            width=size,
            height=size,
            object_fit="cover",
            border_radius="var(--radius-3)",
            flex_shrink="0",
        ),
        rx.center(
            rx.icon("users", size=24), width=size, height=size, background=rx.color("indigo", 3), flex_shrink="0"
        ),
    )


def circle_card(card: ObjectVar[CircleCard]) -> rx.Component:
    return rx.card(
        rx.hstack(
            cover(card.cover_url, card.cover_path),
            rx.vstack(
                rx.hstack(
                    rx.link(card.name, href=routes.circle(card.id), weight="bold", style=WRAP, dir="auto"),
                    rx.cond(~card.is_public, rx.icon("lock", size=14, aria_label="Private circle")),
                    role_badge(card.my_role),
                    align="center",
                    wrap="wrap",
                ),
                rx.text(card.description, size="2", color_scheme="gray", style=WRAP, dir="auto"),
                rx.text(count_text(card.member_count, "member"), size="1", color_scheme="gray"),
                spacing="1",
                min_width="0",
            ),
            align="start",
            width="100%",
        ),
        width="100%",
    )


def goal_ring(done: rx.Var[int], target: rx.Var[int], percent: rx.Var[int], kind: rx.Var[str]) -> rx.Component:
    """A progress ring drawn with a conic gradient (no chart library for one number)."""
    return rx.hstack(
        rx.center(
            rx.center(
                rx.text(percent.to_string() + "%", weight="bold", size="2"),
                width="4.2rem",
                height="4.2rem",
                border_radius="50%",
                background="var(--color-panel-solid)",
            ),
            width="5rem",
            height="5rem",
            border_radius="50%",
            background=f"conic-gradient(var(--indigo-9) calc({percent} * 1%), var(--gray-4) 0)",
            role="img",
            aria_label="Goal progress",
        ),
        rx.vstack(
            rx.text("Goal this month", weight="bold"),
            rx.text(
                grouped_var(done),
                " of ",
                grouped_var(target),
                rx.cond(kind == "books", " books", " pages"),
                color_scheme="gray",
                size="2",
            ),
            spacing="1",
        ),
        align="center",
    )


def progress_row(member: ObjectVar[MemberProgress]) -> rx.Component:
    return rx.hstack(
        avatar(member.initials),
        rx.vstack(
            rx.hstack(
                rx.link(member.name, href=routes.profile(member.username), weight="medium", style=WRAP, dir="auto"),
                role_badge(member.role),
                align="center",
            ),
            rx.cond(
                member.status != "",
                rx.hstack(
                    rx.progress(value=member.percent, width="100%", max_width="16rem"),
                    rx.text("p. " + grouped_var(member.current_page), size="1", color_scheme="gray"),
                    align="center",
                    width="100%",
                ),
                rx.text("Not started", size="1", color_scheme="gray"),
            ),
            spacing="1",
            width="100%",
            min_width="0",
        ),
        align="center",
        width="100%",
    )


def leader_row(row: ObjectVar[LeaderRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.rank),
        rx.table.cell(rx.link(row.name, href=routes.profile(row.username), style=WRAP, dir="auto")),
        rx.table.cell(grouped_var(row.pages), text_align="end"),
    )


def leaderboard_table(rows: rx.Var) -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("#"),
                rx.table.column_header_cell("Reader"),
                rx.table.column_header_cell("Pages", text_align="end"),
            )
        ),
        rx.table.body(rx.foreach(rows, leader_row)),
        width="100%",
        size="1",
    )


def activity_row(item: ObjectVar[ActivityItem]) -> rx.Component:
    what = rx.match(
        item.kind,
        ("joined", rx.text(" joined the circle")),
        ("finished", rx.text(" finished ", rx.text.em(item.book_title))),
        rx.text(" read ", count_text(item.pages, "page"), " of ", rx.text.em(item.book_title)),
    )
    return rx.hstack(
        rx.icon(rx.match(item.kind, ("joined", "user-plus"), ("finished", "book-check"), "book-open"), size=16),
        rx.box(rx.text.strong(item.name), what, style=WRAP, dir="auto"),
        rx.spacer(),
        rx.moment(item.at, from_now=True, font_size="var(--font-size-1)", color=rx.color("gray", 10)),
        align="center",
        width="100%",
    )
