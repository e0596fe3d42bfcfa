"""The guided check "can my administration host EIGs?": the kind of structure, whether it
has a data project, then the verdict from the knowledge base.

A structure named outside the form ("je suis dans une mairie") is read by
``action_read_message`` (``actions.message_slots``), so the form does not ask for it again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import GuidedFormValidation
from bot.domain import knowledge
from bot.domain.hosts import structure_from_text, verdict

STRUCTURES = {"central_administration", "local_authority", "health_establishment",
              "independent_authority", "other"}  # fmt: skip
# Button titles in both languages also name a structure; "other" has no lexicon words.
OTHER_WORDS = {"autre", "autre structure", "other", "another kind of structure", "something else"}


def read_structure(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if value in STRUCTURES:
        return value
    if value.strip().lower().rstrip(".!") in OTHER_WORDS:
        return "other"
    return structure_from_text(value)


class ValidateHostCheckForm(GuidedFormValidation):
    def name(self) -> str:
        return "validate_host_check_form"

    def validate_structure_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        structure = read_structure(value)
        if structure is None:
            return self.reject(dispatcher, "structure_type")
        return {"structure_type": structure}

    def validate_has_data_project(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not isinstance(value, bool):
            return self.reject(dispatcher, "has_data_project")
        return {"has_data_project": value}


class ActionHostCheckResult(Action):
    def name(self) -> str:
        return "action_host_check_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        structure = tracker.get_slot("structure_type")
        has_project = bool(tracker.get_slot("has_data_project"))
        result = verdict(knowledge.get(), structure, has_project)
        dispatcher.utter_message(
            response="utter_host_check_result",
            structure=structure,
            eligible=result.eligible,
            cofinanced=result.cofinanced,
            has_project=result.has_project,
        )
        return [SlotSet("structure_type", None), SlotSet("has_data_project", None)]
