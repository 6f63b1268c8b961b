"""All configuration, read once from the environment.

Development needs no variables at all (SQLite file + images on local disk).
Production (``APP_ENV=production``) refuses to start on missing or unsafe
settings and names every problem in one message.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# In a hidden folder: Reflex's hot reload ignores those, but not SQLite's
# -wal/-shm side files, whose every write would otherwise restart the backend.
DEFAULT_SQLITE_URL = f"sqlite:///{PROJECT_ROOT / '.data' / 'trackmyread.db'}"
# Only ever used in development; production refuses it.
DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production-0000"
MIN_SECRET_KEY_LENGTH = 32


class SettingsError(RuntimeError):
    """Raised when production settings are missing or malformed."""


def normalize_database_url(url: str) -> str:
    """Accept Render/Heroku style ``postgres://`` URLs and pin the psycopg2 driver.

    SQLAlchemy rejects ``postgres://`` and, since 2.1, picks psycopg 3 for a
    bare ``postgresql://``; we ship psycopg2-binary.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def _split_csv(raw: str) -> list[str]:
    return [part.strip().rstrip("/") for part in raw.split(",") if part.strip()]


@dataclasses.dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    secret_key: str
    cors_origins: list[str]
    api_url: str
    redis_url: str
    port: int
    cloudinary_cloud_name: str
    cloudinary_api_key: str
    cloudinary_api_secret: str
    cloudinary_upload_prefix: str
    upload_dir: Path
    bcrypt_rounds: int
    google_books_api_key: str

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def cloudinary_enabled(self) -> bool:
        return bool(self.cloudinary_cloud_name and self.cloudinary_api_key and self.cloudinary_api_secret)


def _problems(settings: Settings, raw_port: str, raw_database_url: str) -> list[str]:
    problems: list[str] = []
    if not settings.is_production:
        return problems
    if not settings.secret_key:
        problems.append("SECRET_KEY is missing")
    elif settings.secret_key == DEV_SECRET_KEY:
        problems.append("SECRET_KEY is the development default")
    elif len(settings.secret_key) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
    if not raw_database_url:
        problems.append("DATABASE_URL is missing")
    elif not settings.database_url.startswith("postgresql+"):
        problems.append("DATABASE_URL must be a postgres:// or postgresql:// URL")
    if not settings.cors_origins:
        problems.append("CORS_ORIGINS is missing")
    for origin in settings.cors_origins:
        parts = urlsplit(origin)
        if origin == "*" or parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"CORS_ORIGINS entry {origin!r} is not an http(s) origin")
    if settings.redis_url and urlsplit(settings.redis_url).scheme not in (
        "redis",
        "rediss",
    ):
        problems.append("REDIS_URL must start with redis:// or rediss://")
    cloud = [
        settings.cloudinary_cloud_name,
        settings.cloudinary_api_key,
        settings.cloudinary_api_secret,
    ]
    if any(cloud) and not all(cloud):
        problems.append("CLOUDINARY_CLOUD_NAME, CLOUDINARY_API_KEY and CLOUDINARY_API_SECRET must be set together")
    if not raw_port.isdigit():
        problems.append(f"PORT {raw_port!r} is not a number")
    return problems


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    app_env = env.get("APP_ENV", "development").strip().lower()
    raw_port = env.get("PORT", "8000").strip()
    settings = Settings(
        env=app_env,
        database_url=normalize_database_url(env.get("DATABASE_URL", "").strip() or DEFAULT_SQLITE_URL),
        secret_key=env.get("SECRET_KEY", "").strip() or ("" if app_env == "production" else DEV_SECRET_KEY),
        cors_origins=_split_csv(env.get("CORS_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000")),
        api_url=env.get("API_URL", "").strip().rstrip("/"),
        redis_url=env.get("REDIS_URL", "").strip(),
        port=int(raw_port) if raw_port.isdigit() else 8000,
        cloudinary_cloud_name=env.get("CLOUDINARY_CLOUD_NAME", "").strip(),
        cloudinary_api_key=env.get("CLOUDINARY_API_KEY", "").strip(),
        cloudinary_api_secret=env.get("CLOUDINARY_API_SECRET", "").strip(),
        # Tests point the real SDK at a local server speaking Cloudinary's API.
        cloudinary_upload_prefix=env.get("CLOUDINARY_UPLOAD_PREFIX", "").strip(),
        upload_dir=Path(env.get("UPLOAD_DIR", str(PROJECT_ROOT / "uploaded_files"))),
        # Tests lower this to keep the suite fast; production always uses 12.
        bcrypt_rounds=int(env.get("BCRYPT_ROUNDS", "12")),
        google_books_api_key=env.get("GOOGLE_BOOKS_API_KEY", "").strip(),
    )
    problems = _problems(settings, raw_port, env.get("DATABASE_URL", "").strip())
    if settings.is_production and settings.bcrypt_rounds < 12:
        problems.append("BCRYPT_ROUNDS below 12 is not allowed in production")
    if problems:
        raise SettingsError("TrackMyRead cannot start, fix these settings: " + "; ".join(problems))
    return settings


settings = load_settings()
