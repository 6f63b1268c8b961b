"""Messy, real-world data for looking at the UI (issue 15).

Long titles without spaces, broken cover and image URLs, a 10,000-page book,
a reader with 5,000 books and 500 followers, names and posts in Arabic (RTL)
and Japanese, a 16-emoji emotion, a very long quote, long unbroken usernames
and bios, and the small states: a reader with nothing and one with one of
everything (plurals).

Rows go in through the ORM in bulk (``add_all``), not through the services:
the services rightly refuse some of it today (a 16-emoji emotion, covers from
other hosts) that older data or another importer may still hold.

Used by tests/e2e/test_visual_messy.py; a developer can load it into the
``make run`` database to look around::

    python -m tests.support.messy_data     # prints the readers' emails; password below
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col, select

from booktracker.db import utcnow
from booktracker.models import (
    Book,
    Comment,
    Follow,
    Notification,
    NotificationKind,
    Post,
    Read,
    ReadingGoal,
    ReadingProgress,
    Tag,
    User,
    UserBook,
    UserBookTag,
)
from booktracker.models.base import saved_id
from booktracker.services.auth import hash_password, sign_in
from booktracker.services.books import dedupe_key

PASSWORD = "messy data passphrase"
MAIN_EMAIL = "hanako-messy@example.com"
EMPTY_EMAIL = "emma-empty@example.com"
ONE_EMAIL = "oona-one@example.com"
BOOKS = 5_000
FOLLOWERS = 500

LONG_TITLE = ("Supercalifragilisticexpialidocious" * 9)[:300]  # 300 characters, no space
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 9  # ~400 characters, no space
ARABIC_TITLE = "مئة عام من العزلة"
ARABIC_AUTHOR = "غابرييل غارسيا ماركيز"
JAPANESE_TITLE = "ノルウェイの森：上下巻セット完全版（講談社文庫）"
JAPANESE_AUTHOR = "村上春樹"
EMOJI_TITLE = "📚🐉🔥 Dragons, Books & Tea 🍵✨"
SIXTEEN_EMOJI = "😀😂😍🤔😢😡😱🥱🤯🔥📚🐉✨🍵😮😊"  # 16 code points: the column holds 16
# Hosts the test browser cannot reach (requests to them are aborted): covers and images that fail.
BROKEN_COVER = "https://covers.openlibrary.org/b/id/0-does-not-exist-L.jpg"
BROKEN_IMAGE = "https://res.cloudinary.com/demo/image/upload/does-not-exist.jpg"
LONG_USERNAME = "averylongunbrokenusernameya001"  # 30, the column's limit
LONG_NAME = ("Wolfeschlegelsteinhausenbergerdorff" * 3)[:80]
JAPANESE_NAME = "山田花子（やまだはなこ）読書記録・長い名前のテスト用アカウントです"
ARABIC_NAME = "ياسمين عبد الرحمن الهاشمي"


@dataclass(frozen=True)
class MessyData:
    """What a test needs to open the pages as each reader."""

    main_username: str
    main_token: str
    empty_username: str
    empty_token: str
    one_username: str
    one_token: str
    long_book_id: int  # the main reader's entry with the 300-character title
    long_shared_book_id: int  # its shared book (the public book page)
    arabic_book_id: int


def _user(email: str, username: str, name: str, bio: str, password_hash: str) -> User:
    return User(email=email, username=username, name=name, bio=bio, password_hash=password_hash)


def _book(title: str, authors: str, pages: int | None, cover: str, **extra) -> Book:
    return Book(
        title=title, authors=authors, total_pages=pages, cover_url=cover, dedupe_key=dedupe_key(title, authors), **extra
    )


def _readers(session: Session) -> tuple[User, User, User, User, User, list[User]]:
    hashed = hash_password(PASSWORD)
    main = _user(
        MAIN_EMAIL,
        "hanako_yamada_reads_everything",
        JAPANESE_NAME,
        ("📚" + "Unbrokenbiowithoutspaces" * 20)[:500],
        hashed,
    )
    empty = _user(EMPTY_EMAIL, "emma_empty", "Emma Empty", "", hashed)
    one = _user(ONE_EMAIL, "oona_one", "Oona One", "One of everything.", hashed)
    arabic = _user(
        "yasmin-messy@example.com", "yasmin_ar", ARABIC_NAME, "أحب القراءة في المساء مع فنجان من القهوة.", hashed
    )
    long_name = _user("long-messy@example.com", LONG_USERNAME, LONG_NAME, LONG_WORD[:500], hashed)
    followers = [
        _user(f"follower{n:03d}-messy@example.com", f"follower{n:03d}", f"Follower {n:03d}", "", hashed)
        for n in range(1, FOLLOWERS + 1)
    ]
    session.add_all([main, empty, one, arabic, long_name, *followers])
    session.flush()
    return main, empty, one, arabic, long_name, followers


def _library(session: Session, main: User, now: datetime.datetime) -> list[UserBook]:
    """5,000 books: the messy ones first (most recently updated, so on the library's first page)."""
    messy = [
        _book(LONG_TITLE, LONG_WORD[:200], 10_000, BROKEN_COVER, publisher=LONG_WORD[:200], description=LONG_WORD * 5),
        _book(ARABIC_TITLE, ARABIC_AUTHOR, 471, BROKEN_COVER, language="ar"),
        _book(JAPANESE_TITLE, JAPANESE_AUTHOR, 389, "", language="ja"),
        _book(EMOJI_TITLE, "Anonymous 🐉", 12, ""),
    ]
    books = messy + [
        _book(f"Book number {n}", f"Author {n % 97}", 100 + n % 900, BROKEN_COVER if n % 3 == 0 else "")
        for n in range(len(messy) + 1, BOOKS + 1)
    ]
    session.add_all(books)
    session.flush()
    statuses = ["reading", "finished", "to-read", "paused", "did-not-finish"]
    entries = []
    for n, book in enumerate(books):
        status = statuses[n % len(statuses)]
        pages = book.total_pages or 0
        entries.append(
            UserBook(
                user_id=saved_id(main),
                book_id=saved_id(book),
                status=status,
                current_page=pages if status == "finished" else (pages - 1 if n == 0 else pages // 3),
                rating=[None, 5.0, 0.25, 3.75][n % 4],
                format=[None, "audiobook", "hardcover"][n % 3],
                ownership=["none", "owned", "borrowed", "loaned"][n % 4],
                borrowed_from=LONG_WORD[:120] if n == 0 else "",
                private_notes=LONG_WORD * 3 if n == 0 else "",
                created_at=now - datetime.timedelta(days=n % 700),
                updated_at=now - datetime.timedelta(minutes=n),
            )
        )
    session.add_all(entries)
    session.flush()
    return entries


def _reads_and_progress(session: Session, main: User, entries: list[UserBook], now: datetime.datetime) -> None:
    today = now.date()
    year_start = datetime.date(today.year, 1, 1)
    span = max((today - year_start).days, 1)
    reads = []
    for n, entry in enumerate(entries):
        if entry.status == "to-read":
            continue
        ended = None if entry.status == "reading" else year_start + datetime.timedelta(days=n % span)
        started = (ended or today) - datetime.timedelta(days=3)
        reads.append(
            Read(
                user_id=saved_id(main),
                user_book_id=saved_id(entry),
                book_id=entry.book_id,
                status=entry.status,
                started_on=started,
                ended_on=ended,
                progress=entry.current_page,
            )
        )
    # Big days: a 10,000-page day puts "10,000" on the chart's axis.
    progress = [
        ReadingProgress(
            user_id=saved_id(main),
            user_book_id=saved_id(entries[day % 4]),
            book_id=entries[day % 4].book_id,
            from_page=0,
            to_page=10_000 if day == 0 else 1_000 + day * 37,
            pages_delta=10_000 if day == 0 else 1_000 + day * 37,
            minutes_delta=600 if day % 4 == 1 else 0,
            recorded_at=now - datetime.timedelta(days=day),
        )
        for day in range(0, 60, 2)
    ]
    session.add_all([*reads, *progress])
    session.add(ReadingGoal(user_id=saved_id(main), year=today.year, target_books=5_000, target_pages=1_000_000))


def _shelves(session: Session, main: User, entries: list[UserBook]) -> None:
    tags = [Tag(user_id=saved_id(main), name=name) for name in ("🧙 fantasy", "روايات", LONG_WORD[:100])]
    session.add_all(tags)
    session.flush()
    session.add_all(
        UserBookTag(user_book_id=saved_id(entry), tag_id=saved_id(tag)) for entry in entries[:4] for tag in tags
    )


def _posts(session: Session, main: User, arabic: User, long_name: User, entries: list[UserBook], now) -> list[Post]:
    def post(user: User, minutes: int, **fields) -> Post:
        at = now - datetime.timedelta(minutes=minutes)
        return Post(user_id=saved_id(user), created_at=at, updated_at=at, **fields)

    long_entry, arabic_entry, japanese_entry = entries[0], entries[1], entries[2]
    posts = [
        post(
            main,
            1,
            user_book_id=saved_id(long_entry),
            book_id=long_entry.book_id,
            text="Sixteen feelings at once " + LONG_WORD[:200],
            emotion=SIXTEEN_EMOJI,
            page=9_999,
            chapter=LONG_WORD[:100],
            like_count=1_234_567,
        ),
        post(
            main,
            2,
            text="A very long quote:",
            quote=(LONG_WORD + " " + "It was the best of times. " * 150),
            emotion="📚",
        ),
        post(main, 3, text="A picture that never loads", image_url=BROKEN_IMAGE, image_key="missing"),
        post(
            arabic,
            4,
            user_book_id=saved_id(arabic_entry),
            book_id=arabic_entry.book_id,
            text="كانت هذه الرواية رحلة طويلة عبر الزمن والذاكرة. أنصح بها بشدة! 📖",
            quote="كان الكولونيل أورليانو بوينديا سيتذكر، أمام فصيلة الإعدام، ذلك المساء البعيد",
            page=42,
            emotion="😍",
        ),
        post(
            main,
            5,
            user_book_id=saved_id(japanese_entry),
            book_id=japanese_entry.book_id,
            text="とても美しい物語でした。" * 80,  # 960 characters: folded under "Show more"
            page=120,
            chapter="第一章",
        ),
        post(long_name, 6, text=LONG_WORD, emotion="🤯"),
    ]
    session.add_all(posts)
    session.flush()
    comments = [
        Comment(note_id=saved_id(posts[0]), user_id=saved_id(arabic), text="رائع جدا! " * 5),
        Comment(note_id=saved_id(posts[0]), user_id=saved_id(long_name), text=LONG_WORD),
    ]
    session.add_all(comments)
    session.flush()
    # What the notifications page lists: an Arabic name, a long unbroken one, a long comment.
    session.add_all(
        Notification(user_id=saved_id(main), actor_id=saved_id(actor), kind=kind, created_at=now, **about)
        for actor, kind, about in [
            (arabic, NotificationKind.LIKE, {"post_id": saved_id(posts[0])}),
            (long_name, NotificationKind.COMMENT, {"post_id": saved_id(posts[0]), "comment_id": saved_id(comments[1])}),
            (long_name, NotificationKind.FOLLOW, {}),
        ]
    )
    return posts


def _one_of_everything(session: Session, one: User, main: User, now: datetime.datetime) -> None:
    """One book, one read, one post, one follower, one following: every count says "1 …"."""
    book = _book("A Single Book", "One Author", 1, "")
    session.add(book)
    session.flush()
    entry = UserBook(user_id=saved_id(one), book_id=saved_id(book), status="finished", current_page=1)
    session.add(entry)
    session.flush()
    session.add(
        Read(
            user_id=saved_id(one),
            user_book_id=saved_id(entry),
            book_id=saved_id(book),
            status="finished",
            started_on=now.date(),
            ended_on=now.date(),
            progress=1,
        )
    )
    session.add(
        Post(
            user_id=saved_id(one),
            user_book_id=saved_id(entry),
            book_id=saved_id(book),
            text="One post.",
            like_count=1,
            # Equal, as services/posts writes them: two default clocks made it "· edited".
            created_at=now,
            updated_at=now,
        )
    )
    session.add_all(
        [
            Follow(follower_id=saved_id(main), followee_id=saved_id(one)),
            Follow(follower_id=saved_id(one), followee_id=saved_id(main)),
        ]
    )


def seed(session: Session) -> None:
    """Insert every messy reader and their data in one transaction."""
    now = utcnow()
    main, _empty, one, arabic, long_name, followers = _readers(session)
    entries = _library(session, main, now)
    _reads_and_progress(session, main, entries, now)
    _shelves(session, main, entries)
    _posts(session, main, arabic, long_name, entries, now)
    _one_of_everything(session, one, main, now)
    session.add_all(
        Follow(follower_id=saved_id(f), followee_id=saved_id(main)) for f in [*followers[2:], arabic]
    )  # + the one-item reader: 500
    session.add_all(Follow(follower_id=saved_id(main), followee_id=saved_id(u)) for u in (arabic, long_name))
    session.commit()


def load(engine: sa.Engine) -> MessyData:
    """Seed once (a second call finds the readers) and sign each reader in."""
    with Session(engine) as session:
        if session.exec(select(User).where(User.email == MAIN_EMAIL)).first() is None:
            seed(session)
        users = {
            u.email: u
            for u in session.exec(select(User).where(col(User.email).in_([MAIN_EMAIL, EMPTY_EMAIL, ONE_EMAIL])))
        }
        main = users[MAIN_EMAIL]
        ids = session.exec(
            select(UserBook.id, Book.title, Book.id)
            .join(Book)
            .where(UserBook.user_id == main.id, col(Book.title).in_([LONG_TITLE, ARABIC_TITLE]))
        ).all()
        # Stored rows: their ids are never None.
        by_title = {title: cast(int, entry_id) for entry_id, title, _ in ids}
        shared = {title: cast(int, book_id) for _, title, book_id in ids}
        tokens = {email: sign_in(session=session, user=user) for email, user in users.items()}
        return MessyData(
            main_username=main.username,
            main_token=tokens[MAIN_EMAIL],
            empty_username=users[EMPTY_EMAIL].username,
            empty_token=tokens[EMPTY_EMAIL],
            one_username=users[ONE_EMAIL].username,
            one_token=tokens[ONE_EMAIL],
            long_book_id=by_title[LONG_TITLE],
            long_shared_book_id=shared[LONG_TITLE],
            arabic_book_id=by_title[ARABIC_TITLE],
        )


def main() -> None:
    from booktracker.db import get_engine

    data = load(get_engine())
    print(f"Messy data loaded. Log in with {MAIN_EMAIL}, {EMPTY_EMAIL} or {ONE_EMAIL}, password {PASSWORD!r}.")
    print(f"The 300-character title: /books/{data.long_book_id}; profile: /u/{data.main_username}")


if __name__ == "__main__":
    sys.exit(main())
