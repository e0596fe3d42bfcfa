""" "Tell me when it opens" where mutation testing found it untested: an open call sends the
candidate to apply and keeps nothing, answers the classifier takes for questions, and the
log line of a database failure (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import notifications
from actions.notifications import ValidateNotifyForm
from bot.applications.storage import Storage
from bot.domain import knowledge, schedule
from tests.actions.test_notifications import CLEARED, DOMAIN, EMAIL, request, state, stored


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty applications database, the one the action server opens (DATABASE_URL)."""
    path = tmp_path / "applications.db"
    Storage(f"sqlite:///{path}").close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    notifications.applications.cache_clear()
    yield path
    notifications.applications.cache_clear()


@pytest.fixture
def call_open_until_mid_december(tmp_path: Path) -> knowledge.Knowledge:
    """The real knowledge base, with the current call open from 1 to 15 December 2026."""
    copy = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, copy)
    promotions = copy / "promotions.yml"
    text = promotions.read_text(encoding="utf-8")
    opened = text.replace(
        "announced: true\n      opens: null\n      closes: null",
        "announced: true\n      opens: 2026-12-01\n      closes: 2026-12-15",
        1,
    )
    assert opened != text
    promotions.write_text(opened, encoding="utf-8")
    return knowledge.load(copy)


@pytest.mark.parametrize(
    ("today", "answer", "rows"),
    [
        ("2026-12-01", "utter_faq/apply", []),  # open: apply instead, keep nothing
        ("2026-11-30", "utter_notification_saved", [(EMAIL, "en", 1, None)]),  # not yet open
    ],
)
def test_once_the_call_is_open_the_candidate_is_sent_to_apply(
    database: Path,
    call_open_until_mid_december: knowledge.Knowledge,
    monkeypatch: pytest.MonkeyPatch,
    today: str,
    answer: str,
    rows: list[tuple[Any, ...]],
) -> None:
    monkeypatch.setattr(knowledge, "get", lambda: call_open_until_mid_december)
    monkeypatch.setenv("EIG_TODAY", today)
    current = call_open_until_mid_december.current.call
    assert (schedule.call_status(current, dt.date.fromisoformat(today)).state == "open") is (
        answer == "utter_faq/apply"
    )

    events, messages = request("en", EMAIL, True)

    assert events == CLEARED
    assert [m["response"] for m in messages] == [answer]
    assert stored(database) == rows


def validate(requested: str, text: str, intent: str, **slots: Any) -> dict[str, Any]:
    tracker_state = state("fr", text, requested_slot=requested, **slots)
    tracker_state["latest_message"]["intent"] = {"name": intent, "confidence": 0.95}
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ValidateNotifyForm().run(dispatcher, Tracker.from_dict(tracker_state), DOMAIN)
    )
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_answers_taken_for_questions_are_still_answers() -> None:
    """The classifier is sure these are FAQ questions, and they end with a question mark; the
    form reads its own answer first."""
    assert validate("email", "Lea.Dubois@Exemple.fr ?", "faq").get("email") == EMAIL
    assert validate("notify_consent", "oui ?", "faq", email=EMAIL).get("notify_consent") is True


def test_a_question_while_the_form_asks_is_declined() -> None:
    assert validate("email", "c'est quoi le salaire ?", "faq") == {}
    assert validate("notify_consent", "c'est quoi le salaire ?", "faq", email=EMAIL) == {}


def test_a_database_failure_is_logged_by_its_kind_only(
    database: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = sa.create_engine(f"sqlite:///{database}", future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE notification_requests"))
    engine.dispose()

    with caplog.at_level(logging.WARNING, logger="actions.notifications"):
        events, messages = request("en", EMAIL, True)

    assert events == CLEARED
    assert [m["response"] for m in messages] == ["utter_storage_error"]
    assert [r.getMessage() for r in caplog.records if r.name == "actions.notifications"] == [
        "notification request not stored: StorageError"
    ]
    assert EMAIL not in caplog.text
