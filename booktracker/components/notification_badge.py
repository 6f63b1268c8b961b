"""The unread-notifications badge in the navigation (components/layout.py).

Its state holds only the count. It loads when the navigation mounts on a
signed-in page (one statement besides the token check, in its own event:
the pages' own load events and their statement counts do not change), and
new notifications add to it live (booktracker/live_notifications.py).
"""

import reflex as rx

from booktracker import live_notifications, routes
from booktracker.components.numbers import grouped_var
from booktracker.db import session_scope
from booktracker.services import notifications
from booktracker.state import AuthState, LoginRequired, handle_errors


class NotificationBadgeState(AuthState):
    unread: rx.Field[int] = rx.field(0)
    # Whose count this tab holds: a live notice for another reader (a tab that
    # signed out and in as someone else) is ignored.
    _reader_id: int = 0

    @rx.event
    @handle_errors
    def load_badge(self):
        try:
            user_id = self.current_user_id()
        except LoginRequired:
            # Not this badge's business: the page's own load decides whether to ask for a login.
            self.unread, self._reader_id = 0, 0
            return
        with session_scope() as session:
            self.unread = notifications.unread_count(session=session, user_id=user_id)
        self._reader_id = user_id
        live_notifications.badge_shown(user_id, self.router.session.client_token if self.router else "")

    def _add_unread(self, user_id: int, count: int) -> None:
        """A live notice (live_notifications.tell_recipients): no SQL."""
        if user_id == self._reader_id:
            self.unread += count

    def _set_unread(self, count: int) -> None:
        self.unread = max(0, count)


def notification_bell() -> rx.Component:
    """A bell linking to /notifications, with the unread count when there is one."""
    label = rx.cond(
        NotificationBadgeState.unread > 0,
        f"Notifications, {grouped_var(NotificationBadgeState.unread)} unread",
        "Notifications",
    )
    return rx.link(
        rx.box(
            rx.icon("bell", size=20),
            rx.cond(
                NotificationBadgeState.unread > 0,
                rx.badge(
                    rx.cond(NotificationBadgeState.unread > 99, "99+", NotificationBadgeState.unread.to_string()),
                    color_scheme="red",
                    variant="solid",
                    radius="full",
                    size="1",
                    position="absolute",
                    top="-8px",
                    right="-10px",
                    id="notification-count",
                ),
            ),
            position="relative",
            display="flex",
            align_items="center",
        ),
        href=routes.NOTIFICATIONS,
        aria_label=label,
        title=label,
        color=rx.color("gray", 12),
        id="notification-bell",
        on_mount=NotificationBadgeState.load_badge,
    )
