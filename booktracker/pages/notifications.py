"""/notifications: what others did that concerns me, grouped, newest first, a
page at a time (services/notifications.py), with "Mark all read"."""

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP
from booktracker.components.layout import empty_state, page
from booktracker.components.notification_badge import NotificationBadgeState
from booktracker.db import session_scope
from booktracker.models import NotificationKind
from booktracker.services import notifications
from booktracker.services.notifications import NotificationView
from booktracker.state import AuthState, handle_errors

# Kinds about the actor (follows): they link to the actor's profile; the rest to
# the post's author's profile, which lists the post (there is no single-post page),
# or to the circle the post or request is about.
_ABOUT_THE_ACTOR = {NotificationKind.FOLLOW, NotificationKind.FOLLOW_REQUEST}


class NotificationRow(NotificationView):
    href: str


def _href(item: NotificationView) -> str:
    if item.kind == NotificationKind.FOLLOW_REQUEST:
        return routes.ACCOUNT  # requests are approved in Settings → Privacy
    if item.kind == NotificationKind.CIRCLE_REQUEST and item.circle_id:
        return routes.circle_members(item.circle_id)  # where the circle's requests are approved
    if item.kind == NotificationKind.CIRCLE_APPROVED and item.circle_id:
        return routes.circle(item.circle_id)
    if item.post_circle_id:
        return routes.circle(item.post_circle_id)  # a post inside a circle is on the circle's page
    if item.kind in _ABOUT_THE_ACTOR or not item.post_author_username:
        return routes.profile(item.actor_username)
    return routes.profile(item.post_author_username)


def _row(item: NotificationView) -> NotificationRow:
    # The ids stay on the server (a group may hold hundreds): NotificationsState._ids.
    return NotificationRow(**item.model_dump(exclude={"ids"}), ids=[], href=_href(item))


class NotificationsState(AuthState):
    # One page (at most notifications.PAGE_SIZE groups); older pages by cursor.
    items: rx.Field[list[NotificationRow]] = rx.field(default_factory=list)
    next_cursor: str = ""
    loaded: bool = False
    # The cursors of the newer pages, to go back ("" is the first page).
    _back: list[str] = []
    cursor: str = ""
    # Each item's notification ids, for marking it read.
    _ids: list[list[int]] = []

    def _read(self, cursor: str) -> None:
        user_id = self.current_user_id()
        with session_scope() as session:
            result = notifications.page(session=session, user_id=user_id, cursor=cursor)
        self.items = [_row(item) for item in result.items]
        self._ids = [item.ids for item in result.items]
        self.next_cursor, self.cursor, self.loaded = result.next_cursor, cursor, True

    @rx.event
    @handle_errors
    def load(self):
        self._back = []
        self._read("")

    @rx.event
    @handle_errors
    def older(self):
        if self.next_cursor:
            self._back = [*self._back, self.cursor]
            self._read(self.next_cursor)

    @rx.event
    @handle_errors
    def newer(self):
        if self._back:
            *self._back, cursor = self._back
            self._read(cursor)

    @rx.event
    @handle_errors
    async def mark_all_read(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            notifications.mark_read(session=session, user_id=user_id, ids=None)
        self._back = []
        self._read("")
        badge = await self.get_state(NotificationBadgeState)
        badge._set_unread(0)

    @rx.event
    @handle_errors
    async def mark_item_read(self, index: int):
        """An item was opened (its link leads on): its group is read."""
        if not 0 <= index < len(self.items) or not self.items[index].unread:
            return
        user_id = self.current_user_id()
        with session_scope() as session:
            marked = notifications.mark_read(session=session, user_id=user_id, ids=self._ids[index])
        # A new list: Reflex sends what was assigned (a row changed in place might not be noticed).
        self.items = [
            row.model_copy(update={"unread": False}) if i == index else row for i, row in enumerate(self.items)
        ]
        badge = await self.get_state(NotificationBadgeState)
        badge._set_unread(badge.unread - marked)


def notification_item(item: ObjectVar[NotificationRow], index: rx.Var[int]) -> rx.Component:
    return rx.link(
        _item_card(item),
        href=item.href,
        on_click=NotificationsState.mark_item_read(index),
        underline="none",
        color="inherit",
        class_name="notification-item",
        width="100%",
    )


def _item_card(item: ObjectVar[NotificationRow]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.avatar(
                src=item.actor_avatar_url,
                fallback=item.actor_initials,
                size="3",
                radius="full",
                color_scheme="indigo",
                custom_attrs={"alt": ""},  # the name is beside it (a plain alt= became CSS)
            ),
            rx.vstack(
                # An English sentence around a name: dir="auto" took an Arabic name's direction for the whole
                # line ("liked your post" went first, flush right); the name's own run still reads RTL.
                rx.text(item.text, weight=rx.cond(item.unread, "bold", "regular"), style=WRAP, dir="ltr"),
                rx.cond(
                    item.snippet != "",
                    rx.text(f"“{item.snippet}”", size="2", color_scheme="gray", style=WRAP, dir="auto"),
                ),
                rx.text(rx.moment(item.created_at, from_now=True), size="1", color_scheme="gray"),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            rx.cond(item.unread, rx.badge("New", color_scheme="red", variant="soft")),
            align="center",
            width="100%",
        ),
        width="100%",
    )


def notifications_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.hstack(
                rx.heading("Notifications", size="7"),
                rx.spacer(),
                rx.button(
                    "Mark all read",
                    variant="soft",
                    on_click=NotificationsState.mark_all_read,
                    disabled=NotificationBadgeState.unread == 0,
                    id="mark-all-read",
                ),
                align="center",
                width="100%",
            ),
            rx.cond(
                NotificationsState.items.length() > 0,
                rx.vstack(
                    rx.foreach(NotificationsState.items, notification_item),
                    rx.hstack(
                        rx.cond(
                            NotificationsState.cursor != "",
                            rx.button("Newer", variant="soft", on_click=NotificationsState.newer),
                        ),
                        rx.spacer(),
                        rx.cond(
                            NotificationsState.next_cursor != "",
                            rx.button("Older", variant="soft", on_click=NotificationsState.older),
                        ),
                        width="100%",
                    ),
                    spacing="2",
                    width="100%",
                ),
                rx.cond(
                    NotificationsState.loaded,
                    empty_state(
                        "bell",
                        "Nothing yet",
                        "When readers like or comment on your posts, follow or mention you, it shows here.",
                    ),
                ),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="40rem",
    )
