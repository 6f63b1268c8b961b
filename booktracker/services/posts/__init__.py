"""Posts: publishing, edits and deletes; feeds and profiles; likes and comments.

Callers use the package (``from booktracker.services import posts``; then
``posts.publish``, ``posts.feed``, ``posts.PostView``...). Inside:
- ``writing``: input checks, ``publish`` (the one use case both front ends
  call), edits, deletes; stored images are deleted with their post;
- ``feeds``: the views readers get, feeds, profiles and keyset cursors;
- ``reactions``: likes and comments.

Visibility rule, everywhere: a private post exists only for its author.
"""

from booktracker.services.posts.feeds import (
    ANONYMOUS_NAME,
    FEED_PAGE,
    FEED_TABS,
    FeedPage,
    PostView,
    decode_cursor,
    encode_cursor,
    feed,
    get_post,
    initials,
    user_posts,
)
from booktracker.services.posts.reactions import (
    COMMENT_MAX,
    COMMENTS_PAGE,
    CommentView,
    add_comment,
    delete_comment,
    like,
    list_comments,
    unlike,
)
from booktracker.services.posts.writing import (
    CHAPTER_MAX,
    EMOTION_MAX,
    QUOTE_MAX,
    TEXT_MAX,
    PostInput,
    add_post,
    create_post,
    delete_post,
    edit_post,
    publish,
)

__all__ = [
    "ANONYMOUS_NAME",
    "CHAPTER_MAX",
    "COMMENTS_PAGE",
    "COMMENT_MAX",
    "EMOTION_MAX",
    "FEED_PAGE",
    "FEED_TABS",
    "QUOTE_MAX",
    "TEXT_MAX",
    "CommentView",
    "FeedPage",
    "PostInput",
    "PostView",
    "add_comment",
    "add_post",
    "create_post",
    "decode_cursor",
    "delete_comment",
    "delete_post",
    "edit_post",
    "encode_cursor",
    "feed",
    "get_post",
    "initials",
    "like",
    "list_comments",
    "publish",
    "unlike",
    "user_posts",
]
