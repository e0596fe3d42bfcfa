"""What to say when the NLU is not sure: explain bad input, or offer "did you mean…?"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import candidates
from bot.domain.nlu_keys import MAX_CHARS, PROBLEM_KEY


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
