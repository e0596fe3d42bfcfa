""" "Tell me when the call opens": an e-mail, kept only with explicit consent.

Offered while the call for applications is closed; once it is open the candidate is sent
to apply instead, and nothing is stored. A new request gets the confirmation e-mail (double
opt-in, ``bot.mail``); nothing else goes to the address until its link is followed. With
e-mail not configured the form asks nothing and the assistant says how else to follow the
call: it never promises an e-mail that cannot leave.
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
    mail,
    mail_available,
    read_email,
    read_yes_no,
    today,
)
from actions.forms import STRUCTURED, GuidedFormValidation
from bot.applications import storage
from bot.domain import knowledge, schedule
from bot.domain.fields import InvalidSubmission, normalize_email

log = logging.getLogger(__name__)


class ValidateNotifyForm(GuidedFormValidation):
    ANSWER_KINDS: ClassVar[dict[str, str]] = {"email": STRUCTURED, "notify_consent": STRUCTURED}
    DECLINES_OTHER_REQUESTS: ClassVar[bool] = True

    def name(self) -> str:
        return "validate_notify_form"

    def parses(self, slot: str, text: str, tracker: Tracker) -> bool:
        read = read_yes_no if slot == "notify_consent" else read_email
        return read(text) is not None

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # No e-mail can leave: no address is asked for (action_request_notification says so).
        return domain_slots if mail_available() else []

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
        if not mail_available():
            dispatcher.utter_message(response="utter_mail_unavailable")
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
        if not new:
            dispatcher.utter_message(response="utter_notification_already")
            return done
        await in_thread(lambda: confirm(email))
        dispatcher.utter_message(response="utter_notification_saved")
        return done


def confirm(email: str) -> None:
    """The confirmation e-mail of the request just stored. One that could not leave now is
    sent again by the next scheduled run (``python -m bot notify run``) while its link
    would still be valid, so the reply is the same either way."""
    mailer = mail()
    if mailer is None:
        return
    try:
        recipient = mailer.notification_recipient(normalize_email(email))
        if recipient is not None:
            mailer.send_confirmation(recipient)
    except storage.StorageError as error:
        log.warning("confirmation not sent: %s", type(error).__name__)
