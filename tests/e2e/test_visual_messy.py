"""Every main page with messy data (tests/support/messy_data.py), in light and
dark, on a desktop (1366×900) and a phone (390×844): screenshots go to
tests/e2e/screenshots/ (CI artifacts), and the run fails on sideways scrolling,
text that does not fit its box, overlapping siblings in key rows, images with
neither a loaded source nor a placeholder, and axe serious/critical violations
(tests/e2e/visual_checks.js; the page opts out of the text check with
``data-clip-ok`` where clipping is meant).

One app, one browser context per reader; each page is checked with one
evaluate. Add a page: one row in PAGES.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from booktracker import routes
from booktracker.db import get_engine
from booktracker.services.library import TABS
from tests.support import messy_data
from tests.support.messy_data import MessyData

# Not imported from conftest (see test_accessibility.py).
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
CHECKS = (Path(__file__).parent / "visual_checks.js").read_text()
VIEWPORTS: dict[str, ViewportSize] = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
ALL = tuple((v, s) for v in VIEWPORTS for s in SCHEMES)
# Fewer combinations for the small states: they share every component with the big ones.
TWO = (("desktop", "light"), ("phone", "dark"))
# axe in one size per theme: colours differ by theme, structure hardly by size
# (tests/e2e/test_accessibility.py runs it in all four on the plain pages).
AXE_COMBOS = TWO
# Rows whose children must never overlap: the navbar, post headers, card grids, the profile's counts.
ROWS = ["nav > div", "nav > div > div", ".post-header", ".book-grid", "#profile-stats", "#profile-header"]
ROWS += [".recharts-cartesian-axis-ticks"]  # chart axis labels (dates on a phone's x-axis overlapped)
# Labels that must stay on one line.
ONE_LINE = ["nav a", "nav button", ".rt-SegmentedControlItem", ".post-card .rt-Button"]
# Anything but the app itself is unreachable: covers and images on other hosts fail at once.
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")


@dataclass(frozen=True)
class Visit:
    """A page as one reader sees it. ``path`` gets the fixture's data;
    ``then`` drives the page into further states, each checked and photographed."""

    name: str
    reader: str  # "visitor", "main", "empty" or "one"
    path: Callable[[MessyData], str]
    then: tuple[tuple[str, Callable[[Page], None]], ...] = ()
    combos: tuple[tuple[str, str], ...] = ALL
    then_combos: tuple[tuple[str, str], ...] = TWO
    extra_rows: tuple[str, ...] = field(default=())
    shows: tuple[str, ...] = ()  # text the page's main must show (numbers with separators)


def _tab(key: str) -> Callable[[Page], None]:
    return lambda page: page.click(f"#tab-{key}")


def _open_folds(page: Page) -> None:
    """Every long text and quote opened (components/long_text.py)."""
    toggles = page.locator("main .fold-toggle")
    assert toggles.count() >= 2  # the long Japanese post and the long quote
    for toggle in toggles.all():
        toggle.click()


def _hover_a_format(page: Page) -> None:
    """The formats pie's tooltip shows a slice's count grouped (5,000 books in three formats)."""
    card = page.locator(".rt-Card").filter(has=page.get_by_text("Formats", exact=True))
    card.locator(".recharts-pie-sector").first.hover()
    tooltip = card.locator(".recharts-tooltip-wrapper").filter(has_text=" : ")
    tooltip.wait_for()
    assert re.search(r" : 1,66[67]\b", tooltip.inner_text()), tooltip.inner_text()


def _search_people(page: Page) -> None:
    page.fill("#people-search", "ya")
    page.wait_for_selector("main a[href^='/u/']")


PAGES: list[Visit] = [
    Visit("feed", "visitor", lambda d: routes.HOME),
    Visit("profile", "visitor", lambda d: routes.profile(d.main_username), combos=TWO),
    Visit("feed", "main", lambda d: routes.HOME, then=(("show-more", _open_folds),), shows=("1,234,567", "p. 9,999")),
    Visit(
        "library",
        "main",
        lambda d: routes.LIBRARY,
        then=tuple((f"tab-{k}", _tab(k)) for k in TABS[1:]),
        shows=("9,999 / 10,000 pages · 99%", "of 5,000 books", "5,000"),
    ),
    Visit("book-long", "main", lambda d: routes.book(d.long_book_id), shows=("Page 9,999 of 10,000 · 99%", "p. 9,999")),
    Visit("book-arabic", "main", lambda d: routes.book(d.arabic_book_id), combos=TWO),
    Visit("profile", "main", lambda d: routes.profile(d.main_username), shows=("5,000",)),
    Visit("people", "main", lambda d: routes.PEOPLE, then=(("search", _search_people),)),
    Visit("stats", "main", lambda d: routes.STATS, then=(("tooltip", _hover_a_format),)),
    Visit("settings", "main", lambda d: routes.ACCOUNT),
    Visit("import", "main", lambda d: routes.IMPORT),
    Visit("library", "empty", lambda d: routes.LIBRARY, combos=TWO),
    Visit("feed", "empty", lambda d: routes.HOME, combos=TWO),
    Visit("stats", "empty", lambda d: routes.STATS, combos=TWO),
    Visit("profile", "empty", lambda d: routes.profile(d.empty_username), combos=TWO),
    Visit("library", "one", lambda d: routes.LIBRARY, combos=TWO),
    Visit("profile", "one", lambda d: routes.profile(d.one_username), combos=TWO),
    Visit("stats", "one", lambda d: routes.STATS, combos=TWO),
]
# Pages added this session by the book, notifications and circles work.
PAGES += [
    Visit("public-book", "main", lambda d: routes.book_page(d.long_shared_book_id), shows=("10,000 pages",)),
    Visit("public-book", "visitor", lambda d: routes.book_page(d.long_shared_book_id), combos=TWO),
    Visit("notifications", "main", lambda d: routes.NOTIFICATIONS, combos=TWO),
    Visit("circles", "main", lambda d: routes.CIRCLES, combos=TWO),
]


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"axe {v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["html"][:120] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def settle(page: Page) -> None:
    """Wait for the page's data to arrive over the websocket (spinners gone, then a moment).
    A spinner that stays (something loading forever) is in the screenshot; the checks go on."""
    page.wait_for_selector("main")
    try:
        page.wait_for_function("() => !document.querySelector('main .rt-Spinner')", timeout=8_000)
    except PlaywrightTimeout:
        pass
    page.wait_for_timeout(300)


def check(page: Page, label: str, *, rows: list[str], axe: bool) -> list[str]:
    found = page.evaluate(CHECKS, {"rows": rows, "oneLine": ONE_LINE})
    if axe:
        found += axe_violations(page)
    # JPEG: a tall page encodes several times faster than PNG, and the artifacts stay small.
    page.screenshot(path=str(SCREENSHOTS / f"messy-{label}.jpg"), full_page=True, type="jpeg", quality=70)
    return [f"{label}: {problem}" for problem in found]


@pytest.fixture(scope="module")
def messy(app_harness) -> MessyData:
    return messy_data.load(get_engine())


def _token(data: MessyData, reader: str) -> str:
    return {"main": data.main_token, "empty": data.empty_token, "one": data.one_token}.get(reader, "")


THEME_GRAY_JS = """() => { const style = getComputedStyle(document.querySelector('.radix-themes'));
  return ['--gray-2', '--slate-2'].map((name) => style.getPropertyValue(name).trim()); }"""


def _view(page: Page, viewport: str, scheme: str) -> None:
    """Resize and re-theme the loaded page: CSS breakpoints and charts follow a resize, and the
    app follows the system theme (rx.color_mode: utils/react-theme.js listens to the media query)."""
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    page.wait_for_function("scheme => document.documentElement.classList.contains(scheme)", arg=scheme)
    page.wait_for_timeout(150)  # charts redraw on resize
    # Recharts animates bars and pie slices (pies: 400 ms delay + 1,500 ms): checked sooner, the
    # screenshots showed empty charts and no pie labels, and the label checks saw none of them.
    if page.locator(".recharts-surface").count():
        page.wait_for_timeout(2_000)


@pytest.mark.parametrize("reader", ["visitor", "main", "empty", "one"])
def test_pages_with_messy_data_look_right(browser, app_harness, messy, reader):
    # Service workers blocked: every request goes through the route below.
    context = browser.new_context(base_url=app_harness.frontend_url, service_workers="block")
    context.set_default_timeout(20_000)
    context.route(OUTSIDE, lambda route: route.abort())
    if token := _token(messy, reader):
        context.add_init_script(f"localStorage.setItem('tmr_token', {json.dumps(token)})")
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for visit in (visit for visit in PAGES if visit.reader == reader):
        rows = ROWS + list(visit.extra_rows)
        # Loaded once, then looked at in each size and theme: page loads are the slow part.
        page.goto(visit.path(messy))
        settle(page)
        shown = page.inner_text("main")
        problems += [f"{reader}-{visit.name}: does not show {text!r}" for text in visit.shows if text not in shown]
        # The theme's gray is slate (rxconfig.py): Radix maps --gray-* to --slate-*. With the base
        # tokens imported before gray.css, its .light rule won and every page was pure gray.
        gray, slate = page.evaluate(THEME_GRAY_JS)
        if gray != slate:
            problems.append(f"{reader}-{visit.name}: gray is {gray}, not the theme's slate {slate}")
        for viewport, scheme in visit.combos:
            _view(page, viewport, scheme)
            label = f"{reader}-{visit.name}-{viewport}-{scheme}"
            problems += check(page, label, rows=rows, axe=(viewport, scheme) in AXE_COMBOS)
        for state, drive in visit.then:
            drive(page)
            settle(page)
            for viewport, scheme in visit.then_combos:
                _view(page, viewport, scheme)
                problems += check(page, f"{reader}-{visit.name}-{state}-{viewport}-{scheme}", rows=rows, axe=False)
    context.close()
    assert problems == [], "\n".join(problems)


# Each kind of problem the issue reported, in miniature, as the page showed it before its fix:
# the checks must see every one (and nothing in the fixed versions beside them).
BROKEN = """
<nav><div><a href="#" style="display:inline-block;width:2.2rem">Log in</a></div></nav>
<main>
  <h1 id="wide" style="white-space:nowrap">{word}</h1>
  <div style="width:8rem;overflow:hidden"><p id="clipped">{word}</p></div>
  <div class="post-header" style="display:flex;width:12rem">
    <b style="flex:none;width:10rem">A name</b><span style="flex:none;margin-left:-6rem">😀😂😍🤔😢😡😱🥱</span>
  </div>
  <img src="https://unreachable.invalid/cover.jpg" alt="Cover of a book that never loads">
  <svg class="recharts-surface" width="120" height="40"><text x="-12" y="20">1,000</text></svg>
  <div style="overflow-x:auto;width:8rem"><div style="width:30rem">All 12 · Reading 3 · Finished 9</div></div>
  <p>1–1 of 1 books</p>
  <p lang="txg">Tangut, which no installed font has: 𗀀𗀁</p>
  <div style="display:flex;width:8rem"><svg class="lucide lucide-book-open" width="14" height="14"></svg>
    <p>{word}</p></div>
</main>
"""
FIXED = """
<nav><div><a href="#" style="white-space:nowrap">Log in</a></div></nav>
<main>
  <h1 style="overflow-wrap:anywhere">{word}</h1>
  <div style="width:8rem"><p style="overflow:hidden;text-overflow:ellipsis;white-space:nowrap">{word}</p></div>
  <div style="position:relative;width:4rem;height:6rem"><span>📖</span>
    <img src="https://unreachable.invalid/cover.jpg" alt="" style="position:absolute;inset:0;visibility:hidden"></div>
  <div style="overflow-x:auto;width:8rem;mask-image:linear-gradient(to right, black 80%, transparent)">
    <div style="width:30rem">All 12 · Reading 3 · Finished 9</div></div>
  <p>1 book</p>
  <p>{names}</p>
  <div style="display:flex;width:8rem"><svg class="lucide lucide-book-open" width="14" height="14" style="flex-shrink:0"></svg>
    <p style="overflow-wrap:anywhere;min-width:0">{word}</p></div>
</main>
"""


def test_the_checks_catch_each_kind_of_problem(browser):
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    expected = [
        "horizontal overflow",
        "text does not fit: in <p#clipped>",
        "overlap in .post-header",
        "wraps onto 2 lines: <a>",
        'chart label cut off by its chart: "1,000"',
        "scrolls sideways with no hint",
        "plural with one: 1–1 of, 1 books",
        "image without a loaded source or placeholder",
        "missing glyphs (tofu): 𗀀𗀁",
        "squeezed icon: lucide lucide-book-open",
    ]
    page.set_content(BROKEN.format(word=messy_data.LONG_WORD[:120]))
    found = page.evaluate(CHECKS, {"rows": ROWS, "oneLine": ONE_LINE})
    assert [kind for kind in expected if not any(problem.startswith(kind) for problem in found)] == [], found
    # The Japanese and Arabic names draw as empty boxes without a CJK / Arabic font (scripts/bootstrap.sh).
    names = " · ".join(
        [messy_data.JAPANESE_NAME, messy_data.JAPANESE_TITLE, messy_data.ARABIC_NAME, messy_data.ARABIC_TITLE]
    )
    page.set_content(FIXED.format(word=messy_data.LONG_WORD[:120], names=names))
    assert page.evaluate(CHECKS, {"rows": ROWS, "oneLine": ONE_LINE}) == []
    page.close()
