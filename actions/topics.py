"""FAQ answers that need more than the topic, and topics picked with a button.

``action_answer_faq`` answers the messages the NLU flags with ``question_detail``: two
questions in one message, each answered in order; a
follow-up ("et avec 15 ans ?", "and the 6th?") answered about the previous answer's
topic; a question that names its case (years of experience, a promotion or the year of
its call, a profile, a seniority, a time), answered for that case; years given outside a
form, answered with the pay. Which topics: ``bot.domain.question.topics_to_answer``;
what each answer says for a case: ``bot.wording.answers``. The previous answer is read
from the conversation itself: the last FAQ response sent (``utter_faq/<topic>``),
whichever action sent it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    FOLLOW_UP_REACH,
    asked_pay_elsewhere,
    candidates,
    offers_notification,
    previous_topics,
    today,
)
from bot.domain import knowledge, question
from bot.domain.nlu_keys import CLAUSES_KEY
from bot.domain.reading import fold
from bot.wording.answers import FAQ_RESPONSE, FAQ_TOPICS


class ActionAnswerTopic(Action):
    """Answers a FAQ topic picked with a button (``/choose_topic{"faq_topic": …}``)."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        topic = next(tracker.get_latest_entity_values("faq_topic"), None)
        if topic in FAQ_TOPICS:
            dispatcher.utter_message(response=f"{FAQ_RESPONSE}{topic}")
        else:
            dispatcher.utter_message(response="utter_default")
        return []


def earlier_case(
    events: Iterable[Mapping[str, Any]], reach: int = FOLLOW_UP_REACH
) -> Optional[question.Case]:
    """The case of the latest earlier question, within ``reach`` messages (this one
    counted), that names a promotion or a year ("la promo 5", "in 2022"). A question that
    referred back itself ("and the pay back then?") carries that case on: the reach starts
    again from it, so that "when did applications close that year?" after three questions
    on the 3rd promotion is still about the 3rd."""
    messages = 0
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            return None
        if kind != "user":
            continue
        messages += 1
        if messages == 1:
            continue  # the current message
        if messages > reach:
            return None
        text = str(event.get("text") or "")
        case = question.read(text, today())
        if case.names_a_promotion():
            return case
        if question.refers_back(text):
            reach = max(reach, messages + FOLLOW_UP_REACH - 1)
    return None


def case_arguments(topic: str, case: question.Case, said: question.Readings) -> dict[str, Any]:
    """The arguments that make a topic's answer the answer for the case asked about (and,
    for the pay, over the span asked about: ``said.per_year``)."""
    arguments: dict[str, Any] = {}
    if case.promotion is not None:
        arguments["asked_promotion"] = case.promotion
    elif case.year is not None:
        arguments["asked_year"] = case.year
    elif case.earlier:
        # "what was the deadline last time?": the latest promotion before the current one
        arguments["asked_promotion"] = knowledge.get().past_promotions()[0].number
    if topic == question.SALARY and case.years is not None:
        arguments["years"] = case.years.value
        arguments["years_exact"] = case.years.exact
    if topic == question.SALARY and said.per_year:
        arguments["per_year"] = True
    if topic == question.WEBINARS and said.upcoming and not case.names_a_promotion():
        arguments["upcoming"] = True
    if topic == question.SALARY and case.seniority is not None:
        arguments["seniority"] = case.seniority
    if case.profile is not None:
        arguments["profile"] = case.profile
    if case.asks_time:
        arguments["asks_time"] = True
    return arguments


def administration_speaks(tracker: Tracker) -> bool:
    """Whether the conversation is an administration's: the host check is going on, or the
    person said they work for one."""
    return (
        tracker.active_loop_name == "host_check_form"
        or tracker.get_slot("audience") == "administration"
    )


@dataclass(frozen=True)
class AdministrationSide:
    """An administration's side of a candidates' topic: ``host_topic`` when the message
    matches ``asked`` (any message when None) and not ``unless`` (folded text)."""

    host_topic: str
    asked: Optional[re.Pattern[str]] = None
    unless: Optional[re.Pattern[str]] = None

    def applies(self, folded: str) -> bool:
        asked = self.asked is None or self.asked.search(folded) is not None
        return asked and (self.unless is None or self.unless.search(folded) is None)


# From an administration: "when does the call open?" is the call for projects (unless it
# speaks of candidates); "qui peut candidater exactement ?" which structures may answer it
# (unless it names profiles); "who pays the salaries in that case?", "et on devrait payer
# une partie des salaires ?" the co-financing.
ADMINISTRATION_SIDES: dict[str, AdministrationSide] = {
    "deadline": AdministrationSide(
        "host_timeline",
        unless=re.compile(
            r"\b(candidat\w*|applicants?|candidates?|recrue\w*|recruits?|postuler en tant)\b"
        ),
    ),
    "profiles": AdministrationSide(
        "host_who_can_apply",
        asked=re.compile(r"\b(qui peut|qui peuvent|who can|who may|eligibles?)\b"),
        unless=re.compile(r"\b(profils?|profiles?|metiers?|jobs?|skills?|competences?)\b"),
    ),
    question.SALARY: AdministrationSide(
        "host_cofinancing",
        asked=re.compile(
            r"\b(qui (?:les )?(?:paie|paye|payera|paiera|finance|financera|remunere)|"
            r"who (?:pays|will pay|funds|finances|covers)|couts?|coute\w*|costs?|"
            r"(?:on|nous|we)\s+(?:\w+\s+)?(?:payer|payons|paierait|financer|pay|fund|cover)|"
            r"une partie des salaires|part of the salar\w*)\b"
        ),
    ),
}


def administration_topic(topic: str, text: str) -> str:
    """The administrations' side of a topic (``ADMINISTRATION_SIDES``), or the topic."""
    side = ADMINISTRATION_SIDES.get(topic)
    return side.host_topic if side is not None and side.applies(fold(text)) else topic


# What to say when the message is not a FAQ question after all, by its intent.
NOT_A_TOPIC = {
    question.CORRECT_INTENT: "utter_nothing_to_correct",
    "out_of_scope": "utter_out_of_scope",
}


def mentions_years(case: question.Case, text: str) -> bool:
    """Years of experience or a seniority named, or a number alone."""
    named = case.years is not None or case.seniority is not None
    return named or question.bare_number(text) is not None


def years_after_pay(
    case: question.Case, text: str, previous: Optional[str], follows: bool
) -> question.Case:
    """A number alone in a follow-up of the pay answer ("et si j'en ai exactement 10 ?",
    "and past 10?") is years of experience."""
    if previous != question.SALARY or not follows or not case.is_empty():
        return case
    years = question.bare_years(text)
    return case if years is None else replace(case, years=years)


NOTIFICATION_QUESTION = "utter_ask_notification"


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        text = str(latest.get("text") or "")
        whole = question.parsed_from(latest.get("intent"), latest.get("response_selector"))
        case = question.read(text, today())
        if question.refers_back(text):
            case = question.with_earlier(case, earlier_case(tracker.events))
        elif question.goes_on_with_case(text):
            # "et combien de défis ?" right after "la 3e promo, c'était combien de recrues ?"
            case = question.with_earlier(case, earlier_case(tracker.events, reach=2))
        recent = previous_topics(tracker.events)  # one look back, the last one first used
        previous = recent[-1] if recent else None
        if previous == question.WEBINARS and question.names_a_list_item(text):
            # "and the second one covered what?" after the webinars: that webinar, listed
            case = replace(case, promotion=None)
        said = question.read_message(text)
        if question.SALARY in recent and (mentions_years(case, text) or said.pay_said):
            # "and with 11?", "is that before or after tax?" after "how much and who runs it?"
            previous = question.SALARY
        # "et dans 3 ans j'en aurai onze ?": years one will have, about the pay just given
        later = question.names_time_from_now(text)
        case = years_after_pay(case, text, previous, said.follows or later)
        parts = question.clauses_from(latest.get(CLAUSES_KEY))
        topics = question.topics_to_answer(whole, parts, case, said, previous)
        if (
            said.follows
            and not said.other_employer
            and not parts
            and asked_pay_elsewhere(tracker.events)
        ):
            # "et pour un EIG ?" right after another employer's pay ("not my subject"),
            # whatever was answered before it
            topics = [question.SALARY]
        # "does the PIA pay everything, and when is the jury?": the call for projects too
        hosts_asked = any(question.is_host_topic(t) for t in (*topics, previous))
        if administration_speaks(tracker) or hosts_asked:
            topics = [administration_topic(topic, text) for topic in topics]
        topics = [t for t in topics if t in FAQ_TOPICS]
        for topic in topics:
            arguments = case_arguments(topic, case, said) if len(topics) == 1 else {}
            dispatcher.utter_message(response=f"{FAQ_RESPONSE}{topic}", **arguments)
        if (
            question.DEADLINE in topics
            and not case.names_a_promotion()
            and not administration_speaks(tracker)
            and offers_notification()
        ):
            # "c'est quand la date limite ?" while the call is not open: its state, then the
            # offer to be told by e-mail when it opens (a yes starts notify_form: config.yml);
            # not to an administration, whose call is the call for projects
            dispatcher.utter_message(response=NOTIFICATION_QUESTION)
        if not topics:
            self.not_a_topic(dispatcher, whole.intent, latest)
        return []

    @staticmethod
    def not_a_topic(
        dispatcher: CollectingDispatcher, intent: Optional[str], latest: dict[str, Any]
    ) -> None:
        """The intent's own answer: the message was not a FAQ question after all."""
        if intent in NOT_A_TOPIC:
            dispatcher.utter_message(response=NOT_A_TOPIC[intent])
            return
        offered = candidates(latest)
        if offered:
            dispatcher.utter_message(response="utter_did_you_mean", candidates=offered)
        else:
            dispatcher.utter_message(response="utter_default")
