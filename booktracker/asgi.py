"""ASGI wrappers around the whole backend (added via ``rx.App(api_transformer=...)``).

- ``limit_upload_size``: Reflex's ``rx.upload(max_size=...)`` is checked only in
  the browser; this refuses oversized upload bodies on the server, before
  reading them (Content-Length) or as soon as a chunked body crosses the limit,
  with the limit and message of the upload's purpose (images 5 MB; import
  files 20 MB, by the upload's handler or on ``POST /api/v1/imports``).
- ``check_upload_origin``: uploads only from the origins in CORS_ORIGINS.
- ``add_security_headers``: CSP, nosniff, frame-ancestors and referrer policy on
  every HTTP response (pages in single-port production, the API, uploads).
"""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booktracker import routes
from booktracker.settings import settings

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # services.imports.MAX_FILE_BYTES, the number the import page states
# Room for the multipart envelope around one file.
ENVELOPE = 64 * 1024
MAX_UPLOAD_BODY = MAX_IMAGE_BYTES + ENVELOPE
MAX_IMPORT_BODY = MAX_IMPORT_BYTES + ENVELOPE
IMPORTS_API_PATH = "/api/v1/imports"
AVATAR_API_PATH = "/api/v1/me/avatar"  # PUT, one image (api/routes_avatar.py)
UPLOAD_PATH = "/_upload"


async def _send_json(send: Send, status: int, body: dict) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": payload})


@dataclasses.dataclass(frozen=True)
class UploadLimit:
    body_bytes: int
    message: str
    field: str


IMAGE_LIMIT = UploadLimit(MAX_UPLOAD_BODY, f"Images must be at most {MAX_IMAGE_BYTES // 2**20} MB.", "image")
IMPORT_LIMIT = UploadLimit(MAX_IMPORT_BODY, f"Import files must be at most {MAX_IMPORT_BYTES // 2**20} MB.", "file")
# Reflex's upload names its handler ("<state full name>.<handler>") in the
# Reflex-Event-Handler header; states whose uploads are not images register here
# (the import page does). Everything else posted to /_upload is an image.
UPLOAD_LIMITS: dict[str, UploadLimit] = {}


def register_upload_limit(state_full_name: str, limit: UploadLimit) -> None:
    UPLOAD_LIMITS[state_full_name] = limit


def _limit_for(scope: Scope, headers: dict[bytes, bytes], by_handler: dict[str, UploadLimit]) -> UploadLimit | None:
    """The limit of this request's purpose; None: not an upload."""
    if scope["type"] != "http":
        return None
    if scope["method"] == "PUT" and scope["path"] == AVATAR_API_PATH:
        return IMAGE_LIMIT
    if scope["method"] != "POST":
        return None
    if scope["path"] == IMPORTS_API_PATH:
        return IMPORT_LIMIT
    if not scope["path"].startswith(UPLOAD_PATH):
        return None
    handler = headers.get(b"reflex-event-handler", b"").decode("latin-1")
    return by_handler.get(handler.rpartition(".")[0], IMAGE_LIMIT)


def _too_large_body(limit: UploadLimit) -> dict:
    return {"error": {"code": "too_large", "message": limit.message, "field": limit.field}}


def limit_upload_size(app: ASGIApp, *, limits: dict[str, UploadLimit] | None = None) -> ASGIApp:
    """Refuse upload bodies over their purpose's limit (images 5 MB, import files 20 MB)."""
    by_handler = UPLOAD_LIMITS if limits is None else limits

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        purpose = _limit_for(scope, headers, by_handler)
        if purpose is None:
            await app(scope, receive, send)
            return
        limit = purpose.body_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_json(send, 413, _too_large_body(purpose))
            return

        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    # Behave like a vanished client: the app stops reading.
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, counting_receive, tracking_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _send_json(send, 413, _too_large_body(purpose))

    return guarded


def check_upload_origin(app: ASGIApp, *, allowed: list[str] | None = None) -> ASGIApp:
    """Uploads only from our own frontends, as the websocket (CORS_ORIGINS).

    Reflex's upload endpoint trusts the tab token in a header; a page on
    another site must not post with it. Browsers send Origin with every POST,
    so a request without one is not a browser's: a script that holds a tab
    token could send any Origin anyway, so it passes (curl, tests, mobile).
    "null" (sandboxed frames, file: pages) is a browser's and is refused.
    """
    origins = {origin.lower() for origin in (settings.cors_origins if allowed is None else allowed)}

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].startswith(UPLOAD_PATH):
            origin = dict(scope.get("headers") or []).get(b"origin")
            if origin is not None and "*" not in origins and origin.decode("latin-1").lower() not in origins:
                message = "Uploads are only accepted from TrackMyRead's own pages."
                await _send_json(send, 403, {"error": {"code": "forbidden_origin", "message": message, "field": None}})
                return
        await app(scope, receive, send)

    return guarded


# The pages that show "Continue with Google" (components/google_button.py):
# only they let Google's script, its button frame and its styles in.
GOOGLE_PAGES = (routes.LOGIN, routes.SIGNUP, routes.ACCOUNT)


def google_origin() -> str:
    """Where Google Identity Services' script comes from ("" when sign-in is off)."""
    if not settings.google_client_id:
        return ""
    parts = urlsplit(settings.google_script_url)
    return f"{parts.scheme}://{parts.netloc}"


def _page_csp(*, google: bool = False) -> str:
    api_origins = " ".join(origin for origin in {settings.api_url, settings.api_url.replace("http", "ws", 1)} if origin)
    extra = f" {google_origin()}" if google and google_origin() else ""
    directives = [
        "default-src 'self'",
        # React Router's hydration data is an inline script.
        f"script-src 'self' 'unsafe-inline'{extra}",
        f"style-src 'self' 'unsafe-inline'{extra}",
        "img-src 'self' data: blob: https:",
        "font-src 'self' data:",
        f"connect-src 'self' ws: wss: {api_origins}{extra}".strip(),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if extra:
        directives.append(f"frame-src{extra}")  # Google's button is an iframe
    return "; ".join(directives)


API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Uploaded files are only ever shown as images; never let them run as documents.
UPLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def add_security_headers(app: ASGIApp) -> ASGIApp:
    page_csp = _page_csp()
    google_page_csp = _page_csp(google=True)

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith("/api/"):
            csp = API_CSP
        elif path.startswith(UPLOAD_PATH):
            csp = UPLOAD_CSP
        elif path.rstrip("/") in GOOGLE_PAGES:
            csp = google_page_csp
        else:
            csp = page_csp
        extra = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),
            (b"content-security-policy", csp.encode()),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in extra if name not in present
                ]
            await send(message)

        await app(scope, receive, send_with_headers)

    return with_headers
