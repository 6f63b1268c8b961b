"""services/mail.py against a real SMTP server on loopback (tests/support/smtp_server.py)."""

import logging

import pytest

from booktracker.services import mail
from booktracker.settings import load_settings
from booktracker.settings_checks import generate_vapid_keys

SECRET_LINK = "https://app.example/reset-password?token=s3cr3t-t0ken"


def _send(to="ann@example.com"):
    return mail.send(to=to, subject="Hello", text=f"Open {SECRET_LINK}\n", html=f'<a href="{SECRET_LINK}">open</a>')


def test_delivers_plain_text_and_html_parts(mailbox):
    assert _send().result(timeout=10) is True
    [message] = mailbox.wait_for("ann@example.com")
    assert message["From"] == mail.settings.email_from and message["Subject"] == "Hello"
    assert message["Message-ID"] and message["Date"]
    assert mailbox.link(message) == SECRET_LINK
    assert SECRET_LINK in mailbox.html(message)


def test_a_temporary_failure_is_retried(mailbox, caplog):
    mailbox.fail_next = ["451 4.3.0 Try again later"]
    with caplog.at_level(logging.INFO, logger="booktracker.mail"):
        assert _send().result(timeout=10) is True
    assert mailbox.attempts == 2 and len(mailbox.to("ann@example.com")) == 1
    assert "temporary failure (451" in caplog.text
    assert "s3cr3t" not in caplog.text


def test_a_permanent_failure_is_logged_not_retried(mailbox, caplog):
    mailbox.fail_next = ["550 5.1.1 No such mailbox"]
    with caplog.at_level(logging.INFO, logger="booktracker.mail"):
        assert _send().result(timeout=10) is False
    assert mailbox.attempts == 1 and mailbox.messages == []
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "ann@example.com" in record.getMessage() and "550" in record.getMessage()
    assert "s3cr3t" not in caplog.text


def test_temporary_failures_give_up_after_the_last_try(mailbox, caplog):
    mailbox.fail_next = ["421 4.7.0 Busy"] * 10
    with caplog.at_level(logging.INFO, logger="booktracker.mail"):
        assert _send().result(timeout=10) is False
    assert mailbox.attempts == len(mail.RETRY_DELAYS) + 1
    assert "not delivered after 4 tries" in caplog.text and "s3cr3t" not in caplog.text


def test_an_unreachable_server_is_retried_then_logged(monkeypatch, caplog):
    from tests.support.smtp_server import _free_port

    url = f"smtp://127.0.0.1:{_free_port()}"  # nothing listens there
    monkeypatch.setattr(mail, "settings", mail.settings.model_copy(update={"smtp_url": url}))
    monkeypatch.setattr(mail, "RETRY_DELAYS", (0.01, 0.01))
    with caplog.at_level(logging.INFO, logger="booktracker.mail"):
        assert _send().result(timeout=10) is False
    assert "not delivered after 3 tries" in caplog.text


def test_without_smtp_url_the_message_goes_to_the_outbox(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(mail, "settings", mail.settings.model_copy(update={"smtp_url": "", "outbox_dir": tmp_path}))
    with caplog.at_level(logging.INFO, logger="booktracker.mail"):
        assert _send().result(timeout=10) is True
    [saved] = tmp_path.glob("*.eml")
    assert SECRET_LINK in saved.read_text()
    assert f"saved to {saved}" in caplog.text and "s3cr3t" not in caplog.text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+starttls://me%40x.org:p%2Fw@mail.example:2587",
            ("smtp+starttls", "mail.example", 2587, "me@x.org", "p/w"),
        ),
        ("smtps://u:p@mail.example", ("smtps", "mail.example", 465, "u", "p")),
        ("smtp://relay", ("smtp", "relay", 25, "", "")),
    ],
)
def test_smtp_urls(url, expected):
    server = mail.parse_smtp_url(url)
    assert (server.scheme, server.host, server.port, server.username, server.password) == expected


def test_production_needs_smtp_url_and_never_repeats_its_password():
    base = {
        "APP_ENV": "production",
        "SECRET_KEY": "x" * 40,
        "DATABASE_URL": "postgresql://db/x",
        "CORS_ORIGINS": "https://app.example",
        **dict(zip(("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY"), generate_vapid_keys(), strict=True)),
        "VAPID_SUBJECT": "mailto:ops@app.example",
    }
    with pytest.raises(Exception, match="SMTP_URL is missing"):
        load_settings(base)
    with pytest.raises(Exception, match="SMTP_URL must look like") as refused:
        load_settings({**base, "SMTP_URL": "http://user:hunter22@mail.example"})
    assert "hunter22" not in str(refused.value)
    configured = load_settings({**base, "SMTP_URL": "smtps://u:p@mail.example"})
    assert configured.public_url == "https://app.example"


def test_mail_leaves_in_the_order_it_was_written(mailbox):
    """A reader who asks twice for a link must get the newer one last: the
    older one no longer works (a two-thread pool delivered them in any order)."""
    for n in range(6):
        mail.send(to="ann@example.com", subject=f"Link {n}", text="t", html="<p>t</p>")
    delivered = [message["Subject"] for message in mailbox.wait_for("ann@example.com", 6)]
    assert delivered == [f"Link {n}" for n in range(6)]
