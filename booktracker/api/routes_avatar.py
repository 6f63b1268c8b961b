"""/api/v1/me/avatar: upload or remove the reader's picture (services/avatars.py)."""

from typing import Annotated

from fastapi import APIRouter, File, UploadFile, status
from pydantic import BaseModel

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.services import avatars, images

router = APIRouter(tags=["auth"])


class AvatarResponse(BaseModel):
    # A Cloudinary https URL, or a path on this backend under /_upload/; "" for initials.
    avatar_url: str  # 256 × 256
    avatar_small_url: str  # 64 × 64


@router.put("/me/avatar", response_model=AvatarResponse)
async def set_avatar(session: SessionDep, user_id: CurrentUserId, image: Annotated[UploadFile, File()]):
    """Multipart `image` (JPEG/PNG/WebP, ≤ 5 MB, ≤ 25 MP): metadata dropped, its centred
    square kept at 256 and 64 px; the previous avatar's files are deleted."""
    images.check_declared_size(image.size)
    # One byte past the limit is enough for the service to refuse a larger file.
    data = await image.read(images.MAX_IMAGE_BYTES + 1)
    avatar = avatars.set_avatar(session=session, user_id=user_id, data=data)
    return AvatarResponse(avatar_url=avatar.url, avatar_small_url=avatar.small_url)


@router.delete("/me/avatar", status_code=status.HTTP_204_NO_CONTENT)
def remove_avatar(session: SessionDep, user_id: CurrentUserId):
    """Back to initials; the files are deleted."""
    avatars.remove_avatar(session=session, user_id=user_id)
