"""The guided check "can my administration host EIGs?": the kind of structure, whether it
has a data project, then the verdict from the knowledge base.

A structure named outside the form ("je suis dans une mairie") is read by
``action_read_message`` (``actions.message_slots``), so the form does not ask for it again.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import INVALID_COUNT_SLOT, STRUCTURED, GuidedFormValidation
from bot.domain import knowledge, reading
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


def read_has_project(value: Any) -> Optional[bool]:
    """A button's boolean, a typed yes or no, or a project told ("we want to use our data")."""
    if isinstance(value, bool):
        return value
    return reading.read_project_answer(value) if isinstance(value, str) else None


class ValidateHostCheckForm(GuidedFormValidation):
    """Reads both answers from the message itself (custom mappings in the domain), so that a
    natural answer or a button's typed title is an answer whatever the classifier thinks of
    it; three unusable answers in a row end the check with a way out."""

    ANSWER_KINDS: ClassVar[dict[str, str]] = {
        "structure_type": STRUCTURED,
        "has_data_project": STRUCTURED,
    }
    MAX_INVALID: ClassVar[Optional[int]] = 3

    def name(self) -> str:
        return "validate_host_check_form"

    def parses(self, slot: str, text: str, tracker: Tracker) -> bool:
        if slot == "structure_type":
            return read_structure(text) is not None
        if slot == "has_data_project":
            return read_has_project(text) is not None
        return False

    def validate_structure_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        structure = read_structure(value)
        if structure is None:
            return self.reject(dispatcher, "structure_type", tracker)
        return self.accept("structure_type", structure)

    def validate_has_data_project(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_has_project(value)
        if answer is None:
            return self.reject(dispatcher, "has_data_project", tracker)
        return self.accept("has_data_project", answer)

    def on_stuck(self, dispatcher: CollectingDispatcher, slot: str) -> dict[str, Any]:
        dispatcher.utter_message(response="utter_host_check_stuck")
        return {"structure_type": None, "has_data_project": None}


class ActionHostCheckResult(Action):
    def name(self) -> str:
        return "action_host_check_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        structure = tracker.get_slot("structure_type")
        answer = tracker.get_slot("has_data_project")
        done = [SlotSet("structure_type", None), SlotSet("has_data_project", None),
                SlotSet(INVALID_COUNT_SLOT, None)]  # fmt: skip
        if structure is None or answer is None:
            return done  # the check ended without its answers: the form said why
        result = verdict(knowledge.get(), structure, bool(answer))
        dispatcher.utter_message(
            response="utter_host_check_result",
            structure=structure,
            eligible=result.eligible,
            cofinanced=result.cofinanced,
            has_project=result.has_project,
        )
        return done
