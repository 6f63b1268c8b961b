"""A threaded loopback HTTP server answering JSON: the base of the fake
Cloudinary and book-API servers the real clients talk to in tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (method, path with query, headers, body) -> (status, JSON body, or bytes sent as they are,
# or Typed bytes with their content type)
Responder = Callable[[str, str, dict, bytes], tuple[int, object]]


@dataclass(frozen=True)
class Typed:
    body: bytes
    content_type: str


class LocalJsonServer:
    def __init__(self, respond: Responder):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _answer(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                status, payload = respond(self.command, self.path, dict(self.headers), body)
                content_type = "application/json"
                if isinstance(payload, Typed):
                    payload, content_type = payload.body, payload.content_type
                elif isinstance(payload, bytes):
                    content_type = "application/octet-stream"
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    # Pages on another loopback port may fetch from here (the OIDC provider's stand-in script).
                    self.send_header("Access-Control-Allow-Origin", "*")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
