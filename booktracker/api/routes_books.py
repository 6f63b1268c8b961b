"""/api/v1/books/{id}: a shared book's public page; /api/v1/reads/{id}/review: reviewing one of my reads.

No token is needed to read a book page; with one, the answer adds my copy
(``my_user_book_id``, ``my_status``) and the friends who read it, and the
lists follow what this reader may see (services/book_pages.py says what is
counted and what is listed). ``GET /books/search`` (routes_reading.py) is
matched first.
"""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, OptionalUser, SessionDep
from booktracker.models import ReviewView
from booktracker.services import book_pages, posts, reviews
from booktracker.services.book_pages import BookPageView
from booktracker.services.posts import PostView

router = APIRouter(tags=["books"])
Cursor = Annotated[str, Query(max_length=200)]
Sort = Annotated[str, Query(max_length=10, description="newest | liked")]


class PostPage(BaseModel):
    posts: list[PostView]
    next_cursor: str  # "" when there is nothing more


class BookPageResponse(BaseModel):
    book: BookPageView
    reviews: PostPage  # the first page of public reviews (their posts), in ``sort`` order


class ReviewRequest(BaseModel):
    rating: float | None = Field(default=None, description="0.25 to 5 in quarter steps; null or 0 for none.")
    text: str = Field(default="", max_length=reviews.REVIEW_MAX)
    has_spoilers: bool = False
    is_public: bool = True


def _page(page: posts.FeedPage) -> PostPage:
    return PostPage(posts=page.posts, next_cursor=page.next_cursor)


def _viewer(user) -> int | None:
    return user.id if user is not None else None


@router.get("/books/{book_id}", response_model=BookPageResponse)
def get_book(book_id: int, session: SessionDep, user: OptionalUser, sort: Sort = "newest"):
    """The book, its counts and rating distribution, and the first page of public reviews."""
    viewer_id = _viewer(user)
    book = book_pages.book_page(session=session, viewer_id=viewer_id, book_id=book_id)
    first = posts.book_posts(session=session, viewer_id=viewer_id, book_id=book_id, kind="reviews", sort=sort)
    return BookPageResponse(book=book, reviews=_page(first))


@router.get("/books/{book_id}/reviews", response_model=PostPage)
def book_reviews(book_id: int, session: SessionDep, user: OptionalUser, sort: Sort = "newest", cursor: Cursor = ""):
    """More public reviews: pass the last page's ``next_cursor`` with the same ``sort``."""
    return _page(
        posts.book_posts(
            session=session, viewer_id=_viewer(user), book_id=book_id, kind="reviews", sort=sort, cursor=cursor
        )
    )


@router.get("/books/{book_id}/posts", response_model=PostPage)
def book_posts(book_id: int, session: SessionDep, user: OptionalUser, sort: Sort = "newest", cursor: Cursor = ""):
    """Posts and quotes about the book (reviews apart)."""
    return _page(
        posts.book_posts(
            session=session, viewer_id=_viewer(user), book_id=book_id, kind="posts", sort=sort, cursor=cursor
        )
    )


@router.put("/reads/{read_id}/review", response_model=ReviewView)
def put_review(read_id: int, body: ReviewRequest, session: SessionDep, user_id: CurrentUserId):
    """Write or replace the review of one of my reads; a public one appears in feeds and on the book page."""
    data = reviews.ReviewInput(
        rating=body.rating, text=body.text, has_spoilers=body.has_spoilers, is_public=body.is_public
    )
    return reviews.write_review(session=session, user_id=user_id, read_id=read_id, data=data)


@router.delete("/reads/{read_id}/review", status_code=status.HTTP_204_NO_CONTENT)
def delete_review(read_id: int, session: SessionDep, user_id: CurrentUserId):
    """Delete the review of one of my reads, with its likes and comments."""
    reviews.delete_review(session=session, user_id=user_id, read_id=read_id)
