"""A real SMTP server on loopback (aiosmtpd) collecting what it accepts, the settings that
point at it, an applications database, and a knowledge base whose call is open."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller

from bot import ROOT
from bot.applications.conversations import Conversations
from bot.applications.storage import Storage
from bot.domain import knowledge
from bot.domain.knowledge import Knowledge
from bot.mail.sender import MailConfig
from bot.mail.service import Mail
from tests.conftest import free_port

SECRET = "s" * 40
OPEN_DAY = "2027-02-01"  # the test knowledge's call: 2027-01-10 to 2027-03-01


class Collector:
    """Keeps each accepted message; refuses the recipients in ``refuse`` (550), and
    answers 451 to every DATA once ``fail_after`` messages were accepted."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.fail_after: int | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.fail_after is not None and len(self.messages) >= self.fail_after:
            return "451 4.3.0 try again later"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def loopback_mail_settings(port: int) -> dict[str, str]:
    """E-mail on, through the loopback SMTP server of the tests on ``port``."""
    return {
        "EIG_SMTP_HOST": "127.0.0.1",
        "EIG_SMTP_PORT": str(port),
        "EIG_SMTP_SECURITY": "none",
        "EIG_MAIL_FROM": "EIG <eig@example.gouv.fr>",
        "EIG_LINK_SECRET": SECRET,
        "EIG_MAIL_RATE": "off",
        "EIG_PUBLIC_URL": "https://chat.example.gouv.fr",
    }


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


@pytest.fixture
def mail_env(smtp: tuple[Collector, int], monkeypatch: pytest.MonkeyPatch) -> Collector:
    collector, port = smtp
    for name, value in loopback_mail_settings(port).items():
        monkeypatch.setenv(name, value)
    return collector


@pytest.fixture
def open_knowledge(tmp_path: Path) -> Knowledge:
    """data/knowledge with the current call open from 2027-01-10 to 2027-03-01."""
    directory = tmp_path / "knowledge"
    shutil.copytree(ROOT / "data" / "knowledge", directory)
    path = directory / "promotions.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    current = next(p for p in data["promotions"] if p["number"] == data["current"])
    current["call"] = {"announced": True, "opens": "2027-01-10", "closes": "2027-03-01"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return knowledge.load(directory)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Storage]:
    s = Storage(f"sqlite:///{tmp_path / 'applications.db'}")
    yield s
    s.close()


@pytest.fixture
def mail(
    mail_env: Collector, store: Storage, open_knowledge: Knowledge, tmp_path: Path
) -> Iterator[Mail]:
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    service = Mail(
        store,
        MailConfig.from_settings(),
        known=lambda: open_knowledge,
        conversations_factory=lambda: Conversations(tracker),
    )
    yield service
    if "conversations" in service.__dict__:
        service.conversations.close()
