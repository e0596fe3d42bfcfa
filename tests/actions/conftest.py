from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.bot.mail.conftest import Collector, loopback_mail_settings
from tests.conftest import free_port, load_tracker

Result = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def run_on_state(action: Action, state: dict[str, Any]) -> Result:
    """Runs an action on a tracker state; returns (events, dispatched messages)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, Tracker.from_dict(state), {}))
    return events, dispatcher.messages


def run_action(action: Action, fixture: str) -> Result:
    return run_on_state(action, load_tracker(fixture))


# ---- e-mail: a real SMTP server on loopback, configured for every action test ------------

MAIL_SETTINGS = ("EIG_SMTP_HOST", "EIG_MAIL_FROM", "EIG_LINK_SECRET")


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def outbox(
    smtp_server: tuple[Collector, int], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Collector]:
    """E-mail is configured, as in production, and goes to the loopback server; the
    messages it accepted during the test. ``no_mail`` turns e-mail off."""
    collector, port = smtp_server
    collector.messages.clear()
    collector.refuse.clear()
    collector.fail_after = None
    for name, value in loopback_mail_settings(port).items():
        monkeypatch.setenv(name, value)
    yield collector


@pytest.fixture
def no_mail(outbox: Collector, monkeypatch: pytest.MonkeyPatch) -> Collector:
    """E-mail not configured (no SMTP server): the assistant offers none."""
    for name in MAIL_SETTINGS:
        monkeypatch.delenv(name)
    return outbox
