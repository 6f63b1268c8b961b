"""A local HTTP server that speaks Cloudinary's upload/destroy/rename API and
delivers images.

The real `cloudinary` SDK is pointed at it with ``upload_prefix``; the server
checks every request's signature the way Cloudinary does (SHA-1 of the sorted
signed parameters followed by the API secret) and refuses bad ones.

Delivery, like Cloudinary's: ``type="upload"`` assets to anyone at
``/<cloud>/image/upload/v1/<public_id>.webp`` (the path of their secure_url on
res.cloudinary.com); ``type="authenticated"`` ones only through the signed
download API (``private_download_url``) before its ``expires_at``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl, urlsplit

from tests.support.local_server import LocalJsonServer

UNSIGNED = {"file", "api_key", "resource_type", "cloud_name", "signature", "signature_algorithm"}


def expected_signature(params: dict[str, str], secret: str, algorithm: str = "sha1") -> str:
    signed = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in UNSIGNED and v != "")
    return hashlib.new(algorithm, (signed + secret).encode()).hexdigest()


class FakeCloudinary(LocalJsonServer):
    def __init__(self, *, cloud_name: str, api_key: str, api_secret: str):
        self.cloud_name, self.api_key, self.api_secret = cloud_name, api_key, api_secret
        self.stored: dict[str, bytes] = {}
        self.types: dict[str, str] = {}  # public_id -> "upload" | "authenticated"
        self.requests: list[tuple[str, dict]] = []
        self.fail_uploads = False
        super().__init__(self._respond)

    def _respond(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, object]:
        if method == "GET":
            url = urlsplit(path)
            return self._deliver(url.path, dict(parse_qsl(url.query)))
        params, file_bytes = self._parse(headers.get("Content-Type", ""), body)
        self.requests.append((path, params))
        return self._handle(path, params, file_bytes)

    def public_path(self, url: str) -> str:
        """This server's URL for a res.cloudinary.com delivery URL."""
        return self.base + urlsplit(url).path

    def _deliver(self, path: str, params: dict[str, str]) -> tuple[int, object]:
        if path == f"/v1_1/{self.cloud_name}/image/download":
            if problem := self._check(params):
                return 401, {"error": {"message": problem}}
            if int(params.get("expires_at") or 0) < time.time():
                return 401, {"error": {"message": "Download link expired"}}
            public_id, kind = params.get("public_id", ""), params.get("type", "upload")
        else:
            prefix = f"/{self.cloud_name}/image/upload/v1/"
            if not path.startswith(prefix):  # authenticated assets have no unsigned URL
                return 404, {"error": {"message": "Resource not found"}}
            public_id, kind = path.removeprefix(prefix).rsplit(".", 1)[0], "upload"
        if public_id not in self.stored or self.types.get(public_id) != kind:
            return 404, {"error": {"message": "Resource not found"}}
        return 200, self.stored[public_id]

    def _resource(self, public_id: str) -> dict:
        kind = self.types[public_id]
        url = f"https://res.cloudinary.com/{self.cloud_name}/image/{kind}/v1/{public_id}.webp"
        if kind == "authenticated":  # its delivery URL carries a signature
            url = url.replace("/authenticated/", "/authenticated/s--fakesig--/")
        return {
            "public_id": public_id,
            "version": 1,
            "format": "webp",
            "resource_type": "image",
            "type": kind,
            "bytes": len(self.stored[public_id]),
            "url": url.replace("https", "http"),
            "secure_url": url,
        }

    @property
    def upload_prefix(self) -> str:
        return self.base

    @staticmethod
    def _parse(content_type: str, body: bytes) -> tuple[dict[str, str], bytes | None]:
        if content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
            params, file_bytes = {}, None
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if name == "file":
                    file_bytes = payload
                else:
                    params[name] = payload.decode()
            return params, file_bytes
        return dict(parse_qsl(body.decode())), None

    def _check(self, params: dict[str, str]) -> str | None:
        if params.get("api_key") != self.api_key:
            return "Invalid api_key"
        algorithm = params.get("signature_algorithm", "sha1")
        if params.get("signature") != expected_signature(params, self.api_secret, algorithm):
            return "Invalid Signature"
        return None

    def _handle(self, path: str, params: dict[str, str], file_bytes: bytes | None):
        if not path.startswith(f"/v1_1/{self.cloud_name}/image/"):
            return 404, {"error": {"message": "unknown cloud"}}
        if problem := self._check(params):
            return 401, {"error": {"message": problem}}
        action = path.rsplit("/", 1)[-1]
        if action == "upload":
            if self.fail_uploads:
                return 500, {"error": {"message": "General Error"}}
            public_id = f"{params.get('folder', '')}/{secrets.token_hex(8)}".lstrip("/")
            self.stored[public_id] = file_bytes or b""
            self.types[public_id] = params.get("type") or "upload"
            return 200, self._resource(public_id)
        public_id, kind = params.get("public_id") or params.get("from_public_id", ""), params.get("type") or "upload"
        if action == "destroy":
            if public_id not in self.stored or self.types.get(public_id) != kind:
                return 200, {"result": "not found"}
            del self.stored[public_id], self.types[public_id]
            return 200, {"result": "ok"}
        if action == "rename":
            if public_id not in self.stored or self.types.get(public_id) != kind:
                return 404, {"error": {"message": f"Resource not found - {public_id}"}}
            if params.get("to_public_id") != public_id:
                self.stored[params["to_public_id"]] = self.stored.pop(public_id)
                del self.types[public_id]
                public_id = params["to_public_id"]
            self.types[public_id] = params.get("to_type") or kind
            return 200, self._resource(public_id)
        return 404, {"error": {"message": f"unknown action {action}"}}
