"""Writing posts: input checks, publishing (with its image), edits, deletes.

``publish`` is the one use case both front ends (the feed page and
``POST /api/v1/posts``) call; they only read the upload and translate the
result. Stored images never outlive their post: a failed publish deletes
the image it stored, and deleting a post deletes its image.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from sqlmodel import Session, col, delete, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Book, Circle, Comment, Like, Post, Review, UserBook
from booktracker.services import events, images, mentions, privacy, storage
from booktracker.services import text as texts
from booktracker.services.library import copies
from booktracker.services.posts import media
from booktracker.services.posts.cards import PostView, get_post
from booktracker.services.storage import StoredImage

log = logging.getLogger("booktracker.posts")

TEXT_MAX, QUOTE_MAX, CHAPTER_MAX, EMOTION_MAX = 5000, 2000, 100, 16
PAGE_MAX = 100_000


@dataclass
class PostInput:
    text: str = ""
    emotion: str = ""
    quote: str = ""
    user_book_id: int | None = None
    page: int | None = None
    chapter: str = ""
    is_public: bool = True
    # A post inside a reading circle (members only): its audience is the circle's.
    circle_id: int | None = None


@dataclass(frozen=True)
class _Checked:
    """Input that passed every check, with the library entry it links to."""

    data: PostInput
    entry: UserBook | None
    book: Book | None


def _validate_emotion(emotion: str) -> str:
    emotion = emotion.strip()
    if not emotion:
        return ""
    # One grapheme cluster: 👍🏽, 👨‍👩‍👧 and 🇫🇷 are one emoji each; "😀😀" is two.
    if len(emotion) > EMOTION_MAX or not texts.is_one_emoji(emotion):
        raise InvalidInput("The emotion must be a single emoji.", field="emotion")
    return emotion


def _validate(session: Session, user_id: int, data: PostInput, *, has_image: bool) -> _Checked:
    # Bidi controls are stripped from long text, and invisible-only text is no text (services/text.py).
    text, quote, chapter = (texts.strip_bidi_controls(value) for value in (data.text, data.quote, data.chapter))
    text = text.strip() if texts.has_visible(text) else ""
    quote = quote.strip() if texts.has_visible(quote) else ""
    chapter = " ".join(chapter.split()) if texts.has_visible(chapter) else ""
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
            .join(Book, col(Book.id) == col(UserBook.book_id))
            .where(col(UserBook.id) == data.user_book_id, col(UserBook.user_id) == user_id)
        ).first()
        if row is None:
            raise NotFound("That book is not in your library.")
        entry, book = row
    if data.page is not None:
        if data.page < 0:
            raise InvalidInput("Page must be 0 or more.", field="page")
        # The reader's copy's page count where set (another edition may be shorter).
        last = copies.pages(entry, book) if entry is not None and book is not None else None
        if last and data.page > last:
            raise InvalidInput(f"Page must be at most {last}.", field="page")
        if data.page > PAGE_MAX:
            raise InvalidInput("Page is too large.", field="page")
    cleaned = replace(
        data,
        text=text,
        emotion=_validate_emotion(data.emotion),
        quote=quote,
        chapter=chapter,
        is_public=_circle_is_public(session, user_id, data.circle_id) if data.circle_id else bool(data.is_public),
    )
    return _Checked(cleaned, entry, book)


def _circle_is_public(session: Session, user_id: int, circle_id: int) -> bool:
    """Only approved members post in a circle (services/circles); the post follows the circle's audience."""
    circle = session.exec(
        select(Circle).where(
            col(Circle.id) == circle_id,
            privacy.is_circle_member(user_id, circle_id),
            privacy.not_hidden_between(user_id, col(Circle.owner_id)),
        )
    ).first()
    if circle is None:
        raise NotFound("That circle does not exist or you are not a member.")
    return circle.is_public


def _new_post(user_id: int, checked: _Checked, image: StoredImage | None) -> Post:
    now = utcnow()
    return Post(
        created_at=now,
        updated_at=now,  # equal until an edit, which is how "edited" is known
        user_id=user_id,
        user_book_id=checked.entry.id if checked.entry else None,
        book_id=checked.book.id if checked.book else None,
        text=checked.data.text,
        emotion=checked.data.emotion,
        quote=checked.data.quote,
        image_url=image.url if image else "",
        image_key=image.key if image else "",
        page=checked.data.page,
        chapter=checked.data.chapter,
        is_public=checked.data.is_public,
        circle_id=checked.data.circle_id,
    )


def _insert(session: Session, user_id: int, checked: _Checked, image: StoredImage | None) -> Post:
    post = _new_post(user_id, checked, image)
    session.add(post)
    session.commit()
    assert post.id is not None  # committed rows have ids
    return post


def publish(
    *, session: Session, user_id: int, data: PostInput, image: bytes | None = None, origin: str = ""
) -> PostView:
    """Publish a post, with the raw bytes of an uploaded image if any.

    In this order, so that nothing is stored for a post that cannot exist:
    the post input is checked, then the image (decoded, EXIF stripped), then
    the image is stored and the row committed. If anything fails after the
    image was stored -- a storage or database error, or anything else -- the
    image is deleted again before the error goes on. After the commit,
    ``events.PostPublished`` tells the adapters (the live feed); ``origin`` is
    passed through untouched (the web page sends its tab token).
    """
    checked = _validate(session, user_id, data, has_image=image is not None)
    clean = images.clean_image(image) if image is not None else None
    # A private post's image is private from the start; media.py moves a public
    # post's image too when visitors may not see its author's posts.
    stored = storage.get_store().save(clean, private=not checked.data.is_public) if clean is not None else None
    try:
        post = _insert(session, user_id, checked, stored)
    except BaseException:
        # BaseException on purpose: a cancelled request must not leave an
        # orphan image either. Once committed, the image belongs to the post.
        if stored is not None:
            storage.delete_quietly(stored.key)
        raise
    assert post.id is not None
    if stored is not None:
        try:
            media.commit_with_image(session, post)
        except storage.StorageUnavailable as exc:  # the post is published; sync_author_images retries
            log.warning("could not move the image of new post %s: %s", post.id, exc.message)
    # A circle post is in no feed, so open feeds are not told about it.
    in_feed = post.is_public and post.circle_id is None
    events.emit(events.PostPublished(post_id=post.id, author_id=user_id, is_public=in_feed, origin=origin))
    # Readers it @mentions who may see it are told (services/mentions.py).
    mentions.notify_mentions(session, post=post, actor_id=user_id, text=post.text)
    session.commit()
    return get_post(session=session, viewer_id=user_id, post_id=post.id)


def create_post(*, session: Session, user_id: int, data: PostInput, image: StoredImage | None = None) -> PostView:
    """Record a post whose image, if any, is already stored, telling no one.

    For seeds, imports and tests; front ends call ``publish``.
    """
    post = _insert(session, user_id, _validate(session, user_id, data, has_image=image is not None), image)
    assert post.id is not None
    return get_post(session=session, viewer_id=user_id, post_id=post.id)


def add_post(*, session: Session, user_id: int, data: PostInput) -> Post:
    """Check a post without an image and add it to the session, uncommitted,
    telling no one: the caller's transaction decides (imports write a batch
    of rows at once). The same checks as ``publish``."""
    post = _new_post(user_id, _validate(session, user_id, data, has_image=False), None)
    session.add(post)
    return post


def _own_post(session: Session, user_id: int, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None or post.user_id != user_id:
        raise NotFound("That post does not exist or is not yours.")
    return post


def edit_post(*, session: Session, user_id: int, post_id: int, data: PostInput) -> PostView:
    post = _own_post(session, user_id, post_id)
    if post.review_id is not None:  # its text is the review's (services/reviews.py)
        raise InvalidInput("This post is a review: edit it on your book's page.", field="text")
    data.user_book_id = data.user_book_id if data.user_book_id is not None else post.user_book_id
    data.circle_id = post.circle_id  # a post stays where it was published
    checked = _validate(session, user_id, data, has_image=bool(post.image_key))
    # Readers mentioned before were told then, unless the post was private (nobody was told).
    told_before = post.text if post.is_public or post.circle_id is not None else ""
    post.text, post.emotion, post.quote = checked.data.text, checked.data.emotion, checked.data.quote
    post.page, post.chapter, post.is_public = checked.data.page, checked.data.chapter, checked.data.is_public
    post.user_book_id = checked.entry.id if checked.entry else None
    post.book_id = checked.book.id if checked.book else None
    post.updated_at = utcnow()
    session.add(post)
    mentions.notify_mentions(session, post=post, actor_id=user_id, text=post.text, before=told_before)
    # Public <-> private moves the image too, in the same commit: an old public URL stops working.
    media.commit_with_image(session, post)
    return get_post(session=session, viewer_id=user_id, post_id=post_id)


def delete_post(*, session: Session, user_id: int, post_id: int) -> None:
    """Delete the post with its likes and comments, then its stored image.

    The image goes only after the commit: a failed delete keeps a post whose
    image still shows, and a failure to delete the image is only logged.
    """
    post = _own_post(session, user_id, post_id)
    image_key = post.image_key
    session.exec(delete(Like).where(col(Like.note_id) == post_id))
    session.exec(delete(Comment).where(col(Comment.note_id) == post_id))
    session.delete(post)
    if post.review_id is not None:  # a review's post is the review in the feeds: both go
        session.exec(delete(Review).where(col(Review.id) == post.review_id))
    session.commit()
    storage.delete_quietly(image_key)
