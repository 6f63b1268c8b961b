"""Where post images live: local disk (default) or Cloudinary, public or private.

One small interface, chosen from the settings:
- ``LocalImageStore`` writes public images into the Reflex upload directory,
  which the app serves at ``/_upload/<key>`` (cacheable), and private ones into
  a sibling folder nobody serves (``<upload dir>-private``); those reach a
  reader only through ``GET /api/v1/media/...`` with a signed, expiring link.
- ``CloudinaryImageStore`` makes signed uploads with the official SDK into
  the folder ``book_tracker/notes``: public images as ``type="upload"`` (the
  CDN caches them), private ones as ``type="authenticated"``, delivered by
  signed download links that expire (``private_download_url``).

A stored image is described by ``StoredImage(url, key)``: ``url`` is the
public Cloudinary URL, or "" (local files, and private images whose links are
minted per reader); ``key`` names the back-end and whether the image is
private, and is what ``delete`` and ``set_private`` need.

Which images are private is the posts service's decision (an image is public
only while visitors may see its post); ``delivery`` turns a stored image into
what one reader's browser fetches, and is only called for readers the posts
service already allowed to see the post.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import math
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cloudinary
import cloudinary.uploader
import cloudinary.utils

from booktracker.errors import ServiceError
from booktracker.services.images import CleanImage
from booktracker.settings import settings

log = logging.getLogger("booktracker.storage")

CLOUDINARY_FOLDER = "book_tracker/notes"
LOCAL_PREFIX = "local:"
LOCAL_PRIVATE_PREFIX = "local-private:"
CLOUDINARY_PREFIX = "cloudinary:"
CLOUDINARY_PRIVATE_PREFIX = "cloudinary-private:"
PRIVATE_PREFIXES = (LOCAL_PRIVATE_PREFIX, CLOUDINARY_PRIVATE_PREFIX)
# Private local images, relative to the backend: GET {MEDIA_PATH}/{post_id}/{name}?v=&exp=&sig=
MEDIA_PATH = "/api/v1/media"
# A private link works for 1 to 2 hours: expiries are whole hours, so the
# same reader gets the same link (and the browser's cached copy) within an hour.
LINK_SECONDS = 3600
# Every stored image is WebP (images.clean_image re-encodes everything).
IMAGE_FORMAT = "webp"


class StorageUnavailable(ServiceError):
    code = "storage_unavailable"
    http_status = 503


class LinkRefused(ServiceError):
    """A private image's link that was forged, altered or has expired."""

    code = "link_refused"
    http_status = 403


@dataclass(frozen=True)
class StoredImage:
    url: str
    key: str

    @property
    def private(self) -> bool:
        return self.key.startswith(PRIVATE_PREFIXES)

    @property
    def local_path(self) -> str:
        """Path under the public upload dir for public local images ("" otherwise)."""
        return self.key.removeprefix(LOCAL_PREFIX) if self.key.startswith(LOCAL_PREFIX) else ""


class ImageStore(Protocol):
    def save(self, image: CleanImage, *, private: bool = False) -> StoredImage: ...

    def delete(self, key: str) -> None: ...

    def set_private(self, image: StoredImage, private: bool) -> StoredImage: ...


def private_root(public_root: Path) -> Path:
    """Where private local images live: beside the upload dir, never inside it
    (Reflex serves everything inside it to anyone at /_upload/)."""
    return public_root.parent / f"{public_root.name}-private"


class LocalImageStore:
    def __init__(self, root: Path):
        self.root = root
        self.private_root = private_root(root)

    def _path(self, key: str) -> Path | None:
        """The file a key names, never outside its folder (a crafted key reaches nothing)."""
        if key.startswith(LOCAL_PRIVATE_PREFIX):
            root, relative = self.private_root, key.removeprefix(LOCAL_PRIVATE_PREFIX)
        elif key.startswith(LOCAL_PREFIX) or ":" not in key:
            # Keys stored before back-end prefixes existed name a public local file.
            root, relative = self.root, key.removeprefix(LOCAL_PREFIX)
        else:
            return None
        target = (root / relative).resolve()
        return target if root.resolve() in target.parents else None

    def save(self, image: CleanImage, *, private: bool = False) -> StoredImage:
        relative = f"notes/{secrets.token_urlsafe(16)}.{image.extension}"
        key = (LOCAL_PRIVATE_PREFIX if private else LOCAL_PREFIX) + relative
        target = self._path(key)
        assert target is not None  # a name we just made
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(image.data)
        return StoredImage(url="", key=key)

    def delete(self, key: str) -> None:
        target = self._path(key)
        if target is not None:
            target.unlink(missing_ok=True)

    def set_private(self, image: StoredImage, private: bool) -> StoredImage:
        """Move the file between the public and the private folder: its public
        URL stops working the moment it is private."""
        if image.private == private:
            return image
        relative = image.key.removeprefix(LOCAL_PRIVATE_PREFIX if image.private else LOCAL_PREFIX)
        moved = StoredImage(url="", key=(LOCAL_PRIVATE_PREFIX if private else LOCAL_PREFIX) + relative)
        source, target = self._path(image.key), self._path(moved.key)
        if source is None or target is None or not source.exists():
            raise StorageUnavailable("The image of this post could not be found in storage.")
        target.parent.mkdir(parents=True, exist_ok=True)
        source.replace(target)
        return moved

    def open_file(self, key: str) -> Path | None:
        """The file of a local image (public or private) for the authorized
        route (None: no such file)."""
        target = self._path(key)
        return target if target is not None and target.is_file() else None


def _delivery_type(private: bool) -> str:
    return "authenticated" if private else "upload"


class CloudinaryImageStore:
    def __init__(self, *, cloud_name: str, api_key: str, api_secret: str, upload_prefix: str | None = None):
        self.options = {
            "cloud_name": cloud_name,
            "api_key": api_key,
            "api_secret": api_secret,
            "secure": True,
        }
        if upload_prefix:
            # Only tests point this elsewhere (a local server speaking the API).
            self.options["upload_prefix"] = upload_prefix

    @staticmethod
    def _split(key: str) -> tuple[str, bool]:
        if key.startswith(CLOUDINARY_PRIVATE_PREFIX):
            return key.removeprefix(CLOUDINARY_PRIVATE_PREFIX), True
        return key.removeprefix(CLOUDINARY_PREFIX), False

    @staticmethod
    def _stored(result: dict, private: bool) -> StoredImage:
        if private:  # no lasting URL: links are signed per reader and expire
            return StoredImage(url="", key=CLOUDINARY_PRIVATE_PREFIX + result["public_id"])
        return StoredImage(url=result["secure_url"], key=CLOUDINARY_PREFIX + result["public_id"])

    def save(self, image: CleanImage, *, private: bool = False) -> StoredImage:
        try:
            result = cloudinary.uploader.upload(
                io.BytesIO(image.data),
                folder=CLOUDINARY_FOLDER,
                resource_type="image",
                type=_delivery_type(private),
                unique_filename=True,
                overwrite=False,
                **self.options,
            )
        except Exception as exc:
            log.warning("cloudinary upload failed: %s", exc)
            raise StorageUnavailable(
                "The image could not be uploaded right now; your post was not lost, try again."
            ) from None
        return self._stored(result, private)

    def delete(self, key: str) -> None:
        public_id, private = self._split(key)
        result = cloudinary.uploader.destroy(
            public_id, resource_type="image", type=_delivery_type(private), invalidate=True, **self.options
        )
        if result.get("result") not in ("ok", "not found"):
            raise StorageUnavailable(f"Cloudinary refused to delete the image: {result}")

    def set_private(self, image: StoredImage, private: bool) -> StoredImage:
        """Change the asset's delivery type; ``invalidate`` drops the CDN's
        copies, so a formerly public URL stops working."""
        public_id, was_private = self._split(image.key)
        if was_private == private:
            return image
        try:
            result = cloudinary.uploader.rename(
                public_id,
                public_id,
                resource_type="image",
                type=_delivery_type(was_private),
                to_type=_delivery_type(private),
                invalidate=True,
                **self.options,
            )
        except Exception as exc:
            log.warning("cloudinary rename failed: %s", exc)
            raise StorageUnavailable("The image's privacy could not be changed right now; try again.") from None
        return self._stored(result, private)

    def private_link(self, key: str, expires: int) -> str:
        public_id, _private = self._split(key)
        return cloudinary.utils.private_download_url(
            public_id, IMAGE_FORMAT, type="authenticated", expires_at=expires, **self.options
        )


def get_store() -> ImageStore:
    if settings.cloudinary_enabled:
        return CloudinaryImageStore(
            cloud_name=settings.cloudinary_cloud_name,
            api_key=settings.cloudinary_api_key,
            api_secret=settings.cloudinary_api_secret,
            upload_prefix=settings.cloudinary_upload_prefix or None,
        )
    return LocalImageStore(settings.upload_dir)


def store_for(key: str) -> ImageStore:
    """The back-end a key names: images outlive a switch of settings."""
    if key.startswith((LOCAL_PREFIX, LOCAL_PRIVATE_PREFIX)):
        return LocalImageStore(settings.upload_dir)
    return get_store()


# ---------------------------------------------------------------- private links


def link_expiry(now: float | None = None) -> int:
    """A whole hour between 1 and 2 hours away."""
    now = time.time() if now is None else now
    return int(math.ceil((now + LINK_SECONDS) / LINK_SECONDS) * LINK_SECONDS)


def _media_signature(post_id: int, name: str, viewer_id: int, expires: int) -> str:
    key = hashlib.sha256(b"trackmyread-media:" + settings.secret_key.encode()).digest()
    message = f"{post_id}/{name}/{viewer_id}/{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def media_link(post_id: int, key: str, viewer_id: int | None, expires: int) -> str:
    """A private local image's link for one reader (0: a visitor), on this backend."""
    name = key.rsplit("/", 1)[-1]
    viewer = viewer_id or 0
    signature = _media_signature(post_id, name, viewer, expires)
    return f"{MEDIA_PATH}/{post_id}/{name}?v={viewer}&exp={expires}&sig={signature}"


def check_media_link(post_id: int, name: str, viewer: int, expires: int, signature: str) -> int | None:
    """The reader a media link was made for (None: a visitor), for the posts
    service to check again; refuses links that were forged, altered or expired."""
    expected = _media_signature(post_id, name, viewer, expires)
    # Bytes: compare_digest refuses non-ASCII text (a 500 for a crafted link otherwise).
    if not hmac.compare_digest(expected.encode(), signature.encode()) or expires < time.time():
        raise LinkRefused("This image link is not valid or has expired; reload the page to see the image.")
    return viewer or None


def delivery(post_id: int, image: StoredImage, viewer_id: int | None) -> tuple[str, str]:
    """``(image_url, image_path)`` for a reader the posts service lets see the post.

    Public images: the lasting Cloudinary URL, or the path under /_upload/.
    Private ones: an expiring signed link -- Cloudinary's download URL, or this
    backend's media route (a path starting with "/").
    """
    if not image.key:
        return image.url, ""
    if not image.private:
        return image.url, image.local_path
    expires = link_expiry()
    if image.key.startswith(LOCAL_PRIVATE_PREFIX):
        return media_link(post_id, image.key, viewer_id, expires), ""
    store = get_store()
    if not isinstance(store, CloudinaryImageStore):
        log.warning("a private Cloudinary image, but Cloudinary is not configured: %s", image.key)
        return "", ""
    return store.private_link(image.key, expires), ""


# ---------------------------------------------------------------- deleting


def delete_quietly(key: str, store: ImageStore | None = None) -> None:
    """Delete an image after its row is gone; a failure is logged, not raised,
    because the reader's action (deleting the post) already succeeded."""
    if not key:
        return
    try:
        (store or store_for(key)).delete(key)
    except Exception as exc:
        log.warning("could not delete stored image %s: %s", key, exc)


def delete_all_quietly(keys: list[str]) -> None:
    """Delete the images of rows that were just deleted (see delete_quietly)."""
    for key in keys:
        delete_quietly(key)
