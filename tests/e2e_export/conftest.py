"""The installable app in chromium, on the exported site (AppHarnessProd).

Its own pytest process (scripts/test.sh): AppHarnessProd exports into the
same web directory the browser journeys' dev AppHarness serves from, and in
one process the export took that server down under every later journey.
The environment (private database, mail, book APIs, Google) and the
``browser`` fixture are the browser journeys' own.
"""

from tests.e2e.conftest import browser  # noqa: F401  (the fixture, shared)
