"""What the backend does when it starts: bring the database schema up to date.

If the database is unreachable (a restarting or suspended Postgres), the app
still starts and serves what it can; migration is retried in the background
until it succeeds. Log lines: ✅ initialised, ⚠️ could not migrate (will
retry), ❌ a migration error that retrying will not fix.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from booktracker.migrations import upgrade_to_head
from booktracker.settings import settings

log = logging.getLogger("booktracker.startup")
RETRY_SECONDS = (2, 5, 10, 30, 60)


def _where() -> str:
    url = make_url(settings.database_url)
    return f"{url.get_backend_name()} database {url.database!r} on {url.host or 'local disk'}"


async def migrate_with_retry(*, retry_delays=RETRY_SECONDS) -> bool:
    attempt = 0
    while True:
        try:
            await asyncio.to_thread(upgrade_to_head)
        except OperationalError as exc:
            delay = retry_delays[min(attempt, len(retry_delays) - 1)]
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            log.warning("⚠️ could not migrate the %s (%s); retrying in %s s", _where(), reason, delay)
            attempt += 1
            await asyncio.sleep(delay)
            continue
        except Exception as exc:
            log.error("❌ migration of the %s failed: %s", _where(), exc)
            return False
        log.info("✅ database initialised: %s is at the latest schema", _where())
        return True
