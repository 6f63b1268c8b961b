"""Small pieces that show a book: cover, status badge, progress, stars."""

import reflex as rx

from booktracker.components.numbers import grouped_var
from booktracker.models import STATUS_COLORS, STATUS_LABELS


def label_of(value: rx.Var[str], labels: dict[str, str], default: str = "") -> rx.Var:
    label = rx.match(value, *labels.items(), default)
    # rx.match gives a Var when no case is a component; its signature only says Component | Var.
    assert isinstance(label, rx.Var)
    return label


def status_badge(status: rx.Var[str]) -> rx.Component:
    return rx.badge(
        label_of(status, STATUS_LABELS),
        color_scheme=label_of(status, STATUS_COLORS, "gray"),
        variant="soft",
        # Soft blue/green text fell under 4.5:1 on the book page's tinted cards (axe, light theme).
        high_contrast=True,
    )


def read_count_badge(count: rx.Var[int]) -> rx.Component:
    """ "3 reads" once a book was finished more than once (the library and the book page)."""
    return rx.cond(count.to(int) > 1, rx.badge(f"{grouped_var(count)} reads", variant="surface", color_scheme="teal"))


# Long titles, authors and notes without spaces wrap instead of widening the page.
WRAP = {"overflow_wrap": "anywhere", "word_break": "break-word"}

# A cover that fails to load is hidden: the placeholder under it shows instead
# of the browser's broken-image icon and alt text. A later src that loads (the
# same <img> reused for another row) shows again.
_HIDE_ON_ERROR = rx.Var("(e) => { e.currentTarget.style.visibility = 'hidden'; }")
_SHOW_ON_LOAD = rx.Var("(e) => { e.currentTarget.style.visibility = 'visible'; }")


def cover(url: rx.Var[str], title: rx.Var[str], *, width: str = "4.5rem") -> rx.Component:
    """A 2:3 box of fixed width: the cover, or a book icon when there is none or it fails to load."""
    return rx.box(
        rx.center(
            rx.icon("book", size=24, color=rx.color("gray", 9)),
            position="absolute",
            inset="0",
            aria_hidden="true",
        ),
        rx.cond(
            url != "",
            rx.image(
                src=url,
                alt=f"Cover of {title}",
                loading="lazy",
                position="absolute",
                inset="0",
                width="100%",
                height="100%",
                object_fit="cover",
                # The alt text never spills out while loading or when broken.
                color="transparent",
                font_size="0",
                custom_attrs={"onError": _HIDE_ON_ERROR, "onLoad": _SHOW_ON_LOAD},
                class_name="book-cover",
            ),
        ),
        position="relative",
        width=width,
        min_width=width,
        aspect_ratio="2 / 3",
        overflow="hidden",
        background=rx.color("gray", 4),
        border_radius="var(--radius-2)",
        flex_shrink="0",
    )


def stars(rating: rx.Var[float]) -> rx.Component:
    return rx.cond(
        rating.to(float) > 0,  # .to(): the number operators are typed on NumberVar only (same JS)
        rx.hstack(
            rx.icon("star", size=14, fill="currentColor", color=rx.color("amber", 9)),
            rx.text(rating, size="1"),
            spacing="1",
            align="center",
            aria_label=f"Rated {rating} out of 5",
        ),
    )


def progress_line(current: rx.Var[int], total: rx.Var[int], percent: rx.Var[int]) -> rx.Component:
    return rx.cond(
        total.to(int) > 0,
        rx.vstack(
            rx.progress(value=percent, max=100, size="1", aria_label="Reading progress"),
            rx.text(f"{grouped_var(current)} / {grouped_var(total)} pages · {percent}%", size="1", color_scheme="gray"),
            spacing="1",
            width="100%",
        ),
        rx.text(f"Page {grouped_var(current)}", size="1", color_scheme="gray"),
    )
