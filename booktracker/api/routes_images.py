"""/api/v1/media: private local images, for readers allowed to see their post.

An ``<img>`` cannot send a bearer token, so the link itself is the proof: the
posts service mints it (services/storage.py ``media_link``) only for a reader
it lets see the post, signed with SECRET_KEY over the post, the file, that
reader and an expiry. Every fetch checks the signature and expiry and asks the
posts service again whether that reader may still see the post.
"""

import time
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse

from booktracker.api.deps import SessionDep
from booktracker.services import storage
from booktracker.services.posts import media

router = APIRouter(tags=["posts"])


@router.get(
    "/media/{post_id}/{name}",
    response_class=FileResponse,
    responses={200: {"content": {"image/webp": {}}}, 403: {"description": "forged, altered or expired link"}},
)
def private_image(
    post_id: int,
    name: Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+\.[a-z]+$")],
    session: SessionDep,
    v: Annotated[int, Query(ge=0)],
    exp: Annotated[int, Query(ge=0)],
    sig: Annotated[str, Query(max_length=64, pattern="^[0-9a-f]*$")],
):
    """A private post's image, through the signed link a post view carries (1-2 hours)."""
    viewer_id = storage.check_media_link(post_id, name, v, exp, sig)
    path = media.private_image_file(session=session, viewer_id=viewer_id, post_id=post_id, name=name)
    max_age = max(0, min(exp - int(time.time()), 2 * storage.LINK_SECONDS))
    # Only this browser may keep it, and only until the link expires.
    return FileResponse(path, media_type="image/webp", headers={"Cache-Control": f"private, max-age={max_age}"})
