"""Starts the three real services (Rasa, actions, bot web service) once for the e2e tests,
on their own ports, with a fresh SQLite tracker store, and stops them afterwards."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import pytest

from bot.ops import services

# Own ports, so a running `make run` does not clash; EIG_E2E_PORT_OFFSET moves them all.
OFFSET = int(os.environ.get("EIG_E2E_PORT_OFFSET", "0"))
PORTS = services.Ports(rasa=15005 + OFFSET, actions=15055 + OFFSET, web=18000 + OFFSET)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory):
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
    supervisor = services.Supervisor(PORTS, var_dir=var_dir, log_file=log_file)
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


class Conversation:
    """One REST conversation; ``say`` returns the bot's messages."""

    def __init__(self, language: Optional[str] = None, accept_language: Optional[str] = None):
        self.sender = f"e2e-{uuid.uuid4().hex}"
        self.language = language
        self.accept_language = accept_language

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


@pytest.fixture
def conversation(stack) -> Callable[..., Conversation]:
    return Conversation
