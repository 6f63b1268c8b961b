"""Shelves (tags) as first-class: services/shelves.py and the library's shelf filter."""

import pytest
from sqlmodel import func, select

from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import Book, Tag, UserBook, UserBookTag, saved_id
from booktracker.services import auth, library, shelves

Q = library.LibraryQuery


@pytest.fixture
def ann(session):
    return auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")


@pytest.fixture
def bob(session):
    return auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")


def entry(session, user, title, status="to-read"):
    """A library entry written directly (the shelf rules do not depend on how it was added)."""
    book = Book(title=title, authors="A", dedupe_key=f"{title.lower()}|a")
    session.add(book)
    session.flush()
    row = UserBook(user_id=user.id, book_id=saved_id(book), status=status)
    session.add(row)
    session.commit()
    return saved_id(row)


def create(session, user, name):
    return shelves.create_shelf(session=session, user_id=user.id, name=name)


def put(session, user, entry_id, names):
    return shelves.set_entry_shelves(session=session, user_id=user.id, user_book_id=entry_id, shelves=names)


# ----------------------------------------------------------------- names


@pytest.mark.parametrize(
    "raw, stored",
    [("  Favourites ", "Favourites"), ("Sci   fi\tclassics", "Sci fi classics"), ("x" * 100, "x" * 100), ("📚", "📚")],
)
def test_names_are_trimmed_and_spaced_once(raw, stored):
    assert shelves.shelf_name(raw) == stored


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "Give the shelf a name"),
        ("   \t ", "Give the shelf a name"),
        ("\u200b\u200d", "Give the shelf a name"),  # zero-width characters only
        ("x" * 101, "at most 100 characters"),
        ("bad\x07bell", "control characters"),
    ],
)
def test_bad_names_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        shelves.shelf_name(raw)
    assert refused.value.field == "name"


def test_names_are_unique_per_reader_ignoring_case(session, ann, bob):
    create(session, ann, "Favourites")
    with pytest.raises(Conflict, match="already have a shelf called “Favourites”"):
        create(session, ann, "  FAVOURITES ")
    with pytest.raises(Conflict):
        create(session, ann, "favourites")
    # Another reader may use the same name.
    assert create(session, bob, "favourites").name == "favourites"
    # Non-ASCII case folding too (SQLite's lower() would miss this).
    create(session, ann, "Études")
    with pytest.raises(Conflict):
        create(session, ann, "ÉTUDES")
    assert session.exec(select(func.count()).select_from(Tag)).one() == 3


# ----------------------------------------------------------------- shelves


def test_list_shelves_counts_books_in_one_statement(session, ann, bob, count_statements):
    dune, emma, ulysses = (entry(session, ann, title) for title in ("Dune", "Emma", "Ulysses"))
    put(session, ann, dune, ["sci-fi", "Favourites"])
    put(session, ann, emma, ["Favourites"])
    create(session, ann, "empty one")
    put(session, bob, entry(session, bob, "Dune"), ["Favourites"])  # Bob's shelves are his own
    with count_statements() as counter:
        listed = shelves.list_shelves(session=session, user_id=ann.id)
    assert counter.count == 1
    assert [(s.name, s.count) for s in listed] == [("empty one", 0), ("Favourites", 2), ("sci-fi", 1)]
    assert ulysses  # on no shelf


def test_rename_keeps_books_and_refuses_a_taken_name(session, ann, bob):
    dune = entry(session, ann, "Dune")
    put(session, ann, dune, ["scifi", "Favourites"])
    scifi = next(s for s in shelves.list_shelves(session=session, user_id=ann.id) if s.name == "scifi")
    renamed = shelves.rename_shelf(session=session, user_id=ann.id, shelf_id=scifi.id, name=" Science fiction ")
    assert (renamed.name, renamed.count) == ("Science fiction", 1)
    # A change of case only is a rename, not a clash with itself.
    assert shelves.rename_shelf(session=session, user_id=ann.id, shelf_id=scifi.id, name="SCIENCE fiction").count == 1
    with pytest.raises(Conflict, match="Favourites"):
        shelves.rename_shelf(session=session, user_id=ann.id, shelf_id=scifi.id, name="favourites")
    with pytest.raises(InvalidInput):
        shelves.rename_shelf(session=session, user_id=ann.id, shelf_id=scifi.id, name=" ")
    with pytest.raises(NotFound):  # Bob cannot touch Ann's shelf
        shelves.rename_shelf(session=session, user_id=bob.id, shelf_id=scifi.id, name="Mine")
    assert shelves.entry_shelves(session=session, user_book_id=dune) == ["Favourites", "SCIENCE fiction"]


def test_delete_takes_the_shelf_off_books_and_keeps_the_books(session, ann, bob):
    dune = entry(session, ann, "Dune")
    put(session, ann, dune, ["Favourites", "Keep"])
    favourites = next(s for s in shelves.list_shelves(session=session, user_id=ann.id) if s.name == "Favourites")
    with pytest.raises(NotFound):
        shelves.delete_shelf(session=session, user_id=bob.id, shelf_id=favourites.id)
    shelves.delete_shelf(session=session, user_id=ann.id, shelf_id=favourites.id)
    assert [s.name for s in shelves.list_shelves(session=session, user_id=ann.id)] == ["Keep"]
    assert session.get(UserBook, dune) is not None
    assert shelves.entry_shelves(session=session, user_book_id=dune) == ["Keep"]
    assert session.exec(select(func.count()).select_from(UserBookTag)).one() == 1
    with pytest.raises(NotFound):
        shelves.delete_shelf(session=session, user_id=ann.id, shelf_id=favourites.id)


# ----------------------------------------------------------------- a book's shelves


def test_set_replaces_the_set_by_names_and_ids(session, ann):
    dune = entry(session, ann, "Dune")
    keep = create(session, ann, "Keep")
    assert put(session, ann, dune, ["b", "A", keep.id, "a "]) == ["A", "b", "Keep"]
    assert put(session, ann, dune, [keep.id, "new"]) == ["Keep", "new"]
    assert put(session, ann, dune, []) == []
    # The shelves stay, empty.
    assert {s.name: s.count for s in shelves.list_shelves(session=session, user_id=ann.id)} == {
        "A": 0,
        "b": 0,
        "Keep": 0,
        "new": 0,
    }


def test_a_refused_set_changes_nothing(session, ann, bob):
    dune = entry(session, ann, "Dune")
    put(session, ann, dune, ["Keep"])
    bobs = create(session, bob, "Bob's")
    with pytest.raises(NotFound) as not_found:
        put(session, ann, dune, ["New one", bobs.id])
    assert not_found.value.field == "shelves"
    with pytest.raises(InvalidInput, match="at most 100") as invalid:
        put(session, ann, dune, ["New one", "x" * 101])
    assert invalid.value.field == "shelves"
    session.rollback()
    assert shelves.entry_shelves(session=session, user_book_id=dune) == ["Keep"]
    assert [s.name for s in shelves.list_shelves(session=session, user_id=ann.id)] == ["Keep"]


def test_another_readers_book_is_not_found(session, ann, bob):
    dune = entry(session, ann, "Dune")
    bobs_shelf = create(session, bob, "Bob's")
    anns_shelf = create(session, ann, "Ann's")
    for call in (
        lambda: put(session, bob, dune, ["x"]),
        lambda: shelves.add_to_shelf(session=session, user_id=bob.id, user_book_id=dune, shelf_id=bobs_shelf.id),
        lambda: shelves.add_to_shelf(session=session, user_id=ann.id, user_book_id=dune, shelf_id=bobs_shelf.id),
        lambda: shelves.remove_from_shelf(session=session, user_id=bob.id, user_book_id=dune, shelf_id=anns_shelf.id),
        lambda: shelves.add_to_new_shelf(session=session, user_id=bob.id, user_book_id=dune, name="Mine"),
    ):
        with pytest.raises(NotFound):
            call()
    assert shelves.entry_shelves(session=session, user_book_id=dune) == []
    assert [s.name for s in shelves.list_shelves(session=session, user_id=bob.id)] == ["Bob's"]


def test_add_remove_and_create_and_add(session, ann):
    dune = entry(session, ann, "Dune")
    keep = create(session, ann, "Keep")
    assert shelves.add_to_shelf(session=session, user_id=ann.id, user_book_id=dune, shelf_id=keep.id) == ["Keep"]
    # Adding twice is harmless.
    assert shelves.add_to_shelf(session=session, user_id=ann.id, user_book_id=dune, shelf_id=keep.id) == ["Keep"]
    assert shelves.add_to_new_shelf(session=session, user_id=ann.id, user_book_id=dune, name=" Loved ") == [
        "Keep",
        "Loved",
    ]
    with pytest.raises(Conflict):
        shelves.add_to_new_shelf(session=session, user_id=ann.id, user_book_id=dune, name="keep")
    assert shelves.remove_from_shelf(session=session, user_id=ann.id, user_book_id=dune, shelf_id=keep.id) == ["Loved"]
    assert shelves.remove_from_shelf_by_name(session=session, user_id=ann.id, user_book_id=dune, name="Loved") == []


# ----------------------------------------------------------------- for the importer


def test_ensure_shelves_is_one_select_and_one_insert(session, ann, count_statements):
    create(session, ann, "Favourites")
    names = ["favourites", "Sci-fi", "SCI-FI", *(f"shelf {n}" for n in range(50))]
    with count_statements() as counter:
        ids = shelves.ensure_shelves(session, ann.id, names)
    assert counter.count == 2
    assert ids["favourites"] == next(iter(shelves.ensure_shelves(session, ann.id, ["Favourites"]).values()))
    assert ids["Sci-fi"] == ids["SCI-FI"]
    with count_statements() as counter:
        again = shelves.ensure_shelves(session, ann.id, names)
    assert counter.count == 1 and again == ids  # nothing new: the SELECT only
    session.commit()
    assert len(shelves.list_shelves(session=session, user_id=ann.id)) == 52
    with pytest.raises(InvalidInput, match="Shelf “ ”"):
        shelves.ensure_shelves(session, ann.id, ["ok", " "])


def test_put_many_on_shelves_is_one_select_and_one_insert(session, ann, count_statements):
    entries = [entry(session, ann, f"Book {n}") for n in range(30)]
    ids = list(shelves.ensure_shelves(session, ann.id, ["a", "b"]).values())
    shelves.put_on_shelves(session, entries[0], ids[:1])
    links = [(entry_id, tag_id) for entry_id in entries for tag_id in ids]
    with count_statements() as counter:
        shelves.put_many_on_shelves(session, links + links[:3])
    assert counter.count == 2
    session.commit()
    assert {s.name: s.count for s in shelves.list_shelves(session=session, user_id=ann.id)} == {"a": 30, "b": 30}


# ----------------------------------------------------------------- the library's shelf filter


def test_library_filters_by_shelf_id_or_name_in_two_statements(session, ann, bob, count_statements):
    dune, emma, _ulysses = (
        entry(session, ann, t, status=s)
        for t, s in (("Dune", "reading"), ("Emma", "finished"), ("Ulysses", "finished"))
    )
    put(session, ann, dune, ["Favourites"])
    put(session, ann, emma, ["Favourites", "2024"])
    favourites = next(s for s in shelves.list_shelves(session=session, user_id=ann.id) if s.name == "Favourites")
    for shelf in (favourites.id, str(favourites.id), "Favourites", " Favourites "):
        with count_statements() as counter:
            page = library.list_library(session=session, user_id=ann.id, query=Q(shelf=shelf, sort="title"))
        assert counter.count == 2
        assert [i.title for i in page.items] == ["Dune", "Emma"]
        # The tab counts are within the shelf.
        assert (page.counts["all"], page.counts["reading"], page.counts["finished"]) == (2, 1, 1)
    # A shelf named with digits is found by its name too.
    assert [i.title for i in library.list_library(session=session, user_id=ann.id, query=Q(shelf="2024")).items] == [
        "Emma"
    ]
    finished = library.list_library(session=session, user_id=ann.id, query=Q(shelf="Favourites", tab="finished"))
    assert [i.title for i in finished.items] == ["Emma"]
    # Another reader's shelf, an unknown one, an id beyond 64 bits: no book.
    put(session, bob, entry(session, bob, "Bob's book"), ["Bobs"])
    bobs = shelves.list_shelves(session=session, user_id=bob.id)[0]
    for shelf in (bobs.id, "Bobs", "nope", "9" * 30):
        assert library.list_library(session=session, user_id=ann.id, query=Q(shelf=shelf)).total == 0
