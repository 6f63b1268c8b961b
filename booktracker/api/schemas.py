"""Request and response bodies of the API (responses reuse the public views)."""

import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from booktracker.models import (
    BookFormat,
    LibraryItem,
    Ownership,
    ProfileVisibility,
    ProgressUnit,
    ReadingStatus,
    UserPublic,
)
from booktracker.services import auth, book_search, books, library, social, stats
from booktracker.services.library import copies


def _one_of(enum: type[StrEnum]) -> str:
    """The allowed values, for the spec (the services say the same when refusing one)."""
    return f"One of: {', '.join(member.value for member in enum)}."


class SignupRequest(BaseModel):
    email: str = Field(max_length=320)
    name: str = Field(max_length=auth.NAME_MAX)
    password: str = Field(max_length=auth.PASSWORD_MAX)


class LoginRequest(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=auth.PASSWORD_MAX)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = int(auth.TOKEN_LIFETIME.total_seconds())
    user: UserPublic


class MeResponse(UserPublic):
    email: str
    profile_visibility: str
    # None until the reader opens the emailed confirmation link (POST /auth/verify-email).
    email_verified_at: datetime.datetime | None = None
    # Blur posts and comments from past the reader's page in books they are reading.
    spoiler_shield: bool = True
    # The reader's picture (PUT /me/avatar): a Cloudinary URL or a path under /_upload/; "" for initials.
    avatar_url: str = ""
    avatar_small_url: str = ""


class ProfileUpdate(BaseModel):
    """What is left out stays as it is."""

    name: str | None = Field(default=None, max_length=social.NAME_MAX)
    username: str | None = Field(default=None, max_length=30)
    bio: str | None = Field(default=None, max_length=social.BIO_MAX)
    profile_visibility: str | None = Field(
        default=None,
        max_length=16,
        description="Who sees the profile, its posts, follows and books. " + _one_of(ProfileVisibility),
    )
    spoiler_shield: bool | None = Field(
        default=None, description="Blur posts and comments from past your page in books you are reading."
    )


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=auth.PASSWORD_MAX)
    new_password: str = Field(max_length=auth.PASSWORD_MAX)


class PasswordConfirm(BaseModel):
    password: str = Field(max_length=auth.PASSWORD_MAX)


class AddBookRequest(BaseModel):
    title: str = Field(max_length=books.TITLE_MAX)
    authors: str = Field(default="", max_length=books.AUTHORS_MAX)
    isbn: str = Field(default="", max_length=20)
    cover_url: str = Field(default="", max_length=books.URL_MAX)
    total_pages: int | None = Field(default=None, ge=0, le=books.PAGES_MAX)
    status: str = Field(default=ReadingStatus.TO_READ.value, description=_one_of(ReadingStatus))
    # The first read's dates, for a book added as reading / finished / paused /
    # did-not-finish: null is "I don't remember"; omitted is today (started
    # for reading, ended for the others).
    started_on: datetime.date | None = Field(default=None, description="ISO date; null: unknown.")
    ended_on: datetime.date | None = Field(default=None, description="ISO date; null: unknown.")


class LibraryPageResponse(BaseModel):
    items: list[LibraryItem]
    counts: dict[str, int]
    total: int
    page: int
    pages: int


class UpdateEntryRequest(BaseModel):
    """Only the fields sent are changed."""

    current_page: int | None = Field(
        default=None, ge=0, le=books.PAGES_MAX, description="Progress in the entry's progress_unit."
    )
    status: str | None = Field(default=None, description=_one_of(ReadingStatus))
    rating: float | None = Field(default=None, ge=0, le=5)
    private_notes: str | None = Field(default=None, max_length=library.PRIVATE_NOTES_MAX)
    format: str | None = Field(default=None, max_length=16, description=_one_of(BookFormat))
    ownership: str | None = Field(default=None, max_length=16, description=_one_of(Ownership))
    borrowed_from: str | None = Field(default=None, max_length=library.PERSON_MAX)
    loaned_to: str | None = Field(default=None, max_length=library.PERSON_MAX)
    # The reader's own copy: never the shared book other readers see.
    copy_title: str | None = Field(default=None, max_length=books.TITLE_MAX, description='"" shows the book\'s title.')
    copy_pages: int | None = Field(
        default=None, ge=0, le=books.PAGES_MAX, description="0 goes back to the book's page count."
    )
    copy_isbn: str | None = Field(default=None, max_length=20, description="ISBN-10 or 13 of your edition.")
    copy_cover_url: str | None = Field(
        default=None,
        max_length=books.URL_MAX,
        description='https from books.google.com, *.googleusercontent.com or covers.openlibrary.org; "" for none.',
    )
    audio_minutes: int | None = Field(
        default=None, ge=0, le=copies.AUDIO_MINUTES_MAX, description="An audiobook's length in minutes; 0 clears."
    )
    progress_unit: str | None = Field(
        default=None, max_length=8, description=_one_of(ProgressUnit) + " Minutes only for audiobooks."
    )
    hidden: bool | None = Field(
        default=None, description="Keep this book out of your profile, posts' book, friends-reading and shared counts."
    )


# Service dataclasses sent as they are: FastAPI builds their JSON schema with
# pydantic, so the spec describes these bodies and cannot drift from them.
StatsResponse = stats.Stats
BookSearchResponse = list[book_search.BookResult]


# ----------------------------------------------------------------- two-factor sign-in and sessions


class TwoFactorRequired(BaseModel):
    """The answer to a correct password when the reader turned two-factor on:
    send the challenge with a code to /auth/login/two-factor (within 5 minutes)."""

    two_factor_required: bool = True
    challenge: str


class TwoFactorLogin(BaseModel):
    challenge: str = Field(max_length=2000)
    code: str = Field(max_length=64, description="6 digits from the authenticator app, or a recovery code.")


class TwoFactorCode(BaseModel):
    code: str = Field(max_length=64, description="6 digits from the authenticator app, or a recovery code.")


class TwoFactorDisable(BaseModel):
    password: str = Field(max_length=auth.PASSWORD_MAX)
    code: str = Field(max_length=64, description="6 digits from the authenticator app, or a recovery code.")


class TwoFactorSetupResponse(BaseModel):
    """A pending secret: two-factor turns on once /me/two-factor/confirm receives a code from it."""

    secret: str
    otpauth_uri: str
    qr_code: str = Field(description="The otpauth URI as a QR code, an SVG data: URI.")


class RecoveryCodesResponse(BaseModel):
    """Shown once: only their hashes are kept."""

    recovery_codes: list[str]


# ------------------------------------------------------------ emailed links (services/accounts.py)


class PasswordResetRequest(BaseModel):
    email: str = Field(max_length=320)


class PasswordResetConfirm(BaseModel):
    token: str = Field(max_length=200, description="The `token=` of the emailed link.")
    new_password: str = Field(max_length=auth.PASSWORD_MAX)


class EmailLinkToken(BaseModel):
    token: str = Field(max_length=200, description="The `token=` of the emailed link.")


class EmailChange(BaseModel):
    password: str = Field(max_length=auth.PASSWORD_MAX)
    new_email: str = Field(max_length=320)


class MessageResponse(BaseModel):
    message: str
