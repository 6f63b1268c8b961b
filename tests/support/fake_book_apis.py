"""A local HTTP server replaying Google Books and Open Library responses."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.support.local_server import LocalJsonServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


class FakeBookApis(LocalJsonServer):
    def __init__(self):
        self.requests: list[tuple[str, dict]] = []
        self.google_status = 200
        self.open_library_status = 200
        self.delay = 0.0
        self.google = json.loads((FIXTURES / "google_books_dune.json").read_text())
        self.open_library = json.loads((FIXTURES / "open_library_piranesi.json").read_text())
        super().__init__(self._respond)

    def _respond(self, _method: str, raw_path: str, _headers: dict, _body: bytes) -> tuple[int, object]:
        parts = urlsplit(raw_path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.requests.append((parts.path, params))
        if self.delay:
            time.sleep(self.delay)
        if parts.path == "/books/v1/volumes":
            query = params.get("q", "").lower()
            found = "dune" in query or "9780441013593" in query
            return self.google_status, self.google if found else {"totalItems": 0}
        if parts.path == "/search.json":
            asked = (params.get("q", "") + params.get("isbn", "")).lower()
            found = "piranesi" in asked or "9781635575637" in asked
            return self.open_library_status, self.open_library if found else {"numFound": 0, "docs": []}
        return 404, {}
