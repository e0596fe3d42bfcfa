"""What several actions share: the applications database, e-mail (when it is configured),
today, the conversation's language, the readers of the answers more than one form asks for
(yes/no, e-mail), and the "did you mean…?" choices of a parse.

The one module of ``actions`` that other action modules import, with the form base class
(``actions.forms``); action modules never import each other.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, Optional, TypeVar

from rasa_sdk import Tracker

from bot.applications import conversations, storage
from bot.domain import clock, knowledge, question, reading, schedule
from bot.domain.language import DEFAULT_LANGUAGE, normalize
from bot.mail.sender import MailConfig, MailNotConfigured, configured
from bot.mail.service import Mail
from bot.wording.answers import FAQ_RESPONSE, FAQ_TOPICS, OFFERABLE

T = TypeVar("T")
_opening = threading.Lock()  # the stores are opened in worker threads (in_thread)


def today() -> dt.date:
    return clock.today()


@lru_cache(maxsize=1)
def applications() -> storage.Storage:
    """The applications database, opened once per action server (DATABASE_URL)."""
    with _opening:
        return storage.Storage()


@lru_cache(maxsize=1)
def conversation_store() -> conversations.Conversations:
    """The Rasa server's conversation store (TRACKER_DATABASE_URL, else TRACKER_DB), for
    erasing a person's data from every conversation."""
    with _opening:
        return conversations.Conversations()


def mail() -> Optional[Mail]:
    """The e-mail flows over the applications database, or None when e-mail is not
    configured (``EIG_SMTP_HOST``, ``EIG_MAIL_FROM``, ``EIG_LINK_SECRET``): the assistant
    then offers no e-mail at all. Read at each call, like every setting."""
    try:
        config = MailConfig.from_settings()
    except MailNotConfigured:
        return None
    return Mail(applications(), config)


def mail_available() -> bool:
    """True when e-mail can leave, without opening the database."""
    return configured()


# The offers to be told by e-mail when the call opens: after where the call stands today
# (actions/webinars.py), a pre-application (actions/preapplication.py) or the deadline's
# answer (actions/topics.py).
NOTIFICATION_OFFERS = frozenset({"utter_offer_notification", "utter_ask_notification"})


def offers_notification() -> bool:
    """Whether an answer on the current call ends with the offer to be told by e-mail when
    it opens: the call is not open today and e-mail can leave. Made again after each such
    answer: a yes answers the question just asked ("when will it open then?" asked instead
    of answering the first offer, then "yes please")."""
    call = knowledge.get().current.call
    return schedule.call_status(call, today()).state != schedule.OPEN and mail_available()


async def in_thread(call: Callable[[], T]) -> T:
    """Runs ``call``, which reaches a database (synchronous SQLAlchemy), in a worker thread:
    the action server's event loop keeps serving other conversations meanwhile."""
    return await asyncio.to_thread(call)


def conversation_language(tracker: Tracker) -> str:
    return normalize(tracker.get_slot("language")) or DEFAULT_LANGUAGE


def read_yes_no(value: Any) -> Optional[bool]:
    """A button's boolean as it is, a typed "oui" / "no thanks" read; anything else None."""
    if isinstance(value, bool):
        return value
    return reading.read_yes_no(value) if isinstance(value, str) else None


def read_email(value: Any) -> Optional[str]:
    """The normalised e-mail address in a typed answer, or None."""
    return reading.read_email(value) if isinstance(value, str) else None


MAX_CANDIDATES = 3
MIN_CONFIDENCE = 0.05
MIN_TOPIC_CONFIDENCE = 0.2  # a FAQ topic offered although `faq` itself ranked low


def candidates(parse_data: dict[str, Any]) -> list[str]:
    """The likeliest intents worth offering ("did you mean…?"), FAQ topics expanded, best
    first."""
    found: list[str] = []
    faq_ranking = ((parse_data.get("response_selector") or {}).get("faq") or {}).get(
        "ranking"
    ) or []
    for item in parse_data.get("intent_ranking") or []:
        name, confidence = item.get("name"), item.get("confidence") or 0
        if confidence < MIN_CONFIDENCE:
            continue
        if name == "faq":
            found += [r.get("intent_response_key") for r in faq_ranking[:2]]
        else:
            found.append(name)
    if not any(str(c).startswith("faq/") for c in found):
        # The intent classifier ranked `faq` too low ("combien de temps": out of scope 0.29,
        # help 0.19), but the response selector still reads a likely topic (the contract,
        # 0.34): offered first, as the likeliest meaning.
        likely = [
            r.get("intent_response_key")
            for r in faq_ranking[:2]
            if (r.get("confidence") or 0) >= MIN_TOPIC_CONFIDENCE
        ]
        found = likely + found
    unique = [c for c in dict.fromkeys(found) if c in OFFERABLE]
    return unique[:MAX_CANDIDATES]


# A follow-up leans on an answer given at most this many messages before it.
FOLLOW_UP_REACH = 3

# The pre-application waiting: "cancelled", or STUCK after ``MAX_INVALID`` answers it could
# not use (actions/preapplication.py; a yes right after the pause resumes it:
# actions/message_slots.py).
PAUSED_SLOT = "pre_application_paused"
STUCK = "stuck"


def previous_topic(events: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The topic of the last FAQ answer in the conversation, if it came within the last
    ``FOLLOW_UP_REACH`` messages (the current one included)."""
    topics = previous_topics(events)
    return topics[-1] if topics else None


def responses_back(events: Iterable[Mapping[str, Any]], reach: int) -> Iterator[tuple[int, str]]:
    """The responses sent, newest first, each with how many user messages back it came (1:
    after the one before the latest, counting the latest), within ``reach`` messages and
    the current session."""
    messages = 0
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind == "user":
            messages += 1
            if messages > reach:
                return
        elif kind in ("session_started", "restart"):
            return
        elif kind == "bot":
            yield messages, str((event.get("metadata") or {}).get("utter_action") or "")


# Answers that are not a FAQ response but speak of a topic: "was it recorded?" after the
# webinar follow-up asks about the webinars, "when then?" after where the call stands today
# about the call.
SPEAKS_OF = {
    "utter_webinar_followup": "webinars",
    "utter_webinar_followup_typed": "webinars",
    "utter_offer_notification": "deadline",
    "utter_follow_call": "deadline",
}


def previous_topics(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """The topics of the last turn that got FAQ answers within ``FOLLOW_UP_REACH`` messages,
    in the order given ("how much does it pay and who runs it?": the pay, then who runs
    it); ``[]`` when none."""
    found: list[str] = []
    turn = None
    for messages, response in responses_back(events, FOLLOW_UP_REACH):
        if turn is not None and messages != turn:
            break
        topic = response[len(FAQ_RESPONSE) :] if response.startswith(FAQ_RESPONSE) else ""
        topic = SPEAKS_OF.get(response, topic)
        if topic in FAQ_TOPICS:
            found.insert(0, topic)
            turn = messages
    return found


def asked_pay_elsewhere(events: Iterable[Mapping[str, Any]]) -> bool:
    """The message before this one asked about pay and got "not my subject" ("combien gagne
    un data scientist dans une banque ?"): "et pour un EIG ?" then asks the EIGs' pay."""
    events = list(events)
    if OUT_OF_SCOPE_REPLY not in {response for _, response in responses_back(events, 1)}:
        return False
    users = [event for event in events if event.get("event") == "user"]
    return len(users) >= 2 and question.asks_pay(str(users[-2].get("text") or ""))


OUT_OF_SCOPE_REPLY = "utter_out_of_scope"
