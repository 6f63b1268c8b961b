"""Posts: publishing, edits and deletes; feeds and profiles; likes and comments.

Callers use the package (``from booktracker.services import posts``; then
``posts.publish``, ``posts.feed``, ``posts.PostView``...). Inside:
- ``writing``: input checks, ``publish`` (the one use case both front ends
  call), edits, deletes; stored images are deleted with their post;
- ``cards``: a post's card, the one pipeline every list draws through, one post by id;
- ``feeds``: the lists (feeds, profiles, circles, books) and keyset cursors;
- ``reactions``: likes, and what every reaction shares (a visible post, the live counts);
- ``comments``: comments and their replies, paged;
- ``commonplace``: my posts about one book, in the book's order; ``media``: post images.

Visibility rule, everywhere: a private post exists only for its author.
"""

from booktracker.services.posts.cards import ANONYMOUS_NAME, PostView, get_post, initials
from booktracker.services.posts.comments import (
    COMMENT_MAX,
    COMMENTS_PAGE,
    REPLIES_SHOWN,
    CommentPage,
    CommentView,
    add_comment,
    comment_page,
    delete_comment,
    list_comments,
    reply_cursor,
    visible_comment,
)
from booktracker.services.posts.feeds import (
    BOOK_POST_KINDS,
    BOOK_POST_SORTS,
    FEED_PAGE,
    FEED_TABS,
    FeedPage,
    book_posts,
    circle_posts,
    decode_cursor,
    encode_cursor,
    feed,
    user_posts,
)
from booktracker.services.posts.reactions import like, unlike, visible_comment_count
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
    "BOOK_POST_KINDS",
    "BOOK_POST_SORTS",
    "CHAPTER_MAX",
    "COMMENTS_PAGE",
    "COMMENT_MAX",
    "EMOTION_MAX",
    "FEED_PAGE",
    "FEED_TABS",
    "QUOTE_MAX",
    "REPLIES_SHOWN",
    "TEXT_MAX",
    "CommentPage",
    "CommentView",
    "FeedPage",
    "PostInput",
    "PostView",
    "add_comment",
    "add_post",
    "book_posts",
    "circle_posts",
    "comment_page",
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
    "reply_cursor",
    "unlike",
    "user_posts",
    "visible_comment",
    "visible_comment_count",
]
