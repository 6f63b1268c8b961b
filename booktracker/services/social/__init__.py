"""Follows, reader search, profiles and "friends currently reading".

``people`` lists readers (followers, following, search); ``follows`` follows
and unfollows; ``profiles`` shows and edits a profile and what friends are
reading. Callers use ``social.<name>`` from here.
"""

from booktracker.services.social.follows import FOLLOW_FOLLOWING, FOLLOW_REQUESTED, follow, unfollow
from booktracker.services.social.people import PEOPLE_PAGE, PersonView, followers, following, search_people
from booktracker.services.social.profiles import (
    BIO_MAX,
    NAME_MAX,
    ProfileView,
    ReadingView,
    friends_reading,
    profile,
    update_profile,
    valid_username,
)

__all__ = [
    "BIO_MAX",
    "FOLLOW_FOLLOWING",
    "FOLLOW_REQUESTED",
    "NAME_MAX",
    "PEOPLE_PAGE",
    "PersonView",
    "ProfileView",
    "ReadingView",
    "follow",
    "followers",
    "following",
    "friends_reading",
    "profile",
    "search_people",
    "unfollow",
    "update_profile",
    "valid_username",
]
