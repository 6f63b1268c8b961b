"""Settings → "Notifications on this device": web push opt-in.

The browser does the subscribing (service worker + PushManager, with our
VAPID public key); the backend stores what it returns (services/push.py).
The subscription belongs to this browser, so the state only keeps whether
this browser is subscribed and what to tell the reader; the endpoint itself
(a capability URL) stays in a backend-only var.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.event import EventSpec

from booktracker.db import session_scope
from booktracker.errors import InvalidInput
from booktracker.services import push
from booktracker.settings import settings
from booktracker.state import AuthState, handle_errors

# Shared by the scripts below: this browser's current subscription, or null.
_CURRENT = """
async function tmrPushSubscription() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !window.isSecureContext) return null;
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}
"""

_CHECK = (
    _CURRENT
    + """
(async () => {
  if (!("PushManager" in window) || !window.isSecureContext) return "unsupported";
  const subscription = await tmrPushSubscription();
  return subscription ? subscription.endpoint : "";
})()
"""
)

_SUBSCRIBE = """
(async () => {
  try {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !window.isSecureContext) return "error:unsupported";
    const permission = await Notification.requestPermission();
    if (permission !== "granted") return "error:denied";
    const registration = await navigator.serviceWorker.ready;
    const key = "%s".replace(/-/g, "+").replace(/_/g, "/");
    const raw = Uint8Array.from(atob(key + "=".repeat((4 - key.length %% 4) %% 4)), (c) => c.charCodeAt(0));
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: raw });
    return JSON.stringify(subscription.toJSON());
  } catch (error) {
    return "error:" + (error && error.name ? error.name + ": " + error.message : String(error));
  }
})()
"""

_UNSUBSCRIBE = (
    _CURRENT
    + """
(async () => {
  const subscription = await tmrPushSubscription();
  if (!subscription) return "";
  const endpoint = subscription.endpoint;
  await subscription.unsubscribe();
  return endpoint;
})()
"""
)

MESSAGES = {
    "unsupported": "This browser cannot show notifications from TrackMyRead (it needs https and a modern browser).",
    "denied": "Notifications are blocked for TrackMyRead in this browser's site settings.",
}


class PushState(AuthState):
    # "unknown" until the browser answered, then "unsupported", "off" or "on".
    push_status: rx.Field[str] = rx.field("unknown")
    push_message: rx.Field[str] = rx.field("")
    push_busy: rx.Field[bool] = rx.field(False)

    def _ask_browser(self) -> EventSpec:
        """/settings opened (AccountState.load, which checked the token): ask the browser whether it is subscribed."""
        self.push_message = ""
        return rx.call_script(_CHECK, callback=PushState.checked)

    @rx.event
    @handle_errors
    def checked(self, endpoint: str):
        user_id = self.current_user_id()
        if endpoint == "unsupported":
            self.push_status = "unsupported"
            return
        with session_scope() as session:
            on = bool(endpoint) and push.is_subscribed(session=session, user_id=user_id, endpoint=endpoint)
        self.push_status = "on" if on else "off"

    @rx.event
    @handle_errors
    def turn_on(self):
        self.current_user_id()
        self.push_busy, self.push_message = True, ""
        return rx.call_script(_SUBSCRIBE % settings.vapid_public_key, callback=PushState.subscribed)

    @rx.event
    @handle_errors
    def subscribed(self, result: str):
        self.push_busy = False
        user_id = self.current_user_id()
        if result.startswith("error:"):
            reason = result.removeprefix("error:")
            self.push_message = MESSAGES.get(reason, f"This browser could not turn notifications on ({reason}).")
            return None
        try:
            subscription = json.loads(result)
            keys = subscription["keys"]
            endpoint, p256dh, auth = subscription["endpoint"], keys["p256dh"], keys["auth"]
        except (ValueError, KeyError, TypeError):
            raise InvalidInput("This browser answered with something that is not a push subscription.") from None
        with session_scope() as session:
            push.subscribe(session=session, user_id=user_id, endpoint=endpoint, p256dh=p256dh, auth=auth)
        self.push_status = "on"
        return rx.toast.success("Notifications are on for this device.")

    @rx.event
    @handle_errors
    def turn_off(self):
        self.current_user_id()
        self.push_busy, self.push_message = True, ""
        return rx.call_script(_UNSUBSCRIBE, callback=PushState.unsubscribed)

    @rx.event
    @handle_errors
    def unsubscribed(self, endpoint: str):
        self.push_busy = False
        user_id = self.current_user_id()
        if endpoint:
            with session_scope() as session:
                if push.is_subscribed(session=session, user_id=user_id, endpoint=endpoint):
                    push.unsubscribe(session=session, user_id=user_id, endpoint=endpoint)
        self.push_status = "off"
        return rx.toast.info("Notifications are off for this device.")


def push_section() -> rx.Component:
    """The card's content (pages/account.py wraps it in its section)."""
    return rx.vstack(
        rx.text(
            "Get a notification on this device when someone follows you, comments, likes or mentions you "
            "(the same kinds as your notifications in the app).",
            size="2",
            color_scheme="gray",
        ),
        rx.match(
            PushState.push_status,
            (
                "on",
                rx.button(
                    "Turn off on this device",
                    variant="soft",
                    color_scheme="gray",
                    on_click=PushState.turn_off,
                    loading=PushState.push_busy,
                    id="push-off",
                ),
            ),
            (
                "off",
                rx.button(
                    "Turn on notifications", on_click=PushState.turn_on, loading=PushState.push_busy, id="push-on"
                ),
            ),
            ("unsupported", rx.text(MESSAGES["unsupported"], size="2")),
            rx.spinner(size="2"),
        ),
        rx.cond(PushState.push_message != "", rx.callout(PushState.push_message, color_scheme="amber", size="1")),
        spacing="3",
        width="100%",
        id="push-settings",
    )
