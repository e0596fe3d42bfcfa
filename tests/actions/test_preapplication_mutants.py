"""The actions around the pre-application form, which no unit test ran before mutation
testing: its start (introduction or resumption, the form's state reset, the submission
token), the summary of every answer and the question of which one to correct, as the NLG
service renders them (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.preapplication import (
    ActionAskCorrectionField,
    ActionAskSummaryConfirmed,
    ActionPreApplicationStart,
)
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
        "- E-mail: sam@example.org",
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
