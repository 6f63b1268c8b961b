"""A local HTTP server replaying Google Books and Open Library responses."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


class FakeBookApis:
    def __init__(self):
        self.requests: list[tuple[str, dict]] = []
        self.google_status = 200
        self.open_library_status = 200
        self.delay = 0.0
        self.google = json.loads((FIXTURES / "google_books_dune.json").read_text())
        self.open_library = json.loads((FIXTURES / "open_library_piranesi.json").read_text())
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                fake.requests.append((parts.path, params))
                if fake.delay:
                    time.sleep(fake.delay)
                if parts.path == "/books/v1/volumes":
                    status = fake.google_status
                    query = params.get("q", "").lower()
                    body = fake.google if "dune" in query or "9780441013593" in query else {"totalItems": 0}
                elif parts.path == "/search.json":
                    status = fake.open_library_status
                    asked = (params.get("q", "") + params.get("isbn", "")).lower()
                    body = fake.open_library if "piranesi" in asked or "9781635575637" in asked else {"numFound": 0, "docs": []}
                else:
                    status, body = 404, {}
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

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
