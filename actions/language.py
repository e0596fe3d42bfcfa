"""Keeps the ``language`` slot right after every user message (custom slot mapping)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.language import decide
from bot.nlu import DETECTION_KEY


class ActionDetectLanguage(Action):
    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        current = tracker.get_slot("language")
        chosen = decide(
            current,
            latest.get(DETECTION_KEY),
            latest.get("metadata"),
            (latest.get("intent") or {}).get("name"),
        )
        return [SlotSet("language", chosen)] if chosen != current else []
