"""A reader's own shelves (tags): list with counts, create, rename, delete,
and which books are on them.

Shelf names are unique per reader ignoring case ("Favourites" and
"favourites" are one shelf). The database only enforces exact uniqueness
(uq_tags_user_name), and SQLite's lower() folds ASCII only, so names are
compared with ``str.casefold`` here, over the reader's shelves (a reader has
tens of them, not thousands). Every function takes the acting ``user_id`` and
only touches that reader's rows: another reader's shelf or book looks exactly
like a missing one (NotFound).

``ensure_shelves`` and ``put_on_shelves`` are for the importer: they never
commit and cost a constant number of statements however many names come in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, delete, func, select

from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import Tag, UserBook, UserBookTag, saved_id

NAME_MAX = 100  # Tag.name's column


class ShelfView(SQLModel):
    """A shelf as the library page and the API show it."""

    id: int
    name: str
    count: int  # books on it


# ----------------------------------------------------------------- names


def _visible(char: str) -> bool:
    # Spaces (Z*), controls (Cc) and invisible formatting (Cf: zero-width
    # space, joiners) alone do not make a name anyone can read or pick.
    return not unicodedata.category(char).startswith(("Z", "C"))


def shelf_name(raw: str) -> str:
    """The name as stored: trimmed, inner runs of spaces made one; or
    InvalidInput saying what is wrong."""
    name = " ".join(str(raw).split())
    if not any(_visible(char) for char in name):
        raise InvalidInput("Give the shelf a name.", field="name")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        raise InvalidInput("Shelf names cannot contain control characters.", field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"Shelf names must be at most {NAME_MAX} characters.", field="name")
    return name


def _key(name: str) -> str:
    return name.casefold()


def _names_by_key(session: Session, user_id: int) -> dict[str, tuple[int, str]]:
    rows = session.exec(select(Tag.id, Tag.name).where(col(Tag.user_id) == user_id)).all()
    return {_key(name): (tag_id, name) for tag_id, name in rows if tag_id is not None}


def _taken(name: str) -> Conflict:
    return Conflict(f"You already have a shelf called “{name}”.", field="name")


# ----------------------------------------------------------------- shelves


def list_shelves(*, session: Session, user_id: int) -> list[ShelfView]:
    """The reader's shelves, A to Z, with how many books are on each: one statement."""
    rows = session.exec(
        select(Tag.id, Tag.name, func.count(col(UserBookTag.user_book_id)))
        .select_from(Tag)
        .outerjoin(UserBookTag, col(UserBookTag.tag_id) == col(Tag.id))
        .where(col(Tag.user_id) == user_id)
        .group_by(col(Tag.id), col(Tag.name))
    ).all()
    shelves = [ShelfView(id=tag_id, name=name, count=count) for tag_id, name, count in rows if tag_id is not None]
    return sorted(shelves, key=lambda shelf: (_key(shelf.name), shelf.id))


def _owned_shelf(session: Session, user_id: int, shelf_id: int) -> Tag:
    tag = session.exec(select(Tag).where(col(Tag.id) == shelf_id, col(Tag.user_id) == user_id)).first()
    if tag is None:
        raise NotFound("That shelf does not exist.")
    return tag


def _commit_name(session: Session, name: str) -> None:
    try:
        session.commit()
    except IntegrityError:
        # The same name saved by another tab between our check and the write.
        session.rollback()
        raise _taken(name) from None


def create_shelf(*, session: Session, user_id: int, name: str) -> ShelfView:
    name = shelf_name(name)
    existing = _names_by_key(session, user_id).get(_key(name))
    if existing is not None:
        raise _taken(existing[1])
    tag = Tag(user_id=user_id, name=name)
    session.add(tag)
    _commit_name(session, name)
    return ShelfView(id=saved_id(tag), name=name, count=0)


def rename_shelf(*, session: Session, user_id: int, shelf_id: int, name: str) -> ShelfView:
    """Rename; changing only the case of a name is allowed, taking another
    shelf's name is a Conflict (merging shelves is not what a rename does)."""
    tag = _owned_shelf(session, user_id, shelf_id)
    name = shelf_name(name)
    existing = _names_by_key(session, user_id).get(_key(name))
    if existing is not None and existing[0] != shelf_id:
        raise _taken(existing[1])
    tag.name = name
    session.add(tag)
    _commit_name(session, name)
    count = session.exec(select(func.count()).where(col(UserBookTag.tag_id) == shelf_id)).one()
    return ShelfView(id=shelf_id, name=name, count=count)


def delete_shelf(*, session: Session, user_id: int, shelf_id: int) -> None:
    """Delete the shelf; its books stay in the library, only off this shelf."""
    tag = _owned_shelf(session, user_id, shelf_id)
    # Explicit: the ORM must not try to null the links' primary key.
    session.exec(delete(UserBookTag).where(col(UserBookTag.tag_id) == shelf_id))
    session.delete(tag)
    session.commit()


# ----------------------------------------------------------------- a book's shelves


def _owned_entry_id(session: Session, user_id: int, user_book_id: int) -> int:
    found = session.exec(
        select(UserBook.id).where(col(UserBook.id) == user_book_id, col(UserBook.user_id) == user_id)
    ).first()
    if found is None:
        raise NotFound("That book is not in your library.")
    return found


def entry_shelves(*, session: Session, user_book_id: int) -> list[str]:
    """The names of the shelves one (already authorised) entry is on, A to Z."""
    names = session.exec(
        select(Tag.name)
        .join(UserBookTag, col(UserBookTag.tag_id) == col(Tag.id))
        .where(col(UserBookTag.user_book_id) == user_book_id)
    ).all()
    return sorted(names, key=_key)


def set_entry_shelves(*, session: Session, user_id: int, user_book_id: int, shelves: Sequence[int | str]) -> list[str]:
    """Put the book on exactly these shelves (ids, or names -- a new name
    makes a new shelf) and take it off every other; all or nothing."""
    entry_id = _owned_entry_id(session, user_id, user_book_id)
    ids = {shelf for shelf in shelves if isinstance(shelf, int)}
    names = [shelf for shelf in shelves if isinstance(shelf, str)]
    if ids:
        owned = set(session.exec(select(Tag.id).where(col(Tag.id).in_(ids), col(Tag.user_id) == user_id)).all())
        if missing := sorted(ids - owned):
            raise NotFound(f"Shelf {missing[0]} does not exist.", field="shelves")
    try:
        ids |= set(ensure_shelves(session, user_id, names).values())
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="shelves") from None
    session.exec(
        delete(UserBookTag).where(col(UserBookTag.user_book_id) == entry_id, col(UserBookTag.tag_id).not_in(ids))
    )
    put_on_shelves(session, entry_id, ids)
    session.commit()
    return entry_shelves(session=session, user_book_id=entry_id)


def add_to_shelf(*, session: Session, user_id: int, user_book_id: int, shelf_id: int) -> list[str]:
    entry_id = _owned_entry_id(session, user_id, user_book_id)
    _owned_shelf(session, user_id, shelf_id)
    put_on_shelves(session, entry_id, [shelf_id])
    session.commit()
    return entry_shelves(session=session, user_book_id=entry_id)


def add_to_new_shelf(*, session: Session, user_id: int, user_book_id: int, name: str) -> list[str]:
    """The book page's "create and add": a new shelf with this book on it."""
    entry_id = _owned_entry_id(session, user_id, user_book_id)
    shelf = create_shelf(session=session, user_id=user_id, name=name)
    put_on_shelves(session, entry_id, [shelf.id])
    session.commit()
    return entry_shelves(session=session, user_book_id=entry_id)


def remove_from_shelf(*, session: Session, user_id: int, user_book_id: int, shelf_id: int) -> list[str]:
    entry_id = _owned_entry_id(session, user_id, user_book_id)
    _owned_shelf(session, user_id, shelf_id)
    session.exec(
        delete(UserBookTag).where(col(UserBookTag.user_book_id) == entry_id, col(UserBookTag.tag_id) == shelf_id)
    )
    session.commit()
    return entry_shelves(session=session, user_book_id=entry_id)


def remove_from_shelf_by_name(*, session: Session, user_id: int, user_book_id: int, name: str) -> list[str]:
    """Take the book off the shelf with this name (the book page's chips carry names)."""
    found = _names_by_key(session, user_id).get(_key(" ".join(name.split())))
    if found is None:
        raise NotFound("That shelf does not exist.")
    return remove_from_shelf(session=session, user_id=user_id, user_book_id=user_book_id, shelf_id=found[0])


# ----------------------------------------------------------------- for the importer


def ensure_shelves(session: Session, user_id: int, names: Iterable[str]) -> dict[str, int]:
    """{name as given: shelf id} for these names, making the missing shelves.

    One SELECT of the reader's shelves and at most one INSERT for all the new
    ones, whatever the number of names; no commit. Names that differ only in
    case or spacing share one shelf (the first spelling seen is kept). A name
    that is not valid (``shelf_name``) raises InvalidInput naming it, before
    anything is written.
    """
    given = list(dict.fromkeys(names))
    if not given:
        return {}
    cleaned = {}
    for raw in given:
        try:
            cleaned[raw] = shelf_name(raw)
        except InvalidInput as exc:
            raise InvalidInput(f"Shelf “{raw[:NAME_MAX]}”: {exc.message}", field="name") from None
    known = {key: tag_id for key, (tag_id, _name) in _names_by_key(session, user_id).items()}
    new: dict[str, str] = {}  # key -> first spelling
    for name in cleaned.values():
        if _key(name) not in known:
            new.setdefault(_key(name), name)
    if new:
        rows = [{"user_id": user_id, "name": name} for name in new.values()]
        inserted = session.exec(sa.insert(Tag).values(rows).returning(col(Tag.id), col(Tag.name))).all()
        known.update({_key(name): tag_id for tag_id, name in inserted})
    return {raw: known[_key(name)] for raw, name in cleaned.items()}


def put_on_shelves(session: Session, user_book_id: int, tag_ids: Iterable[int]) -> None:
    """Put one entry on these shelves (those it is not on yet); no commit.
    The caller has checked that the entry and the shelves are one reader's."""
    put_many_on_shelves(session, [(user_book_id, tag_id) for tag_id in tag_ids])


def put_many_on_shelves(session: Session, links: Iterable[tuple[int, int]]) -> None:
    """(entry id, shelf id) links for a whole batch of entries: one SELECT of
    the links that exist and one INSERT of the rest, whatever the batch size;
    no commit. The caller has checked ownership."""
    wanted = list(dict.fromkeys(links))
    if not wanted:
        return
    entry_ids = {entry_id for entry_id, _ in wanted}
    existing = set(
        session.exec(
            select(UserBookTag.user_book_id, UserBookTag.tag_id).where(col(UserBookTag.user_book_id).in_(entry_ids))
        ).all()
    )
    missing = [link for link in wanted if link not in existing]
    if missing:
        rows = [{"user_book_id": entry_id, "tag_id": tag_id} for entry_id, tag_id in missing]
        session.exec(sa.insert(UserBookTag), params=rows)
