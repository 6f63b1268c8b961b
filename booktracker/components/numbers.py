"""Numbers as readers see them: "10,000 pages", "1,234,567 likes" (issue 15: "10000 pages").

One rule, used by every count, page number and statistic the UI shows, on both sides:
- ``grouped`` for text a state builds in Python (labels, stats cards, messages);
- ``grouped_var`` for a number that reaches the page as a Var (foreach items, state
  fields) and is formatted in the browser, so a live update (a like) is formatted too.
Both group by thousands with a comma (en-US, the language of the UI's words).
Counts that are capped ("99+") stay as they are: they never reach a thousand.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.function import FunctionStringVar
from reflex.vars.sequence import StringVar

# toLocaleString("en-US") is Python's f"{n:,}" for integers (1234567 -> "1,234,567"); a
# non-number (an empty field) shows as "NaN" in the browser, so callers cast what they pass.
GROUPED_JS = '((n) => Number(n).toLocaleString("en-US"))'
_GROUPED = FunctionStringVar.create(GROUPED_JS)
# A recharts label function: a pie slice's value, grouped ("1,667", where `label=True` drew "1667").
SLICE_LABEL = rx.Var(f"((slice) => {GROUPED_JS}(slice.value))")
# A recharts Tooltip formatter: the hovered value, grouped (the tooltip drew "Paperback : 1667").
TOOLTIP_VALUE = rx.Var(f"((value) => {GROUPED_JS}(value))")


def grouped(number: int | float) -> str:
    """1234 -> "1,234"; 994.5 -> "994.5" (fractions as given: a rate rounds before it comes here)."""
    return f"{number:,}"


def grouped_var(number: rx.Var | int) -> StringVar:
    """The browser side of ``grouped``: a number Var as "1,234"."""
    return _GROUPED.call(number).to(str)


def count_text(number: rx.Var, noun: str, plural: str = "") -> rx.Var[str]:
    """ "1 book", "10,000 pages" for a number Var (the browser side of pagination.count_label)."""
    return rx.cond(number.to(int) == 1, f"1 {noun}", grouped_var(number) + f" {plural or noun + 's'}").to(str)
