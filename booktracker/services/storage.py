"""Where post images live: local disk (default) or Cloudinary.

One small interface, chosen from the settings:
- ``LocalImageStore`` writes into the Reflex upload directory, which the app
  serves at ``/_upload/<key>``; the key is a random, unguessable name.
- ``CloudinaryImageStore`` makes signed uploads with the official SDK into
  the folder ``book_tracker/notes`` and keeps the ``secure_url``.

A stored image is described by ``StoredImage(url, key)``: ``url`` is an
absolute URL (Cloudinary) or "" for local files, which the page turns into
a backend URL; ``key`` is what ``delete`` needs, prefixed with the back-end.
"""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cloudinary
import cloudinary.uploader

from booktracker.errors import ServiceError
from booktracker.services.images import CleanImage
from booktracker.settings import settings

log = logging.getLogger("booktracker.storage")

CLOUDINARY_FOLDER = "book_tracker/notes"
LOCAL_PREFIX = "local:"
CLOUDINARY_PREFIX = "cloudinary:"


class StorageUnavailable(ServiceError):
    code = "storage_unavailable"
    http_status = 503


@dataclass(frozen=True)
class StoredImage:
    url: str
    key: str

    @property
    def local_path(self) -> str:
        """Path under the upload dir for local images ("" otherwise)."""
        return self.key.removeprefix(LOCAL_PREFIX) if self.key.startswith(LOCAL_PREFIX) else ""


class ImageStore(Protocol):
    def save(self, image: CleanImage) -> StoredImage: ...

    def delete(self, key: str) -> None: ...


class LocalImageStore:
    def __init__(self, root: Path):
        self.root = root

    def save(self, image: CleanImage) -> StoredImage:
        relative = f"notes/{secrets.token_urlsafe(16)}.{image.extension}"
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(image.data)
        return StoredImage(url="", key=LOCAL_PREFIX + relative)

    def delete(self, key: str) -> None:
        relative = key.removeprefix(LOCAL_PREFIX)
        target = (self.root / relative).resolve()
        # Never follow a key outside the upload directory.
        if self.root.resolve() in target.parents:
            target.unlink(missing_ok=True)


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

    def save(self, image: CleanImage) -> StoredImage:
        try:
            result = cloudinary.uploader.upload(
                io.BytesIO(image.data),
                folder=CLOUDINARY_FOLDER,
                resource_type="image",
                unique_filename=True,
                overwrite=False,
                **self.options,
            )
        except Exception as exc:
            log.warning("cloudinary upload failed: %s", exc)
            raise StorageUnavailable(
                "The image could not be uploaded right now; your post was not lost, try again."
            ) from None
        return StoredImage(url=result["secure_url"], key=CLOUDINARY_PREFIX + result["public_id"])

    def delete(self, key: str) -> None:
        result = cloudinary.uploader.destroy(
            key.removeprefix(CLOUDINARY_PREFIX), resource_type="image", invalidate=True, **self.options
        )
        if result.get("result") not in ("ok", "not found"):
            raise StorageUnavailable(f"Cloudinary refused to delete the image: {result}")


def get_store() -> ImageStore:
    if settings.cloudinary_enabled:
        return CloudinaryImageStore(
            cloud_name=settings.cloudinary_cloud_name,
            api_key=settings.cloudinary_api_key,
            api_secret=settings.cloudinary_api_secret,
            upload_prefix=settings.cloudinary_upload_prefix or None,
        )
    return LocalImageStore(settings.upload_dir)


def delete_quietly(key: str, store: ImageStore | None = None) -> None:
    """Delete an image after its row is gone; a failure is logged, not raised,
    because the reader's action (deleting the post) already succeeded."""
    if not key:
        return
    if store is None:
        # The key names its back-end: images outlive a switch of settings.
        store = LocalImageStore(settings.upload_dir) if key.startswith(LOCAL_PREFIX) else get_store()
    try:
        store.delete(key)
    except Exception as exc:
        log.warning("could not delete stored image %s: %s", key, exc)


def delete_all_quietly(keys: list[str]) -> None:
    """Delete the images of rows that were just deleted (see delete_quietly)."""
    for key in keys:
        delete_quietly(key)
