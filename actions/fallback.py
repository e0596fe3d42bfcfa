"""What to say when the NLU is not sure: explain bad input, or offer "did you mean…?"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.domain.nlu_keys import MAX_CHARS, PROBLEM_KEY
from bot.wording.answers import OFFERABLE

MAX_CANDIDATES = 3
MIN_CONFIDENCE = 0.05


def candidates(parse_data: dict[str, Any]) -> list[str]:
    """The likeliest intents worth offering, FAQ topics expanded, best first."""
    found: list[str] = []
    faq_ranking = ((parse_data.get("response_selector") or {}).get("faq") or {}).get(
        "ranking"
    ) or []
    for item in parse_data.get("intent_ranking") or []:
        name, confidence = item.get("name"), item.get("confidence") or 0
        if confidence < MIN_CONFIDENCE:
            continue
        if name == "faq":
            found += [r.get("intent_response_key") for r in faq_ranking[:2]]
        else:
            found.append(name)
    unique = [c for c in dict.fromkeys(found) if c in OFFERABLE]
    return unique[:MAX_CANDIDATES]


class ActionDidYouMean(Action):
    def name(self) -> str:
        return "action_did_you_mean"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        problem = latest.get(PROBLEM_KEY)
        if problem == "too_long":
            dispatcher.utter_message(response="utter_bad_input_too_long", max_chars=MAX_CHARS)
        elif problem in ("empty", "no_letters", "markup"):
            dispatcher.utter_message(response=f"utter_bad_input_{problem}")
        else:
            offered = candidates(latest)
            if offered:
                dispatcher.utter_message(response="utter_did_you_mean", candidates=offered)
            else:
                dispatcher.utter_message(response="utter_default")
        return []
