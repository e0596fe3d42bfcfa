"""The right to erasure, through the actions' run(): a real SQLite database, the events the
action returns, the answers as the NLG service renders them, and the rows left behind."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import deletion
from actions.deletion import ActionDeleteMyData, ValidateDeletionForm
from bot import ROOT
from bot.applications.storage import Storage, conversation_key
from bot.mail.service import Mail
from bot.wording import nlg
from tests.conftest import load_tracker

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 11, 23)
EMAIL = "camille.martin@example.org"
OTHER_EMAIL = "sam@example.org"
CLEARED = [
    {"event": "slot", "timestamp": None, "name": "deletion_reference", "value": None},
    {"event": "slot", "timestamp": None, "name": "deletion_email", "value": None},
]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty applications database, the one the action server opens (DATABASE_URL)."""
    path = tmp_path / "applications.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("TRACKER_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    deletion.applications.cache_clear()
    deletion.conversation_store.cache_clear()
    yield path
    deletion.applications.cache_clear()
    deletion.conversation_store.cache_clear()


def conversation_with(path: Path, sender: str, *texts: str) -> None:
    """A conversation in the tracker store beside ``path``, as Rasa's events table holds it."""
    engine = sa.create_engine(f"sqlite:///{path.parent / 'tracker.db'}", future=True)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, timestamp FLOAT, intent_name TEXT, action_name TEXT, data TEXT)"
            )
        )
        for text in texts:
            data = json.dumps({"event": "user", "timestamp": 1.0, "text": text, "parse_data": {}})
            connection.execute(
                sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', 1.0, :d)"
                ),
                {"s": sender, "d": data},
            )
    engine.dispose()


def conversation_texts(path: Path) -> list[tuple[str, str]]:
    engine = sa.create_engine(f"sqlite:///{path.parent / 'tracker.db'}", future=True)
    try:
        with engine.connect() as connection:
            found = connection.execute(sa.text("SELECT sender_id, data FROM events ORDER BY id"))
            return [(sender, json.loads(data)["text"]) for sender, data in found]
    finally:
        engine.dispose()


def submit(path: Path, sender: str, email: str) -> str:
    store = Storage(f"sqlite:///{path}")
    try:
        return store.submit(
            conversation_key(sender, "token"),
            language="en",
            promotion=7,
            target_profile="technical_director",
            years_of_experience=8,
            entrepreneurial_experience=False,
            project_interest="Open data for public health",
            first_name="Camille",
            email=email,
            consent=True,
        )
    finally:
        store.close()


def ask_to_be_notified(path: Path, email: str) -> None:
    store = Storage(f"sqlite:///{path}")
    try:
        assert store.request_notification(email, language="en", consent=True)
    finally:
        store.close()


def rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    """What is really in the database, read without the storage layer."""
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(query))]
    finally:
        engine.dispose()


def applications(path: Path) -> list[tuple[str, str]]:
    return rows(path, "SELECT reference, email FROM pre_applications ORDER BY reference")


def notifications(path: Path) -> list[str]:
    return [email for (email,) in rows(path, "SELECT email FROM notification_requests")]


def state(language: str = "en", text: str = "", **slots: Any) -> dict[str, Any]:
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
    tracker["active_loop"] = {"name": "deletion_form"}
    return tracker


def delete(language: str, reference: Any, email: Any) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(state(language, deletion_reference=reference, deletion_email=email))
    events = asyncio.run(ActionDeleteMyData().run(dispatcher, tracker, DOMAIN))
    return events, dispatcher.messages


def rendered(message: dict[str, Any], language: str, known: Any) -> str:
    """The text the user reads: the NLG service renders the action's response."""
    return nlg.render(message["response"], message, language, known, TODAY)["text"]


# ---- ActionDeleteMyData


def test_a_matching_reference_and_email_delete_the_application_and_its_alert(database, known):
    mine = submit(database, "sender-1", EMAIL)
    theirs = submit(database, "sender-2", OTHER_EMAIL)
    ask_to_be_notified(database, EMAIL)
    ask_to_be_notified(database, OTHER_EMAIL)

    events, messages = delete("en", mine, EMAIL)

    assert events == [
        *CLEARED,
        {"event": "slot", "timestamp": None, "name": "last_reference", "value": None},
    ]
    assert [m["response"] for m in messages] == ["utter_data_deleted"]
    assert messages[0]["reference"] == mine
    text = rendered(messages[0], "en", known)
    assert text.startswith(f"Done: the pre-application {mine}")
    assert f"la pré-candidature {mine}" in rendered(messages[0], "fr", known)
    assert applications(database) == [(theirs, OTHER_EMAIL)]
    assert notifications(database) == [OTHER_EMAIL]


def test_the_deletion_also_redacts_every_conversation_that_holds_the_data(database):
    mine = submit(database, "sender-1", EMAIL)
    conversation_with(database, "sender-1", "Camille", f"écrivez à {EMAIL.upper()}")
    conversation_with(database, "later", f"ma référence est {mine.lower()}")
    conversation_with(database, "someone-else", f"Camille {OTHER_EMAIL}")

    delete("en", mine, EMAIL)

    assert conversation_texts(database) == [
        ("sender-1", "[redacted]"),  # found by the e-mail: the first name goes too
        ("sender-1", "écrivez à [redacted]"),
        ("later", "ma référence est [redacted]"),  # found by the reference
        ("someone-else", f"Camille {OTHER_EMAIL}"),  # a name alone finds no conversation
    ]


def test_a_wrong_email_redacts_no_conversation(database):
    mine = submit(database, "sender-1", EMAIL)
    conversation_with(database, "sender-1", f"écrivez à {EMAIL}")
    delete("en", mine, OTHER_EMAIL)
    assert conversation_texts(database) == [("sender-1", f"écrivez à {EMAIL}")]


@pytest.mark.parametrize(
    ("reference", "email"),
    [
        ("mine", OTHER_EMAIL),  # my reference, another person's e-mail
        ("theirs", EMAIL),  # another person's reference, my e-mail
        ("EIG-2222-3333", EMAIL),  # a reference that does not exist
        ("mine", "not an e-mail"),
    ],
)
def test_a_reference_and_an_email_that_do_not_match_delete_nothing(
    database, known, reference, email
):
    mine = submit(database, "sender-1", EMAIL)
    theirs = submit(database, "sender-2", OTHER_EMAIL)
    ask_to_be_notified(database, EMAIL)
    before = applications(database)

    events, messages = delete(
        "en", {"mine": mine, "theirs": theirs}.get(reference, reference), email
    )

    assert events == CLEARED  # last_reference is kept: nothing was deleted
    assert [m["response"] for m in messages] == ["utter_data_not_found"]
    text = rendered(messages[0], "en", known)
    assert text.startswith("I found no pre-application with this reference and address.")
    assert mine not in text and theirs not in text  # says nothing of whose data it is
    assert applications(database) == before
    assert notifications(database) == [EMAIL]


def confirm_request(path: Path, email: str) -> None:
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE notification_requests SET confirmed_at = :t WHERE email = :e"),
            {"t": dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc), "e": email},
        )
    engine.dispose()


@pytest.mark.parametrize("listed", ["confirmed", "unconfirmed", "absent"])
def test_without_a_reference_an_address_alone_deletes_nothing_and_gets_a_link(
    database, known, outbox, listed
):
    reference = submit(database, "sender-1", EMAIL)
    if listed != "absent":
        ask_to_be_notified(database, EMAIL)
    if listed == "confirmed":
        confirm_request(database, EMAIL)
    ask_to_be_notified(database, OTHER_EMAIL)
    confirm_request(database, OTHER_EMAIL)
    listed_before = notifications(database)

    events, messages = delete("fr", deletion.NO_REFERENCE, EMAIL.upper())

    assert events == CLEARED
    # Same answer whether or not the address was on the list: it tells nobody who is.
    assert [m["response"] for m in messages] == ["utter_notification_cancel_link"]
    text = rendered(messages[0], "fr", known)
    assert text.startswith("Si cette adresse est inscrite pour être prévenue")
    assert "2\xa0jours" in text  # EIG_CONFIRM_WITHIN's 48 h, in words
    assert notifications(database) == listed_before  # knowing an address deletes nothing
    assert applications(database) == [(reference, EMAIL)]
    if listed != "confirmed":
        assert outbox.messages == []  # an unconfirmed address gets nothing more
        return
    [sent] = outbox.messages
    assert sent["To"] == EMAIL
    body = sent.get_body(("plain",))
    assert body is not None
    [link] = [w for w in str(body.get_content()).split() if "/mail/unsubscribe?t=" in w]
    assert link.startswith("https://chat.example.gouv.fr/en/mail/unsubscribe?t=")  # its language
    # The link, followed, is what erases the request (the web page calls the same).
    mail = Mail.from_settings(Storage(f"sqlite:///{database}"))
    token = parse_qs(urlsplit(link).query)["t"][0]
    try:
        assert mail.follow("unsubscribe", token)
    finally:
        mail.conversations.close()
        mail.store.close()
    assert notifications(database) == [OTHER_EMAIL]
    assert applications(database) == [(reference, EMAIL)]  # the pre-application stays


def test_without_e_mail_an_address_alone_deletes_nothing_and_the_team_is_named(
    database, known, no_mail
):
    ask_to_be_notified(database, EMAIL)
    confirm_request(database, EMAIL)

    events, messages = delete("en", deletion.NO_REFERENCE, EMAIL)

    assert events == CLEARED
    assert [m["response"] for m in messages] == ["utter_cancellation_unavailable"]
    text = rendered(messages[0], "en", known)
    assert text.startswith("I can't send e-mails at the moment, so no cancellation link")
    assert known.programme.contact.email in text
    assert notifications(database) == [EMAIL]
    assert no_mail.messages == []


def test_a_database_failure_apologises_and_forgets_the_answers(database, known):
    reference = submit(database, "sender-1", EMAIL)
    engine = sa.create_engine(f"sqlite:///{database}", future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE notification_requests"))
    engine.dispose()

    events, messages = delete("en", reference, EMAIL)

    assert events == CLEARED
    assert [m["response"] for m in messages] == ["utter_storage_error"]
    assert rendered(messages[0], "en", known).startswith("Sorry, I couldn't handle your request")
    assert applications(database) == [(reference, EMAIL)]  # the transaction rolled back


# ---- ValidateDeletionForm


def validate(requested: str, text: str, **slots: Any) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(state("en", text, requested_slot=requested, **slots))
    events = asyncio.run(ValidateDeletionForm().run(dispatcher, tracker, DOMAIN))
    return {e["name"]: e["value"] for e in events}, [m["response"] for m in dispatcher.messages]


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("eig 7k3p q9xz", "EIG-7K3P-Q9XZ"),
        ("EIG-7K3P-Q9XZ", "EIG-7K3P-Q9XZ"),
        ("aucune", deletion.NO_REFERENCE),
        ("I don't have one", deletion.NO_REFERENCE),
    ],
)
def test_the_reference_is_read_as_people_type_it(text, reference):
    slots, responses = validate("deletion_reference", text)
    assert slots == {"deletion_reference": reference}
    assert responses == []


def test_an_unreadable_reference_is_asked_again_with_an_explanation():
    slots, responses = validate("deletion_reference", "bananas")
    assert slots == {"deletion_reference": None}
    assert responses == ["utter_invalid_deletion_reference"]


def test_the_email_is_normalised_and_a_wrong_one_asked_again():
    slots, responses = validate(
        "deletion_email", "  Camille.Martin@Example.org ", deletion_reference="EIG-7K3P-Q9XZ"
    )
    assert slots == {"deletion_email": EMAIL}
    assert responses == []
    slots, responses = validate(
        "deletion_email", "camille at example", deletion_reference="EIG-7K3P-Q9XZ"
    )
    assert slots == {"deletion_email": None}
    assert responses == ["utter_invalid_deletion_email"]
