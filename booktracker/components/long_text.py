"""A post's long text or quote, or a long comment, folded to its first lines, with "Show more" under it.

A native ``<details>`` holds the toggle: no state and no event, so it works in
every list (feed, profile, book page, circles) and in the live cards alike, and
keyboards and screen readers get a button with its expanded state. The text
itself stays one element in the page: it is clamped by CSS while the details
are closed (``:has``), so a screen reader, a search in the page and a copy take
the whole text either way.

Which texts fold is decided from the text (length, line breaks), not measured
in the browser: the widest card (a 1366 px screen) holds ~100 characters of a
quote a line and fewer of a post's larger text (seen in the messy-data
screenshots), so a text over ``LONG_CHARS`` (120 a line) always has lines
under the fold and the toggle never opens onto nothing.
"""

from __future__ import annotations

import reflex as rx

SHOWN_LINES = 7
LONG_CHARS = 120 * SHOWN_LINES
FOLD_STYLE = {
    "&.folded > :first-child": {
        "display": "-webkit-box",
        "-webkit-box-orient": "vertical",
        "-webkit-line-clamp": str(SHOWN_LINES),
        "overflow": "hidden",
    },
    "&.folded:has(> details[open]) > :first-child": {"display": "block", "-webkit-line-clamp": "none"},
    "& summary": {
        "list-style": "none",
        "cursor": "pointer",
        "width": "fit-content",
        "color": "var(--accent-11)",
        "font-size": "var(--font-size-2)",
        "font-weight": "500",
    },
    "& summary::-webkit-details-marker": {"display": "none"},
    "& details[open] .fold-more, & details:not([open]) .fold-less": {"display": "none"},
}


def is_long(text: rx.Var[str]) -> rx.Var[bool]:
    """More than ``SHOWN_LINES`` lines typed, or more characters than that many lines hold."""
    lines = text.split("\n").length()  # pyright: ignore[reportAttributeAccessIssue]
    return (text.length() > LONG_CHARS) | (lines > SHOWN_LINES)  # pyright: ignore[reportAttributeAccessIssue]


def foldable(text: rx.Var[str], shown: rx.Component) -> rx.Component:
    """``shown`` (the component showing ``text``: one element) in a box that folds it to
    ``SHOWN_LINES`` lines with "Show more" when the text is long. One box either way,
    so the text's component is compiled once."""
    long = is_long(text)
    return rx.box(
        shown,
        rx.cond(
            long,
            rx.el.details(
                rx.el.summary(
                    rx.el.span("Show more", class_name="fold-more"),
                    rx.el.span("Show less", class_name="fold-less"),
                    class_name="fold-toggle",
                ),
                class_name="post-fold",
            ),
        ),
        class_name=rx.cond(long, "post-text-box folded", "post-text-box"),
        # The fold's clamp is meant: the messy-data check (tests/e2e/visual_checks.js) skips it,
        # and checks a short text's box as any other (React leaves out an attribute that is null).
        custom_attrs={"data-clip-ok": rx.cond(long, "", None)},
        style=FOLD_STYLE,
        width="100%",
    )
