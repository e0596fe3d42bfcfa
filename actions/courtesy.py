"""Courtesies that need more than one response: a goodbye that also thanks."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.domain import small_talk


class ActionGoodbye(Action):
    """The goodbye; "merci, c'est tout" or "thanks, bye" first gets a "you're welcome"
    (``utter_thank`` with ``closing``, which offers no other question)."""

    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = str((tracker.latest_message or {}).get("text") or "")
        if small_talk.thanks_too(text):
            dispatcher.utter_message(response="utter_thank", closing=True)
        dispatcher.utter_message(response="utter_goodbye")
        return []
