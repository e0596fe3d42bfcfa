"""The pre-application does not define entrepreneurial experience beyond the texts: saying
one is a freelancer is not taken as a "yes"; the candidate answers, DINUM's experts assess."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.preapplication import ValidatePreApplicationForm
from bot import ROOT
from tests.conftest import load_tracker

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def answer(text: str) -> tuple[dict[str, Any], list[str]]:
    """The form's validation of ``text`` as the answer to the entrepreneurial question."""
    state = copy.deepcopy(load_tracker("pre_application_in_progress"))
    state["slots"].update(requested_slot="entrepreneurial_experience", years_experience=12.0)
    state["latest_message"] = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 1.0},
        "entities": [],
        "metadata": {},
    }
    for event in state["events"]:
        if event["event"] == "user":
            event["text"] = text
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ValidatePreApplicationForm().run(dispatcher, Tracker.from_dict(state), DOMAIN)
    )
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, [m["response"] for m in dispatcher.messages]


@pytest.mark.parametrize(
    "text",
    [
        "je suis freelance depuis 2015",
        "développeur indépendant depuis six ans",
        "I have been a freelance developer for six years",
        "independent consultant for a long time now",
    ],
)
def test_freelancing_alone_is_not_a_yes(text):
    slots, responses = answer(text)
    assert slots.get("entrepreneurial_experience") is None
    assert responses == ["utter_invalid_entrepreneurial_experience"]


def test_the_candidate_may_still_answer_yes_for_themselves():
    slots, _ = answer("oui, je suis freelance")
    assert slots["entrepreneurial_experience"] is True
    assert slots["requested_slot"] == "entrepreneurial_description"


def test_a_founding_still_answers_yes_and_describes_it():
    slots, _ = answer("j'ai cofondé une startup dans la santé en 2019")
    assert slots["entrepreneurial_experience"] is True
    assert slots["entrepreneurial_description"].startswith("j'ai cofondé")
