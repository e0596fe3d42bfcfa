"""A candidate's right to erasure: their reference and e-mail, and the data is gone.

The deletion form asks for the pre-application's reference (or "none", for a notification
request only) and the e-mail it was made with. With a reference, both must match, and the
answer never says which of the two did not; the data goes from every store
(``bot.applications.lifecycle``): the applications database, and every conversation that
holds the e-mail or the reference, this one included (its own answers are redacted when
the form ends). The reference is a random code only its owner saw (in the chat and in the
confirmation e-mail), so the pair is proof enough.

Without a reference, an address alone proves nothing: a cancellation link goes to it
(``bot.mail``), and following that link erases the request. The answer is the same
whether the address was on the list or not.
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
    conversation_store,
    in_thread,
    mail,
    mail_available,
    read_email,
    read_yes_no,
)
from actions.forms import STRUCTURED, GuidedFormValidation
from bot.applications import conversations, lifecycle, storage
from bot.domain import reading
from bot.domain.fields import normalize_email

log = logging.getLogger(__name__)
NO_REFERENCE = "none"  # only a "tell me when it opens" request to delete


def read_deletion_reference(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if value == NO_REFERENCE or read_yes_no(value) is False:
        return NO_REFERENCE  # "non", "aucune", "je n'en ai pas"
    if reading.fold(value).strip(" .!") in (
        "pas de reference",
        "je n en ai pas",
        "i don t have one",
        "no reference",
        "i have none",
        "aucune reference",
    ):
        return NO_REFERENCE
    return reading.read_reference(value)


class ValidateDeletionForm(GuidedFormValidation):
    ANSWER_KINDS: ClassVar[dict[str, str]] = {
        "deletion_reference": STRUCTURED,
        "deletion_email": STRUCTURED,
    }
    DECLINES_OTHER_REQUESTS: ClassVar[bool] = True

    def name(self) -> str:
        return "validate_deletion_form"

    def parses(self, slot: str, text: str, tracker: Tracker) -> bool:
        if slot == "deletion_reference":
            return read_deletion_reference(text) is not None
        return read_email(text) is not None

    def validate_deletion_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reference = read_deletion_reference(value)
        if reference is None:
            return self.reject(dispatcher, "deletion_reference")
        return {"deletion_reference": reference}

    def validate_deletion_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        address = read_email(value)
        if address is None:
            return self.reject(dispatcher, "deletion_email")
        return {"deletion_email": address}


class ActionDeleteMyData(Action):
    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reference = tracker.get_slot("deletion_reference")
        email = str(tracker.get_slot("deletion_email") or "")
        done: list[EventType] = [
            SlotSet("deletion_reference", None),
            SlotSet("deletion_email", None),
        ]
        try:
            if reference and reference != NO_REFERENCE:
                if await in_thread(
                    lambda: lifecycle.erase(applications(), conversation_store(), reference, email)
                ):
                    dispatcher.utter_message(response="utter_data_deleted", reference=reference)
                    return [*done, SlotSet("last_reference", None)]
                dispatcher.utter_message(response="utter_data_not_found")
                return done
            if not mail_available():  # no link can leave: the programme's team does it
                dispatcher.utter_message(response="utter_cancellation_unavailable")
                return done
            await in_thread(lambda: send_cancellation(email))
        except (storage.StorageError, conversations.ConversationStoreError) as error:
            log.warning("deletion failed: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_storage_error")
            return done
        # Same answer whether or not the address was on the list: it tells nobody who is.
        dispatcher.utter_message(response="utter_notification_cancel_link")
        return done


def send_cancellation(email: str) -> None:
    """The link that cancels the confirmed notification request of ``email``, if any."""
    mailer = mail()
    if mailer is not None:
        mailer.send_cancellation(normalize_email(email))
