"""Behaviour every guided form shares: what counts as an answer, and rejecting one.

A form asks one thing at a time. The message that follows is either an answer to that
question (handed to ``validate_<slot>``) or something else — a question about the
programme, "in English please" — which the form declines so that the dialogue rules
answer it and the form asks again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from bot.domain import reading

# Kinds of answers, for deciding whether a message answers the question at all.
STRUCTURED = "structured"  # a value that parses ("12 ans", "oui", an e-mail)
FREE_TEXT = "free_text"  # anything with letters, unless it clearly is something else

# Intents that are a conversation move, not an answer, when the classifier is sure.
CONVERSATION_INTENTS = {
    "faq", "choose_topic", "help", "bot_challenge", "greet", "thank", "goodbye",
    "out_of_scope", "change_language", "i_am_administration", "host_check",
    "webinar_followup", "pre_apply", "resume", "delete_my_data", "notify_me", "stop",
}  # fmt: skip
# Intents a free-text answer is easily mistaken for; they never interrupt free text.
FAQ_LIKE_INTENTS = {"faq", "choose_topic", "out_of_scope", "i_am_administration", "host_check"}
SURE = 0.7
INVALID_COUNT_SLOT = "invalid_answers"


def intent_of(tracker: Tracker) -> tuple[Optional[str], float]:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def entity_value(tracker: Tracker, entity: str) -> Any:
    for found in (tracker.latest_message or {}).get("entities") or []:
        if found.get("entity") == entity:
            return found.get("value")
    return None


def text_of(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


class GuidedFormValidation(FormValidationAction, ABC):
    """Abstract: Rasa SDK does not register it, only its concrete forms."""

    # slot → STRUCTURED or FREE_TEXT, for slots this form extracts from the message itself
    # (slots with a ``custom`` mapping in the domain).
    ANSWER_KINDS: ClassVar[dict[str, str]] = {}
    # slot → reader returning a value or None; STRUCTURED answers that parse are answers.
    # After this many invalid answers in a row the form pauses with an explanation
    # (None: never).
    MAX_INVALID: ClassVar[Optional[int]] = None

    @abstractmethod
    def name(self) -> str: ...

    def parses(self, slot: str, text: str, tracker: Tracker) -> bool:
        """Whether ``text`` reads as a valid value for ``slot`` (STRUCTURED slots)."""
        return False

    # -- what counts as an answer

    def is_fresh_answer(self, tracker: Tracker) -> bool:
        """True when the form runs straight after the user spoke, not after another reply.

        After "c'est quoi le salaire ?" is answered, the form runs again to re-ask its
        question; the question must not then be taken as the answer.
        """
        form = self.form_name()
        ran_after_user = []
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                break
            if event.get("event") == "action":
                ran_after_user.append(event.get("name"))
        others = [
            a for a in ran_after_user if a not in ("action_listen", "action_extract_slots", form)
        ]
        return not others and ran_after_user.count(form) <= 1

    def answer_for(self, slot: str, tracker: Tracker) -> Any:
        """The raw answer to ``slot`` in the latest message, or None if it is not one."""
        button_value = entity_value(tracker, slot)
        if button_value is not None:
            return button_value
        intent, confidence = intent_of(tracker)
        text = text_of(tracker)
        if text.startswith("/"):
            return {"affirm": "yes", "deny": "no"}.get(intent or "")
        structured = self.ANSWER_KINDS.get(slot) == STRUCTURED
        if structured and self.parses(slot, text, tracker):
            return text
        if reading.is_question(text):
            return None  # the rules answer it, then the form asks again
        # A free-text answer ("la santé publique") often looks like a programme topic to
        # the classifier: there, only a sure control move ("stop", "in English") is refused.
        sure = intent in CONVERSATION_INTENTS and confidence >= SURE
        if sure and (structured or intent not in FAQ_LIKE_INTENTS):
            return None
        return text

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested not in self.ANSWER_KINDS or not self.is_fresh_answer(tracker):
            return []
        answer = self.answer_for(requested, tracker)
        return [] if answer is None else [SlotSet(requested, answer)]

    # -- accepting and rejecting

    @staticmethod
    def accept(slot: str, value: Any, **more: Any) -> dict[str, Any]:
        """Keep ``value`` and start counting invalid answers afresh."""
        return {slot: value, INVALID_COUNT_SLOT: None, **more}

    def reject(
        self, dispatcher: CollectingDispatcher, slot: str, tracker: Optional[Tracker] = None,
        **arguments: Any,
    ) -> dict[str, Any]:  # fmt: skip
        """Clear the slot and say why, with the ``utter_invalid_<slot>`` response.

        The ``MAX_INVALID``-th invalid answer in a row pauses the form instead
        (``on_stuck``): an explanation and a way out, never the same question forever.
        """
        if self.MAX_INVALID is not None and tracker is not None:
            count = int(tracker.get_slot(INVALID_COUNT_SLOT) or 0) + 1
            if count >= self.MAX_INVALID:
                return {slot: None, INVALID_COUNT_SLOT: None, **self.on_stuck(dispatcher, slot)}
            dispatcher.utter_message(response=f"utter_invalid_{slot}", **arguments)
            return {slot: None, INVALID_COUNT_SLOT: float(count)}
        dispatcher.utter_message(response=f"utter_invalid_{slot}", **arguments)
        return {slot: None}

    def on_stuck(self, dispatcher: CollectingDispatcher, slot: str) -> dict[str, Any]:
        """What to do after too many invalid answers; the slots to set."""
        dispatcher.utter_message(response="utter_form_stuck", field=slot)
        return {}
