""" "Did you mean…?" and the explanations of unusable messages, rendered as the user reads
them; the candidates at the confidence limit (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import MIN_CONFIDENCE, candidates
from actions.fallback import ActionDidYouMean
from bot.domain import knowledge
from bot.domain.nlu_keys import MAX_CHARS, PROBLEM_KEY
from bot.wording import nlg


def did_you_mean(latest: dict[str, Any]) -> list[dict[str, Any]]:
    tracker = Tracker(
        sender_id="fallback",
        slots={"language": "en"},
        latest_message={"text": "…", "intent": {"name": "nlu_fallback"}, **latest},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    assert asyncio.run(ActionDidYouMean().run(dispatcher, tracker, {})) == []
    return dispatcher.messages


def rendered(message: dict[str, Any], language: str) -> str:
    return nlg.render(message["response"], message, language, knowledge.get(), dt.date.today())[
        "text"
    ]


def test_a_too_long_message_is_told_the_limit_in_both_languages() -> None:
    [message] = did_you_mean({PROBLEM_KEY: "too_long"})
    assert (message["response"], message["max_chars"]) == ("utter_bad_input_too_long", MAX_CHARS)
    assert MAX_CHARS == 1000
    assert "(more than 1,000 characters)" in rendered(message, "en")
    assert "(plus de 1\u202f000 caractères)" in rendered(message, "fr")


@pytest.mark.parametrize("problem", ["empty", "no_letters", "markup"])
def test_each_unusable_message_gets_its_own_explanation(problem: str) -> None:
    [message] = did_you_mean({PROBLEM_KEY: problem})
    assert message["response"] == f"utter_bad_input_{problem}"
    assert rendered(message, "en") != rendered(message, "fr")


def test_nothing_to_offer_gives_the_default_answer() -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.9}]
    [message] = did_you_mean({"intent_ranking": ranking})
    assert message["response"] == "utter_default"
    assert rendered(message, "en")


def test_an_intent_without_a_confidence_is_not_offered() -> None:
    parse = {"intent_ranking": [{"name": "help"}, {"name": "bot_challenge", "confidence": 0.4}]}
    assert candidates(parse) == ["bot_challenge"]


def test_an_intent_at_the_minimum_confidence_is_offered() -> None:
    parse = {"intent_ranking": [{"name": "help", "confidence": MIN_CONFIDENCE}]}
    assert candidates(parse) == ["help"]


def test_faq_topics_come_after_the_intents_ranked_before_them() -> None:
    parse = {
        "intent_ranking": [
            {"name": "help", "confidence": 0.5},
            {"name": "faq", "confidence": 0.3},
        ],
        "response_selector": {
            "faq": {
                "ranking": [
                    {"intent_response_key": "faq/salary", "confidence": 0.6},
                    {"intent_response_key": "faq/contract", "confidence": 0.3},
                ]
            }
        },
    }
    assert candidates(parse) == ["help", "faq/salary", "faq/contract"]
