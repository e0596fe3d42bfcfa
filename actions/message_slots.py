"""One custom slot mapping action for every user message.

Rasa's ``action_extract_slots`` calls the action server once per distinct mapping action on
every message, each time with the whole tracker. The slots read from any message (its
language, and the structure an administration names) therefore share one action, so a
message costs one call instead of one per slot.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.hosts import structure_events
from actions.language import language_events


class ActionReadMessage(Action):
    def name(self) -> str:
        return "action_read_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return [*language_events(tracker), *structure_events(tracker)]
