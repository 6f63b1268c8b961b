"""The people page state (/people): search a page of readers at a time, follow."""

from booktracker.services import social
from tests.states.helpers import client_view, make_reader, redirects, route, sub, toasts


def _people(root):
    from booktracker.pages.people import PeopleState

    route(root, "/people")
    return sub(root, PeopleState)


def test_needs_a_login(root):
    state = _people(root)
    assert redirects(state.load()) == ["/login?next=/people"]
    assert redirects(state.set_query("bob")) == ["/login?next=/people"]
    assert state.results == []


def test_search_pages_of_readers(signed_up):
    for n in range(social.PEOPLE_PAGE + 5):
        make_reader(f"Reader{n:02}")
    make_reader("Bob")
    state = _people(signed_up)
    state.load()
    state.set_query("r")  # one character searches nothing yet
    assert state.results == [] and not state.searched
    state.set_query("reader")
    assert len(state.results) == social.PEOPLE_PAGE and state.searched and state.page_number == 1
    first_page = {p.username for p in state.results}
    state.more()
    assert state.page_number == 2 and len(state.results) == 5
    assert not first_page & {p.username for p in state.results}
    state.set_query("bo")
    assert [p.name for p in state.results] == ["Bob"] and state.page_number == 1
    assert "bob@example.com" not in client_view(state)
    state.set_query("x" * 500)
    assert len(state.query) == 80


def test_follow_and_unfollow_from_the_results(signed_up):
    make_reader("Bob")
    state = _people(signed_up)
    state.set_query("bob")
    state.toggle_follow("bob")
    assert [(p.username, p.i_follow) for p in state.results] == [("bob", True)]
    state.toggle_follow("bob")
    assert [(p.username, p.i_follow) for p in state.results] == [("bob", False)]
    assert [level for level, _ in toasts(state.toggle_follow("nobody_at_all"))] == ["error"]


def test_follow_requests_and_private_readers_in_search(signed_up):
    from booktracker.services import privacy_settings
    from tests.states.helpers import new_session

    bob, bea = make_reader("Bobby"), make_reader("Bobbea")
    with new_session() as session:
        privacy_settings.set_profile_visibility(session=session, user_id=bob.id, visibility="followers")
        privacy_settings.set_profile_visibility(session=session, user_id=bea.id, visibility="private")
    state = _people(signed_up)
    state.load()
    state.set_query("bobb")
    assert [p.username for p in state.results] == ["bobby"]  # private profiles are not listed
    assert toasts(state.toggle_follow("bobby")) == [("info", "Follow request sent: they approve or decline it.")]
    assert state.results[0].requested and not state.results[0].i_follow
    state.toggle_follow("bobby")  # withdraws the request
    assert not state.results[0].requested
