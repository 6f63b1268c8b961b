"""The book page's progress box (page, % or h:mm) and "My copy" form; the
handlers are ``CopyMixin`` (pages/book_copy.py)."""

from __future__ import annotations

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker.components.forms import field
from booktracker.models import PROGRESS_UNIT_LABELS, BookFormat, ProgressUnit, UserBookDetail
from booktracker.services import books

# What the progress box asks for, per unit.
PROGRESS_INPUT_LABELS = {
    ProgressUnit.PAGES.value: "Current page",
    ProgressUnit.PERCENT.value: "Percent read",
    ProgressUnit.MINUTES.value: "Time listened (h:mm)",
}


def _detail(state) -> ObjectVar[UserBookDetail]:
    return state.detail.to(ObjectVar, UserBookDetail)


def progress_form(state) -> rx.Component:
    """The progress bar, its summary and the box to move it, in the entry's unit."""
    d = _detail(state)
    unit = d.progress_unit.to(str)
    return rx.fragment(
        rx.vstack(
            rx.cond(
                state.progress_has_end,
                rx.progress(value=d.percent, max=100, size="3", aria_label="Reading progress"),
            ),
            rx.text(state.progress_summary, id="progress-text", size="2"),
            width="100%",
        ),
        rx.form(
            rx.hstack(
                rx.el.label(
                    rx.match(
                        unit,
                        *[(key, rx.text(label, size="2")) for key, label in PROGRESS_INPUT_LABELS.items()],
                        rx.text("Current page", size="2"),
                    ),
                    rx.input(
                        name="current_page",
                        id="current_page",
                        # h:mm is not a number; pages and percent are.
                        type=rx.cond(unit == ProgressUnit.MINUTES.value, "text", "number"),
                        input_mode="numeric",
                        min=0,
                        max=rx.cond(unit == ProgressUnit.PERCENT.value, 100, books.PAGES_MAX),
                        placeholder=rx.cond(unit == ProgressUnit.MINUTES.value, "h:mm", ""),
                        default_value=state.progress_input,
                        width="8rem",
                    ),
                    display="flex",
                    align_items="center",
                    gap="0.5rem",
                ),
                rx.button("Update", type="submit", id="save-progress"),
                align="center",
                wrap="wrap",
            ),
            key=f"{d.id}-{d.current_page}-{unit}",
            on_submit=state.save_progress,
            reset_on_submit=False,
        ),
    )


def copy_card(state) -> rx.Component:
    """The reader's own edition: only they see it, other readers keep theirs."""
    d = _detail(state)
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("My copy", size="4"),
                rx.text(
                    "Only you see these; the shared book record stays as it is for other readers.",
                    size="1",
                    color_scheme="gray",
                ),
                rx.grid(
                    _edition_fields(d),
                    _length_and_unit(state, d),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.button("Save my copy", type="submit", id="save-copy"),
                spacing="3",
                width="100%",
            ),
            # Re-mounts with the saved values (default_value is read once).
            key=f"{d.id}-{d.copy_title}-{d.copy_pages}-{d.progress_unit}-{d.format}-{state.audio_length}",
            on_submit=state.save_copy,
            reset_on_submit=False,
        ),
        width="100%",
    )


def _edition_fields(d: ObjectVar[UserBookDetail]) -> rx.Component:
    """Title, pages, ISBN and cover of the reader's edition (grid cells)."""
    return rx.fragment(
        field(
            "Title as you want it shown",
            rx.input(
                name="copy_title",
                id="copy_title",
                default_value=d.copy_title,
                placeholder=d.book_title,
                max_length=books.TITLE_MAX,
            ),
        ),
        field(
            "Pages in your edition",
            rx.input(
                name="copy_pages",
                id="copy_pages",
                type="number",
                min=1,
                max=books.PAGES_MAX,
                default_value=rx.cond(d.copy_pages.to(int) > 0, d.copy_pages.to_string(), ""),
                placeholder=rx.cond(d.book_total_pages.to(int) > 0, d.book_total_pages.to_string(), ""),
            ),
        ),
        field(
            "ISBN of your edition",
            rx.input(name="copy_isbn", id="copy_isbn", default_value=d.copy_isbn, max_length=20),
        ),
        field(
            "Cover image address",
            rx.input(
                name="copy_cover_url",
                id="copy_cover_url",
                type="url",
                default_value=d.copy_cover_url,
                max_length=books.URL_MAX,
            ),
            hint="From Google Books or Open Library.",
        ),
    )


def _length_and_unit(state, d: ObjectVar[UserBookDetail]) -> rx.Component:
    """An audiobook's length, and what progress is counted in (grid cells)."""
    return rx.fragment(
        rx.cond(
            d.format == BookFormat.AUDIOBOOK.value,
            field(
                "Audiobook length (h:mm)",
                rx.input(
                    name="audio_length",
                    id="audio_length",
                    default_value=state.audio_length,
                    placeholder="11:42",
                ),
            ),
        ),
        field(
            "Track progress in",
            rx.select.root(
                rx.select.trigger(id="progress_unit", aria_label="Track progress in", width="100%"),
                rx.select.content(
                    *[
                        rx.select.item(label, value=key)
                        for key, label in PROGRESS_UNIT_LABELS.items()
                        if key != ProgressUnit.MINUTES
                    ],
                    rx.cond(
                        d.format == BookFormat.AUDIOBOOK.value,
                        rx.select.item(PROGRESS_UNIT_LABELS[ProgressUnit.MINUTES], value=ProgressUnit.MINUTES.value),
                    ),
                ),
                name="progress_unit",
                default_value=d.progress_unit,
            ),
            hint="Minutes are for audiobooks (set the format below).",
        ),
    )
