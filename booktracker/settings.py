"""All configuration, read once from the environment with pydantic-settings.

This is the only module that reads the environment: everything else, rxconfig.py
included, takes its values from ``settings``. Development needs no variables at
all (SQLite file + images on local disk). Production (``APP_ENV=production``)
refuses to start on missing or unsafe settings and names every problem in one
message: each check is a field validator (settings_checks.py), and pydantic
collects the failures of every field before ``load_settings`` turns them into
one ``SettingsError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, cast

from pydantic import (
    AliasChoices,
    BeforeValidator,
    Field,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from booktracker import settings_checks as checks
from booktracker.settings_checks import DEFAULT_PORT, PRODUCTION_BCRYPT_ROUNDS, PROJECT_ROOT

LOOPBACK_HOST = "127.0.0.1"


class SettingsError(RuntimeError):
    """Raised when production settings are missing or malformed."""


def _split_csv(raw: Any) -> Any:
    if isinstance(raw, str):
        return [part.strip().rstrip("/") for part in raw.split(",") if part.strip()]
    return raw


# A comma-separated variable: NoDecode stops pydantic-settings from reading it as JSON.
CommaList = Annotated[list[str], NoDecode, BeforeValidator(_split_csv)]


class Settings(BaseSettings):
    """One field per environment variable (the upper-cased field name)."""

    model_config = SettingsConfigDict(
        # The variables that are not ours (PATH, REFLEX_*, ...) are none of our business.
        extra="ignore",
        frozen=True,
        # Defaults go through the validators too: an unset SECRET_KEY or
        # DATABASE_URL is a problem in production and a default in development.
        validate_default=True,
    )

    # "production" turns on the strict checks.
    app_env: str = "development"
    secret_key: str = ""
    database_url: str = ""
    # Origins allowed for HTTP and the websocket, comma-separated.
    cors_origins: CommaList = ["http://localhost:3000", "http://127.0.0.1:3000"]
    # The backend's public URL (CSP, static export).
    api_url: str = ""
    # Redis for several workers; also turns on Reflex's opportunistic locks.
    redis_url: str = ""
    port: int = DEFAULT_PORT
    # The address the backend listens on. rxconfig hands it to Reflex
    # (`reflex run`, whose own default is 0.0.0.0), and start commands that
    # bind by hand say it here; REFLEX_BACKEND_HOST wins because Reflex obeys
    # it (`reflex run --backend-host X` exports it to the backend process).
    bind_host: str = Field(default=LOOPBACK_HOST, validation_alias=AliasChoices("reflex_backend_host", "bind_host"))
    cloudinary_cloud_name: str = ""
    cloudinary_api_key: str = ""
    cloudinary_api_secret: str = ""
    # Tests point the real SDK at a local server speaking Cloudinary's API.
    cloudinary_upload_prefix: str = ""
    # Local images; rxconfig makes Reflex serve this folder at /_upload/.
    upload_dir: Path = PROJECT_ROOT / "uploaded_files"
    # Tests lower this to keep the suite fast; production always uses 12.
    bcrypt_rounds: int = PRODUCTION_BCRYPT_ROUNDS
    google_books_api_key: str = ""
    # The book search sources; tests point them at a local fake.
    google_books_url: str = "https://www.googleapis.com/books/v1/volumes"
    open_library_url: str = "https://openlibrary.org/search.json"
    # How many reverse proxies in front of us append to X-Forwarded-For. The
    # reader's address is the entry the outermost of them appended (the
    # hops-th from the end): anything before it was written by the client.
    # 0 (development, no proxy) ignores the header and uses the peer address.
    trusted_proxy_hops: int = Field(default=0, ge=0)
    # Seconds a worker keeps a reader's state (and its Redis lock) between
    # events with Redis: CPU per event -20%, 4-worker throughput +27%
    # (bench/RESULTS.md). 0 turns Reflex's opportunistic locks off.
    oplock_hold_time: float = Field(default=2.0, ge=0)
    # Moderators (services/moderation.py): readers whose email is listed, comma-separated.
    admin_emails: CommaList = []
    # Outgoing mail (services/mail.py): smtp+starttls://user:pass@host:587,
    # smtps://user:pass@host:465 or smtp://host:25. Unset (development): each
    # message is saved to outbox_dir as an .eml file instead.
    smtp_url: str = ""
    email_from: str = "TrackMyRead <no-reply@localhost>"
    outbox_dir: Path = PROJECT_ROOT / ".data" / "outbox"
    # Where emailed links point: the frontend's public origin (default: the
    # first CORS_ORIGINS entry, which is the frontend in every set-up we ship).
    public_url: str = ""
    # Web push (booktracker/push.py): the VAPID key pair, base64url, as
    # `python -m booktracker.push keys` prints them (private: the raw 32-byte
    # P-256 scalar; public: the uncompressed point browsers subscribe with), and
    # the contact push services may write to (mailto: or https:). Development
    # and tests get a fresh pair per process when unset: subscriptions then
    # last until a restart, which is all a developer needs.
    vapid_private_key: str = ""
    vapid_public_key: str = ""
    vapid_subject: str = ""
    # Google sign-in (services/google_signin.py): the OAuth client id from
    # Google Cloud's console; unset = no "Continue with Google" anywhere. The
    # issuer's discovery document gives the signing keys; tests point it at a
    # local provider. The button's script is loaded from GOOGLE_SCRIPT_URL.
    google_client_id: str = ""
    google_issuer: str = "https://accounts.google.com"
    google_script_url: str = "https://accounts.google.com/gsi/client"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The process environment only: no .env or secrets files to wonder about.
        return init_settings, env_settings

    # ------------------------------------------------------------ checks (settings_checks.py)

    _strip = field_validator("*", mode="before")(checks.strip)
    _app_env = field_validator("app_env")(checks.app_env)
    _secret_key = field_validator("secret_key")(checks.secret_key)
    _database_url = field_validator("database_url")(checks.database_url)
    _cors_origins = field_validator("cors_origins")(checks.cors_origins)
    _api_url = field_validator("api_url")(checks.api_url)
    _redis_url = field_validator("redis_url")(checks.redis_url)
    _port = field_validator("port", mode="before")(checks.port)
    _cloudinary = field_validator("cloudinary_api_secret")(checks.cloudinary)
    _admin_emails = field_validator("admin_emails")(checks.admin_emails)
    _smtp_url = field_validator("smtp_url")(checks.smtp_url)
    _google_urls = field_validator("google_issuer", "google_script_url")(checks.google_urls)
    _google_client_id = field_validator("google_client_id")(checks.google_client_id)
    _email_from = field_validator("email_from")(checks.email_from)
    _outbox_dir = field_validator("outbox_dir", mode="before")(checks.outbox_dir)
    _public_url = field_validator("public_url")(checks.public_url)
    _dev_vapid_keys = model_validator(mode="before")(checks.dev_vapid_keys)
    _vapid_keys = field_validator("vapid_public_key")(checks.vapid_keys)
    _vapid_subject = field_validator("vapid_subject")(checks.vapid_subject)
    _upload_dir = field_validator("upload_dir", mode="before")(checks.upload_dir)
    _bcrypt_rounds = field_validator("bcrypt_rounds")(checks.bcrypt_rounds)
    _dev_key_stays_home = model_validator(mode="after")(checks.dev_key_stays_home)

    # ------------------------------------------------------------ derived

    @computed_field
    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @computed_field
    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @computed_field
    @property
    def cloudinary_enabled(self) -> bool:
        return bool(self.cloudinary_cloud_name and self.cloudinary_api_key and self.cloudinary_api_secret)

    @computed_field
    @property
    def oplock_enabled(self) -> bool:
        """Reflex's opportunistic locks only exist for the Redis state manager."""
        return bool(self.redis_url) and self.oplock_hold_time > 0


class _GivenSettings(Settings):
    """Settings built from a given mapping alone (tests), never from the process environment."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def _describe(error: ErrorDetails) -> str:
    name = "_".join(str(part) for part in error["loc"]).upper()
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if error["type"] in ("int_parsing", "float_parsing"):
        return f"{name} {error['input']!r} is not a number"
    return f"{name} {error['input']!r}: {error['msg']}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from the process environment, or from ``environ`` alone when given.

    Raises SettingsError naming every problem at once.
    """
    try:
        if environ is None:
            return Settings()
        # Variable names are matched case-insensitively, as pydantic-settings does.
        return _GivenSettings(**cast(dict[str, Any], {name.lower(): value for name, value in environ.items()}))
    except ValidationError as exc:
        problems = "; ".join(_describe(error) for error in exc.errors())
        raise SettingsError(f"TrackMyRead cannot start, fix these settings: {problems}") from None


settings = load_settings()
