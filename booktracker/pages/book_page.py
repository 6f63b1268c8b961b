"""/book/[book_ref]: a shared book's public page ("/book/123-the-hobbit").

Open to visitors: the book, its counts and rating distribution, public
reviews (newest or most liked) and posts about it through the post list
(spoiler shield, likes, comments, live counts as everywhere); signed in, the
reader's own copy or "Add to my library", and the friends who read it.
What is counted and what is listed: services/book_pages.py.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP, cover, stars, status_badge
from booktracker.components.layout import empty_state, match_component, page, picture_beside
from booktracker.components.numbers import count_text, grouped_var
from booktracker.components.post_list import PostListMixin, post_list
from booktracker.components.posts import avatar
from booktracker.components.share import share_button
from booktracker.db import session_scope
from booktracker.errors import NotFound
from booktracker.services import book_pages, posts
from booktracker.services.book_pages import BookPageView, FriendReader
from booktracker.state import AuthState, handle_errors

EMPTY_BOOK = BookPageView(
    id=0,
    title="",
    authors="",
    cover_url="",
    description="",
    series="",
    year="",
    pages=0,
    average_rating=0.0,
    rating_count=0,
)
LISTS = {"reviews": "Reviews", "posts": "Posts & quotes"}
SORTS = {"newest": "Newest", "liked": "Most liked"}


@dataclasses.dataclass
class StarRow:
    """One bar of the rating distribution."""

    star: int
    count: int
    percent: int  # of all ratings, for the bar


def star_rows(view: BookPageView) -> list[StarRow]:
    total = sum(view.distribution) or 1
    return [
        StarRow(star=star, count=count, percent=round(100 * count / total))
        for star, count in reversed(list(zip(book_pages.STARS, view.distribution, strict=True)))
    ]


class BookPageState(PostListMixin, AuthState):
    book: rx.Field[BookPageView] = rx.field(default_factory=lambda: EMPTY_BOOK.model_copy(deep=True))
    found: rx.Field[str] = rx.field("loading")  # loading | found | missing
    star_bars: rx.Field[list[StarRow]] = rx.field(default_factory=list)
    list_kind: rx.Field[str] = rx.field("reviews")
    sort: rx.Field[str] = rx.field("newest")

    def _book_id(self) -> int:
        return book_pages.parse_book_ref(self.router.page.params.get(routes.BOOK_REF_PARAM, ""))

    def _load_page(self, cursor: str) -> posts.FeedPage:
        with session_scope() as session:
            return posts.book_posts(
                session=session,
                viewer_id=self._viewer_id(),
                book_id=self.book.id,
                kind=self.list_kind,
                sort=self.sort,
                cursor=cursor,
            )

    def _load_book(self, book_id: int) -> None:
        with session_scope() as session:
            self.book = book_pages.book_page(session=session, viewer_id=self._viewer_id(), book_id=book_id)
        self.star_bars = star_rows(self.book)

    @rx.event
    @handle_errors
    def load(self):
        self.found, self.list_kind, self.sort = "loading", "reviews", "newest"
        self._set_page(posts.FeedPage(posts=[], next_cursor=""), append=False)
        try:
            self._load_book(self._book_id())
        except NotFound:
            self.book, self.star_bars, self.found = EMPTY_BOOK, [], "missing"
            return
        self._set_page(self._load_page(""), append=False)
        self.found = "found"

    @rx.event
    @handle_errors
    def show_list(self, kind: str | list[str]):
        self.list_kind = kind if isinstance(kind, str) and kind in LISTS else "reviews"
        self._set_page(self._load_page(""), append=False)

    @rx.event
    @handle_errors
    def set_sort(self, sort: str):
        self.sort = sort if sort in SORTS else "newest"
        self._set_page(self._load_page(""), append=False)

    @rx.event
    @handle_errors
    def add_to_library(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            book_pages.add_to_my_library(session=session, user_id=user_id, book_id=self.book.id)
        self._load_book(self.book.id)
        return rx.toast.success(f"“{self.book.title}” is on your Want to read shelf.")


S = BookPageState


def book_var() -> ObjectVar[BookPageView]:
    return S.book.to(ObjectVar, BookPageView)


def header() -> rx.Component:
    b = book_var()
    facts = rx.text(
        rx.cond(b.series != "", f"{b.series} · ", ""),
        rx.cond(b.year != "", f"{b.year} · ", ""),
        rx.cond(b.pages.to(int) > 0, count_text(b.pages, "page"), ""),
        size="2",
        color_scheme="gray",
        style=WRAP,
    )
    return picture_beside(
        cover(b.cover_url, b.title, width="8rem"),
        rx.heading(b.title, size="7", id="book-title", style=WRAP),
        rx.text(b.authors, size="4", color_scheme="gray", style=WRAP),
        facts,
        my_copy(),
        share_button(routes.share_book(b.id), b.title),
        rx.cond(b.description != "", rx.text(b.description, size="2", white_space="pre-wrap", style=WRAP)),
    )


def my_copy() -> rx.Component:
    b = book_var()
    return rx.cond(
        S.logged_in,
        rx.cond(
            b.my_user_book_id.to(int) > 0,
            rx.hstack(
                rx.text("In your library:", size="2"),
                status_badge(b.my_status),
                rx.link("Open my copy", href=routes.book(b.my_user_book_id), size="2", id="my-copy-link"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.button(rx.icon("plus", size=14), "Add to my library", on_click=S.add_to_library, id="add-to-library"),
        ),
        rx.link(rx.button("Log in to add it to your library", variant="soft"), href=routes.LOGIN),
    )


def _bar(row: ObjectVar[StarRow]) -> rx.Component:
    return rx.hstack(
        rx.text(f"{row.star}★", size="1", width="2rem"),
        rx.progress(value=row.percent, max=100, size="1", aria_label=f"{row.star} stars: {grouped_var(row.count)}"),
        rx.text(grouped_var(row.count), size="1", min_width="2.5rem", text_align="right"),
        width="100%",
        align="center",
    )


def ratings_card() -> rx.Component:
    b = book_var()
    return rx.card(
        rx.vstack(
            rx.heading("Ratings", size="4"),
            rx.cond(
                b.rating_count.to(int) > 0,
                rx.hstack(
                    stars(b.average_rating),
                    rx.text("from ", count_text(b.rating_count, "rating"), size="1", color_scheme="gray"),
                    align="center",
                    id="average-rating",
                ),
                rx.text("No ratings yet.", size="2", color_scheme="gray"),
            ),
            rx.foreach(S.star_bars, _bar),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="ratings",
    )


def _count(value: rx.Var, label: str, key: str) -> rx.Component:
    return rx.vstack(
        rx.text(grouped_var(value), size="5", weight="bold"),
        rx.text(label, size="1", color_scheme="gray"),
        spacing="0",
        align="center",
        id=f"count-{key}",
    )


def _friend(friend: ObjectVar[FriendReader]) -> rx.Component:
    return rx.hstack(
        avatar(friend.initials, size="1"),
        rx.link(friend.name, href=routes.profile(friend.username), size="2"),
        status_badge(friend.status),
        spacing="2",
        align="center",
    )


def readers_card() -> rx.Component:
    b = book_var()
    return rx.card(
        rx.vstack(
            rx.heading("Readers", size="4"),
            rx.hstack(
                _count(b.want_to_read, "want to read", "want"),
                _count(b.reading, "reading", "reading"),
                _count(b.finished, "finished", "finished"),
                justify="between",
                width="100%",
            ),
            rx.cond(
                b.friends.length() > 0,  # pyright: ignore[reportAttributeAccessIssue]
                rx.vstack(
                    rx.text("Friends who read it", size="2", weight="bold"),
                    rx.foreach(b.friends, _friend),
                    spacing="2",
                    id="friends",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def lists() -> rx.Component:
    b = book_var()
    return rx.vstack(
        rx.flex(
            rx.segmented_control.root(
                rx.segmented_control.item(f"Reviews ({grouped_var(b.review_count)})", value="reviews"),
                rx.segmented_control.item(LISTS["posts"], value="posts"),
                value=S.list_kind,
                on_change=S.show_list,
                id="book-lists",
            ),
            rx.cond(
                S.list_kind == "reviews",
                rx.select.root(
                    rx.select.trigger(aria_label="Order of reviews", id="review-sort"),
                    rx.select.content(*[rx.select.item(label, value=key) for key, label in SORTS.items()]),
                    value=S.sort,
                    on_change=S.set_sort,
                ),
            ),
            gap="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        post_list(
            S,
            empty=rx.text(
                rx.cond(S.list_kind == "reviews", "No public reviews yet.", "No posts about this book yet."),
                color_scheme="gray",
                size="2",
            ),
        ),
        spacing="3",
        width="100%",
    )


def book_public_page() -> rx.Component:
    return page(
        match_component(
            S.found,
            ("loading", rx.center(rx.spinner(size="3"), padding="3rem")),
            (
                "missing",
                empty_state(
                    "book-x",
                    "Book not found",
                    "There is no book at this address.",
                    rx.link(rx.button("Back to the feed"), href=routes.HOME),
                ),
            ),
            rx.vstack(
                header(),
                rx.grid(ratings_card(), readers_card(), columns=rx.breakpoints(initial="1", md="2"), spacing="4"),
                lists(),
                spacing="4",
                width="100%",
            ),
        ),
        max_width="60rem",
    )
