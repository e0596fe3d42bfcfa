""" "Tell me when the call opens": an e-mail, kept only with explicit consent.

Offered while the call for applications is closed; once it is open the candidate is sent
to apply instead, and nothing is stored.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    applications,
    conversation_language,
    in_thread,
    read_email,
    read_yes_no,
    today,
)
from actions.forms import STRUCTURED, GuidedFormValidation
from bot.applications import storage
from bot.domain import knowledge, schedule
from bot.domain.fields import InvalidSubmission

log = logging.getLogger(__name__)


class ValidateNotifyForm(GuidedFormValidation):
    ANSWER_KINDS: ClassVar[dict[str, str]] = {"email": STRUCTURED, "notify_consent": STRUCTURED}

    def name(self) -> str:
        return "validate_notify_form"

    def parses(self, slot: str, text: str, tracker: Tracker) -> bool:
        read = read_yes_no if slot == "notify_consent" else read_email
        return read(text) is not None

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        address = read_email(value)
        if address is None:
            return self.reject(dispatcher, "email")
        return {"email": address}

    def validate_notify_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_yes_no(value)
        if answer is None:
            return self.reject(dispatcher, "notify_consent")
        return {"notify_consent": answer}


class ActionRequestNotification(Action):
    def name(self) -> str:
        return "action_request_notification"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        done: list[EventType] = [SlotSet("notify_consent", None), SlotSet("email", None)]
        k = knowledge.get()
        if schedule.call_status(k.current.call, today()).state == schedule.OPEN:
            dispatcher.utter_message(response="utter_faq/apply")
            return done
        if tracker.get_slot("notify_consent") is not True:
            dispatcher.utter_message(response="utter_notification_declined")
            return done
        try:
            email, language = str(tracker.get_slot("email")), conversation_language(tracker)
            consent = tracker.get_slot("notify_consent")  # storage checks it again
            new = await in_thread(
                lambda: applications().request_notification(
                    email, language=language, consent=consent
                )
            )
        except (storage.StorageError, InvalidSubmission) as error:
            log.warning("notification request not stored: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_storage_error")
            return done
        dispatcher.utter_message(
            response="utter_notification_saved" if new else "utter_notification_already"
        )
        return done
