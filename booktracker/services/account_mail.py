"""The account emails: what they say (plain text + HTML) and where their links go.

Links point at the frontend (``PUBLIC_URL``, by default the first
``CORS_ORIGINS`` entry). The paths are the pages' (booktracker/routes.py
says the same; tests/services/test_account_mail.py checks they agree):
services do not import the web layer.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlencode

from booktracker.services import mail
from booktracker.settings import settings

RESET_PATH = "/reset-password"
VERIFY_PATH = "/verify-email"
APP_NAME = "TrackMyRead"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str

    def build(self) -> EmailMessage:
        return mail.build(to=self.to, subject=self.subject, text=self.text, html=self.html)

    def send(self) -> None:
        mail.send(to=self.to, subject=self.subject, text=self.text, html=self.html)


def link(path: str, token: str) -> str:
    return f"{settings.public_url}{path}?{urlencode({'token': token})}"


def _compose(to: str, subject: str, greeting: str, paragraphs: list[str], action: tuple[str, str] | None) -> Mail:
    text_parts = [greeting, *paragraphs]
    html_parts = [f"<p>{html.escape(greeting)}</p>", *(f"<p>{html.escape(p)}</p>" for p in paragraphs)]
    if action is not None:
        label, url = action
        text_parts.insert(2, f"{label}:\n{url}")
        html_parts.insert(2, f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>')
    text_parts.append(f"-- {APP_NAME}")
    html_parts.append(f"<p>— {APP_NAME}</p>")
    body_html = f"<!doctype html><html><body>{''.join(html_parts)}</body></html>"
    return Mail(to=to, subject=subject, text="\n\n".join(text_parts) + "\n", html=body_html)


def password_reset(to: str, name: str, token: str) -> Mail:
    return _compose(
        to,
        f"Reset your {APP_NAME} password",
        f"Hello {name},",
        [
            "Someone (hopefully you) asked to reset the password of your account.",
            "The link works once, for one hour. Setting a new password signs you out on every device.",
            "If you did not ask for this, ignore this email: your password stays as it is.",
        ],
        ("Choose a new password", link(RESET_PATH, token)),
    )


def verify_address(to: str, name: str, token: str) -> Mail:
    return _compose(
        to,
        f"Confirm your email address for {APP_NAME}",
        f"Hello {name},",
        [
            "Please confirm that this is your email address, so you can recover your account if you forget the password.",
            "The link works once, for 24 hours.",
        ],
        ("Confirm my email address", link(VERIFY_PATH, token)),
    )


def confirm_new_address(to: str, name: str, token: str) -> Mail:
    return _compose(
        to,
        f"Confirm your new email address for {APP_NAME}",
        f"Hello {name},",
        [
            "You asked to use this address for your account. It replaces the old one once you confirm it.",
            "The link works once, for 24 hours.",
        ],
        ("Confirm my new email address", link(VERIFY_PATH, token)),
    )


def change_requested_notice(to: str, name: str, new_email: str) -> Mail:
    return _compose(
        to,
        f"Your {APP_NAME} email address is about to change",
        f"Hello {name},",
        [
            f"Someone signed in to your account asked to change its email address to {new_email}.",
            "If that was not you, change your password now: that cancels the change.",
        ],
        None,
    )


def changed_notice(to: str, name: str, new_email: str) -> Mail:
    return _compose(
        to,
        f"Your {APP_NAME} email address was changed",
        f"Hello {name},",
        [
            f"Your account now uses {new_email}; this address no longer receives its emails.",
            "If you did not make this change, contact us right away: someone else may have your password.",
        ],
        None,
    )
