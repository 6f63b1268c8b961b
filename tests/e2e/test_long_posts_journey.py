"""A long post is folded to its first lines with "Show more" (components/long_text.py);
a short one is shown whole with no toggle. On a phone and a desktop."""

import pytest
from playwright.sync_api import Page, expect

from booktracker.components.long_text import SHOWN_LINES
from tests.e2e.helpers import sign_up

PARAGRAPH = "The lighthouse keeper counted the ships that never came, one for every night of the winter. "


def _box(page: Page, text: str) -> dict:
    """How the post's text is drawn: its line height, the height shown and the height it needs."""
    card = page.locator(".post-card").filter(has_text=text[:40])
    return card.locator(".post-text").evaluate(
        "(el) => ({shown: el.clientHeight, needed: el.scrollHeight, line: parseFloat(getComputedStyle(el).lineHeight)})"
    )


def _write(page: Page, text: str) -> None:
    page.fill("#composer-text", text)
    page.click("#post-submit")
    expect(page.locator(".post-card").filter(has_text=text[:40])).to_be_visible()


@pytest.mark.parametrize("width", [390, 1366])
def test_a_long_post_folds_and_opens(new_page, width):
    page = new_page(f"long-{width}")
    page.set_viewport_size({"width": width, "height": 900})
    sign_up(page, f"Lena Long{width}")
    page.goto("/")
    # Each run's own texts: the feed shows the other run's public posts too.
    long_text = f"At {width} px. " + "\n\n".join([PARAGRAPH * 3] * 6) + "\nThe last line is the twist."  # ~1,700
    short_text = f"At {width} px, two lines,\nthat is all."
    _write(page, long_text)
    _write(page, short_text)

    long_card = page.locator(".post-card").filter(has_text=long_text[:40])
    toggle = long_card.locator(".fold-toggle")
    expect(toggle).to_have_text("Show more", use_inner_text=True)
    folded = _box(page, long_text)
    assert folded["shown"] <= SHOWN_LINES * folded["line"] + 1, folded
    assert folded["needed"] > folded["shown"] * 2, folded  # most of it is under the fold
    # The whole text is in the page either way (a screen reader, find in page, a copy).
    expect(long_card.locator(".post-text")).to_contain_text("The last line is the twist.")

    toggle.click()
    expect(toggle).to_have_text("Show less", use_inner_text=True)
    opened = _box(page, long_text)
    assert opened["shown"] == opened["needed"] > folded["shown"] * 2, opened
    toggle.click()
    expect(toggle).to_have_text("Show more", use_inner_text=True)
    assert _box(page, long_text)["shown"] == folded["shown"]

    short_card = page.locator(".post-card").filter(has_text=short_text[:20])
    expect(short_card.locator(".fold-toggle")).to_have_count(0)
    short = _box(page, short_text)
    assert short["shown"] == short["needed"], short
