"""Posts ("notes"): create, edit, delete, feeds, likes and comments.

Visibility rule, everywhere: a private post exists only for its author.
Feeds and profile pages cost one statement per page, however many posts,
likes and readers there are (counts are correlated subqueries in the same
SELECT, and paging is by keyset cursor, not OFFSET).
"""

from __future__ import annotations

import base64
import datetime
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, delete, func, select, update

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Book, Comment, Follow, Like, Post, User, UserBook
from booktracker.services.storage import StoredImage

FEED_PAGE = 20
COMMENTS_PAGE = 50
TEXT_MAX, QUOTE_MAX, CHAPTER_MAX, COMMENT_MAX, EMOTION_MAX = 5000, 2000, 100, 2000, 16
FEED_TABS = ("everyone", "following")
ANONYMOUS_NAME = "Community post"


# ----------------------------------------------------------------- views


class PostView(SQLModel):
    """One post as a reader (or a logged-out visitor) may see it."""

    id: int
    author_username: str
    author_name: str
    author_initials: str
    book_title: str
    book_authors: str
    book_cover_url: str
    text: str
    emotion: str
    quote: str
    image_url: str  # absolute (Cloudinary) or ""
    image_path: str  # under the upload dir for local images, or ""
    page: int
    chapter: str
    is_public: bool
    created_at: str  # ISO 8601, UTC
    edited: bool
    like_count: int
    comment_count: int
    liked_by_me: bool
    is_mine: bool


class CommentView(SQLModel):
    id: int
    post_id: int
    author_username: str
    author_name: str
    author_initials: str
    text: str
    created_at: str
    can_delete: bool


@dataclass
class FeedPage:
    posts: list[PostView]
    next_cursor: str  # "" when there is nothing more


def initials(name: str) -> str:
    parts = [p for p in name.split() if p]
    letters = "".join(p[0] for p in parts[:2]) if parts else "?"
    return letters.upper()


# ----------------------------------------------------------------- input


@dataclass
class PostInput:
    text: str = ""
    emotion: str = ""
    quote: str = ""
    user_book_id: int | None = None
    page: int | None = None
    chapter: str = ""
    is_public: bool = True


def _validate_emotion(emotion: str) -> str:
    emotion = emotion.strip()
    if not emotion:
        return ""
    is_emoji = all(ord(ch) >= 128 for ch in emotion) and any(unicodedata.category(ch) == "So" for ch in emotion)
    if len(emotion) > EMOTION_MAX or not is_emoji:
        raise InvalidInput("The emotion must be a single emoji.", field="emotion")
    return emotion


def _validate(
    session: Session, user_id: int, data: PostInput, *, has_image: bool
) -> tuple[PostInput, UserBook | None, Book | None]:
    text, quote, chapter = data.text.strip(), data.quote.strip(), " ".join(data.chapter.split())
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"Posts can be at most {TEXT_MAX:,} characters.", field="text")
    if len(quote) > QUOTE_MAX:
        raise InvalidInput(f"Quotes can be at most {QUOTE_MAX:,} characters.", field="quote")
    if len(chapter) > CHAPTER_MAX:
        raise InvalidInput(f"Chapter can be at most {CHAPTER_MAX} characters.", field="chapter")
    if not (text or quote or has_image):
        raise InvalidInput("Write something, add a quote or an image.", field="text")
    entry = book = None
    if data.user_book_id:
        row = session.exec(
            select(UserBook, Book)
            .join(Book, Book.id == UserBook.book_id)
            .where(UserBook.id == data.user_book_id, UserBook.user_id == user_id)
        ).first()
        if row is None:
            raise NotFound("That book is not in your library.")
        entry, book = row
    if data.page is not None:
        if data.page < 0:
            raise InvalidInput("Page must be 0 or more.", field="page")
        if book is not None and book.total_pages and data.page > book.total_pages:
            raise InvalidInput(f"Page must be at most {book.total_pages}.", field="page")
        if data.page > 100_000:
            raise InvalidInput("Page is too large.", field="page")
    cleaned = PostInput(
        text=text,
        emotion=_validate_emotion(data.emotion),
        quote=quote,
        user_book_id=data.user_book_id,
        page=data.page,
        chapter=chapter,
        is_public=bool(data.is_public),
    )
    return cleaned, entry, book


# ----------------------------------------------------------------- writing


def create_post(*, session: Session, user_id: int, data: PostInput, image: StoredImage | None = None) -> PostView:
    """Store a post. The image, if any, is already stored (see storage)."""
    data, entry, book = _validate(session, user_id, data, has_image=image is not None)
    now = utcnow()
    note = Post(
        created_at=now,
        updated_at=now,  # equal until an edit, which is how "edited" is known
        user_id=user_id,
        user_book_id=entry.id if entry else None,
        book_id=book.id if book else None,
        text=data.text,
        emotion=data.emotion,
        quote=data.quote,
        image_url=image.url if image else "",
        image_key=image.key if image else "",
        page=data.page,
        chapter=data.chapter,
        is_public=data.is_public,
    )
    session.add(note)
    session.commit()
    return get_post(session=session, viewer_id=user_id, post_id=note.id)


def _own_note(session: Session, user_id: int, post_id: int) -> Post:
    note = session.get(Post, post_id)
    if note is None or note.user_id != user_id:
        raise NotFound("That post does not exist or is not yours.")
    return note


def edit_post(*, session: Session, user_id: int, post_id: int, data: PostInput) -> PostView:
    note = _own_note(session, user_id, post_id)
    data.user_book_id = data.user_book_id if data.user_book_id is not None else note.user_book_id
    data, entry, book = _validate(session, user_id, data, has_image=bool(note.image_key))
    note.text, note.emotion, note.quote = data.text, data.emotion, data.quote
    note.page, note.chapter, note.is_public = data.page, data.chapter, data.is_public
    note.user_book_id = entry.id if entry else None
    note.book_id = book.id if book else None
    note.updated_at = utcnow()
    session.add(note)
    session.commit()
    return get_post(session=session, viewer_id=user_id, post_id=note.id)


def delete_post(*, session: Session, user_id: int, post_id: int) -> str:
    """Delete the post with its likes and comments; returns its image key
    (to delete from storage once the row is gone)."""
    note = _own_note(session, user_id, post_id)
    image_key = note.image_key
    session.exec(delete(Like).where(Like.note_id == note.id))
    session.exec(delete(Comment).where(Comment.note_id == note.id))
    session.delete(note)
    session.commit()
    return image_key


# ----------------------------------------------------------------- reading


def _visible(viewer_id: int | None):
    if viewer_id is None:
        return col(Post.is_public).is_(True)
    return sa.or_(col(Post.is_public).is_(True), Post.user_id == viewer_id)


def _post_select(viewer_id: int | None):
    comment_count = select(func.count()).select_from(Comment).where(Comment.note_id == Post.id).scalar_subquery()
    if viewer_id is None:
        liked = sa.literal(False)
    else:
        liked = sa.exists().where(Like.note_id == Post.id, Like.user_id == viewer_id)
    return (
        select(
            Post,
            User.username,
            User.name,
            Book.title,
            Book.authors,
            Book.cover_url,
            Post.like_count,
            comment_count.label("comment_count"),
            liked.label("liked"),
        )
        .join(User, User.id == Post.user_id)
        .outerjoin(Book, Book.id == Post.book_id)
    )


def _to_view(row, viewer_id: int | None) -> PostView:
    note, username, name, title, authors, cover, likes, comments, liked = row
    anonymous = viewer_id is None
    return PostView(
        id=note.id,
        # Logged-out visitors see what was read and said, not who said it.
        author_username="" if anonymous else username,
        author_name=ANONYMOUS_NAME if anonymous else name,
        author_initials="" if anonymous else initials(name),
        book_title=title or "",
        book_authors=authors or "",
        book_cover_url=cover or "",
        text=note.text,
        emotion=note.emotion,
        quote=note.quote,
        image_url=note.image_url,
        image_path=StoredImage(url=note.image_url, key=note.image_key).local_path,
        page=note.page if note.page is not None else -1,
        chapter=note.chapter,
        is_public=note.is_public,
        created_at=note.created_at.isoformat(),
        edited=note.updated_at > note.created_at,
        like_count=0 if anonymous else likes,
        comment_count=comments,
        liked_by_me=bool(liked) and not anonymous,
        is_mine=viewer_id is not None and note.user_id == viewer_id,
    )


def encode_cursor(created_at: datetime.datetime, post_id: int) -> str:
    raw = f"{created_at.isoformat()}|{post_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, post_id = raw.rsplit("|", 1)
        when = datetime.datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError
        return when, int(post_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("That page link is not valid.", field="cursor") from None


def _newest_ids(branches: list, cursor: str, limit: int):
    """Ids of the newest posts matching any branch, as one subquery.

    Each branch is a plain AND of conditions, so it walks an index
    (created_at, id) newest-first and stops after ``limit`` rows; an OR
    across branches would make the database sort every visible post.
    """
    after = []
    if cursor:
        when, post_id = decode_cursor(cursor)
        after = [sa.tuple_(Post.created_at, Post.id) < sa.tuple_(sa.literal(when, Post.created_at.type), post_id)]
    newest = (col(Post.created_at).desc(), col(Post.id).desc())
    parts = [
        select(Post.id).where(*conditions, *after).order_by(*newest).limit(limit).subquery() for conditions in branches
    ]
    chosen = sa.union_all(*(select(part.c.id) for part in parts)).subquery()
    return select(chosen.c.id)


def _page(session: Session, viewer_id: int | None, branches: list, cursor: str, limit: int) -> FeedPage:
    limit = max(1, min(limit, FEED_PAGE))
    query = _post_select(viewer_id).where(Post.id.in_(_newest_ids(branches, cursor, limit + 1)))
    rows = session.exec(query.order_by(col(Post.created_at).desc(), col(Post.id).desc()).limit(limit + 1)).all()
    views = [_to_view(row, viewer_id) for row in rows[:limit]]
    next_cursor = encode_cursor(rows[limit - 1][0].created_at, rows[limit - 1][0].id) if len(rows) > limit else ""
    return FeedPage(posts=views, next_cursor=next_cursor)


def feed(
    *, session: Session, viewer_id: int | None, tab: str = "everyone", cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    if tab not in FEED_TABS:
        raise InvalidInput(f"Unknown feed {tab!r}.", field="tab")
    public = col(Post.is_public).is_(True)
    if tab == "everyone":
        branches = [[public]]
        if viewer_id is not None:
            branches.append([Post.user_id == viewer_id, col(Post.is_public).is_(False)])  # my private posts
        return _page(session, viewer_id, branches, cursor, limit)
    if viewer_id is None:
        return FeedPage(posts=[], next_cursor="")
    followed = select(Follow.followee_id).where(Follow.follower_id == viewer_id)
    branches = [[public, Post.user_id.in_(followed)], [Post.user_id == viewer_id]]
    return _page(session, viewer_id, branches, cursor, limit)


def user_posts(
    *, session: Session, viewer_id: int | None, author_id: int, cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    mine = viewer_id is not None and viewer_id == author_id
    conditions = [Post.user_id == author_id] + ([] if mine else [col(Post.is_public).is_(True)])
    return _page(session, viewer_id, [conditions], cursor, limit)


def get_post(*, session: Session, viewer_id: int | None, post_id: int) -> PostView:
    row = session.exec(_post_select(viewer_id).where(Post.id == post_id, _visible(viewer_id))).first()
    if row is None:
        raise NotFound("That post does not exist.")
    return _to_view(row, viewer_id)


# ----------------------------------------------------------------- likes


def _visible_note(session: Session, viewer_id: int, post_id: int) -> Post:
    note = session.exec(select(Post).where(Post.id == post_id, _visible(viewer_id))).first()
    if note is None:
        raise NotFound("That post does not exist.")
    return note


def _change_like_count(session: Session, post_id: int, delta: int) -> None:
    # One atomic UPDATE in the like's own transaction: concurrent likes of
    # the same post queue on the row lock instead of losing a count.
    session.exec(update(Post).where(Post.id == post_id).values(like_count=Post.like_count + delta))


def _like_count(session: Session, post_id: int) -> int:
    return session.exec(select(Post.like_count).where(Post.id == post_id)).one()


def like(*, session: Session, user_id: int, post_id: int) -> int:
    """Like a post (once; liking again changes nothing). Returns the count."""
    _visible_note(session, user_id, post_id)
    exists = session.get(Like, (user_id, post_id))
    if exists is None:
        try:
            with session.begin_nested():
                session.add(Like(user_id=user_id, note_id=post_id))
                session.flush()
                _change_like_count(session, post_id, +1)
        except IntegrityError:
            pass  # a double click raced us: it is liked either way, and counted once
        session.commit()
    return _like_count(session, post_id)


def unlike(*, session: Session, user_id: int, post_id: int) -> int:
    _visible_note(session, user_id, post_id)
    removed = session.exec(delete(Like).where(Like.user_id == user_id, Like.note_id == post_id)).rowcount
    if removed:
        _change_like_count(session, post_id, -removed)
    session.commit()
    return _like_count(session, post_id)


# ----------------------------------------------------------------- comments


def add_comment(*, session: Session, user_id: int, post_id: int, text: str) -> CommentView:
    text = text.strip()
    if not text:
        raise InvalidInput("Write a comment first.", field="text")
    if len(text) > COMMENT_MAX:
        raise InvalidInput(f"Comments can be at most {COMMENT_MAX:,} characters.", field="text")
    _visible_note(session, user_id, post_id)
    comment = Comment(note_id=post_id, user_id=user_id, text=text)
    session.add(comment)
    session.commit()
    author = session.get(User, user_id)
    return _comment_view(comment, author.username, author.name, can_delete=True)


def _comment_view(comment: Comment, username: str, name: str, *, can_delete: bool) -> CommentView:
    return CommentView(
        id=comment.id,
        post_id=comment.note_id,
        author_username=username,
        author_name=name,
        author_initials=initials(name),
        text=comment.text,
        created_at=comment.created_at.isoformat(),
        can_delete=can_delete,
    )


def list_comments(
    *, session: Session, viewer_id: int | None, post_id: int, limit: int = COMMENTS_PAGE
) -> list[CommentView]:
    """Oldest first. Logged-out visitors see no comments (they carry names)."""
    if viewer_id is None:
        return []
    note = _visible_note(session, viewer_id, post_id)
    rows = session.exec(
        select(Comment, User.username, User.name)
        .join(User, User.id == Comment.user_id)
        .where(Comment.note_id == post_id)
        .order_by(col(Comment.created_at), col(Comment.id))
        .limit(max(1, min(limit, COMMENTS_PAGE)))
    ).all()
    return [
        _comment_view(c, username, name, can_delete=viewer_id in (c.user_id, note.user_id))
        for c, username, name in rows
    ]


def delete_comment(*, session: Session, user_id: int, comment_id: int) -> None:
    """Its author may delete a comment, and so may the post's author."""
    row = session.exec(
        select(Comment, Post.user_id).join(Post, Post.id == Comment.note_id).where(Comment.id == comment_id)
    ).first()
    if row is None or user_id not in (row[0].user_id, row[1]):
        raise NotFound("That comment does not exist or is not yours.")
    session.delete(row[0])
    session.commit()
