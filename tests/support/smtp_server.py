"""A real SMTP server on loopback (aiosmtpd) that keeps what it is sent.

Tests read the delivered messages -- headers, both parts, the links -- and
can make the server answer a temporary (451) or permanent (550) failure to
the next deliveries, to exercise the sender's retries.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from contextlib import contextmanager
from email.message import EmailMessage

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s\"<>]+")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, box: Mailbox):
        self.box = box

    async def handle_DATA(self, server, session, envelope):
        with self.box.lock:
            self.box.attempts += 1
            if self.box.fail_next:
                return self.box.fail_next.pop(0)
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            self.box.messages.append(message)
        return "250 Message accepted for delivery"


class Mailbox:
    """The server's state: delivered messages, delivery attempts, failures to answer."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.attempts = 0
        # SMTP replies to give the next DATA commands instead of accepting, e.g. "451 4.3.0 try later".
        self.fail_next: list[str] = []
        self.port = _free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} mail(s) to {address}, got {len(self.to(address))}")

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None
        return part.get_content()  # pyright: ignore[reportAttributeAccessIssue]

    @staticmethod
    def html(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("html",))
        assert part is not None
        return part.get_content()  # pyright: ignore[reportAttributeAccessIssue]

    @classmethod
    def link(cls, message: EmailMessage) -> str:
        links = LINK.findall(cls.text(message))
        assert len(links) == 1, links
        return links[0]

    @classmethod
    def token(cls, message: EmailMessage) -> str:
        return cls.link(message).split("token=", 1)[1]


@contextmanager
def smtp_server():
    """A running server on a free loopback port; yields its Mailbox."""
    box = Mailbox()
    controller = Controller(_Handler(box), hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
