"""The guided check "can my administration host EIGs?": the kind of structure, whether it
has a data project and, when it has one, the 2018 call's criteria and commitments that an
administration can say something of (a high-level sponsor, a project within about a year,
access to the data), then the verdict from the knowledge base.

A structure named outside the form ("je suis dans une mairie") is read by
``action_read_message`` (``actions.message_slots``), so the form does not ask for it again.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import INVALID_COUNT_SLOT, SIDE_SURE, STRUCTURED, GuidedFormValidation
from bot.domain import knowledge, reading
from bot.domain.hosts import structure_from_text, verdict

STRUCTURES = {"central_administration", "local_authority", "health_establishment",
              "independent_authority", "other"}  # fmt: skip
# Button titles in both languages also name a structure; "other" has no lexicon words.
OTHER_WORDS = {"autre", "autre structure", "other", "another kind of structure", "something else"}
OTHER_FIRST = re.compile(r"^(autre|other|another kind|something else)\b\W")


def read_structure(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if value in STRUCTURES:
        return value
    if value.strip().lower().rstrip(".!") in OTHER_WORDS:
        return "other"
    found = structure_from_text(value)
    if found is None and OTHER_FIRST.match(reading.fold(value)):
        return "other"  # "autre, c'est une agence de l'État"
    return found


# A project told while the structure is asked takes a few words ("oui on a un projet data").
MIN_PROJECT_WORDS = 4
# Asked only of a structure that has a project, in this order.
PROJECT_QUESTIONS = ("has_sponsor", "fits_duration", "data_access")
BASE_QUESTIONS = ("structure_type", "has_data_project")


def read_criterion(slot: str, value: Any) -> Optional[str]:
    """ "yes", "no" or "unsure" to one of ``PROJECT_QUESTIONS``: a button's boolean, or words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in ("yes", "no", reading.UNSURE):
        return str(value)
    return reading.read_criterion_answer(slot, value) if isinstance(value, str) else None


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
        **{question: STRUCTURED for question in PROJECT_QUESTIONS},
    }
    MAX_INVALID: ClassVar[Optional[int]] = 3
    RESUMED_RESPONSE: ClassVar[Optional[str]] = "utter_host_check_resumed"

    def name(self) -> str:
        return "validate_host_check_form"

    def parses(self, slot: str, text: str, tracker: Tracker) -> bool:
        if slot == "structure_type":
            return read_structure(text) is not None
        if slot == "has_data_project":
            return read_has_project(text) is not None
        if slot in PROJECT_QUESTIONS:
            if read_criterion(slot, text) is None:
                return False
            # "oui, dix mois ça devrait suffire" while the sponsor is asked: a yes to the
            # length, which it speaks of, not to the sponsor, which it does not.
            speaks_of_it = reading.answers_criterion(slot, text)
            return speaks_of_it or self.answered_elsewhere(slot, text, tracker) is None
        return False

    def answered_elsewhere(self, slot: str, text: str, tracker: Tracker) -> Optional[str]:
        """ "it could be done in 10 months, yes" while the sponsor is asked: the project's
        length, kept; the question asked is asked again. "we're a hospital, a CHU in Lyon"
        after the structure was read from the first message: the structure, said again or
        put right. "oui on a un projet data sur l'eau potable" while the structure is asked:
        the project."""
        if reading.is_question(text):
            return None
        if slot != "structure_type" and read_structure(text) is not None:
            return "structure_type"
        told = len(text.split()) >= MIN_PROJECT_WORDS  # a project told, not a bare "oui"
        if slot == "structure_type" and tracker.get_slot("has_data_project") is None:
            return "has_data_project" if told and read_has_project(text) is not None else None
        # The project's criteria, once it has one: "oui oui, soutenu par la direction" while
        # the structure is still asked; "non je corrige, c'est pas porté par la direction"
        # puts an answer right.
        if slot not in PROJECT_QUESTIONS and tracker.get_slot("has_data_project") is not True:
            return None
        corrects = reading.says_correction(text)
        for other in PROJECT_QUESTIONS:
            if other == slot or (tracker.get_slot(other) is not None and not corrects):
                continue
            if reading.answers_criterion(other, text) and read_criterion(other, text):
                return other
        return None

    def goes_ahead(self, slot: Optional[str], text: str, tracker: Tracker) -> bool:
        """ "sure, check it", "oui allons-y", "could we host EIGs?", "can you check if our
        project fits?" right after the welcome's project question: a yes to the check itself
        (which answers the question), not "we have a project"."""
        return slot == "has_data_project" and (
            reading.says_go_ahead(text)
            or reading.asks_if_we_may_host(text)
            or reading.asks_our_project_check(text)
        )

    def changes_side(self, text: str, intent: Optional[str], confidence: float) -> bool:
        """ "sorry, actually I'm a candidate, I want to apply myself"."""
        return (
            intent == "i_am_candidate"
            and confidence >= SIDE_SURE
            and (reading.speaks_as_candidate(text))
        )

    def noted(self, dispatcher: CollectingDispatcher, slot: str, tracker: Tracker) -> None:
        """An answer kept for later, or one put right."""
        response = "utter_answer_noted"
        if slot in PROJECT_QUESTIONS and tracker.get_slot(slot) is not None:
            response = "utter_answer_corrected"
        dispatcher.utter_message(response=response, field=slot)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        has_project = tracker.get_slot("has_data_project") is True
        return [*BASE_QUESTIONS, *(PROJECT_QUESTIONS if has_project else ())]

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

    def _criterion(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        answer = read_criterion(slot, value)
        if answer is None:
            return self.reject(dispatcher, slot, tracker)
        return self.accept(slot, answer)

    def validate_has_sponsor(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._criterion("has_sponsor", value, dispatcher, tracker)

    def validate_fits_duration(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._criterion("fits_duration", value, dispatcher, tracker)

    def validate_data_access(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._criterion("data_access", value, dispatcher, tracker)

    def on_stuck(self, dispatcher: CollectingDispatcher, slot: str) -> dict[str, Any]:
        dispatcher.utter_message(response="utter_host_check_stuck")
        return {question: None for question in (*BASE_QUESTIONS, *PROJECT_QUESTIONS)}


class ActionHostCheckResult(Action):
    def name(self) -> str:
        return "action_host_check_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        structure = tracker.get_slot("structure_type")
        answer = tracker.get_slot("has_data_project")
        criteria = {question: tracker.get_slot(question) for question in PROJECT_QUESTIONS}
        done = [SlotSet(question, None) for question in (*BASE_QUESTIONS, *PROJECT_QUESTIONS)]
        done.append(SlotSet(INVALID_COUNT_SLOT, None))
        if structure is None or answer is None:
            return done  # the check ended without its answers: the form said why
        result = verdict(knowledge.get(), structure, bool(answer))
        dispatcher.utter_message(
            response="utter_host_check_result",
            structure=structure,
            eligible=result.eligible,
            cofinanced=result.cofinanced,
            has_project=result.has_project,
            **{question: value for question, value in criteria.items() if value is not None},
        )
        return done
