"""The ``language`` slot after every user message (read by ``action_read_message``)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.domain.language import decide
from bot.domain.nlu_keys import DETECTION_KEY


def language_events(tracker: Tracker) -> list[dict[str, Any]]:
    latest = tracker.latest_message or {}
    current = tracker.get_slot("language")
    chosen = decide(
        current,
        latest.get(DETECTION_KEY),
        latest.get("metadata"),
        (latest.get("intent") or {}).get("name"),
    )
    return [SlotSet("language", chosen)] if chosen != current else []
