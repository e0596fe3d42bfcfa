"""The deletion form's readings that mutation testing found untested: every way of saying
"no reference", an answer that the classifier takes for a question, and the log line of a
database failure (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import deletion
from actions.deletion import ActionDeleteMyData, ValidateDeletionForm
from tests.actions.test_deletion import CLEARED, DOMAIN, EMAIL, state, submit


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty applications database, the one the action server opens (DATABASE_URL)."""
    path = tmp_path / "applications.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    deletion.applications.cache_clear()
    yield path
    deletion.applications.cache_clear()


@pytest.mark.parametrize(
    "text",
    [
        "Pas de référence.",
        "je n'en ai pas !",
        "I have none.",
        "pas de reference",
    ],
)
def test_every_way_of_saying_no_reference(text: str) -> None:
    assert deletion.read_deletion_reference(text) == deletion.NO_REFERENCE


def validate(requested: str, text: str, intent: str, **slots: Any) -> dict[str, Any]:
    tracker_state = state("en", text, requested_slot=requested, **slots)
    tracker_state["latest_message"]["intent"] = {"name": intent, "confidence": 0.95}
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ValidateDeletionForm().run(dispatcher, Tracker.from_dict(tracker_state), DOMAIN)
    )
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    ("requested", "text", "slot", "value", "slots"),
    [
        ("deletion_reference", "EIG-7K3P-Q9XZ ?", "deletion_reference", "EIG-7K3P-Q9XZ", {}),
        (
            "deletion_email",
            "Camille.Martin@example.org ?",
            "deletion_email",
            EMAIL,
            {"deletion_reference": "EIG-7K3P-Q9XZ"},
        ),
    ],
)
def test_an_answer_taken_for_a_question_is_still_an_answer(
    requested: str, text: str, slot: str, value: str, slots: dict[str, Any]
) -> None:
    """The classifier is sure it is a FAQ question, and it ends with a question mark; the form
    reads its own answer first."""
    assert validate(requested, text, "faq", **slots).get(slot) == value


def test_a_question_while_the_reference_is_asked_is_declined() -> None:
    """The same sure FAQ intent, with words that are no reference: the form lets the rules
    answer it and keeps its question."""
    assert validate("deletion_reference", "what is the salary?", "faq") == {}
    assert (
        validate("deletion_email", "what is the salary?", "faq", deletion_reference="EIG-7K3P-Q9XZ")
        == {}
    )


def test_a_database_failure_is_logged_by_its_kind_only(
    database: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reference = submit(database, "sender-1", EMAIL)
    engine = sa.create_engine(f"sqlite:///{database}", future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE notification_requests"))
    engine.dispose()

    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(state("en", deletion_reference=reference, deletion_email=EMAIL))
    with caplog.at_level(logging.WARNING, logger="actions.deletion"):
        events = asyncio.run(ActionDeleteMyData().run(dispatcher, tracker, DOMAIN))

    assert events == CLEARED
    assert [r.getMessage() for r in caplog.records if r.name == "actions.deletion"] == [
        "deletion failed: StorageError"
    ]
    assert EMAIL not in caplog.text and reference not in caplog.text
