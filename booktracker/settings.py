"""All configuration, read once from the environment with pydantic-settings.

This is the only module that reads the environment: everything else, rxconfig.py
included, takes its values from ``settings``. Development needs no variables at
all (SQLite file + images on local disk). Production (``APP_ENV=production``)
refuses to start on missing or unsafe settings and names every problem in one
message: each check is a field validator, and pydantic collects the failures
of every field before ``load_settings`` turns them into one ``SettingsError``.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, cast
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import (
    AliasChoices,
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# In a hidden folder: Reflex's hot reload ignores those, but not SQLite's
# -wal/-shm side files, whose every write would otherwise restart the backend.
DEFAULT_SQLITE_URL = f"sqlite:///{PROJECT_ROOT / '.data' / 'trackmyread.db'}"
# Only ever used in development; production refuses it.
DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production-0000"
MIN_SECRET_KEY_LENGTH = 32
PRODUCTION_BCRYPT_ROUNDS = 12
LOOPBACK_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SMTP_SCHEMES = ("smtp", "smtp+starttls", "smtps")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate_vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair (private, public), base64url without padding."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = _b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    return private, vapid_public_key_of(private)


def vapid_public_key_of(private: str) -> str:
    """The public key (uncompressed point, base64url) of a raw base64url
    private key; ValueError when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(private + "=" * (-len(private) % 4))
    except (ValueError, TypeError):
        raise ValueError("not base64url") from None
    if len(raw) != 32:
        raise ValueError("not a 32-byte key")
    key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    return _b64url(key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


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


def is_loopback(host: str) -> bool:
    """Only this machine can connect: localhost, 127.0.0.0/8 or ::1. A
    wildcard (0.0.0.0, ::, "") or any other name or address is reachable."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split_csv(raw: Any) -> Any:
    if isinstance(raw, str):
        return [part.strip().rstrip("/") for part in raw.split(",") if part.strip()]
    return raw


def _production(info: ValidationInfo) -> bool:
    # app_env is the first field, so it is validated before every check below.
    return info.data.get("app_env") == "production"


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

    # ------------------------------------------------------------ checks

    @field_validator("*", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("app_env")
    @classmethod
    def _app_env(cls, value: str) -> str:
        return value.lower() or "development"

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str, info: ValidationInfo) -> str:
        if not _production(info):
            return value or DEV_SECRET_KEY
        if not value:
            raise ValueError("SECRET_KEY is missing")
        if value == DEV_SECRET_KEY:
            raise ValueError("SECRET_KEY is the development default")
        if len(value) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str, info: ValidationInfo) -> str:
        url = normalize_database_url(value or DEFAULT_SQLITE_URL)
        if _production(info) and not value:
            raise ValueError("DATABASE_URL is missing")
        if _production(info) and not url.startswith("postgresql+"):
            raise ValueError("DATABASE_URL must be a postgres:// or postgresql:// URL")
        return url

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if not _production(info):
            return value
        problems = [] if value else ["CORS_ORIGINS is missing"]
        for origin in value:
            parts = urlsplit(origin)
            if origin == "*" or parts.scheme not in ("http", "https") or not parts.netloc:
                problems.append(f"CORS_ORIGINS entry {origin!r} is not an http(s) origin")
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str, info: ValidationInfo) -> str:
        if _production(info) and value and urlsplit(value).scheme not in ("redis", "rediss"):
            raise ValueError("REDIS_URL must start with redis:// or rediss://")
        return value

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, value: Any, info: ValidationInfo) -> int:
        raw = str(value).strip()
        if raw.isdigit():
            return int(raw)
        if _production(info):
            raise ValueError(f"PORT {raw!r} is not a number")
        # Development does not bind PORT itself (`reflex run` picks its ports).
        return DEFAULT_PORT

    @field_validator("cloudinary_api_secret")
    @classmethod
    def _cloudinary(cls, value: str, info: ValidationInfo) -> str:
        cloud = [info.data.get("cloudinary_cloud_name"), info.data.get("cloudinary_api_key"), value]
        if _production(info) and any(cloud) and not all(cloud):
            raise ValueError("CLOUDINARY_CLOUD_NAME, CLOUDINARY_API_KEY and CLOUDINARY_API_SECRET must be set together")
        return value

    @field_validator("admin_emails")
    @classmethod
    def _admin_emails(cls, value: list[str]) -> list[str]:
        # Compared with the stored (normalised, lower-case) emails.
        problems = [f"ADMIN_EMAILS entry {email!r} is not an email address" for email in value if "@" not in email]
        if problems:
            raise ValueError("; ".join(problems))
        return [email.lower() for email in value]

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str, info: ValidationInfo) -> str:
        if _production(info) and not value:
            raise ValueError("SMTP_URL is missing (password reset and verification mails need it)")
        parts = urlsplit(value)
        if value and (parts.scheme not in SMTP_SCHEMES or not parts.hostname):
            # The URL may hold a password: never repeat it in the message.
            raise ValueError(f"SMTP_URL must look like {' or '.join(f'{s}://host' for s in SMTP_SCHEMES)}")
        return value

    @field_validator("google_issuer", "google_script_url")
    @classmethod
    def _google_urls(cls, value: str, info: ValidationInfo) -> str:
        scheme = urlsplit(value).scheme
        allowed = ("https",) if _production(info) else ("https", "http")
        if scheme not in allowed:
            name = (info.field_name or "").upper()
            raise ValueError(f"{name} must be an {' or '.join(allowed)} URL")
        return value.rstrip("/") if info.field_name == "google_issuer" else value

    @field_validator("google_client_id")
    @classmethod
    def _google_client_id(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        if value and _production(info) and not value.endswith(".apps.googleusercontent.com"):
            raise ValueError("GOOGLE_CLIENT_ID must be a Google OAuth client id (…apps.googleusercontent.com)")
        return value

    @field_validator("email_from")
    @classmethod
    def _email_from(cls, value: str) -> str:
        if "@" not in value:
            raise ValueError(f"EMAIL_FROM {value!r} is not an email address")
        return value

    @field_validator("outbox_dir", mode="before")
    @classmethod
    def _outbox_dir(cls, value: Any) -> Any:
        return value or PROJECT_ROOT / ".data" / "outbox"

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            first = next(iter(info.data.get("cors_origins") or []), "")
            value = first if urlsplit(first).scheme in ("http", "https") else "http://localhost:3000"
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"PUBLIC_URL {value!r} is not an http(s) URL")
        return value.rstrip("/")

    @model_validator(mode="before")
    @classmethod
    def _dev_vapid_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict) or str(data.get("app_env", "")).strip().lower() == "production":
            return data
        if not data.get("vapid_private_key") and not data.get("vapid_public_key"):
            private, public = generate_vapid_keys()
            data = {**data, "vapid_private_key": private, "vapid_public_key": public}
        return data

    @field_validator("vapid_public_key")
    @classmethod
    def _vapid_keys(cls, value: str, info: ValidationInfo) -> str:
        private = info.data.get("vapid_private_key", "")
        if not private or not value:
            raise ValueError("VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY are missing (web push needs them)")
        try:
            derived = vapid_public_key_of(private)
        except ValueError:
            # Never repeat the private key in the message.
            raise ValueError("VAPID_PRIVATE_KEY is not a base64url P-256 private key") from None
        if derived != value.rstrip("="):
            raise ValueError("VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY")
        return derived

    @field_validator("vapid_subject")
    @classmethod
    def _vapid_subject(cls, value: str, info: ValidationInfo) -> str:
        if not value and not _production(info):
            return "mailto:no-reply@localhost"
        if not value:
            raise ValueError("VAPID_SUBJECT is missing (a mailto: address or https:// URL for push services)")
        if not value.startswith(("mailto:", "https://")):
            raise ValueError(
                "VAPID_SUBJECT must be a mailto: address or an https:// URL push services can reach you at"
            )
        return value

    @field_validator("upload_dir", mode="before")
    @classmethod
    def _upload_dir(cls, value: Any) -> Any:
        return value or PROJECT_ROOT / "uploaded_files"

    @field_validator("bcrypt_rounds")
    @classmethod
    def _bcrypt_rounds(cls, value: int, info: ValidationInfo) -> int:
        if _production(info) and value < PRODUCTION_BCRYPT_ROUNDS:
            raise ValueError(f"BCRYPT_ROUNDS below {PRODUCTION_BCRYPT_ROUNDS} is not allowed in production")
        return value

    @model_validator(mode="after")
    def _dev_key_stays_home(self) -> Settings:
        """The development key is public: whoever can reach the server can sign
        tokens for any reader with it. Outside production it is still refused
        when the server can be reached from other hosts or holds data other
        than the local development database (any other database, PostgreSQL
        included, is someone's real data or a deployment)."""
        if self.is_production or self.secret_key != DEV_SECRET_KEY:
            return self
        reasons = []
        if not is_loopback(self.bind_host):
            reasons.append(f"the server listens on {self.bind_host!r}, not only on this machine")
        if self.database_url != DEFAULT_SQLITE_URL:
            reasons.append("DATABASE_URL is not the local SQLite default")
        if reasons:
            raise ValueError(
                f"SECRET_KEY is unset (or the public development key) but {' and '.join(reasons)}; "
                f"set SECRET_KEY to a random value of at least {MIN_SECRET_KEY_LENGTH} characters"
            )
        return self

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
