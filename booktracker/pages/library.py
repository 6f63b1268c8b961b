"""/library: tabs, filters, search, sort and pagination, all done in SQL.

The state holds only the visible page (6 rows) and the tab counts.
"""

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP, cover, label_of, progress_line, read_count_badge, stars, status_badge
from booktracker.components.layout import empty_state, page
from booktracker.components.numbers import grouped_var
from booktracker.components.pagination import page_window, pagination, range_label
from booktracker.components.shelves import shelf_filter
from booktracker.db import session_scope
from booktracker.models import FORMAT_LABELS, OWNERSHIP_LABELS, STATUS_TAB_LABELS, LibraryItem, Ownership
from booktracker.pages.library_shelves import ANY_SHELF, LibraryShelvesMixin
from booktracker.services import library
from booktracker.state import AuthState, handle_errors

ANY = "any"  # Radix selects cannot hold an empty value
TAB_LABELS = {library.ALL_TAB: "All", **STATUS_TAB_LABELS}
SORT_LABELS = {"updated": "Recently updated", "title": "Title", "author": "Author", "rating": "Rating"}


class LibraryState(LibraryShelvesMixin, AuthState):
    tab: str = library.ALL_TAB
    format_filter: str = ANY
    ownership_filter: str = ANY
    search: str = ""
    sort: str = "updated"
    # rx.Field: the class attribute type-checks as a Var (pagination), the instance one as the value.
    page_number: rx.Field[int] = rx.field(1)
    pages: rx.Field[int] = rx.field(1)
    window: rx.Field[list[int]] = rx.field(default_factory=list)
    items: list[LibraryItem] = []
    counts: dict[str, int] = {}
    total: rx.Field[int] = rx.field(0)
    # Every book of the reader, whatever the filters: "your library is empty" only when 0.
    library_total: rx.Field[int] = rx.field(0)
    first: rx.Field[int] = rx.field(0)
    last: rx.Field[int] = rx.field(0)
    range_label: rx.Field[str] = rx.field("")  # "1 book", "1–6 of 20 books"
    loaded: bool = False

    def _refresh(self, user_id: int | None = None) -> int:
        user_id = self.current_user_id() if user_id is None else user_id
        query = library.LibraryQuery(
            tab=self.tab,
            format="" if self.format_filter == ANY else self.format_filter,
            ownership="" if self.ownership_filter == ANY else self.ownership_filter,
            search=self.search,
            shelf=self._shelf_query(),
            sort=self.sort,
            page=self.page_number,
        )
        with session_scope() as session:
            result = library.list_library(session=session, user_id=user_id, query=query)
        self.items = result.items
        self.counts = result.counts
        self.total = result.total
        self.library_total = result.library_total
        self.page_number = result.page
        self.pages = result.pages
        self.first, self.last = result.first, result.last
        self.range_label = range_label(result.first, result.last, result.total, "book")
        self.window = page_window(result.page, result.pages)
        self.loaded = True
        return user_id

    def _filter_changed(self) -> None:
        self.page_number = 1  # a new filter starts at the first page
        self._refresh()

    @rx.event
    @handle_errors
    def load(self):
        # One statement more than a filter change: the shelves with their counts.
        user_id = self.current_user_id()
        self._load_shelves(user_id)
        self._refresh(user_id)

    @rx.event
    @handle_errors
    def set_tab(self, tab: str | list[str]):
        tab = tab[0] if isinstance(tab, list) and tab else str(tab)
        if tab in library.TABS:
            self.tab = tab
        self._filter_changed()

    @rx.event
    @handle_errors
    def set_format_filter(self, value: str):
        self.format_filter = value if value in FORMAT_LABELS else ANY
        self._filter_changed()

    @rx.event
    @handle_errors
    def set_ownership_filter(self, value: str):
        self.ownership_filter = value if value in OWNERSHIP_LABELS else ANY
        self._filter_changed()

    @rx.event
    @handle_errors
    def set_search(self, value: str):
        self.search = value[: library.SEARCH_MAX]
        self._filter_changed()

    @rx.event
    @handle_errors
    def clear_search(self):
        self.search = ""
        self._filter_changed()

    @rx.event
    @handle_errors
    def set_sort(self, value: str):
        if value in library.SORTS:
            self.sort = value
        self._filter_changed()

    @rx.event
    @handle_errors
    def clear_filters(self):
        self.format_filter = ANY
        self.ownership_filter = ANY
        self.search = ""
        self.shelf_filter = ANY_SHELF
        self.sort = "updated"
        self._filter_changed()

    @rx.event
    @handle_errors
    def go_to_page(self, number: int):
        self.page_number = max(1, min(int(number), self.pages))
        self._refresh()

    @rx.var
    def filtered(self) -> bool:
        return (
            self.format_filter != ANY
            or self.ownership_filter != ANY
            or self.shelf_filter != ANY_SHELF
            or self.search != ""
            or self.sort != "updated"
        )


def _select(value, on_change, labels: dict[str, str], any_label: str, aria: str) -> rx.Component:
    items = ([(ANY, any_label)] if any_label else []) + list(labels.items())
    return rx.select.root(
        rx.select.trigger(aria_label=aria, min_width="10rem"),
        rx.select.content(*[rx.select.item(label, value=key) for key, label in items]),
        value=value,
        on_change=on_change,
    )


def toolbar() -> rx.Component:
    return rx.flex(
        rx.debounce_input(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                placeholder="Search title or author",
                value=LibraryState.search,
                on_change=LibraryState.set_search,
                aria_label="Search your library",
                id="library-search",
                min_width="14rem",
                flex="1",
            ),
            debounce_timeout=300,
        ),
        _select(LibraryState.format_filter, LibraryState.set_format_filter, FORMAT_LABELS, "All formats", "Format"),
        _select(
            LibraryState.ownership_filter,
            LibraryState.set_ownership_filter,
            OWNERSHIP_LABELS,
            "Any ownership",
            "Ownership",
        ),
        _select(LibraryState.sort, LibraryState.set_sort, SORT_LABELS, "", "Sort by"),
        shelf_filter(LibraryState),
        rx.cond(
            LibraryState.filtered,
            rx.button(rx.icon("x", size=14), "Clear filters", variant="ghost", on_click=LibraryState.clear_filters),
        ),
        gap="2",
        wrap="wrap",
        align="center",
        width="100%",
    )


# On a narrow screen the tabs scroll sideways: the right edge fades out to show there is more. The fade
# falls on a gap after the last tab, so scrolled to the end (or when they fit) every tab is fully visible.
_TABS_FADE = "linear-gradient(to right, black calc(100% - 2rem), transparent)"


def tabs() -> rx.Component:
    return rx.box(
        rx.box(
            rx.segmented_control.root(
                *[
                    rx.segmented_control.item(
                        rx.hstack(
                            rx.text(label),
                            rx.badge(grouped_var(LibraryState.counts.get(key, 0)), variant="soft", radius="full"),
                            spacing="2",
                            align="center",
                        ),
                        value=key,
                        id=f"tab-{key}",
                    )
                    for key, label in TAB_LABELS.items()
                ],
                value=LibraryState.tab,
                on_change=LibraryState.set_tab,
                aria_label="Shelf",
            ),
            width="max-content",
            padding_right="2rem",
        ),
        overflow_x="auto",
        max_width="100%",
        mask_image=_TABS_FADE,
        id="library-tabs",
    )


def book_card(item: ObjectVar[LibraryItem]) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                cover(item.cover_url, item.title),
                rx.vstack(
                    rx.text(item.title, weight="bold", size="3", trim="start", class_name="book-title", style=WRAP),
                    rx.text(item.authors, size="2", color_scheme="gray", style=WRAP),
                    rx.hstack(
                        status_badge(item.status),
                        rx.cond(item.format != "", rx.badge(label_of(item.format, FORMAT_LABELS), variant="outline")),
                        rx.cond(
                            item.ownership != Ownership.NONE.value,
                            rx.badge(label_of(item.ownership, OWNERSHIP_LABELS), variant="outline"),
                        ),
                        stars(item.rating),
                        read_count_badge(item.read_count),
                        spacing="2",
                        wrap="wrap",
                        align="center",
                    ),
                    progress_line(item.current_page, item.total_pages, item.percent),
                    spacing="2",
                    width="100%",
                    min_width="0",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            height="100%",
        ),
        href=routes.book(item.id),
        underline="none",
        color="inherit",
        aria_label=item.title,
    )


def results() -> rx.Component:
    return rx.cond(
        LibraryState.total > 0,
        rx.vstack(
            rx.grid(
                rx.foreach(LibraryState.items, book_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="3",
                width="100%",
                class_name="book-grid",
            ),
            rx.flex(
                rx.text(
                    LibraryState.range_label,
                    size="2",
                    color_scheme="gray",
                    id="library-range",
                ),
                rx.spacer(),
                pagination(
                    window=LibraryState.window,
                    current=LibraryState.page_number,
                    pages=LibraryState.pages,
                    on_page=LibraryState.go_to_page,
                ),
                align="center",
                gap="3",
                wrap="wrap",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            LibraryState.loaded,
            rx.cond(
                LibraryState.library_total == 0,
                empty_state(
                    "library",
                    "Your library is empty",
                    "Add the book you're reading now, or the next one you want to read.",
                    rx.link(rx.button(rx.icon("plus"), "Add a book"), href=routes.ADD_BOOK),
                ),
                rx.cond(
                    LibraryState.search != "",
                    empty_state(
                        "search-x",
                        f"No books match “{LibraryState.search}”",
                        "Try another spelling, tab or filter.",
                        rx.button(rx.icon("x", size=14), "Clear search", on_click=LibraryState.clear_search),
                    ),
                    empty_state("search-x", "No books match", "Try another tab or filter."),
                ),
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        ),
    )


def library_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.flex(
                rx.heading("My library", size="7"),
                rx.spacer(),
                rx.link(rx.button(rx.icon("plus"), "Add book"), href=routes.ADD_BOOK),
                align="center",
                width="100%",
            ),
            tabs(),
            toolbar(),
            results(),
            spacing="4",
            width="100%",
        )
    )
