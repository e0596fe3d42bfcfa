"""The personal-data lifecycle through the running assistant (REST, the three real services),
read in the RAW tables after each step: the tracker store's ``events.data`` and the
applications database's rows. The same rules on PostgreSQL: tests/bot/rasa_server/
test_redacting_store.py and tests/bot/applications/test_lifecycle.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot import ROOT
from bot.applications import storage

REFERENCE = re.compile(r"EIG-[A-Z0-9]{4}-[A-Z0-9]{4}")
NAME = "Ermengarde"
EMAIL = "ermengarde.vautrin@example.org"
DESCRIPTION = "I co-founded Zygomorph, a startup for tide data"
INTEREST = "Open data for the Quiberon lighthouse network"
SECRETS = (NAME, EMAIL, "Zygomorph", "Quiberon")


@pytest.fixture(autouse=True)
def applications_database(stack) -> None:
    """The action server creates it on first use; here it exists from the start."""
    storage.Storage(f"sqlite:///{stack.var_dir / 'applications.db'}").close()


def raw(db: Path, query: str) -> str:
    engine = sa.create_engine(f"sqlite:///{db}", future=True)
    try:
        with engine.connect() as connection:
            return repr([tuple(row) for row in connection.execute(sa.text(query))])
    finally:
        engine.dispose()


def traces(var_dir: Path, sender: str | None = None) -> dict[str, list[str]]:
    """Which secrets each raw table still holds."""
    where = f" WHERE sender_id = '{sender}'" if sender else ""
    tables = {
        "events": raw(var_dir / "tracker.db", "SELECT data FROM events" + where),
        "pre_applications": raw(var_dir / "applications.db", "SELECT * FROM pre_applications"),
        "notification_requests": raw(
            var_dir / "applications.db", "SELECT * FROM notification_requests"
        ),
    }
    return {name: [s for s in SECRETS if s in text] for name, text in tables.items()}


def answer_up_to_consent(chat) -> None:
    assert "Which profile" in chat.text("check my profile")
    assert "How many years" in chat.text("head of product")
    assert "entrepreneurial experience" in chat.text("twelve years")
    chat.text("yes")
    assert "What would you like to work on" in chat.text(DESCRIPTION)
    assert "Do you agree" in chat.text(INTEREST)


def test_without_consent_nothing_personal_is_kept_anywhere(conversation, stack):
    chat = conversation(language="en")
    answer_up_to_consent(chat)
    # While the form runs, its answers are in the conversation (the summary needs them).
    assert "Zygomorph" in traces(stack.var_dir, chat.stored_id)["events"]
    summary = chat.text("no")
    assert "Here are your answers" in summary and "Zygomorph" in summary
    result = chat.text("yes")
    assert "I haven't stored anything" in result
    assert traces(stack.var_dir, chat.stored_id) == {
        "events": [], "pre_applications": [], "notification_requests": [],
    }  # fmt: skip


def test_with_consent_only_the_applications_keep_it_until_deleted_and_purged(conversation, stack):
    chat = conversation(language="en")
    answer_up_to_consent(chat)
    assert "first name" in chat.text("yes, I agree")
    assert "e-mail address" in chat.text(NAME)
    summary = chat.text(EMAIL.upper())
    assert NAME in summary and EMAIL.split("@")[0] in summary
    result = chat.text("yes")
    reference = REFERENCE.search(result).group(0)
    assert NAME in result  # "Thank you, Ermengarde!"
    stored = traces(stack.var_dir, chat.stored_id)
    assert stored["events"] == []  # the conversation keeps nothing once the form is over
    assert stored["pre_applications"] == list(SECRETS)  # with consent, the applications do
    assert reference not in raw(stack.var_dir / "tracker.db", "SELECT data FROM events")
    # A later turn does not show the name or the e-mail again.
    later = chat.text("resume")
    assert NAME not in later and EMAIL.split("@")[0] not in later

    # Deletion through the assistant, then no trace in any table.
    assert "reference" in chat.text("delete my data")
    assert "e-mail address you gave" in chat.text(reference.lower())
    done = chat.text(EMAIL)
    assert f"the pre-application {reference}" in done
    assert traces(stack.var_dir) == {
        "events": [], "pre_applications": [], "notification_requests": [],
    }  # fmt: skip
    assert reference not in raw(stack.var_dir / "tracker.db", "SELECT data FROM events")

    # After the conversations' retention period, the purge deletes the conversation too.
    rows = f"SELECT count(*) FROM events WHERE sender_id = '{chat.stored_id}'"
    assert raw(stack.var_dir / "tracker.db", rows) != "[(0,)]"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{stack.var_dir / 'applications.db'}",
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_DB": str(stack.var_dir / "tracker.db"),
        "EIG_RETENTION_CONVERSATIONS": "1s",
    }
    time.sleep(1.5)  # the conversation's last message is now older than the retention
    purged = subprocess.run(
        [sys.executable, "-m", "bot", "purge"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert purged.returncode == 0, purged.stderr
    assert raw(stack.var_dir / "tracker.db", rows) == "[(0,)]", purged.stdout


def test_a_cancelled_form_forgets_the_email_and_resume_does_not_show_it(conversation, stack):
    chat = conversation(language="en")
    assert "Which profile" in chat.text("check my profile")
    chat.text(f"head of product, my e-mail is {EMAIL}")
    assert EMAIL in traces(stack.var_dir, chat.stored_id)["events"]
    assert "really want to stop" in chat.text("cancel")
    assert "Nothing has been stored" in chat.text("yes")
    assert traces(stack.var_dir, chat.stored_id)["events"] == []
    resumed = chat.text("resume")
    assert "pick up your pre-application" in resumed
    assert EMAIL.split("@")[0] not in resumed
    assert chat.slots().get("email") is None
