"""What each setting may be: the checks of ``Settings`` (settings.py) and
the helpers they share with the rest of the app.

Each check is a pydantic field validator (``Settings`` attaches them in its
class body), strict in production (``APP_ENV=production``) and forgiving in
development; pydantic collects every failure before ``load_settings`` turns
them into one message.
"""

from __future__ import annotations

import base64
import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import ValidationInfo

if TYPE_CHECKING:
    from booktracker.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# In a hidden folder: Reflex's hot reload ignores those, but not SQLite's
# -wal/-shm side files, whose every write would otherwise restart the backend.
DEFAULT_SQLITE_URL = f"sqlite:///{PROJECT_ROOT / '.data' / 'trackmyread.db'}"
# Only ever used in development; production refuses it.
DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production-0000"
MIN_SECRET_KEY_LENGTH = 32
PRODUCTION_BCRYPT_ROUNDS = 12
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


def _production(info: ValidationInfo) -> bool:
    # app_env is the first field, so it is validated before every check below.
    return info.data.get("app_env") == "production"


# ----------------------------------------------------------------- checks, in field order


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def app_env(value: str) -> str:
    return value.lower() or "development"


def secret_key(value: str, info: ValidationInfo) -> str:
    if not _production(info):
        return value or DEV_SECRET_KEY
    if not value:
        raise ValueError("SECRET_KEY is missing")
    if value == DEV_SECRET_KEY:
        raise ValueError("SECRET_KEY is the development default")
    if len(value) < MIN_SECRET_KEY_LENGTH:
        raise ValueError(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
    return value


def database_url(value: str, info: ValidationInfo) -> str:
    url = normalize_database_url(value or DEFAULT_SQLITE_URL)
    if _production(info) and not value:
        raise ValueError("DATABASE_URL is missing")
    if _production(info) and not url.startswith("postgresql+"):
        raise ValueError("DATABASE_URL must be a postgres:// or postgresql:// URL")
    return url


def cors_origins(value: list[str], info: ValidationInfo) -> list[str]:
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


def api_url(value: str) -> str:
    return value.rstrip("/")


def redis_url(value: str, info: ValidationInfo) -> str:
    if _production(info) and value and urlsplit(value).scheme not in ("redis", "rediss"):
        raise ValueError("REDIS_URL must start with redis:// or rediss://")
    return value


def port(value: Any, info: ValidationInfo) -> int:
    raw = str(value).strip()
    if raw.isdigit():
        return int(raw)
    if _production(info):
        raise ValueError(f"PORT {raw!r} is not a number")
    # Development does not bind PORT itself (`reflex run` picks its ports).
    return DEFAULT_PORT


def cloudinary(value: str, info: ValidationInfo) -> str:
    cloud = [info.data.get("cloudinary_cloud_name"), info.data.get("cloudinary_api_key"), value]
    if _production(info) and any(cloud) and not all(cloud):
        raise ValueError("CLOUDINARY_CLOUD_NAME, CLOUDINARY_API_KEY and CLOUDINARY_API_SECRET must be set together")
    return value


def admin_emails(value: list[str]) -> list[str]:
    # Compared with the stored (normalised, lower-case) emails.
    problems = [f"ADMIN_EMAILS entry {email!r} is not an email address" for email in value if "@" not in email]
    if problems:
        raise ValueError("; ".join(problems))
    return [email.lower() for email in value]


def smtp_url(value: str, info: ValidationInfo) -> str:
    if _production(info) and not value:
        raise ValueError("SMTP_URL is missing (password reset and verification mails need it)")
    parts = urlsplit(value)
    if value and (parts.scheme not in SMTP_SCHEMES or not parts.hostname):
        # The URL may hold a password: never repeat it in the message.
        raise ValueError(f"SMTP_URL must look like {' or '.join(f'{s}://host' for s in SMTP_SCHEMES)}")
    return value


def google_urls(value: str, info: ValidationInfo) -> str:
    scheme = urlsplit(value).scheme
    allowed = ("https",) if _production(info) else ("https", "http")
    if scheme not in allowed:
        name = (info.field_name or "").upper()
        raise ValueError(f"{name} must be an {' or '.join(allowed)} URL")
    return value.rstrip("/") if info.field_name == "google_issuer" else value


def google_client_id(value: str, info: ValidationInfo) -> str:
    value = value.strip()
    if value and _production(info) and not value.endswith(".apps.googleusercontent.com"):
        raise ValueError("GOOGLE_CLIENT_ID must be a Google OAuth client id (…apps.googleusercontent.com)")
    return value


def email_from(value: str) -> str:
    if "@" not in value:
        raise ValueError(f"EMAIL_FROM {value!r} is not an email address")
    return value


def outbox_dir(value: Any) -> Any:
    return value or PROJECT_ROOT / ".data" / "outbox"


def public_url(value: str, info: ValidationInfo) -> str:
    if not value:
        first = next(iter(info.data.get("cors_origins") or []), "")
        value = first if urlsplit(first).scheme in ("http", "https") else "http://localhost:3000"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"PUBLIC_URL {value!r} is not an http(s) URL")
    return value.rstrip("/")


def dev_vapid_keys(data: Any) -> Any:
    if not isinstance(data, dict) or str(data.get("app_env", "")).strip().lower() == "production":
        return data
    if not data.get("vapid_private_key") and not data.get("vapid_public_key"):
        private, public = generate_vapid_keys()
        data = {**data, "vapid_private_key": private, "vapid_public_key": public}
    return data


def vapid_keys(value: str, info: ValidationInfo) -> str:
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


def vapid_subject(value: str, info: ValidationInfo) -> str:
    if not value and not _production(info):
        return "mailto:no-reply@localhost"
    if not value:
        raise ValueError("VAPID_SUBJECT is missing (a mailto: address or https:// URL for push services)")
    if not value.startswith(("mailto:", "https://")):
        raise ValueError("VAPID_SUBJECT must be a mailto: address or an https:// URL push services can reach you at")
    return value


def upload_dir(value: Any) -> Any:
    return value or PROJECT_ROOT / "uploaded_files"


def bcrypt_rounds(value: int, info: ValidationInfo) -> int:
    if _production(info) and value < PRODUCTION_BCRYPT_ROUNDS:
        raise ValueError(f"BCRYPT_ROUNDS below {PRODUCTION_BCRYPT_ROUNDS} is not allowed in production")
    return value


def dev_key_stays_home(settings: Settings) -> Settings:
    """The development key is public: whoever can reach the server can sign
    tokens for any reader with it. Outside production it is still refused
    when the server can be reached from other hosts or holds data other
    than the local development database (any other database, PostgreSQL
    included, is someone's real data or a deployment)."""
    if settings.is_production or settings.secret_key != DEV_SECRET_KEY:
        return settings
    reasons = []
    if not is_loopback(settings.bind_host):
        reasons.append(f"the server listens on {settings.bind_host!r}, not only on this machine")
    if settings.database_url != DEFAULT_SQLITE_URL:
        reasons.append("DATABASE_URL is not the local SQLite default")
    if reasons:
        raise ValueError(
            f"SECRET_KEY is unset (or the public development key) but {' and '.join(reasons)}; "
            f"set SECRET_KEY to a random value of at least {MIN_SECRET_KEY_LENGTH} characters"
        )
    return settings
