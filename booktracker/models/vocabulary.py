"""The enumerations stored in the tables, and the words readers see for them.

Stored as short strings guarded by CHECK constraints (``base._in_check``), which
migrate the same way on SQLite and PostgreSQL. A new status, format or
ownership is one edit here (tests/test_models.py checks every member has its
label).
"""

from __future__ import annotations

from enum import StrEnum


class ReadingStatus(StrEnum):
    TO_READ = "to-read"
    READING = "reading"
    FINISHED = "finished"
    PAUSED = "paused"
    DNF = "did-not-finish"


class BookFormat(StrEnum):
    HARDCOVER = "hardcover"
    PAPERBACK = "paperback"
    EBOOK = "ebook"
    KINDLE = "kindle"
    PDF = "pdf"
    AUDIOBOOK = "audiobook"


class ProgressUnit(StrEnum):
    """How a reader tracks a read: pages, percent, or minutes (audiobooks)."""

    PAGES = "pages"
    PERCENT = "percent"
    MINUTES = "minutes"


# A read is under way or over; "want to read" is a shelf, not a read.
READ_STATUSES = (ReadingStatus.READING, ReadingStatus.FINISHED, ReadingStatus.PAUSED, ReadingStatus.DNF)


class ProfileVisibility(StrEnum):
    """Who sees a reader's profile, posts, follows and current reads."""

    PUBLIC = "public"  # everyone, visitors included
    SIGNED_IN = "signed-in"  # readers with an account
    FOLLOWERS = "followers"  # approved followers (follows become requests)
    PRIVATE = "private"  # nobody but the reader


class ReportTarget(StrEnum):
    POST = "post"
    COMMENT = "comment"
    USER = "user"


class ReportReason(StrEnum):
    SPAM = "spam"
    HARASSMENT = "harassment"
    HATE = "hate"
    SPOILERS = "spoilers"
    SEXUAL = "sexual"
    OTHER = "other"


class ReportStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # a moderator acted on it
    DISMISSED = "dismissed"  # nothing wrong


class ModerationAction(StrEnum):
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    DISMISS = "dismiss"


class NotificationKind(StrEnum):
    """What happened, for the reader it happened to (services/notifications)."""

    LIKE = "like"
    COMMENT = "comment"
    REPLY = "reply"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow-request"
    MENTION = "mention"
    CIRCLE_REQUEST = "circle-request"  # someone asks to join a circle you run
    CIRCLE_APPROVED = "circle-approved"  # your request to join was approved


class CircleRole(StrEnum):
    OWNER = "owner"
    CURATOR = "curator"  # sets the current book and schedule, approves members
    MEMBER = "member"


class CircleGoalKind(StrEnum):
    NONE = "none"
    PAGES = "pages"  # pages read by all members this month
    BOOKS = "books"  # books finished by all members this month


class Ownership(StrEnum):
    NONE = "none"
    OWNED = "owned"
    BORROWED = "borrowed"
    LOANED = "loaned"


# What readers see for each value, in enum order. Pages, selects, library tabs
# and charts all take their wording from here, so a new status, format or
# ownership is one edit beside its enum (tests/test_models.py checks that
# every member has its label). Keys are the enum members, which are also
# their stored strings, so these look up plain ``str`` values too.
STATUS_LABELS: dict[str, str] = {
    ReadingStatus.TO_READ: "Want to read",
    ReadingStatus.READING: "Reading",
    ReadingStatus.FINISHED: "Finished",
    ReadingStatus.PAUSED: "Paused",
    ReadingStatus.DNF: "Did not finish",
}
# The library's shelf tabs sit in one row: "Did not finish" is too wide there.
STATUS_TAB_LABELS: dict[str, str] = {**STATUS_LABELS, ReadingStatus.DNF: "DNF"}
# Radix colour scheme of each status badge.
STATUS_COLORS: dict[str, str] = {
    ReadingStatus.TO_READ: "gray",
    ReadingStatus.READING: "blue",
    ReadingStatus.FINISHED: "green",
    ReadingStatus.PAUSED: "amber",
    ReadingStatus.DNF: "red",
}
# How a read ends (the book page's buttons) and the date it ended (date
# fields; the reading history says "finished 12 Apr 2025" from it).
READ_END_ACTIONS: dict[str, str] = {
    ReadingStatus.FINISHED: "Finish",
    ReadingStatus.PAUSED: "Pause",
    ReadingStatus.DNF: "Did not finish",
}
READ_END_DATE_LABELS: dict[str, str] = {
    ReadingStatus.FINISHED: "Finished on",
    ReadingStatus.PAUSED: "Paused on",
    ReadingStatus.DNF: "Stopped on",
}
FORMAT_LABELS: dict[str, str] = {
    BookFormat.HARDCOVER: "Hardcover",
    BookFormat.PAPERBACK: "Paperback",
    BookFormat.EBOOK: "E-book",
    BookFormat.KINDLE: "Kindle",
    BookFormat.PDF: "PDF",
    BookFormat.AUDIOBOOK: "Audiobook",
}
# How progress is entered on the book page, per unit.
PROGRESS_UNIT_LABELS: dict[str, str] = {
    ProgressUnit.PAGES: "Pages",
    ProgressUnit.PERCENT: "Percent",
    ProgressUnit.MINUTES: "Time listened (h:mm)",
}
OWNERSHIP_LABELS: dict[str, str] = {
    Ownership.NONE: "Not owned",
    Ownership.OWNED: "Owned",
    Ownership.BORROWED: "Borrowed",
    Ownership.LOANED: "Loaned out",
}
# Who sees a reader's profile (the account page's select; services/privacy.py).
PROFILE_VISIBILITY_LABELS: dict[str, str] = {
    ProfileVisibility.PUBLIC: "Everyone, including visitors",
    ProfileVisibility.SIGNED_IN: "Signed-in readers only",
    ProfileVisibility.FOLLOWERS: "Followers I approve",
    ProfileVisibility.PRIVATE: "Only me",
}
REPORT_REASON_LABELS: dict[str, str] = {
    ReportReason.SPAM: "Spam",
    ReportReason.HARASSMENT: "Harassment or bullying",
    ReportReason.HATE: "Hate speech",
    ReportReason.SPOILERS: "Unmarked spoilers",
    ReportReason.SEXUAL: "Sexual content",
    ReportReason.OTHER: "Something else",
}
