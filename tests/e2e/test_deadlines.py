"""A frozen action server (SIGSTOP) costs a turn the apology within the turn's deadline,
and two turns of one conversation never run at once.

Rasa waited 5 minutes for the action server, while a conversation's lock lives 60 s: the
lock expired under the first turn and the second ran beside it. This stack has short
deadlines (an action call 2 s, a turn 8 s, the lock 20 s) so that the test is quick; the
defaults keep the same order (10 s, 30 s, 60 s).
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bot.ops import services
from tests.e2e.conftest import MODEL, OFFSET

PORTS = services.Ports(rasa=15025 + OFFSET, actions=15075 + OFFSET, web=18020 + OFFSET)
DEADLINE_S = 8
SETTINGS = {
    "EIG_ACTION_TIMEOUT": "2s",
    "EIG_NLG_TIMEOUT": "2s",
    "EIG_TURN_DEADLINE": f"{DEADLINE_S}s",
    "TICKET_LOCK_LIFETIME": "20",
    "EIG_TODAY": "2026-11-23",
}
APOLOGY = "Désolé, un problème technique"


@pytest.fixture(scope="module")
def deadline_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[services.Supervisor]:
    var_dir = tmp_path_factory.mktemp("deadlines")
    saved = {key: os.environ.get(key) for key in SETTINGS}
    os.environ.update(SETTINGS)
    supervisor = services.Supervisor(
        PORTS, var_dir=var_dir, model=MODEL, log_file=var_dir / "services.log"
    )
    try:
        supervisor.start()
        yield supervisor
    finally:
        supervisor.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def say(sender: str, text: str) -> list[dict[str, Any]]:
    body = {"sender": sender, "message": text, "metadata": {"language": "fr"}}
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORTS.rasa}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.loads(reply.read())


def test_a_frozen_action_server_costs_one_apology_in_time_and_turns_never_overlap(
    deadline_stack,
):
    sender = uuid.uuid4().hex
    assert say(sender, "bonjour")[0]["text"].startswith("Bonjour")
    actions = next(s for s in deadline_stack.services if s.name == "action server")
    assert actions.process is not None
    answered: dict[str, tuple[float, float, list[dict[str, Any]]]] = {}

    def turn(name: str, text: str) -> None:
        sent = time.monotonic()
        replies = say(sender, text)
        answered[name] = (sent, time.monotonic(), replies)

    os.killpg(actions.process.pid, signal.SIGSTOP)
    try:
        first = threading.Thread(target=turn, args=("first", "je veux candidater"))
        second = threading.Thread(target=turn, args=("second", "quel est le salaire ?"))
        first.start()
        time.sleep(0.5)
        second.start()
        first.join(timeout=60)
        second.join(timeout=60)
    finally:
        os.killpg(actions.process.pid, signal.SIGCONT)
    for name in ("first", "second"):
        sent, received, replies = answered[name]
        # The apology, in the conversation's language, within the turn's deadline.
        assert replies[-1]["text"].startswith(APOLOGY), (name, replies)
        assert received - sent < DEADLINE_S + 3, (name, received - sent)
    # One turn at a time: the second waited for the first's lock, so it ended after it.
    assert answered["second"][1] > answered["first"][1]
    # With the action server back, the same conversation goes on normally.
    assert "Quel profil visez-vous ?" in say(sender, "je veux candidater")[-1]["text"]
