"""/ (the community feed): composer, Everyone / Following tabs, live updates.

Logged-out visitors see public posts anonymised and no actions. New public
posts reach connected readers at once (booktracker/live_feed.py): a new post
sets ``latest_public_id`` in every open feed, which shows a "new posts"
button (across workers too, through Redis). No polling.
"""

from __future__ import annotations

import logging

import reflex as rx
from reflex.vars.object import ObjectVar
from sqlalchemy.exc import DBAPIError

from booktracker import live_feed, routes
from booktracker.components.books import WRAP, cover
from booktracker.components.composer import NO_BOOK, UPLOAD_ID, composer
from booktracker.components.feed_preview import feed_preview
from booktracker.components.layout import empty_state, page
from booktracker.components.post_list import PostListMixin, post_list
from booktracker.db import session_scope
from booktracker.errors import InvalidInput, ServiceError
from booktracker.services import images, library, posts, social
from booktracker.services.social import ReadingView
from booktracker.state import DB_DOWN_MESSAGE, AuthState, LoginRequired, handle_errors

log = logging.getLogger("booktracker.feed")


class FeedState(PostListMixin, AuthState):
    tab: str = "everyone"
    newest_seen_id: int = 0
    # rx.Field: the class attributes type-check as Vars (.length(), emotion_picker), the instance ones as values.
    friends_reading: rx.Field[list[ReadingView]] = rx.field(default_factory=list)
    my_books: list[dict[str, str]] = []
    # composer
    composer_text: str = ""
    composer_quote: str = ""
    composer_emotion: rx.Field[str] = rx.field("")
    composer_book: str = NO_BOOK
    composer_page: str = ""
    composer_chapter: str = ""
    composer_public: bool = True
    composer_error: str = ""
    # The browser refused the image the reader chose (type or size): Post refuses until it is removed or changed.
    image_rejected: bool = False
    upload_progress: int = 0
    posting: bool = False
    # Set by live_feed.announce when someone else posts publicly.
    latest_public_id: int = 0

    def _load_page(self, cursor: str) -> posts.FeedPage:
        return self._feed_page(self._viewer_id(), cursor)

    def _feed_page(self, viewer_id: int | None, cursor: str) -> posts.FeedPage:
        with session_scope() as session:
            return posts.feed(session=session, viewer_id=viewer_id, tab=self.tab, cursor=cursor)

    def _reload(self, viewer_id: int | None) -> None:
        # The caller checked the token once for the whole event (a database read).
        self._set_page(self._feed_page(viewer_id, ""), append=False)
        public_ids = [p.id for p in self.posts if p.is_public]
        self.newest_seen_id = max([*public_ids, self.newest_seen_id])
        self.latest_public_id = max(self.latest_public_id, self.newest_seen_id)

    @rx.event
    @handle_errors
    def load(self):
        viewer_id = self._viewer_id()
        self._reload(viewer_id)
        self._load_sidebar(viewer_id)
        live_feed.feed_opened(self.router.session.client_token)  # new public posts will reach this tab

    def _load_sidebar(self, user_id: int | None) -> None:
        if user_id is None:
            self.friends_reading, self.my_books = [], []
            return
        with session_scope() as session:
            self.friends_reading = social.friends_reading(session=session, user_id=user_id)
            self.my_books = [
                {"id": str(entry_id), "title": title}
                for entry_id, title in library.shelf_titles(session=session, user_id=user_id)
            ]

    @rx.event
    @handle_errors
    def set_tab(self, tab: str | list[str]):
        tab = tab[0] if isinstance(tab, list) and tab else str(tab)
        if tab in posts.FEED_TABS:
            self.tab = tab
        viewer_id = self._viewer_id()
        if self.tab == "following" and viewer_id is None:
            raise LoginRequired
        self._reload(viewer_id)

    @rx.event
    @handle_errors
    def show_new_posts(self):
        self.tab = "everyone"
        self._reload(self._viewer_id())

    # ------------------------------------------------------------ composer

    def _composer_changed(self) -> None:
        """The reader changed a field: an earlier error no longer applies (a refused image still does)."""
        self.composer_error = images.rejected_upload_message() if self.image_rejected else ""

    @rx.event
    def set_composer_text(self, value: str):
        self.composer_text = value[: posts.TEXT_MAX]
        self._composer_changed()

    @rx.event
    def set_composer_quote(self, value: str):
        self.composer_quote = value[: posts.QUOTE_MAX]
        self._composer_changed()

    @rx.event
    def set_composer_emotion(self, emoji: str):
        self.composer_emotion = "" if emoji == self.composer_emotion else emoji
        self._composer_changed()

    @rx.event
    def set_composer_book(self, value: str):
        self.composer_book = value
        self._composer_changed()

    @rx.event
    def set_composer_page(self, value: str):
        self.composer_page = value[:7]
        self._composer_changed()

    @rx.event
    def set_composer_chapter(self, value: str):
        self.composer_chapter = value[: posts.CHAPTER_MAX]
        self._composer_changed()

    @rx.event
    def set_composer_public(self, value: bool):
        self.composer_public = bool(value)

    @rx.event
    @handle_errors
    def reject_image(self, rejected: list[dict]):
        """The upload's on_drop_rejected: the browser refused the file (not JPEG/PNG/WebP, or over 5 MB)."""
        self.image_rejected = True
        self.composer_error = images.rejected_upload_message()

    @rx.event
    @handle_errors
    def remove_image(self):
        """Forget the chosen (or refused) image."""
        self.image_rejected = False
        self._composer_changed()
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    def on_upload_progress(self, progress: dict):
        self.upload_progress = round(progress.get("progress", 0) * 100)

    def _composer_input(self) -> posts.PostInput:
        page_text = self.composer_page.strip()
        if page_text and not page_text.isdigit():
            raise InvalidInput("Page must be a whole number.", field="page")
        return posts.PostInput(
            text=self.composer_text,
            emotion=self.composer_emotion,
            quote=self.composer_quote,
            user_book_id=int(self.composer_book) if self.composer_book.isdigit() else None,
            page=int(page_text) if page_text else None,
            chapter=self.composer_chapter,
            is_public=self.composer_public,
        )

    async def _read_image(self, files: list[rx.UploadFile]) -> bytes | None:
        if not files:
            return None
        upload = files[0]
        images.check_declared_size(upload.size)
        # Read one byte past the limit: enough for publish to know it is too big.
        return await upload.read(images.MAX_IMAGE_BYTES + 1)

    @rx.event
    @handle_errors
    async def submit_post(self, files: list[rx.UploadFile]):
        """Publish the post. On any failure the composer keeps everything typed
        (and publish has deleted any image it stored)."""
        self.composer_error = ""
        if files:
            self.image_rejected = False  # the reader chose another image, which the browser accepted
        elif self.image_rejected:
            # Never post without the image the reader chose.
            self.composer_error = images.rejected_upload_message()
            return None
        self.posting = True
        try:
            user_id = self.current_user_id()
            data = self._composer_input()
            image = await self._read_image(files)
            with session_scope() as session:
                view = posts.publish(
                    session=session,
                    user_id=user_id,
                    data=data,
                    image=image,
                    # This tab shows its own post at once; the live feed skips it.
                    origin=self.router.session.client_token,
                )
        except LoginRequired:
            raise  # handle_errors: to the login page, then back to this page
        except (ServiceError, DBAPIError) as exc:
            self.upload_progress = 0
            self.composer_error = exc.message if isinstance(exc, ServiceError) else DB_DOWN_MESSAGE
            return None
        except Exception:
            # A bug: handle_errors logs it and shows a toast. The composer keeps its input.
            self.upload_progress = 0
            raise
        finally:
            self.posting = False  # whatever happened, the button is never left spinning
        self.upload_progress = 0
        self.composer_text = self.composer_quote = self.composer_emotion = ""
        self.composer_page = self.composer_chapter = ""
        self.composer_book = NO_BOOK
        self.composer_public = True  # each post starts public again
        self.posts = [view, *self.posts]
        self._record_shown()  # its likes and comments arrive live too
        if view.is_public:
            self.newest_seen_id = max(self.newest_seen_id, view.id)
            self.latest_public_id = max(self.latest_public_id, view.id)
        return [
            rx.clear_selected_files(UPLOAD_ID),
            rx.toast.success("Posted." if view.is_public else "Saved privately."),
        ]


# ---------------------------------------------------------------- components

S = FeedState


def new_posts_banner() -> rx.Component:
    return rx.cond(
        S.latest_public_id > S.newest_seen_id,
        rx.center(
            rx.button(
                rx.icon("arrow-up", size=14),
                "New posts — show them",
                on_click=S.show_new_posts,
                radius="full",
                id="new-posts",
            ),
            width="100%",
        ),
    )


def friends_widget() -> rx.Component:
    def row(item: ObjectVar[ReadingView]) -> rx.Component:
        return rx.hstack(
            cover(item.book_cover_url, item.book_title, width="2.2rem"),
            rx.vstack(
                rx.link(item.name, href=routes.profile(item.username), size="2", weight="bold"),
                rx.link(item.book_title, href=routes.book_page(item.book_id), size="1", style=WRAP),
                rx.progress(value=item.percent, max=100, size="1"),
                spacing="1",
                width="100%",
            ),
            width="100%",
        )

    return rx.card(
        rx.vstack(
            rx.heading("Friends reading now", size="3"),
            rx.cond(
                S.friends_reading.length() > 0,
                rx.foreach(S.friends_reading, row),
                rx.text("Follow readers to see what they're reading.", size="2", color_scheme="gray"),
            ),
            rx.link("Find readers", href=routes.PEOPLE, size="2"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def welcome() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Track every book you read", size="6"),
            rx.text(
                "Keep your library, log progress page by page, and share how your reads make you feel.",
                color_scheme="gray",
            ),
            rx.hstack(
                rx.link(rx.button("Get started"), href=routes.SIGNUP),
                rx.link(rx.button("Log in", variant="soft"), href=routes.LOGIN),
            ),
            spacing="3",
        ),
        width="100%",
    )


def feed_page() -> rx.Component:
    return page(
        rx.grid(
            rx.vstack(
                rx.cond(AuthState.logged_in, composer(FeedState), welcome()),
                rx.segmented_control.root(
                    rx.segmented_control.item("Everyone", value="everyone", id="feed-everyone"),
                    rx.cond(
                        AuthState.logged_in,
                        rx.segmented_control.item("Following", value="following", id="feed-following"),
                    ),
                    value=S.tab,
                    on_change=S.set_tab,
                    aria_label="Which posts",
                ),
                new_posts_banner(),
                post_list(
                    S,
                    empty=empty_state("message-square", "No posts yet", "Be the first to share what you're reading."),
                    # The first cards straight from the API while the live page starts (issue 18).
                    pending=feed_preview(),
                ),
                spacing="4",
                width="100%",
                min_width="0",
                # A visitor has no sidebar: the welcome card and the posts take the whole row.
                grid_column=rx.cond(AuthState.logged_in, "auto", "1 / -1"),
                id="feed-main",
            ),
            rx.cond(AuthState.logged_in, rx.box(friends_widget(), display=["none", "none", "block"])),
            columns=rx.breakpoints(initial="1", md="3fr 1fr"),
            spacing="4",
            width="100%",
        )
    )
