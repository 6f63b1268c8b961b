"""Start-up migrations that survive an unreachable database, and /healthz."""

import asyncio
import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from booktracker import startup
from booktracker.api import health
from booktracker.api.app import build_api


def test_migration_retries_until_the_database_is_back(monkeypatch, caplog):
    calls = []

    def flaky_upgrade():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("connect", {}, Exception("connection refused"))

    monkeypatch.setattr(startup, "upgrade_to_head", flaky_upgrade)
    with caplog.at_level(logging.INFO, logger="booktracker.startup"):
        assert asyncio.run(startup.migrate_with_retry(retry_delays=(0.01,))) is True
    assert len(calls) == 3
    messages = [r.getMessage() for r in caplog.records]
    assert sum(m.startswith("⚠️ could not migrate") for m in messages) == 2
    assert messages[-1].startswith("✅ database initialised")
    assert "connection refused" in messages[0]


def test_a_broken_migration_is_reported_not_retried(monkeypatch, caplog):
    monkeypatch.setattr(startup, "upgrade_to_head", lambda: (_ for _ in ()).throw(RuntimeError("bad revision")))
    with caplog.at_level(logging.INFO, logger="booktracker.startup"):
        assert asyncio.run(startup.migrate_with_retry(retry_delays=(0.01,))) is False
    assert caplog.records[-1].getMessage().startswith("❌ migration")


def test_real_migration_reaches_head(engine, caplog):
    with caplog.at_level(logging.INFO, logger="booktracker.startup"):
        assert asyncio.run(startup.migrate_with_retry()) is True


@pytest.fixture
def client(db):
    return TestClient(build_api())


def test_healthz_ok_with_real_redis(client, monkeypatch):
    monkeypatch.setattr(
        health, "settings", health.settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"})
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "db": True, "redis": True}
    assert "127.0.0.1" not in response.text  # no URLs or secrets


def test_healthz_reports_unreachable_redis(client, monkeypatch):
    monkeypatch.setattr(health, "settings", health.settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"}))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["redis"] is False


def test_healthz_reports_a_down_database(client, monkeypatch):
    monkeypatch.setattr(health, "_database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "degraded"
