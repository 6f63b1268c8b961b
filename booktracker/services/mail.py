"""Outgoing mail over SMTP (stdlib ``smtplib``/``email``), off the event loop.

``send`` builds the message (plain text + HTML) and hands it to a small
thread pool, so neither a Reflex handler nor an API request waits for the
mail server. Configuration is ``SMTP_URL`` (``smtp+starttls://user:pass@host:587``,
``smtps://user:pass@host:465``, ``smtp://host:25``) and ``EMAIL_FROM``.

Temporary failures (a 4xx answer, a refused or dropped connection, a timeout)
are retried after ``RETRY_DELAYS``; a permanent one (5xx, bad credentials)
or the last failed try is logged with the recipient and subject -- never the
body, which carries single-use links.

Without ``SMTP_URL`` (development, tests that do not start an SMTP server)
each message is saved to ``OUTBOX_DIR`` (``.data/outbox/``) as an ``.eml``
file a developer can open; the log says only where it went.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import logging
import re
import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from booktracker.settings import settings

log = logging.getLogger("booktracker.mail")

# Seconds to wait before each retry of a temporary failure (so 4 tries in all).
RETRY_DELAYS: tuple[float, ...] = (2.0, 10.0, 30.0)
TIMEOUT = 20.0
_DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}

# One sender, so mail leaves in the order it was written: a reader who asks
# twice for a link gets the newer one last (the older one no longer works).
# Mail is rare; a retrying message delays the next by at most 42 s.
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")
_pending: set[concurrent.futures.Future] = set()


@dataclass(frozen=True)
class SmtpServer:
    scheme: str
    host: str
    port: int
    username: str
    password: str


def parse_smtp_url(url: str) -> SmtpServer:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return SmtpServer(
        scheme=scheme,
        host=parts.hostname or "",
        port=parts.port or _DEFAULT_PORTS.get(scheme, 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def build(*, to: str, subject: str, text: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.email_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.email_from.rsplit("@", 1)[-1].strip(" >") or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send(*, to: str, subject: str, text: str, html: str) -> concurrent.futures.Future:
    """Queue one message (plain text + HTML); returns at once."""
    message = build(to=to, subject=subject, text=text, html=html)
    future = _pool.submit(_deliver, message)
    _pending.add(future)
    future.add_done_callback(_pending.discard)
    return future


def wait_idle(timeout: float = 30.0) -> None:
    """Wait until every queued message was delivered or given up (tests, shutdown)."""
    concurrent.futures.wait(list(_pending), timeout=timeout)


def _deliver(message: EmailMessage) -> bool:
    try:
        if not settings.smtp_url:
            return _save_to_outbox(message)
        return _send_with_retries(message, parse_smtp_url(settings.smtp_url))
    except Exception:
        log.exception("mail to %s (%r) failed unexpectedly", message["To"], message["Subject"])
        return False


def _save_to_outbox(message: EmailMessage) -> bool:
    outbox = settings.outbox_dir
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    slug = re.sub(r"[^a-z0-9]+", "-", str(message["Subject"]).lower()).strip("-")[:40]
    path = outbox / f"{stamp}-{slug}-{uuid.uuid4().hex[:6]}.eml"
    path.write_bytes(bytes(message))
    log.info("mail to %s saved to %s (no SMTP_URL set)", message["To"], path)
    return True


def _is_temporary(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    # Other SMTP errors (no STARTTLS, no AUTH) will not go away; socket
    # errors, timeouts and refused connections may.
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)[:200]}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {_text(error)[:100]}" for code, error in exc.recipients.values())
    return f"{type(exc).__name__}: {exc}"[:200]


def _send_with_retries(message: EmailMessage, server: SmtpServer) -> bool:
    for attempt, delay in enumerate((*RETRY_DELAYS, None), start=1):
        try:
            _send_once(message, server)
        except Exception as exc:
            if not _is_temporary(exc):
                log.error("mail to %s (%r) refused, not retried: %s", message["To"], message["Subject"], _describe(exc))
                return False
            if delay is None:
                log.error(
                    "mail to %s (%r) not delivered after %d tries: %s",
                    message["To"],
                    message["Subject"],
                    attempt,
                    _describe(exc),
                )
                return False
            log.warning("mail to %s: temporary failure (%s), retrying in %gs", message["To"], _describe(exc), delay)
            time.sleep(delay)
        else:
            log.info("mail to %s (%r) delivered", message["To"], message["Subject"])
            return True
    return False


def _send_once(message: EmailMessage, server: SmtpServer) -> None:
    context = ssl.create_default_context()
    if server.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    with client:
        if server.scheme == "smtp+starttls":
            client.starttls(context=context)
        if server.username:
            client.login(server.username, server.password)
        client.send_message(message)
