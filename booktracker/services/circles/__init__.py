"""Reading circles: groups of readers with a current book, a schedule, a shared
goal, members' posts, leaderboards and an activity feed.

Callers use the package (``from booktracker.services import circles``). Inside:
- ``access``: the one loader and the role checks (who may do what);
- ``membership``: create/edit/cover/delete, join, requests, invite codes, leave, remove, roles;
- ``schedule``: current book, checkpoints, the shared goal, members' progress;
- ``boards``: leaderboards and the activity feed;
- ``pages``: the circle list and one circle's overview.
Circle posts are ordinary posts with ``circle_id`` (services/posts: ``publish``
checks membership, ``circle_posts`` lists them; services/privacy.py
``can_see_circle`` is their audience), so likes, comments and the spoiler shield apply.
"""

from booktracker.services.circles.access import Forbidden, require_content
from booktracker.services.circles.boards import (
    ACTIVITY_PAGE,
    BOARD_SIZE,
    PERIODS,
    ActivityItem,
    LeaderRow,
    activity,
    leaderboard,
)
from booktracker.services.circles.membership import (
    DESCRIPTION_MAX,
    NAME_MAX,
    CircleInput,
    approve,
    create_circle,
    decline,
    delete_circle,
    edit_circle,
    invite_code,
    join,
    join_by_code,
    leave,
    remove_member,
    rotate_code,
    set_cover,
    set_on_leaderboard,
    set_role,
)
from booktracker.services.circles.pages import (
    LIST_PAGE,
    LIST_TABS,
    CircleCard,
    CircleOverview,
    CirclePage,
    RequestView,
    circle_page,
    list_circles,
    overview,
    pending_requests,
)
from booktracker.services.circles.schedule import (
    MEMBERS_PAGE,
    BookChoice,
    CheckpointView,
    MemberProgress,
    add_checkpoint,
    book_choices,
    checkpoints,
    delete_checkpoint,
    members_progress,
    schedule_of,
    set_current_book,
    set_goal,
)

__all__ = [
    "ACTIVITY_PAGE",
    "BOARD_SIZE",
    "DESCRIPTION_MAX",
    "LIST_PAGE",
    "LIST_TABS",
    "MEMBERS_PAGE",
    "NAME_MAX",
    "PERIODS",
    "ActivityItem",
    "BookChoice",
    "CheckpointView",
    "CircleCard",
    "CircleInput",
    "CircleOverview",
    "CirclePage",
    "Forbidden",
    "LeaderRow",
    "MemberProgress",
    "RequestView",
    "activity",
    "add_checkpoint",
    "approve",
    "book_choices",
    "checkpoints",
    "circle_page",
    "create_circle",
    "decline",
    "delete_checkpoint",
    "delete_circle",
    "edit_circle",
    "invite_code",
    "join",
    "join_by_code",
    "leaderboard",
    "leave",
    "list_circles",
    "members_progress",
    "overview",
    "pending_requests",
    "remove_member",
    "require_content",
    "rotate_code",
    "schedule_of",
    "set_cover",
    "set_current_book",
    "set_goal",
    "set_on_leaderboard",
    "set_role",
]
