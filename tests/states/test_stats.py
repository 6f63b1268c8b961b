"""The stats page state (/stats): the reader's own figures in their time
zone, bounded chart data, and the annual goal form."""

from booktracker.services import library, stats
from booktracker.services.books import BookInput
from tests.states.helpers import make_reader, new_session, redirects, route, sub


def _stats(root):
    from booktracker.pages.stats import StatsState

    route(root, "/stats")
    return sub(root, StatsState)


def _card(state, card_id: str) -> str:
    return next(card["value"] for card in state.cards if card["id"] == card_id)


def test_needs_a_login(root):
    state = _stats(root)
    assert redirects(state.load(0)) == ["/login?next=/stats"]
    assert redirects(state.save_goal({"kind": "books", "target": "5"})) == ["/login?next=/stats"]
    assert not state.loaded


def test_figures_are_the_readers_own_and_the_charts_bounded(signed_up):
    bob = make_reader("Bob")
    state = _stats(signed_up)
    ann_id = state.current_user_id()
    with new_session() as session:
        library.add_to_library(
            session=session, user_id=ann_id, book=BookInput(title="Emma", total_pages=1200), status="finished"
        )
        for n in range(3):
            library.add_to_library(
                session=session, user_id=bob.id or 0, book=BookInput(title=f"Bob {n}"), status="finished"
            )
    state.load(-120)  # the browser's getTimezoneOffset() for UTC+2
    assert state.loaded and state.offset_minutes == 120
    assert _card(state, "stat-finished") == "1" and _card(state, "stat-pages") == "1,200"
    assert len(state.heat) == stats.HEATMAP_DAYS and len(state.months) == 12
    assert {s["name"]: s["value"] for s in state.statuses} == {"Finished": 1}
    state.load(99_999)  # nonsense from the browser is ignored
    assert state.offset_minutes == 120


def test_goal_form_errors_stay_beside_the_form(signed_up):
    state = _stats(signed_up)
    state.load(0)
    assert state.save_goal({"kind": "books", "target": "ten"}) is None
    assert state.goal_error == "Enter a whole number." and state.goal_kind == ""
    assert state.save_goal({"kind": "books", "target": "0"}) is None
    assert state.goal_error == "That goal is out of range."

    reload = state.save_goal({"kind": "pages", "target": "5000"})
    assert state.goal_error == "" and reload.handler.fn.__name__ == "load"  # the page reloads its figures
    state.load(None)
    assert (state.goal_kind, state.goal_target, state.goal_done) == ("pages", 5000, 0)
    assert state.goal_message.startswith("0 of 5,000 pages")


def test_pie_slices_take_the_status_badge_colours_and_one_day_is_no_rate(signed_up):
    # Issue 15: pie colours differed from the badges; "Pages per day 994.0"
    # after adding one finished book.
    from booktracker.models import STATUS_COLORS

    state = _stats(signed_up)
    with new_session() as session:
        for title, status in (("Emma", "finished"), ("Persuasion", "reading"), ("Sanditon", "to-read")):
            library.add_to_library(
                session=session,
                user_id=state.current_user_id(),
                book=BookInput(title=title, total_pages=994),
                status=status,
            )
    state.load(0)
    assert {s["name"]: s["color"] for s in state.statuses} == {
        "Finished": f"var(--{STATUS_COLORS['finished']}-9)",
        "Reading": f"var(--{STATUS_COLORS['reading']}-9)",
        "Want to read": f"var(--{STATUS_COLORS['to-read']}-9)",
    }
    assert all(f["color"] for f in state.formats)
    assert _card(state, "stat-per-day") == "—"  # 994 pages on one day are no daily rate


def test_emotions_logged_counts_posts_with_an_emotion(signed_up):
    from booktracker.models import Post

    state = _stats(signed_up)
    ann_id = state.current_user_id()
    with new_session() as session:
        session.add_all([Post(user_id=ann_id, text="a", emotion="😍"), Post(user_id=ann_id, text="no feeling")])
        session.commit()
    state.load(0)
    assert _card(state, "stat-emotions") == "1"  # the post without an emotion is no emotion logged
