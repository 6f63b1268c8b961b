"""A local HTTP server that speaks Cloudinary's upload/destroy API.

The real `cloudinary` SDK is pointed at it with ``upload_prefix``; the server
checks every request's signature the way Cloudinary does (SHA-1 of the sorted
signed parameters followed by the API secret) and refuses bad ones.
"""

from __future__ import annotations

import hashlib
import secrets
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl

from tests.support.local_server import LocalJsonServer

UNSIGNED = {"file", "api_key", "resource_type", "cloud_name", "signature", "signature_algorithm"}


def expected_signature(params: dict[str, str], secret: str, algorithm: str = "sha1") -> str:
    signed = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in UNSIGNED and v != "")
    return hashlib.new(algorithm, (signed + secret).encode()).hexdigest()


class FakeCloudinary(LocalJsonServer):
    def __init__(self, *, cloud_name: str, api_key: str, api_secret: str):
        self.cloud_name, self.api_key, self.api_secret = cloud_name, api_key, api_secret
        self.stored: dict[str, bytes] = {}
        self.requests: list[tuple[str, dict]] = []
        self.fail_uploads = False
        super().__init__(self._respond)

    def _respond(self, _method: str, path: str, headers: dict, body: bytes) -> tuple[int, object]:
        params, file_bytes = self._parse(headers.get("Content-Type", ""), body)
        self.requests.append((path, params))
        return self._handle(path, params, file_bytes)

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
            url = f"https://res.cloudinary.com/{self.cloud_name}/image/upload/v1/{public_id}.webp"
            return 200, {
                "public_id": public_id,
                "version": 1,
                "format": "webp",
                "resource_type": "image",
                "bytes": len(file_bytes or b""),
                "url": url.replace("https", "http"),
                "secure_url": url,
            }
        if action == "destroy":
            found = self.stored.pop(params.get("public_id", ""), None)
            return 200, {"result": "ok" if found is not None else "not found"}
        return 404, {"error": {"message": f"unknown action {action}"}}
