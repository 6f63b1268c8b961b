"""The book page's commonplace book: the reader's own posts, quotes and notes
about this book in page order (services/posts/commonplace.py).

``CommonplaceMixin`` is mixed into ``BookDetailState`` (pages/book_detail.py);
its section is in components/commonplace.py. Loading the page costs one
statement more; the state holds one page of posts (20).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx

from booktracker.db import session_scope
from booktracker.services.posts import PostView, commonplace
from booktracker.state import handle_errors

if TYPE_CHECKING:
    from booktracker.models import UserBookDetail


class CommonplaceMixin(rx.State, mixin=True):
    commonplace: rx.Field[list[PostView]] = rx.field(default_factory=list)
    commonplace_page: rx.Field[int] = rx.field(1)
    commonplace_more: rx.Field[bool] = rx.field(False)

    if TYPE_CHECKING:
        # BookDetailState (an AuthState) defines these.
        detail: rx.Field[UserBookDetail]

        def current_user_id(self) -> int: ...

    def _load_commonplace(self, user_id: int, user_book_id: int, page: int = 1) -> None:
        with session_scope() as session:
            found = commonplace.my_book_posts(session=session, user_id=user_id, user_book_id=user_book_id, page=page)
        self.commonplace, self.commonplace_page, self.commonplace_more = found.posts, found.page, found.has_more

    @rx.event
    @handle_errors
    def commonplace_go(self, page: int):
        """Previous / next page of the commonplace book."""
        self._load_commonplace(self.current_user_id(), self.detail.id, max(1, int(page)))
