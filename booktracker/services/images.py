"""Checking and cleaning uploaded images before anything is stored.

Only real JPEG/PNG/WebP files (decoded with Pillow, whatever the name says),
at most 5 MB and 25 megapixels. Every image is re-encoded, which drops all
metadata — EXIF GPS positions included — after applying the EXIF rotation.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from booktracker.errors import InvalidInput

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_SIDE = 2048  # stored images are scaled down to this; feeds never need more
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}

# Pillow refuses (raises) anything over twice this; we check exactly below.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def check_declared_size(size: int | None) -> None:
    """Refuse early, from the size the client declared, before reading it all."""
    if size is not None and size > MAX_IMAGE_BYTES:
        raise InvalidInput(too_large_message(), field="image")


def too_large_message() -> str:
    return f"Images must be at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB."


def rejected_upload_message() -> str:
    """What the composer says when the browser refused the chosen file (type or size)."""
    return f"Images must be JPEG, PNG or WebP, at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB."


def _decoded(data: bytes) -> Image.Image:
    """The checked image, upright (EXIF rotation applied), in RGB or RGBA: a new
    bitmap that carries none of the file's metadata."""
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(too_large_message(), field="image")
    if not data:
        raise InvalidInput("The image file is empty.", field="image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ALLOWED_FORMATS:
                    raise InvalidInput("Only JPEG, PNG and WebP images are accepted.", field="image")
                if image.width * image.height > MAX_PIXELS:
                    raise InvalidInput("Images may have at most 25 megapixels.", field="image")
                image.load()
                cleaned = ImageOps.exif_transpose(image)
                has_alpha = cleaned.mode in ("RGBA", "LA", "PA") or "transparency" in cleaned.info
                cleaned = cleaned.convert("RGBA" if has_alpha else "RGB")
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("Images may have at most 25 megapixels.", field="image") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise InvalidInput("That file is not a readable JPEG, PNG or WebP image.", field="image") from None
    return cleaned


def _encoded(image: Image.Image) -> CleanImage:
    out = io.BytesIO()
    # No exif=/icc passed: the new file carries no metadata at all.
    image.save(out, format="WEBP", quality=85, method=4)
    return CleanImage(
        data=out.getvalue(), content_type="image/webp", extension="webp", width=image.width, height=image.height
    )


def clean_image(data: bytes) -> CleanImage:
    cleaned = _decoded(data)
    cleaned.thumbnail((MAX_SIDE, MAX_SIDE))
    return _encoded(cleaned)


def square_crops(data: bytes, sizes: tuple[int, ...]) -> list[CleanImage]:
    """Avatars: the same checks and cleaning, then the centred square scaled to
    each size (smaller pictures are scaled up: avatars are shown at fixed sizes)."""
    cleaned = _decoded(data)
    side = min(cleaned.width, cleaned.height)
    left, top = (cleaned.width - side) // 2, (cleaned.height - side) // 2
    square = cleaned.crop((left, top, left + side, top + side))
    return [_encoded(square.resize((size, size), Image.Resampling.LANCZOS)) for size in sizes]
