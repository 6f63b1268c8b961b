"""Settings: nothing needed in development, fail fast and completely in production."""

import pytest

from booktracker.db import POSTGRES_CONNECT_ARGS, build_engine
from booktracker.settings import DEV_SECRET_KEY, SettingsError, load_settings, normalize_database_url

GOOD = {
    "APP_ENV": "production",
    "DATABASE_URL": "postgres://u:p@db.example.com:5432/app",
    "SECRET_KEY": "s" * 40,
    "CORS_ORIGINS": "https://app.example.com, https://www.example.com/",
    "REDIS_URL": "redis://cache:6379/0",
    "PORT": "10000",
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
    ):
        assert expected in message


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": DEV_SECRET_KEY}, "development default"),
        ({"DATABASE_URL": "sqlite:///x.db"}, "must be a postgres"),
        ({"CORS_ORIGINS": ""}, "CORS_ORIGINS is missing"),
        ({"BCRYPT_ROUNDS": "4"}, "BCRYPT_ROUNDS below 12"),
    ],
)
def test_single_problems(change, expected):
    with pytest.raises(SettingsError, match=expected):
        load_settings({**GOOD, **change})


def test_postgres_engine_options():
    engine = build_engine("postgresql+psycopg2://u@127.0.0.1:1/db")
    assert POSTGRES_CONNECT_ARGS == {
        "sslmode": "prefer",
        "connect_timeout": 5,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 5,
    }
    assert engine.pool.size() == 5 and engine.pool._max_overflow == 10 and engine.pool._pre_ping
    engine.dispose()
