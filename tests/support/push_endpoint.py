"""A local Web Push service: a real HTTP server on loopback that plays the
browser's push service for the tests.

It hands out subscriptions (an endpoint URL plus the keys a browser would
make: a P-256 key pair and a 16-byte auth secret), and for each POST it
- checks the VAPID header (RFC 8292: ``vapid t=<JWT>, k=<public key>``): the
  key is the app's public key, the JWT is ES256-signed by it, ``aud`` is this
  server's origin, ``exp`` is in the future and within 24 hours, ``sub`` is a
  mailto:/https: contact;
- decrypts the body (RFC 8291, ``Content-Encoding: aes128gcm``) with the
  subscription's private key and auth secret, as the browser would;
- answers 201, or whatever status the test set for that subscription (404 and
  410 mean "this subscription is gone"), and records what it received.

    with push_endpoint(vapid_public_key) as service:
        subscription = service.subscribe()
        ... the app pushes ...
        [message] = service.wait_for(1)
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import http_ece
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscription:
    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    status: int = 201

    def info(self) -> dict[str, Any]:
        """What ``PushSubscription.toJSON()`` gives in a browser."""
        public = self.private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)}}


@dataclass
class Received:
    subscription_id: str
    payload: bytes
    claims: dict[str, Any]
    ttl: str
    status: int

    def json(self) -> dict[str, Any]:
        return json.loads(self.payload)


@dataclass
class PushService:
    vapid_public_key: str
    base: str = ""
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    # Requests refused (bad signature, undecryptable body): (status, reason).
    refused: list[tuple[int, str]] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def subscribe(self, *, status: int = 201) -> Subscription:
        sub_id = b64url(os.urandom(12))
        subscription = Subscription(
            id=sub_id,
            endpoint=f"{self.base}/push/{sub_id}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=os.urandom(16),
            status=status,
        )
        self.subscriptions[sub_id] = subscription
        return subscription

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The first ``count`` pushes received (or refused), waiting for them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.received) + len(self.refused) < count and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
        assert not self.refused, self.refused
        assert len(self.received) >= count, f"{len(self.received)} pushes arrived, expected {count}"
        return self.received[:count]

    # ------------------------------------------------------------ checks

    def check_vapid(self, header: str) -> dict[str, Any]:
        scheme, _, params = header.partition(" ")
        values = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
        if scheme.lower() != "vapid" or "t" not in values or "k" not in values:
            raise ValueError(f"not a VAPID authorization: {header[:40]!r}")
        if values["k"].rstrip("=") != self.vapid_public_key.rstrip("="):
            raise ValueError("signed with another key than the app's VAPID public key")
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(values["k"]))
        claims = jwt.decode(
            values["t"], key, algorithms=["ES256"], audience=self.base, options={"require": ["exp", "aud", "sub"]}
        )
        if claims["exp"] > time.time() + 24 * 3600:
            raise ValueError("exp is more than 24 hours ahead")
        if not str(claims["sub"]).startswith(("mailto:", "https://")):
            raise ValueError(f"sub {claims['sub']!r} is not a contact")
        return claims

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        subscription = self.subscriptions.get(path.removeprefix("/push/"))
        if subscription is None:
            return self._refuse(404, f"unknown subscription {path}")
        try:
            claims = self.check_vapid(headers.get("authorization", ""))
        except (ValueError, jwt.PyJWTError) as exc:
            return self._refuse(401, str(exc))
        if headers.get("content-encoding", "").lower() != "aes128gcm":
            return self._refuse(415, f"content-encoding {headers.get('content-encoding')!r}")
        try:
            payload = http_ece.decrypt(
                body, private_key=subscription.private_key, auth_secret=subscription.auth_secret, version="aes128gcm"
            )
        except Exception as exc:
            return self._refuse(400, f"cannot decrypt: {exc!r}")
        with self._changed:
            self.received.append(
                Received(subscription.id, payload, claims, headers.get("ttl", ""), subscription.status)
            )
            self._changed.notify_all()
        return subscription.status

    def _refuse(self, status: int, reason: str) -> int:
        with self._changed:
            self.refused.append((status, reason))
            self._changed.notify_all()
        return status


@contextlib.contextmanager
def push_endpoint(vapid_public_key: str) -> Iterator[PushService]:
    service = PushService(vapid_public_key=vapid_public_key)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = service.handle(self.path, headers, body)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
