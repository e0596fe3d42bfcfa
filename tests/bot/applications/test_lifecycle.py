"""Erasure on request and purge after retention, across the applications database and the
conversation store, on SQLite and on a real PostgreSQL server: the raw tables are read
after each step. The conversations are written by the Rasa server's own store."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.applications import feedback, lifecycle, storage
from bot.applications.conversations import Conversations, ConversationStoreError

NAME = "Gwendoline"
EMAIL = "gwendoline.kerbrat@exemple.fr"
DESCRIPTION = "Cofondatrice d'une coopérative Vélocargo"
INTEREST = "Ouvrir les données des cantines de Trégastel"
SECRETS = (NAME, EMAIL, "Vélocargo", "Trégastel", "V\\u00e9locargo", "Tr\\u00e9gastel")
DOMAIN = Domain.from_dict(
    {
        "slots": {
            n: {"type": "any", "mappings": [{"type": "custom"}]}
            for n in ("first_name", "email", "project_interest", "entrepreneurial_description")
        },
        "forms": {"pre_application_form": {"required_slots": ["email"]}},
    }
)


@pytest.fixture(params=["sqlite", "postgresql"])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The applications database and the conversation store, on one backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'applications.db'}", f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        yield url, url  # the cluster keeps both in one database


@pytest.fixture
def stores(urls: tuple[str, str]) -> Iterator[tuple[storage.Storage, Conversations, Any]]:
    applications_url, tracker_url = urls
    if tracker_url.startswith("sqlite"):
        endpoint = EndpointConfig(
            type="bot.rasa_server.tracker_store.RedactingTrackerStore",
            dialect="sqlite",
            db=tracker_url.removeprefix("sqlite:///"),
        )
    else:
        endpoint = EndpointConfig(
            url=tracker_url, type="bot.rasa_server.tracker_store.PostgresTrackerStore"
        )
    rasa_store = TrackerStore.create(endpoint, DOMAIN)
    applications, conversations = storage.Storage(applications_url), Conversations(tracker_url)
    yield applications, conversations, rasa_store
    applications.close()
    conversations.close()
    rasa_store.engine.dispose()


def select(url: str, query: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(query))]
    finally:
        engine.dispose()


def leaked(urls: tuple[str, str], sender: str = "") -> list[str]:
    """The secrets still in any raw table: the applications' rows, the events' data."""
    applications_url, tracker_url = urls
    where = f" WHERE sender_id = '{sender}'" if sender else ""
    text = repr(select(tracker_url, "SELECT data FROM events" + where))
    if not sender:
        text += repr(select(applications_url, "SELECT * FROM pre_applications"))
        text += repr(select(applications_url, "SELECT * FROM notification_requests"))
    return [secret for secret in SECRETS if secret in text]


async def save(rasa_store: Any, sender: str, events: list[Event]) -> None:
    await rasa_store.save(DialogueStateTracker.from_events(sender, events))


def form_in_progress(at: float, reference: str = "") -> list[Event]:
    """A pre-application still asking (so the Rasa store keeps its answers)."""
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        UserUttered("je veux candidater", {"name": "pre_apply"}, timestamp=at),
        ActiveLoop("pre_application_form", timestamp=at),
        SlotSet("requested_slot", "first_name", timestamp=at),
        UserUttered(NAME, {"name": "inform"}, timestamp=at),
        SlotSet("first_name", NAME, timestamp=at),
        SlotSet("requested_slot", "email", timestamp=at),
        UserUttered(EMAIL.upper(), {"name": "inform"}, timestamp=at),
        SlotSet("email", EMAIL, timestamp=at),
        SlotSet("project_interest", INTEREST, timestamp=at),
        BotUttered(f"Merci {NAME} ! {reference} {DESCRIPTION}", timestamp=at),
        SlotSet("requested_slot", "summary_confirmed", timestamp=at),
    ]


def other(at: float) -> list[Event]:
    return [
        SessionStarted(timestamp=at),
        UserUttered("c koi le salaire", {"name": "faq"}, timestamp=at),
        BotUttered("4 250 € nets par mois", timestamp=at),
    ]


def submit(applications: storage.Storage, created: dt.datetime | None = None) -> str:
    applications.request_notification(EMAIL, language="fr", consent=True, now=created)
    return applications.submit(
        storage.conversation_key("someone", "token"),
        language="fr",
        promotion=7,
        target_profile="technical_director",
        years_of_experience=8,
        entrepreneurial_experience=True,
        entrepreneurial_description=DESCRIPTION,
        project_interest=INTEREST,
        first_name=NAME,
        email=EMAIL,
        consent=True,
        now=created,
    )


async def test_erasure_removes_the_person_from_every_table(stores, urls):
    applications, conversations, rasa_store = stores
    reference = submit(applications)
    now = time.time()
    await save(rasa_store, "theirs", form_in_progress(now, reference))
    await save(rasa_store, "someone-else", other(now))
    before = select(urls[1], "SELECT id, data FROM events WHERE sender_id = 'someone-else'")
    assert leaked(urls) and leaked(urls, "theirs")

    assert lifecycle.erase(applications, conversations, reference.lower(), EMAIL.upper())
    assert leaked(urls) == []
    assert applications.count() == {"pre_applications": 0, "notification_requests": 0}
    assert reference not in repr(select(urls[1], "SELECT data FROM events"))
    # Other conversations are untouched, and no row of the person's was deleted.
    assert select(urls[1], "SELECT id, data FROM events WHERE sender_id = 'someone-else'") == (
        before
    )
    assert select(urls[1], "SELECT count(*) FROM events WHERE sender_id = 'theirs'") == [(13,)]
    # Rasa goes on with the conversation, which holds no personal slot any more.
    tracker = await rasa_store.retrieve("theirs")
    assert tracker.get_slot("first_name") is None and tracker.get_slot("email") is None


async def test_a_wrong_email_erases_nothing(stores, urls):
    applications, conversations, rasa_store = stores
    reference = submit(applications)
    await save(rasa_store, "theirs", form_in_progress(time.time(), reference))
    stored = select(urls[1], "SELECT data FROM events")
    assert not lifecycle.erase(applications, conversations, reference, "someone@example.org")
    assert not lifecycle.erase(applications, conversations, "EIG-2222-3333", EMAIL)
    assert not lifecycle.erase(applications, conversations, reference, "not an address")
    assert applications.count() == {"pre_applications": 1, "notification_requests": 1}
    assert select(urls[1], "SELECT data FROM events") == stored


async def test_a_notification_request_alone_is_erased_with_its_conversations(stores, urls):
    applications, conversations, rasa_store = stores
    applications.request_notification(EMAIL, language="fr", consent=True)
    await save(rasa_store, "theirs", form_in_progress(time.time()))
    assert lifecycle.erase(applications, conversations, None, EMAIL)
    assert applications.count()["notification_requests"] == 0
    assert EMAIL not in repr(select(urls[1], "SELECT data FROM events"))
    assert NAME not in repr(select(urls[1], "SELECT data FROM events"))


async def test_the_purge_applies_each_stores_retention(stores, urls, monkeypatch):
    monkeypatch.setenv("EIG_RETENTION_APPLICATIONS", "365d")
    monkeypatch.setenv("EIG_RETENTION_NOTIFICATIONS", "30d")
    monkeypatch.setenv("EIG_RETENTION_CONVERSATIONS", "30d")
    monkeypatch.setenv("EIG_RETENTION_UNFINISHED", "2h")
    applications, conversations, rasa_store = stores
    now = dt.datetime.now(dt.timezone.utc)
    day = 86400.0
    old_reference = submit(applications, now - dt.timedelta(days=400))
    applications.request_notification("recent@example.org", language="fr", consent=True,
                                      now=now - dt.timedelta(days=40))  # fmt: skip
    await save(rasa_store, "old", other(now.timestamp() - 40 * day))
    await save(rasa_store, "recent", other(now.timestamp() - 10 * day))
    await save(rasa_store, "abandoned", form_in_progress(now.timestamp() - 3 * 3600))
    await save(rasa_store, "ongoing", form_in_progress(now.timestamp() - 600))

    purged = lifecycle.purge(applications, conversations, now)
    assert purged == lifecycle.Purged(
        applications=3, conversation_events=3, redacted_conversations=1
    )
    assert "purged 3 application row(s)" in str(purged)
    assert applications.count() == {"pre_applications": 0, "notification_requests": 0}
    assert old_reference not in repr(select(urls[0], "SELECT reference FROM pre_applications"))
    senders = select(urls[1], "SELECT DISTINCT sender_id FROM events ORDER BY sender_id")
    assert senders == [("abandoned",), ("ongoing",), ("recent",)]
    assert leaked(urls, "abandoned") == []
    assert NAME in leaked(urls, "ongoing")  # the form may still be answered
    # Nothing more to do a second time.
    assert lifecycle.purge(applications, conversations, now) == lifecycle.Purged(0, 0, 0)


def test_an_empty_conversation_store_has_nothing_to_purge(tmp_path):
    conversations = Conversations(f"sqlite:///{tmp_path / 'never-started.db'}")
    assert conversations.purge(dt.timedelta(days=1)) == 0
    assert conversations.redact_idle(dt.timedelta(hours=1)) == 0
    assert conversations.erase(["a@b.fr"]) == 0
    assert conversations.erase([]) == 0
    conversations.close()


def insert(applications: storage.Storage, table: sa.Table, *rows: dict[str, Any]) -> None:
    with applications.engine.begin() as connection:
        for row in rows:
            connection.execute(table.insert().values(**row))


def decision(text: str, kind: str, at: dt.datetime, merged: bool = False) -> dict[str, Any]:
    return {
        "language": "fr", "text": text, "example": text, "decision": kind,
        "topic": "faq/salary" if kind == "topic" else None, "count": 2, "decided_by": "eddie",
        "decided_at": at, "merged_at": at if merged else None,
    }  # fmt: skip


async def test_the_purge_applies_the_feedback_inbox_and_audit_retention(stores, urls, monkeypatch):
    """Answer feedback and the inbox's decisions after the conversations' 30 days (a decision
    merged into the training data stays), the audit log and the purge's record of its runs
    after a year; the e-mail state goes with its rows. Raw rows read after the purge."""
    for name, value in (("FEEDBACK", "30d"), ("INBOX", "30d"), ("AUDIT", "365d"),
                        ("APPLICATIONS", "365d"), ("NOTIFICATIONS", "365d")):  # fmt: skip
        monkeypatch.setenv(f"EIG_RETENTION_{name}", value)
    applications, conversations, _ = stores
    now = dt.datetime.now(dt.timezone.utc)
    days = lambda n: now - dt.timedelta(days=n)  # noqa: E731
    feedback.record(applications, feedback.parse({
        "message_id": "a" * 32, "response": "utter_faq/salary", "language": "fr",
        "helpful": False, "comment": f"faux, écrivez à {EMAIL} ou au 06 12 34 56 78",
    }), now=days(31))  # fmt: skip
    feedback.record(applications, feedback.parse({
        "message_id": "b" * 32, "response": "utter_faq/salary", "language": "fr",
        "helpful": False, "comment": "incomplet",
    }), now=days(29))  # fmt: skip
    insert(applications, storage.inbox_decisions,
           decision("combien pour un stagiaire", "topic", days(31)),  # pending example
           decision("le salaire brut en alsace", "not_covered", days(31)),
           decision("bonjour le robot", "ignore", days(31)),
           decision("c koi la paye", "topic", days(90), merged=True),  # training data now
           decision("et les tickets resto", "not_covered", days(29)))  # fmt: skip
    insert(applications, storage.audit_log,
           {"at": days(366), "username": "olga", "action": "application.view",
            "target": "EIG-AAAA-BBBB"},
           {"at": days(364), "username": "olga", "action": "applications.export.csv",
            "target": "3 rows"})  # fmt: skip
    insert(applications, storage.purge_runs, {
        "started_at": days(366), "finished_at": days(366), "source": "schedule",
        **dict.fromkeys(storage.PURGE_COUNTS, 0)})  # fmt: skip
    # A notification request past its year, confirmed, notified and claimed by a mailing run.
    applications.request_notification(EMAIL, language="fr", consent=True, now=days(366))
    with applications.engine.begin() as connection:
        connection.execute(storage.notification_requests.update().values(
            confirmation_sent_at=days(366), confirmed_at=days(366), notified_at=days(300),
            claimed_at=days(300)))  # fmt: skip

    purged = lifecycle.purge(applications, conversations, now)

    assert purged == lifecycle.Purged(applications=1, conversation_events=0,
                                      redacted_conversations=0, feedback=1, inbox_decisions=3,
                                      audit_entries=1)  # fmt: skip
    assert "1 feedback row(s), 3 inbox decision(s), 1 audit log entry(ies)" in str(purged)
    app = urls[0]
    assert select(app, "SELECT message_id, comment FROM answer_feedback") == [
        ("b" * 32, "incomplet")
    ]
    assert EMAIL not in repr(select(app, "SELECT * FROM answer_feedback"))
    kept = select(app, "SELECT text, merged_at IS NOT NULL FROM inbox_decisions ORDER BY text")
    assert kept == [("c koi la paye", True), ("et les tickets resto", False)]
    assert select(app, "SELECT action FROM audit_log") == [("applications.export.csv",)]
    assert select(app, "SELECT * FROM notification_requests") == []
    [run] = select(app, "SELECT source, error, applications, feedback, inbox_decisions, "
                        "audit_entries, started_at <= finished_at FROM purge_runs")  # fmt: skip
    assert run == ("command", None, 1, 1, 3, 1, True)
    # Nothing more a second time, and that run is recorded too.
    assert lifecycle.purge(applications, conversations, now) == lifecycle.Purged(0, 0, 0)
    assert select(app, "SELECT count(*) FROM purge_runs") == [(2,)]


def test_the_schedule_is_the_last_run_and_the_next_one_every_period(tmp_path, monkeypatch):
    monkeypatch.setenv("EIG_PURGE_EVERY", "1h")
    applications = storage.Storage(f"sqlite:///{tmp_path / 'applications.db'}")
    conversations = Conversations(f"sqlite:///{tmp_path / 'tracker.db'}")
    nothing = lifecycle.schedule(applications)
    assert (nothing.last, nothing.next_at, nothing.late) == (None, None, False)
    assert "no purge run recorded yet" in str(nothing)

    before = dt.datetime.now(dt.timezone.utc)
    lifecycle.purge(applications, conversations, source=lifecycle.SCHEDULE)
    lifecycle.purge(applications, conversations, source=lifecycle.BACK_OFFICE)
    after = dt.datetime.now(dt.timezone.utc)
    found = lifecycle.schedule(applications, after)
    assert found.last is not None and found.last.source == "back_office"
    assert found.last_scheduled is not None and found.last_scheduled.source == "schedule"
    assert found.next_at is not None
    assert before + dt.timedelta(hours=1) <= found.next_at <= after + dt.timedelta(hours=1)
    assert not found.late
    assert "(back_office): purged 0 application row(s)" in str(found)
    assert f"next run: {found.next_at.isoformat(timespec='seconds')}" in str(found)
    # A whole period past due: the purge service is not running.
    late = lifecycle.schedule(applications, found.next_at + dt.timedelta(hours=1, seconds=1))
    assert late.late and "LATE" in str(late)

    # A store that fails: the run is recorded with the kind of error, then it is raised.
    broken = Conversations(f"sqlite:///{tmp_path}")  # a directory, not a database
    with pytest.raises(ConversationStoreError):
        lifecycle.purge(applications, broken)
    failed = lifecycle.schedule(applications)
    assert failed.last is not None and failed.last.error == "ConversationStoreError"
    assert "failed (ConversationStoreError)" in str(failed)
    with pytest.raises(ValueError):
        lifecycle.purge(applications, conversations, source="elsewhere")
    broken.close()
    conversations.close()
    applications.close()
