"""A reader's avatar: one upload, two square crops, initials when there is none.

The file goes through the post images' pipeline (services/images.py: real
JPEG/PNG/WebP only, size limits, EXIF rotation applied and all metadata
dropped), is cropped to its centred square at ``SIZES`` and stored like post
images (services/storage.py: local files or Cloudinary). ``users.avatar_key``
keeps both files' keys, so replacing, removing and deleting the account
delete them. Avatars are public pictures, as initials were: they are shown
wherever the reader's name is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from booktracker.errors import NotFound
from booktracker.models import User
from booktracker.services import images, storage

SIZES = (256, 64)  # profile and settings; feed, comments and lists
# Where Reflex serves the public upload folder (local storage); the browser
# prefixes the backend's origin (components/posts.py ``avatar``).
UPLOAD_URL_PREFIX = "/_upload/"
_SEPARATOR = " "  # between the two keys in users.avatar_key (keys hold no spaces)


@dataclass(frozen=True)
class Avatar:
    url: str  # 256 px: a Cloudinary https URL, or a path starting with /_upload/; "" for initials
    small_url: str  # 64 px


def keys(avatar_key: str) -> list[str]:
    """The stored files of an ``avatar_key`` (for deleting them)."""
    return [key for key in avatar_key.split(_SEPARATOR) if key]


def _url(stored: storage.StoredImage) -> str:
    return stored.url or UPLOAD_URL_PREFIX + stored.local_path


def set_avatar(*, session: Session, user_id: int, data: bytes) -> Avatar:
    """Check, crop and store a new avatar, then delete the old files. A refused
    file (InvalidInput, field "image") stores nothing."""
    crops = images.square_crops(data, SIZES)  # refuses before anything is stored
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That reader does not exist.")
    store = storage.get_store()
    saved: list[storage.StoredImage] = []
    try:
        for crop in crops:
            saved.append(store.save(crop))
    except storage.StorageUnavailable:
        storage.delete_all_quietly([s.key for s in saved])
        raise
    old = keys(user.avatar_key)
    user.avatar_url, user.avatar_small_url = _url(saved[0]), _url(saved[1])
    user.avatar_key = _SEPARATOR.join(s.key for s in saved)
    session.add(user)
    session.commit()
    storage.delete_all_quietly(old)  # only once the new ones are in place
    return Avatar(url=user.avatar_url, small_url=user.avatar_small_url)


def remove_avatar(*, session: Session, user_id: int) -> None:
    """Back to initials; the files go after the commit."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That reader does not exist.")
    old = keys(user.avatar_key)
    user.avatar_url = user.avatar_small_url = user.avatar_key = ""
    session.add(user)
    session.commit()
    storage.delete_all_quietly(old)


def current(*, session: Session, user_id: int) -> Avatar:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That reader does not exist.")
    return Avatar(url=user.avatar_url, small_url=user.avatar_small_url)
