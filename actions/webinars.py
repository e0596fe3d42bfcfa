"""Follow-up for webinar attendees, from a link (``/?webinar=<id>``) or session metadata,
and the question that often comes right after it: can I apply today?"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import mail_available
from bot.domain import clock, knowledge, personal, reading, schedule

CALL_TODAY_SLOT = "asks_if_open_today"  # set by action_read_message (actions.message_slots)


def follow_up(dispatcher: CollectingDispatcher, webinar_id: Any) -> None:
    webinar = knowledge.get().webinar(webinar_id) if isinstance(webinar_id, str) else None
    if webinar is None:
        dispatcher.utter_message(response="utter_webinar_unknown")
    elif webinar.date >= clock.today():
        dispatcher.utter_message(response="utter_webinar_not_yet", webinar=webinar.id)
    else:
        dispatcher.utter_message(response="utter_webinar_followup", webinar=webinar.id)


class ActionWebinarFollowup(Action):
    def name(self) -> str:
        return "action_webinar_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        webinar_id = next(tracker.get_latest_entity_values("webinar_id"), None)
        text = str((tracker.latest_message or {}).get("text") or "")
        if webinar_id is None:
            # Typed: "le webinaire du 17 mars" names one; "I attended the webinar yesterday,
            # what's next?" does not.
            named = schedule.webinar_named(knowledge.get(), text)
            webinar_id = named.id if named is not None else None
        if webinar_id is None and reading.asks_if_open_now(text):
            # "je sors du webinaire, je peux candidater maintenant ?": thanks, then whether
            # the call is open today (with the offer to be told when it opens)
            dispatcher.utter_message(response="utter_webinar_thanks")
            call_today(dispatcher)
        elif webinar_id is None:
            dispatcher.utter_message(response="utter_webinar_followup_typed")
        else:
            follow_up(dispatcher, webinar_id)
        return []


def call_today(dispatcher: CollectingDispatcher) -> None:
    """Where the current call stands today: how to apply when open; else the offer to be
    told by e-mail when it opens, or, with e-mail not configured, where to follow it."""
    k = knowledge.get()
    if schedule.call_status(k.current.call, clock.today()).state == schedule.OPEN:
        dispatcher.utter_message(response="utter_faq/apply")  # open: how to apply, by when
    elif mail_available():
        dispatcher.utter_message(response="utter_offer_notification")
    else:
        dispatcher.utter_message(response="utter_follow_call")


class ActionCallToday(Action):
    """ "Donc je peux postuler dès aujourd'hui ?" after a webinar follow-up: where the current
    call stands today, from the knowledge base and the clock; when it is not open, with the
    offer to be told by e-mail when it opens (data/rules/webinars.yml takes the yes or no),
    or, with e-mail not configured, where to follow the call instead."""

    def name(self) -> str:
        return "action_call_today"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        call_today(dispatcher)
        return [SlotSet(CALL_TODAY_SLOT, None)]


class ActionSessionStart(Action):
    """Starts a session as Rasa does, then follows up when the page says which webinar.

    The slots are carried into the new session (``carry_over_slots_to_new_session``), but
    never personal data (``bot.domain.personal``): a new session starts without a name,
    an e-mail or a free-text answer, which the conversation store then redacts from the
    session before.
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        carried = [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if value is not None
            and name not in ("requested_slot", "session_started_metadata")
            and name not in personal.PERSONAL_SLOTS
        ]
        events += carried
        metadata = tracker.get_slot("session_started_metadata") or {}
        if isinstance(metadata, dict) and metadata.get("webinar"):
            follow_up(dispatcher, metadata.get("webinar"))
        events.append(ActionExecuted("action_listen"))
        return events
