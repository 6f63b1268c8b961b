"""/api/v1 posts, feed, likes and comments."""

import dataclasses
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from booktracker.api.deps import CurrentUserId, OptionalUser, SessionDep
from booktracker.errors import NotFound
from booktracker.services import images, posts, privacy, social
from booktracker.services.posts import CommentView, PostView

router = APIRouter(tags=["posts"])
Cursor = Annotated[str, Query(max_length=200)]


class FeedResponse(BaseModel):
    posts: list[PostView]
    next_cursor: str


class PostUpdate(BaseModel):
    text: str = Field(default="", max_length=posts.TEXT_MAX)
    emotion: str = Field(default="", max_length=posts.EMOTION_MAX)
    quote: str = Field(default="", max_length=posts.QUOTE_MAX)
    user_book_id: int | None = Field(default=None, ge=1)
    page: int | None = Field(default=None, ge=0, le=100_000)
    chapter: str = Field(default="", max_length=posts.CHAPTER_MAX)
    is_public: bool = True


class CommentRequest(BaseModel):
    text: str = Field(max_length=posts.COMMENT_MAX)
    parent_id: int | None = Field(default=None, ge=1)  # a reply to that comment (one level of replies)
    # Where in the post's book it speaks of: readers not there yet get it shielded (`shielded`).
    page: int | None = Field(default=None, ge=0, le=100_000)
    chapter: str = Field(default="", max_length=posts.CHAPTER_MAX)


class LikeResponse(BaseModel):
    like_count: int


def _feed(page: posts.FeedPage) -> FeedResponse:
    return FeedResponse(posts=page.posts, next_cursor=page.next_cursor)


# A visitor's feed is the same for everyone: shared caches may keep it a few seconds
# (the first cards of the exported page ask for it, components/feed_preview.py).
VISITOR_FEED_MAX_AGE = 10


@router.get("/feed", response_model=FeedResponse)
def feed(
    session: SessionDep,
    user: OptionalUser,
    response: Response,
    tab: Annotated[str, Query(max_length=20)] = "everyone",
    cursor: Cursor = "",
    limit: Annotated[int, Query(ge=1, le=posts.FEED_PAGE)] = posts.FEED_PAGE,
):
    """Public posts newest first (anonymised without a token); `following` needs one."""
    viewer_id = user.id if user else None
    page = posts.feed(session=session, viewer_id=viewer_id, tab=tab, cursor=cursor, limit=limit)
    response.headers["Vary"] = "Authorization"
    response.headers["Cache-Control"] = (
        f"public, max-age={VISITOR_FEED_MAX_AGE}" if viewer_id is None else "private, no-store"
    )
    return _feed(page)


@router.get("/users/{username}/posts", response_model=FeedResponse)
def user_posts(username: str, session: SessionDep, user: OptionalUser, cursor: Cursor = ""):
    author = social.profile(session=session, viewer_id=user.id if user else None, username=username)
    if not author.visible:
        raise NotFound(privacy.PRIVATE_MESSAGE)
    return _feed(
        posts.user_posts(session=session, viewer_id=user.id if user else None, author_id=author.id, cursor=cursor)
    )


@dataclass(frozen=True)
class NewPostForm:
    """A new post's multipart form, as `POST /posts` and `POST /circles/{id}/posts` take it."""

    data: posts.PostInput
    image: bytes | None


async def new_post_form(
    text: Annotated[str, Form(max_length=posts.TEXT_MAX)] = "",
    emotion: Annotated[str, Form(max_length=posts.EMOTION_MAX)] = "",
    quote: Annotated[str, Form(max_length=posts.QUOTE_MAX)] = "",
    user_book_id: Annotated[int | None, Form(ge=1)] = None,
    page: Annotated[int | None, Form(ge=0, le=100_000)] = None,
    chapter: Annotated[str, Form(max_length=posts.CHAPTER_MAX)] = "",
    image: Annotated[UploadFile | None, File()] = None,
) -> NewPostForm:
    image_bytes = None
    if image is not None and image.filename:
        images.check_declared_size(image.size)
        # One byte past the limit is enough for publish to refuse a larger file.
        image_bytes = await image.read(images.MAX_IMAGE_BYTES + 1)
    data = posts.PostInput(
        text=text, emotion=emotion, quote=quote, user_book_id=user_book_id, page=page, chapter=chapter
    )
    return NewPostForm(data=data, image=image_bytes)


# Declared after the reader (CurrentUserId) in a route: FastAPI solves dependencies in
# order, so a refused token is answered before the image is read into memory.
NewPost = Annotated[NewPostForm, Depends(new_post_form)]


def publish(
    session: Session, user_id: int, form: NewPostForm, *, is_public: bool = True, circle_id: int | None = None
) -> PostView:
    """The one translation of a new post (its own, or a circle's: then the circle is its audience)."""
    # Open feeds in browsers show "New posts" through the PostPublished event.
    data = dataclasses.replace(form.data, is_public=is_public, circle_id=circle_id)
    return posts.publish(session=session, user_id=user_id, data=data, image=form.image)


@router.post("/posts", status_code=status.HTTP_201_CREATED, response_model=PostView)
def create_post(session: SessionDep, user_id: CurrentUserId, form: NewPost, is_public: Annotated[bool, Form()] = True):
    """Multipart form; `image` is optional (JPEG/PNG/WebP, ≤ 5 MB, ≤ 25 MP)."""
    return publish(session, user_id, form, is_public=is_public)


@router.get("/posts/{post_id}", response_model=PostView)
def get_post(post_id: int, session: SessionDep, user: OptionalUser):
    return posts.get_post(session=session, viewer_id=user.id if user else None, post_id=post_id)


@router.patch("/posts/{post_id}", response_model=PostView)
def edit_post(post_id: int, body: PostUpdate, session: SessionDep, user_id: CurrentUserId):
    return posts.edit_post(session=session, user_id=user_id, post_id=post_id, data=posts.PostInput(**body.model_dump()))


@router.delete("/posts/{post_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_post(post_id: int, session: SessionDep, user_id: CurrentUserId):
    posts.delete_post(session=session, user_id=user_id, post_id=post_id)  # its stored image too


@router.put("/posts/{post_id}/like", response_model=LikeResponse)
def like(post_id: int, session: SessionDep, user_id: CurrentUserId):
    return LikeResponse(like_count=posts.like(session=session, user_id=user_id, post_id=post_id))


@router.delete("/posts/{post_id}/like", response_model=LikeResponse)
def unlike(post_id: int, session: SessionDep, user_id: CurrentUserId):
    return LikeResponse(like_count=posts.unlike(session=session, user_id=user_id, post_id=post_id))


# The next page's cursor rides in a header, so the body stays the list earlier clients read.
NEXT_CURSOR_HEADER = "X-Next-Cursor"


@router.get("/posts/{post_id}/comments", response_model=list[CommentView])
def comments(
    post_id: int,
    response: Response,
    session: SessionDep,
    user_id: CurrentUserId,
    cursor: Cursor = "",
    parent_id: Annotated[int | None, Query(ge=1)] = None,
):
    """The newest top-level comments, oldest first, each followed by its first
    replies; `cursor` (from the `X-Next-Cursor` header, "" on the last page) gives
    the earlier ones. With `parent_id`: that comment's replies, oldest first."""
    page = posts.comment_page(session=session, viewer_id=user_id, post_id=post_id, cursor=cursor, parent_id=parent_id)
    response.headers[NEXT_CURSOR_HEADER] = page.next_cursor
    return page.comments


@router.post("/posts/{post_id}/comments", status_code=status.HTTP_201_CREATED, response_model=CommentView)
def add_comment(post_id: int, body: CommentRequest, session: SessionDep, user_id: CurrentUserId):
    return posts.add_comment(
        session=session,
        user_id=user_id,
        post_id=post_id,
        text=body.text,
        parent_id=body.parent_id,
        page=body.page,
        chapter=body.chapter,
    )


@router.delete("/comments/{comment_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_comment(comment_id: int, session: SessionDep, user_id: CurrentUserId):
    posts.delete_comment(session=session, user_id=user_id, comment_id=comment_id)
