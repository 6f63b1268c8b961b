"""The Render blueprint wires the service, database, Redis and secrets."""

from pathlib import Path

import yaml

BLUEPRINT = yaml.safe_load((Path(__file__).resolve().parents[1] / "render.yaml").read_text())


def _service(kind):
    return next(s for s in BLUEPRINT["services"] if s["type"] == kind)


def _env(name):
    return next(v for v in _service("web")["envVars"] if v["key"] == name)


def test_web_service_build_start_and_health():
    web = _service("web")
    assert web["runtime"] == "python"
    assert web["buildCommand"] == "pip install -r requirements.txt"
    start = web["startCommand"]
    assert "--bind 0.0.0.0:$PORT" in start and "--workers 2" in start and "--timeout 120" in start
    assert "'booktracker.booktracker:app()'" in start and "uvicorn.workers.UvicornWorker" in start
    assert "__REFLEX_SKIP_COMPILE=true" in start and start.startswith("python -m booktracker.migrations")
    assert web["healthCheckPath"] == "/healthz"


def test_forwarded_headers_are_trusted_only_as_far_as_renders_proxies():
    # uvicorn must not rewrite the client address from X-Forwarded-For sent by
    # any peer ("*" would hand the leftmost, client-written entry to the app).
    start = _service("web")["startCommand"]
    assert "--forwarded-allow-ips 127.0.0.1 " in start and "*" not in start
    from booktracker.settings import load_settings

    # The app resolves the reader itself: client -> Cloudflare -> Render's proxy.
    hops = _env("TRUSTED_PROXY_HOPS")["value"]
    assert hops == "2"
    assert load_settings({"TRUSTED_PROXY_HOPS": hops}).trusted_proxy_hops == 2


def test_database_and_redis_are_wired():
    [database] = BLUEPRINT["databases"]
    assert database["postgresMajorVersion"] == "16"
    assert _env("DATABASE_URL")["fromDatabase"] == {"name": database["name"], "property": "connectionString"}
    redis = _service("keyvalue")
    assert _env("REDIS_URL")["fromService"] == {
        "type": "keyvalue",
        "name": redis["name"],
        "property": "connectionString",
    }


def test_secrets_and_settings():
    assert _env("SECRET_KEY") == {"key": "SECRET_KEY", "generateValue": True}
    assert _env("APP_ENV")["value"] == "production"
    for name in (
        *("CORS_ORIGINS", "API_URL", "CLOUDINARY_CLOUD_NAME", "CLOUDINARY_API_KEY", "CLOUDINARY_API_SECRET"),
        *("SMTP_URL", "EMAIL_FROM", "PUBLIC_URL", "VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT"),
        "GOOGLE_CLIENT_ID",
    ):
        assert _env(name)["sync"] is False, name


def test_requirements_have_what_the_start_command_runs():
    requirements = (Path(__file__).resolve().parents[1] / "requirements.txt").read_text()
    for package in ("gunicorn==", "uvicorn==", "psycopg2-binary==", "redis==", "pydantic-settings=="):
        assert package in requirements
