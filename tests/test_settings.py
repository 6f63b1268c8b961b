"""Settings: nothing needed in development, fail fast and completely in production."""

import datetime
import re

import pytest
from reflex.environment import environment, oplock_hold_time
from sqlalchemy.pool import QueuePool

from booktracker.db import POSTGRES_CONNECT_ARGS, build_engine
from booktracker.settings import PROJECT_ROOT, SettingsError, load_settings
from booktracker.settings_checks import (
    DEFAULT_SQLITE_URL,
    DEV_SECRET_KEY,
    generate_vapid_keys,
    is_loopback,
    normalize_database_url,
)
from tests.support.reflex_config import rxconfig_with

GOOD = {
    "APP_ENV": "production",
    "DATABASE_URL": "postgres://u:p@db.example.com:5432/app",
    "SECRET_KEY": "s" * 40,
    "CORS_ORIGINS": "https://app.example.com, https://www.example.com/",
    "REDIS_URL": "redis://cache:6379/0",
    "PORT": "10000",
    "SMTP_URL": "smtp+starttls://apikey:secret@smtp.example.com:587",
    **dict(zip(("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY"), generate_vapid_keys(), strict=True)),
    "VAPID_SUBJECT": "mailto:ops@example.com",
}


def test_development_needs_nothing():
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///") and settings.secret_key == DEV_SECRET_KEY
    assert not settings.is_production and not settings.cloudinary_enabled


def test_production_settings_are_read_and_normalised():
    settings = load_settings(GOOD)
    assert settings.database_url == "postgresql+psycopg2://u:p@db.example.com:5432/app"
    assert settings.cors_origins == ["https://app.example.com", "https://www.example.com"]
    assert settings.port == 10000 and settings.redis_url == "redis://cache:6379/0"


def test_defaults_of_the_other_settings():
    settings = load_settings({})
    assert settings.trusted_proxy_hops == 0  # no proxy in development: X-Forwarded-For is ignored
    assert settings.oplock_hold_time == 2.0 and not settings.oplock_enabled  # no Redis, no oplocks
    assert settings.google_books_url == "https://www.googleapis.com/books/v1/volumes"
    assert settings.open_library_url == "https://openlibrary.org/search.json"
    assert settings.upload_dir == PROJECT_ROOT / "uploaded_files"


def test_the_other_settings_are_read():
    settings = load_settings(
        {
            "TRUSTED_PROXY_HOPS": "2",
            "OPLOCK_HOLD_TIME": "0.5",
            "REDIS_URL": "redis://cache:6379/0",
            "GOOGLE_BOOKS_URL": "http://127.0.0.1:9/v",
            "OPEN_LIBRARY_URL": "http://127.0.0.1:9/s",
        }
    )
    assert settings.trusted_proxy_hops == 2 and settings.oplock_hold_time == 0.5 and settings.oplock_enabled
    assert settings.google_books_url == "http://127.0.0.1:9/v" and settings.open_library_url == "http://127.0.0.1:9/s"
    assert not load_settings({"REDIS_URL": "redis://cache:6379/0", "OPLOCK_HOLD_TIME": "0"}).oplock_enabled


def test_a_given_mapping_is_read_alone_and_the_process_environment_otherwise(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "3")
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example.com/, https://b.example.com")
    assert load_settings({}).trusted_proxy_hops == 0
    from_environment = load_settings()
    assert from_environment.trusted_proxy_hops == 3
    assert from_environment.cors_origins == ["https://a.example.com", "https://b.example.com"]


@pytest.mark.parametrize("url", ["postgres://h/db", "postgresql://h/db"])
def test_postgres_urls_get_the_psycopg2_driver(url):
    assert normalize_database_url(url) == "postgresql+psycopg2://h/db"


def test_every_problem_is_named_in_one_message():
    bad = {
        "APP_ENV": "production",
        "SECRET_KEY": "short",
        "CORS_ORIGINS": "*",
        "PORT": "eighty",
        "CLOUDINARY_CLOUD_NAME": "demo",
        "REDIS_URL": "http://nope",
        "TRUSTED_PROXY_HOPS": "-1",
        "BCRYPT_ROUNDS": "many",
    }
    with pytest.raises(SettingsError) as caught:
        load_settings(bad)
    message = str(caught.value)
    for expected in (
        "SECRET_KEY is shorter than 32",
        "DATABASE_URL is missing",
        "'*' is not an http(s) origin",
        "PORT 'eighty'",
        "must be set together",
        "REDIS_URL must start",
        "TRUSTED_PROXY_HOPS '-1'",
        "BCRYPT_ROUNDS 'many' is not a number",
    ):
        assert expected in message
    assert message.startswith("TrackMyRead cannot start, fix these settings: ")


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": DEV_SECRET_KEY}, "development default"),
        ({"DATABASE_URL": "sqlite:///x.db"}, "must be a postgres"),
        ({"CORS_ORIGINS": ""}, "CORS_ORIGINS is missing"),
        ({"BCRYPT_ROUNDS": "4"}, "BCRYPT_ROUNDS below 12"),
        ({"OPLOCK_HOLD_TIME": "2s"}, "OPLOCK_HOLD_TIME '2s' is not a number"),
    ],
)
def test_single_problems(change, expected):
    with pytest.raises(SettingsError, match=expected):
        load_settings({**GOOD, **change})


@pytest.mark.parametrize(
    "environ, reason",
    [
        ({"BIND_HOST": "0.0.0.0"}, "listens on '0.0.0.0'"),
        ({"BIND_HOST": "::"}, "listens on '::'"),
        ({"BIND_HOST": "192.168.1.20"}, "listens on '192.168.1.20'"),
        # `reflex run --backend-host 0.0.0.0` exports this to the backend process.
        ({"REFLEX_BACKEND_HOST": "0.0.0.0", "BIND_HOST": "127.0.0.1"}, "listens on '0.0.0.0'"),
        ({"DATABASE_URL": "postgres://u:p@db.example.com/app"}, "DATABASE_URL is not the local SQLite default"),
        ({"DATABASE_URL": "postgresql://postgres@127.0.0.1/dev"}, "DATABASE_URL is not the local SQLite default"),
        ({"DATABASE_URL": "sqlite:////srv/readers.db"}, "DATABASE_URL is not the local SQLite default"),
        ({"DATABASE_URL": "postgres://h/db", "SECRET_KEY": DEV_SECRET_KEY}, "not the local SQLite default"),
    ],
)
def test_the_development_key_is_refused_beyond_local_development(environ, reason):
    with pytest.raises(SettingsError) as caught:
        load_settings({"APP_ENV": "development", **environ})
    assert reason in str(caught.value) and "set SECRET_KEY to a random value" in str(caught.value)


def test_the_development_key_is_fine_at_home_and_any_real_key_anywhere():
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.53"):
        assert is_loopback(host) and load_settings({"BIND_HOST": host}).secret_key == DEV_SECRET_KEY
    assert load_settings({"DATABASE_URL": DEFAULT_SQLITE_URL}).bind_host == "127.0.0.1"
    for host in ("0.0.0.0", "", "example.com", "10.0.0.1"):
        assert not is_loopback(host)
    real = load_settings({"SECRET_KEY": "k" * 40, "BIND_HOST": "0.0.0.0", "DATABASE_URL": "postgres://h/db"})
    assert real.secret_key == "k" * 40 and real.bind_host == "0.0.0.0"


def test_reflex_binds_where_the_settings_say(monkeypatch):
    """rxconfig hands BIND_HOST to Reflex, whose own default is every interface."""
    assert rxconfig_with(monkeypatch).backend_host == "127.0.0.1"
    assert rxconfig_with(monkeypatch, bind_host="::1").backend_host == "::1"


def test_settings_is_the_only_reader_of_the_environment():
    sources = [
        *(PROJECT_ROOT / "booktracker").rglob("*.py"),
        PROJECT_ROOT / "rxconfig.py",
        PROJECT_ROOT / "alembic/env.py",
    ]
    readers = [
        str(path.relative_to(PROJECT_ROOT))
        for path in sources
        if path != PROJECT_ROOT / "booktracker/settings.py" and re.search(r"\benviron\b|getenv", path.read_text())
    ]
    assert readers == []


def test_rxconfig_passes_on_what_reflex_reads_only_from_its_environment(monkeypatch, tmp_path):
    config = rxconfig_with(monkeypatch, redis_url="redis://cache:6379/0", oplock_hold_time=1.5, upload_dir=tmp_path)
    assert config.state_manager_mode == "redis"
    assert environment.REFLEX_OPLOCK_ENABLED.get() is True
    assert oplock_hold_time() == datetime.timedelta(seconds=1.5)
    assert environment.REFLEX_UPLOADED_FILES_DIR.get() == tmp_path

    rxconfig_with(monkeypatch, redis_url="")
    assert environment.REFLEX_OPLOCK_ENABLED.get() is False and oplock_hold_time() == datetime.timedelta(0)


def test_postgres_engine_options():
    engine = build_engine("postgresql+psycopg2://u@127.0.0.1:1/db")
    assert POSTGRES_CONNECT_ARGS == {
        "sslmode": "prefer",
        "connect_timeout": 5,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 5,
        "options": "-c jit=off -c random_page_cost=1.1",
    }
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.size() == 5 and pool._max_overflow == 10 and pool._pre_ping
    engine.dispose()


def test_postgres_sessions_run_without_jit(engine):
    """JIT compiled every feed page anew (~75 ms of 89 on the big seed); the app's sessions turn it off."""
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        # SSD storage: index probes cost little more than sequential reads (bench/RESULTS.md, issue 14).
        assert conn.exec_driver_sql("SHOW random_page_cost").scalar() == "1.1"


def test_admin_emails_are_a_lowercased_list_of_emails():
    assert load_settings({}).admin_emails == []
    assert load_settings({"ADMIN_EMAILS": " Mod@Example.com , b@example.com,"}).admin_emails == [
        "mod@example.com",
        "b@example.com",
    ]
    with pytest.raises(SettingsError, match="ADMIN_EMAILS entry 'nobody' is not an email address"):
        load_settings({"ADMIN_EMAILS": "nobody"})
