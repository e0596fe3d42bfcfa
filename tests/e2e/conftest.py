"""Starts the three real services (Rasa, actions, bot web service) once for the e2e tests,
on their own ports, with a fresh SQLite tracker store, and stops them afterwards."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Optional

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from bot.infra import settings
from bot.ops import services
from tests.bot.mail.conftest import Collector
from tests.conftest import free_port

# Own ports, so a running `make run` does not clash; EIG_E2E_PORT_OFFSET moves them all, and
# EIG_E2E_PORTS ("rasa actions web") sets them one by one. EIG_E2E_MODEL: another model than
# models/current.tar.gz (a model trained elsewhere, tried before it becomes the current one).
OFFSET = int(os.environ.get("EIG_E2E_PORT_OFFSET", "0"))
PORTS = (
    services.Ports(*settings.E2E_PORTS.get())
    if settings.E2E_PORTS.is_set()
    else services.Ports(rasa=15005 + OFFSET, actions=15055 + OFFSET, web=18000 + OFFSET)
)
MODEL = settings.E2E_MODEL.get()


def mail_settings(port: int) -> dict[str, str]:
    """E-mail on, through the loopback SMTP server of the tests (bot.mail)."""
    return {
        "EIG_SMTP_HOST": "127.0.0.1",
        "EIG_SMTP_PORT": str(port),
        "EIG_SMTP_SECURITY": "none",
        "EIG_MAIL_FROM": "EIG <eig@example.gouv.fr>",
        "EIG_LINK_SECRET": "e2e-link-secret-" + "s" * 32,
        "EIG_MAIL_RATE": "off",
    }


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Collector, int]]:
    """A real SMTP server on loopback (aiosmtpd) keeping every message it accepts."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield collector, int(controller.port)
    finally:
        controller.stop()


@pytest.fixture
def outbox(stack, smtp_server: tuple[Collector, int]) -> Collector:
    """The e-mails the services sent (to the loopback SMTP server), as in production."""
    return smtp_server[0]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, smtp_server: tuple[Collector, int]):
    var_dir = tmp_path_factory.mktemp("var")
    log_file = var_dir / "services.log"
    saved = {
        k: os.environ.pop(k, None)
        for k in ("TRACKER_DB", "NLG_ENDPOINT_URL", "ACTION_ENDPOINT_URL", "DATABASE_URL")
    }
    os.environ["EIG_TODAY"] = "2026-11-23"
    # Our processes log at DEBUG, so test_privacy checks the most verbose output we allow.
    saved_level = os.environ.get("EIG_LOG_LEVEL")
    os.environ["EIG_LOG_LEVEL"] = "DEBUG"
    supervisor = services.Supervisor(
        PORTS, var_dir=var_dir, model=MODEL, log_file=log_file,
        extra_env=mail_settings(smtp_server[1]),
    )  # fmt: skip
    supervisor.start()
    try:
        yield supervisor
    finally:
        supervisor.stop()
        os.environ.pop("EIG_TODAY", None)
        if saved_level is None:
            os.environ.pop("EIG_LOG_LEVEL", None)
        else:
            os.environ["EIG_LOG_LEVEL"] = saved_level
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value
        artifacts = Path(os.environ.get("EIG_ARTIFACTS", "var/test-artifacts"))
        artifacts.mkdir(parents=True, exist_ok=True)
        (artifacts / "e2e-services.log").write_bytes(log_file.read_bytes())


def post(path: str, body: bytes, headers: Optional[dict[str, str]] = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORTS.rasa}{path}",
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def stored_events(tracker_db: Path, sender: str) -> list[dict[str, Any]]:
    """A conversation's events as the Rasa server stored them, in order."""
    engine = sa.create_engine(f"sqlite:///{tracker_db}", future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            ).all()
    finally:
        engine.dispose()
    return [json.loads(data) for (data,) in rows]


def turn_over(events: list[dict[str, Any]], received: int) -> bool:
    """``events``, those stored since a message was sent, hold its whole turn (the user's
    message, then the assistant listening again), and the ``received`` messages are all of
    the turn's bot messages."""
    if not any(e["event"] == "user" for e in events):
        return False
    if events[-1].get("event") != "action" or events[-1].get("name") != "action_listen":
        return False
    return received >= sum(e["event"] == "bot" for e in events)


async def eventually(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Polls ``check`` until it is true; fails after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, f"{what}: not after {timeout} s"
        await asyncio.sleep(0.05)


class Conversation:
    """One REST conversation; ``say`` returns the bot's messages, ``slots`` the slots the
    tracker store holds once the turn is over."""

    def __init__(
        self,
        language: Optional[str] = None,
        accept_language: Optional[str] = None,
        tracker_db: Optional[Path] = None,
    ):
        self.sender = uuid.uuid4().hex  # public channels want 128 random bits
        self.stored_id = f"rest:{self.sender}"  # REST conversations are stored apart
        self.language = language
        self.accept_language = accept_language
        self.tracker_db = tracker_db

    def say(self, text: str) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": self.sender, "message": text}
        if self.language:
            body["metadata"] = {"language": self.language}
        headers = {"Accept-Language": self.accept_language} if self.accept_language else {}
        status, messages = post("/webhooks/rest/webhook", json.dumps(body).encode(), headers)
        assert status == 200, messages
        assert isinstance(messages, list) and messages, f"no reply to {text!r}"
        return messages

    def text(self, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(text))

    def slots(self) -> dict[str, Any]:
        """The conversation's slots, replayed from the events in the Rasa server's store."""
        assert self.tracker_db is not None, "use the conversation fixture"
        slots: dict[str, Any] = {}
        for event in stored_events(self.tracker_db, self.stored_id):
            if event["event"] == "slot":
                slots[event["name"]] = event["value"]
            elif event["event"] == "restart":
                slots.clear()
        return slots


@pytest.fixture
def conversation(stack) -> Callable[..., Conversation]:
    return functools.partial(Conversation, tracker_db=stack.var_dir / "tracker.db")
