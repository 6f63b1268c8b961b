"""/api/v1/push: web push subscriptions of the signed-in reader's browsers."""

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.services import push
from booktracker.settings import settings

router = APIRouter(tags=["push"])


class PushKeys(BaseModel):
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)


class SubscriptionRequest(BaseModel):
    """What the browser's ``PushSubscription.toJSON()`` returns (expirationTime is ignored)."""

    endpoint: str = Field(max_length=push.MAX_ENDPOINT)
    keys: PushKeys


class EndpointRequest(BaseModel):
    endpoint: str = Field(max_length=push.MAX_ENDPOINT)


class PublicKey(BaseModel):
    public_key: str


@router.get("/push/public-key", response_model=PublicKey)
def public_key(user_id: CurrentUserId):
    """The VAPID key to pass to ``PushManager.subscribe`` as applicationServerKey (readers subscribe signed in)."""
    return PublicKey(public_key=settings.vapid_public_key)


@router.post("/push/subscriptions", status_code=status.HTTP_204_NO_CONTENT)
def subscribe(body: SubscriptionRequest, session: SessionDep, user_id: CurrentUserId):
    """Send this browser notifications (new followers, comments, likes, mentions…)."""
    push.subscribe(
        session=session, user_id=user_id, endpoint=body.endpoint, p256dh=body.keys.p256dh, auth=body.keys.auth
    )


@router.delete("/push/subscriptions", status_code=status.HTTP_204_NO_CONTENT)
def unsubscribe(body: EndpointRequest, session: SessionDep, user_id: CurrentUserId):
    push.unsubscribe(session=session, user_id=user_id, endpoint=body.endpoint)
