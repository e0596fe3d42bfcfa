"""The actions around the pre-application form, which no unit test ran before mutation
testing: its start (introduction or resumption, the form's state reset, the submission
token), the summary of every answer and the question of which one to correct, as the NLG
service renders them (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.preapplication import (
    ActionAskCorrectionField,
    ActionAskSummaryConfirmed,
    ActionPreApplicationStart,
    ActionSubmitPreApplication,
)
from bot.applications import storage
from bot.domain import knowledge
from bot.wording import nlg
from tests.conftest import load_tracker

TODAY = dt.date(2026, 11, 23)
RESET = {
    "pre_application_paused": None,
    "cancel_pending": None,
    "correction_pending": None,
    "invalid_answers": None,
    "requested_slot": None,
}
EVERY_ANSWER = [
    "target_profile",
    "years_experience",
    "entrepreneurial_experience",
    "entrepreneurial_description",
    "led_teams",
    "project_interest",
    "consent",
    "first_name",
    "email",
]


def run(action: Action, state: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, Tracker.from_dict(state), {}))
    return events, dispatcher.messages


def rendered(message: dict[str, Any], language: str = "en") -> dict[str, Any]:
    return nlg.render(message["response"], message, language, knowledge.get(), TODAY)


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    assert all(e["event"] == "slot" for e in events)
    return {e["name"]: e["value"] for e in events}


def test_a_first_start_introduces_the_form_and_draws_a_submission_token() -> None:
    state = copy.deepcopy(load_tracker("english_conversation"))
    state["slots"]["submission_token"] = None

    events, messages = run(ActionPreApplicationStart(), state)

    assert [m["response"] for m in messages] == ["utter_pre_application_intro"]
    slots = slot_events(events)
    token = slots.pop("submission_token")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert slots == RESET
    events_again, again = run(ActionPreApplicationStart(), state)
    assert again == messages  # the same introduction, and a new token each time
    assert slot_events(events_again)["submission_token"] != token


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        ("Je veux candidater comme CTO 🙂", "technical_director"),
        ("I want to apply for the product director role", "product_director"),
        ("I want to apply as a data scientist", None),  # not sought now: asked as usual
        ("je veux candidater, c'est quoi un CTO ?", None),  # asked about, not chosen
    ],
)
def test_a_current_profile_named_to_start_is_its_first_answer(text, profile) -> None:
    state = copy.deepcopy(load_tracker("english_conversation"))
    state["latest_message"] = {**state["latest_message"], "text": text}

    events, messages = run(ActionPreApplicationStart(), state)

    slots = slot_events(events)
    assert slots.get("target_profile") == profile
    noted = ["utter_answer_noted"] if profile else []
    assert [m["response"] for m in messages] == ["utter_pre_application_intro", *noted]


def test_a_start_with_answers_resumes_and_keeps_its_token() -> None:
    state = load_tracker("pre_application_in_progress")

    events, messages = run(ActionPreApplicationStart(), state)

    assert [m["response"] for m in messages] == ["utter_pre_application_resumed"]
    assert slot_events(events) == RESET  # the token of the answers so far is kept
    assert rendered(messages[0])["text"].startswith("Let's pick up your pre-application")


def test_the_summary_shows_every_answer_before_anything_is_stored() -> None:
    events, messages = run(ActionAskSummaryConfirmed(), load_tracker("pre_application_ready"))

    assert events == []
    [message] = messages
    assert message["response"] == "utter_pre_application_summary"
    assert {k: message[k] for k in ("profile", "years", "first_name", "email", "fields")} == {
        "profile": "technical_director",
        "years": 11,  # the slot's 11.0, as a whole number
        "first_name": "Sam",
        "email": "sam@example.org",
        "fields": EVERY_ANSWER,
    }
    text = rendered(message)["text"]
    for line in (
        "- Profile: technical director",
        "- Professional experience: 11 years",
        "- Entrepreneurial experience: Yes",
        "- Led technical teams: Yes",
        "- What you want to work on: Open data for public health",
        "- Keeping your data: Yes",
        "- First name: Sam",
        "- E-mail: sam\\@example.org",  # an e-mail the person typed is never a link
    ):
        assert line in text.splitlines()


def test_the_summary_of_a_form_under_way_lists_only_the_answers_given() -> None:
    _, [message] = run(ActionAskSummaryConfirmed(), load_tracker("pre_application_in_progress"))
    assert {k: v for k, v in message.items() if k in ("profile", "fields", "email", "years")} == {
        "profile": "technical_director",
        "fields": ["target_profile"],
    }
    lines = rendered(message, "fr")["text"].splitlines()
    assert lines[:2] == [
        "Voici vos réponses :",
        "- Profil visé : directeur ou directrice technique",
    ]
    assert len(lines) == 3  # then the question, nothing about answers not given


def test_the_correction_question_offers_each_answer_given() -> None:
    events, [message] = run(ActionAskCorrectionField(), load_tracker("pre_application_ready"))
    assert events == []
    assert (message["response"], message["fields"]) == ("utter_ask_correction_field", EVERY_ANSWER)
    payloads = [b["payload"] for b in rendered(message)["buttons"]]
    assert payloads == [
        *(f'/correct{{"form_field":"{field}"}}' for field in EVERY_ANSWER),
        "/affirm",
    ]

    _, [under_way] = run(ActionAskCorrectionField(), load_tracker("pre_application_in_progress"))
    assert under_way["fields"] == ["target_profile"]


# ---- the submission: every stored column, the result's arguments, the offer --------------


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty applications database, the one the action server opens (DATABASE_URL)."""
    path = tmp_path / "applications.db"
    storage.Storage(f"sqlite:///{path}").close()  # the schema, as after any earlier request
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    common.applications.cache_clear()
    yield path
    common.applications.cache_clear()


def ready(**slots: Any) -> dict[str, Any]:
    state = copy.deepcopy(load_tracker("pre_application_ready"))
    state["slots"].update(slots)
    return state


def pre_applications(path: Path) -> list[dict[str, Any]]:
    """The rows as the database holds them, read with plain SQL."""
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    try:
        with engine.connect() as connection:
            query = sa.text(
                "SELECT reference, conversation_key, language, promotion, target_profile, "
                "years_of_experience, entrepreneurial_experience, entrepreneurial_description, "
                "led_teams, project_interest, first_name, email, consent FROM pre_applications"
            )
            return [dict(row) for row in connection.execute(query).mappings()]
    finally:
        engine.dispose()


def test_every_answer_is_stored_in_its_column(database: Path) -> None:
    _, messages = run(ActionSubmitPreApplication(), ready())

    reference = messages[0]["reference"]
    assert pre_applications(database) == [
        {
            "reference": reference,
            "conversation_key": storage.conversation_key(
                "fixture-pre_application_ready", "fedcba9876543210fedcba9876543210"
            ),
            "language": "en",
            "promotion": 7,
            "target_profile": "technical_director",
            "years_of_experience": 11,
            "entrepreneurial_experience": 1,
            "entrepreneurial_description": (
                "Co-founded a health-data startup (2016-2021), CTO of 12 people"
            ),
            "led_teams": 1,
            "project_interest": "Open data for public health",
            "first_name": "Sam",
            "email": "sam@example.org",
            "consent": 1,
        }
    ]
    result = messages[0]
    assert {k: result[k] for k in ("level", "gaps", "years", "profile", "first_name")} == {
        "level": "matches",
        "gaps": [],
        "years": 11,
        "profile": "technical_director",
        "first_name": "Sam",
    }
    text = rendered(result)["text"]
    assert "Sam" in text and reference in text


def test_the_answers_of_a_partial_fit_are_stored_as_given(database: Path) -> None:
    _, messages = run(
        ActionSubmitPreApplication(),
        ready(entrepreneurial_experience=False, entrepreneurial_description=None, led_teams=False),
    )
    assert (messages[0]["level"], messages[0]["gaps"]) == (
        "partial",
        ["no_entrepreneurial_experience", "no_team_leadership"],
    )
    [row] = pre_applications(database)
    assert (row["entrepreneurial_experience"], row["entrepreneurial_description"]) == (0, None)
    assert row["led_teams"] == 0


def test_without_consent_the_address_is_not_kept_for_the_offer(database: Path) -> None:
    events, messages = run(ActionSubmitPreApplication(), ready(consent=False))
    slots = {e["name"]: e["value"] for e in events}
    assert slots["email"] is None
    assert slots["last_reference"] is None
    assert pre_applications(database) == []
    assert [m["response"] for m in messages] == [
        "utter_pre_application_result",
        "utter_offer_notification",
    ]


def test_a_paused_form_submits_nothing_even_after_a_yes(database: Path) -> None:
    assert run(ActionSubmitPreApplication(), ready(pre_application_paused="stuck")) == ([], [])
    assert pre_applications(database) == []


def test_a_database_failure_is_logged_by_its_kind_only(
    database: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = sa.create_engine(f"sqlite:///{database}", future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE pre_applications"))
    engine.dispose()

    with caplog.at_level(logging.WARNING, logger="actions.preapplication"):
        events, messages = run(ActionSubmitPreApplication(), ready())

    assert [m["response"] for m in messages] == ["utter_pre_application_storage_error"]
    assert {e["name"]: e["value"] for e in events} == {
        "summary_confirmed": None,
        "pre_application_paused": "failed",
    }
    assert [r.getMessage() for r in caplog.records if r.name == "actions.preapplication"] == [
        "pre-application not stored: StorageError"
    ]
    assert "sam@example.org" not in caplog.text


def test_once_the_call_is_open_no_notification_is_offered(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_dir = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, copy_dir)
    promotions = copy_dir / "promotions.yml"
    text = promotions.read_text(encoding="utf-8")
    opened = text.replace(
        "announced: true\n      opens: null\n      closes: null",
        "announced: true\n      opens: 2026-12-01\n      closes: 2026-12-15",
        1,
    )
    assert opened != text
    promotions.write_text(opened, encoding="utf-8")
    monkeypatch.setattr(knowledge, "get", lambda: knowledge.load(copy_dir))

    for today, responses in (
        ("2026-11-30", ["utter_pre_application_result", "utter_offer_notification"]),
        ("2026-12-01", ["utter_pre_application_result"]),
    ):
        monkeypatch.setenv("EIG_TODAY", today)
        _, messages = run(ActionSubmitPreApplication(), ready(submission_token=today * 3))
        assert [m["response"] for m in messages] == responses
