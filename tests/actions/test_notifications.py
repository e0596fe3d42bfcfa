""" "Tell me when the call opens", through the actions' run(): a real SQLite database, the
events the action returns, the answers as the NLG service renders them, and the rows."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import notifications
from actions.notifications import ActionRequestNotification, ValidateNotifyForm
from bot import ROOT
from bot.applications.storage import Storage
from bot.wording import nlg
from tests.conftest import load_tracker

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 11, 23)  # the call for the next promotion is announced, not open
EMAIL = "lea.dubois@exemple.fr"
CLEARED = [
    {"event": "slot", "timestamp": None, "name": "notify_consent", "value": None},
    {"event": "slot", "timestamp": None, "name": "email", "value": None},
]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty applications database, the one the action server opens (DATABASE_URL)."""
    path = tmp_path / "applications.db"
    Storage(f"sqlite:///{path}").close()  # the schema, as after any earlier request
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    notifications.applications.cache_clear()
    yield path
    notifications.applications.cache_clear()


def stored(path: Path) -> list[tuple[Any, ...]]:
    """The notification requests as they are in the database, read without the storage layer."""
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    try:
        with engine.connect() as connection:
            query = "SELECT email, language, consent, notified_at FROM notification_requests"
            return [tuple(row) for row in connection.execute(sa.text(query))]
    finally:
        engine.dispose()


def confirmed_at(path: Path) -> list[Any]:
    return [row[0] for row in column(path, "confirmed_at")]


def sent_at(path: Path) -> list[Any]:
    return [row[0] for row in column(path, "confirmation_sent_at")]


def column(path: Path, name: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    try:
        with engine.connect() as connection:
            query = f"SELECT {name} FROM notification_requests ORDER BY id"
            return [tuple(row) for row in connection.execute(sa.text(query))]
    finally:
        engine.dispose()


def state(language: str, text: str = "", **slots: Any) -> dict[str, Any]:
    tracker = copy.deepcopy(load_tracker("english_conversation"))
    tracker["slots"].update(language=language, **slots)
    tracker["latest_message"] = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 1.0},
        "entities": [],
        "metadata": {},
    }
    tracker["events"] = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {}},
        {"event": "action", "name": "action_extract_slots"},
    ]
    tracker["active_loop"] = {"name": "notify_form"}
    return tracker


def request(language: str, email: Any, consent: Any) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(state(language, email=email, notify_consent=consent))
    events = asyncio.run(ActionRequestNotification().run(dispatcher, tracker, DOMAIN))
    return events, dispatcher.messages


def rendered(message: dict[str, Any], language: str, known: Any) -> str:
    """The text the user reads: the NLG service renders the action's response."""
    return nlg.render(message["response"], message, language, known, TODAY)["text"]


def test_with_consent_the_address_is_stored_once_and_gets_one_confirmation(database, known, outbox):
    events, messages = request("en", EMAIL, True)
    assert events == CLEARED
    assert [m["response"] for m in messages] == ["utter_notification_saved"]
    promotion = known.current.number
    text = rendered(messages[0], "en", known)
    assert text.startswith("Noted. I've just sent a confirmation e-mail to this address: click")
    assert "within 2 days" in text  # EIG_CONFIRM_WITHIN, 48 h by default
    assert f"when the call for the {promotion}th promotion opens" in text
    assert stored(database) == [(EMAIL, "en", 1, None)]
    [confirmation] = outbox.messages  # the double opt-in: one e-mail, in English, with a link
    assert confirmation["To"] == EMAIL
    body = confirmation.get_body(("plain",))
    assert body is not None
    assert "https://chat.example.gouv.fr/en/mail/confirm?t=" in str(body.get_content())
    assert confirmed_at(database) == [None]  # until the link is followed

    events, messages = request("fr", EMAIL, True)  # asked again, in French this time
    assert events == CLEARED
    assert [m["response"] for m in messages] == ["utter_notification_already"]
    assert rendered(messages[0], "fr", known).startswith("Cette adresse est déjà inscrite")
    assert stored(database) == [(EMAIL, "en", 1, None)]  # one row, unchanged
    assert len(outbox.messages) == 1  # no second e-mail to the address


def test_a_confirmation_that_cannot_leave_is_still_stored_for_the_next_run(database, known, outbox):
    outbox.refuse.add(EMAIL)  # the server refuses the recipient
    _, messages = request("fr", EMAIL, True)
    assert [m["response"] for m in messages] == ["utter_notification_saved"]
    assert stored(database) == [(EMAIL, "fr", 1, None)]
    assert outbox.messages == []
    assert sent_at(database) == [None]  # `python -m bot notify run` sends it again


def test_without_e_mail_nothing_is_asked_stored_or_promised(database, known, no_mail):
    # The form asks for nothing: no address is taken when no e-mail can leave.
    assert validate("email", "") == ({"requested_slot": None}, [])
    events, messages = request("fr", EMAIL, True)
    assert events == CLEARED
    assert [m["response"] for m in messages] == ["utter_mail_unavailable"]
    text = rendered(messages[0], "fr", known)
    assert text.startswith("Je ne peux pas envoyer d'e-mail pour le moment")
    assert known.programme.links.apply in text  # how else to follow the call
    assert stored(database) == []
    assert no_mail.messages == []


@pytest.mark.parametrize("consent", [False, None])
def test_without_consent_nothing_is_kept(database, known, consent):
    events, messages = request("fr", EMAIL, consent)
    assert events == CLEARED  # the address is forgotten at once
    assert [m["response"] for m in messages] == ["utter_notification_declined"]
    assert rendered(messages[0], "fr", known).startswith(
        "Très bien, je ne conserve pas votre adresse."
    )
    assert stored(database) == []


def test_a_database_failure_apologises_and_forgets_the_address(database, known):
    engine = sa.create_engine(f"sqlite:///{database}", future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE notification_requests"))
    engine.dispose()

    events, messages = request("en", EMAIL, True)

    assert events == CLEARED
    assert [m["response"] for m in messages] == ["utter_storage_error"]
    assert rendered(messages[0], "en", known).startswith("Sorry, I couldn't handle your request")


# ---- ValidateNotifyForm


def validate(requested: str, text: str, **slots: Any) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(state("fr", text, requested_slot=requested, **slots))
    events = asyncio.run(ValidateNotifyForm().run(dispatcher, tracker, DOMAIN))
    return {e["name"]: e["value"] for e in events}, [m["response"] for m in dispatcher.messages]


def test_the_email_is_normalised_and_a_wrong_one_asked_again():
    assert validate("email", "Lea.Dubois@Exemple.FR") == ({"email": EMAIL}, [])
    assert validate("email", "lea chez exemple") == ({"email": None}, ["utter_invalid_email"])


@pytest.mark.parametrize(("text", "consent"), [("oui", True), ("non merci", False)])
def test_consent_is_read_from_yes_or_no(text, consent):
    assert validate("notify_consent", text, email=EMAIL) == ({"notify_consent": consent}, [])


def test_an_answer_that_is_neither_yes_nor_no_is_asked_again():
    slots, responses = validate("notify_consent", "peut-être plus tard", email=EMAIL)
    assert slots == {"notify_consent": None}
    assert responses == ["utter_invalid_notify_consent"]
