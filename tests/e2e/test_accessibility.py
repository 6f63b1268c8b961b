"""Every main page, in light and dark and on a phone: axe-core finds no
serious or critical accessibility violations; screenshots go to CI artifacts."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import add_book, sign_up

# Not imported from conftest: importing it a second time would start a
# second fake book API and repoint the app at it.
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(f"{n['html'][:120]} [{n.get('failureSummary', '')[-120:]}]" for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def reader_pages(browser, app_harness):
    """A reader with a book and a post, so pages show real content."""
    context = browser.new_context(base_url=app_harness.frontend_url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_up(page, "Axe Reader")
    add_book(page, "Accessible Book", "A. Writer", "200")
    book_path = re.sub(r"^https?://[^/]+", "", page.url)
    page.goto("/")
    page.fill("#composer-text", "An accessible post")
    page.click("#post-submit")
    expect(page.locator(".post-card").first).to_be_visible()
    storage = context.storage_state()
    context.close()
    return storage, book_path


MAIN_PAGES = ["/", "/library", "/books/add", "BOOK", "/stats", "/import", "/people", "/settings"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_main_pages_have_no_serious_violations(browser, app_harness, reader_pages, scheme, viewport):
    storage, book_path = reader_pages
    context = browser.new_context(
        base_url=app_harness.frontend_url,
        storage_state=storage,
        color_scheme=scheme,
        viewport=PHONE if viewport == "phone" else {"width": 1280, "height": 900},
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path in MAIN_PAGES:
        url = book_path if path == "BOOK" else path
        page.goto(url)
        page.wait_for_selector("main")
        page.wait_for_timeout(600)  # let data arrive over the websocket
        name = (path.strip("/") or "feed").replace("/", "-").lower()
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}-{scheme}.png"), full_page=True)
        found = axe_violations(page)
        if found:
            problems[url] = found
    context.close()
    assert problems == {}, "\n".join(f"{url}: {v}" for url, found in problems.items() for v in found)


def test_logged_out_pages(new_page):
    page = new_page("visitor")
    problems = {}
    for path in ("/", "/login", "/signup"):
        page.goto(path)
        page.wait_for_selector("main")
        page.wait_for_timeout(400)
        if found := axe_violations(page):
            problems[path] = found
    assert problems == {}, "\n".join(f"{url}: {v}" for url, found in problems.items() for v in found)
