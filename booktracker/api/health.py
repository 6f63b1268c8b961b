"""GET /healthz for the platform's health check: database and Redis status,
with no secrets (no URLs, no error texts)."""

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from booktracker.db import get_engine
from booktracker.settings import settings

router = APIRouter(tags=["health"])
CHECK_TIMEOUT = 3.0


def _database_ok() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        return False


def _redis_ok() -> bool | None:
    if not settings.redis_url:
        return None
    import redis

    try:
        client = redis.Redis.from_url(
            settings.redis_url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


async def _check(probe):
    try:
        return await asyncio.wait_for(asyncio.to_thread(probe), timeout=CHECK_TIMEOUT + 1)
    except TimeoutError:
        return False


@router.get("/healthz")
async def healthz():
    db_ok, redis_ok = await asyncio.gather(_check(_database_ok), _check(_redis_ok))
    healthy = db_ok and redis_ok is not False
    body = {"status": "ok" if healthy else "degraded", "db": db_ok, "redis": redis_ok}
    return JSONResponse(body, status_code=200 if healthy else 503)
