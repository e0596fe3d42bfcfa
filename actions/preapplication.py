"""The guided pre-application: questions, corrections, cancel and resume, submission.

The form's slots hold clean values (a profile key, whole years, booleans, a normalised
e-mail); the wording lives in the catalogs and the facts in ``bot.domain.knowledge``.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
from typing import Any, ClassVar, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common import (
    PAUSED_SLOT,
    STUCK,
    applications,
    conversation_language,
    in_thread,
    mail,
    mail_available,
    read_email,
    read_yes_no,
    responses_back,
    today,
)
from actions.forms import (
    FREE_TEXT,
    INVALID_COUNT_SLOT,
    SIDE_SURE,
    STRUCTURED,
    GuidedFormValidation,
    entity_value,
    intent_of,
    text_of,
)
from bot.applications import storage
from bot.domain import fields, fit, knowledge, reading, schedule, small_talk
from bot.domain.fields import InvalidSubmission

log = logging.getLogger(__name__)

FORM = "pre_application_form"
CANCEL_PENDING = "cancel_pending"
CORRECTION_PENDING = "correction_pending"
TOKEN_SLOT = "submission_token"
REFERENCE_SLOT = "last_reference"

# The answers, in the order they are asked; some only apply after others (see `required`).
ANSWERS = (
    "target_profile",
    "years_experience",
    "entrepreneurial_experience",
    "entrepreneurial_description",
    "led_teams",
    "project_interest",
    "consent",
    "first_name",
    "email",
)
QUESTIONS = (*ANSWERS, "summary_confirmed", "cancel_confirmed", "correction_field")
# What else must be asked again when an answer changes.
DEPENDENTS = {
    "target_profile": ("led_teams",),
    "entrepreneurial_experience": ("entrepreneurial_description",),
    "consent": ("first_name", "email"),
}
FREE_TEXT_LIMITS = {
    "entrepreneurial_description": fields.MAX_ENTREPRENEURIAL_DESCRIPTION,
    "project_interest": fields.MAX_PROJECT_INTEREST,
}
STOP_INTENTS = {"stop"}
MAX_STOP_WORDS = 6  # "non en fait stop"; a longer message that mentions stopping is a sentence
CORRECT_INTENTS = {"correct"}
# The questions a bare number cannot answer, where "12" can only be the years of experience.
NOT_A_NUMBER = {"target_profile", "entrepreneurial_experience", "led_teams", "first_name"}
SURE = 0.6
# Words that say someone founded something, so the sentence answers "yes" by itself; each
# starts a word ("lance" is not in "freelance"). Not freelancing: the texts do not define
# entrepreneurial experience, so whether a freelance activity counts is the candidate's
# answer to give and DINUM's experts' to assess.
ENTREPRENEURIAL_WORDS = (
    "fonde", "cofonde", "cree", "monte", "lance", "startup", "start up", "founded",
    "co founded", "cofounded", "launched", "set up", "cofondateur", "co fondateur",
    "cofondatrice", "cofounder", "co founder", "founder", "fondateur", "fondatrice",
    # "kind of, I ran a side business", "I built a small online shop with a friend",
    # "j'avais ma propre boîte"
    "ran a", "ran my", "run my own", "running my own", "built a", "built my", "started a",
    "started my", "own company", "own business", "own startup", "side business",
    "propre boite", "propre entreprise", "propre societe", "eu une boite", "avais une boite",
    "micro entreprise", "microentreprise", "auto entrepreneur", "autoentrepreneur",
    "eu une entreprise", "avais une entreprise", "had a company", "had my own", "had a startup",
    "business owner", "chef d entreprise", "cheffe d entreprise",
)  # fmt: skip
FOUNDING = re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, ENTREPRENEURIAL_WORDS)) + ")")
# The answers a candidate may give before they are asked ("douze ans" while the profile is
# asked), when the message reads plainly as one; kept, and the question asked again.
ANSWERED_ANYTIME = ("years_experience", "target_profile", "email")
# Where the typed title of a button answers a question whose response is not utter_ask_<slot>.
QUESTION_RESPONSES = {
    "summary_confirmed": "utter_pre_application_summary",
}


def previous_user_text(tracker: Tracker) -> Optional[str]:
    """The user's message before the latest one, if any."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    text = users[-2].get("text") if len(users) >= 2 else None
    return text if isinstance(text, str) else None


def describes_founding(value: Any) -> bool:
    """ "J'ai cofondé deux startups", "oui, j'ai cofondé une startup": a yes told as a story."""
    if not isinstance(value, str):
        return False
    folded = reading.fold(value)
    return len(folded.split()) >= 4 and FOUNDING.search(folded) is not None


# "ouais j'ai monté ma propre boîte" says yes and little more: the description is asked;
# "j'ai cofondé deux startups dans la santé" is its description too.
MIN_DESCRIPTION_WORDS = 8


def required(slots: dict[str, Any]) -> list[str]:
    """The questions still to ask, given the answers so far (the form's dynamic slots)."""
    questions: list[str] = []
    if slots.get(CANCEL_PENDING):
        questions.append("cancel_confirmed")
    if slots.get(CORRECTION_PENDING):
        questions.append("correction_field")
    questions += ["target_profile", "years_experience", "entrepreneurial_experience"]
    if slots.get("entrepreneurial_experience") is True:
        questions.append("entrepreneurial_description")
    profile = slots.get("target_profile")
    expectation = knowledge.get().profiles.profiles.get(profile) if profile else None
    if expectation is not None and expectation.leads_teams:
        questions.append("led_teams")
    questions += ["project_interest", "consent"]
    if slots.get("consent") is True:
        questions += ["first_name", "email"]
    elif slots.get("consent") is None and slots.get("email") is not None:
        questions.append("email")  # given before it was asked: kept until the consent answer
    questions.append("summary_confirmed")
    return questions


def next_question(slots: dict[str, Any]) -> Optional[str]:
    return next((q for q in required(slots) if slots.get(q) is None), None)


def answered(slots: dict[str, Any]) -> list[str]:
    """The answers a candidate can correct, in the order they were asked."""
    asked = required({**slots, CANCEL_PENDING: None, CORRECTION_PENDING: None})
    return [a for a in ANSWERS if a in asked and slots.get(a) is not None]


def cleared(field: str) -> dict[str, Any]:
    """Slot values that forget ``field`` and what depends on it."""
    forget: dict[str, Any] = {field: None, "summary_confirmed": None}
    for dependent in DEPENDENTS.get(field, ()):
        forget[dependent] = None
    return forget


def read_value(field: str, value: Any) -> Any:
    """The clean value of an answer, or None when it is not valid for ``field``."""
    if field == "years_experience":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                return None
            years = int(value)
            return years if 0 <= years <= fields.MAX_YEARS else None
        return reading.read_years(value, today()) if isinstance(value, str) else None
    if field == "led_teams" and isinstance(value, str) and read_yes_no(value) is None:
        return True if reading.tells_leading_a_team(value) else None
    if field in ("entrepreneurial_experience", "led_teams", "consent", "summary_confirmed",
                 "cancel_confirmed"):  # fmt: skip
        return read_yes_no(value)
    if field == "email":
        return read_email(value)
    if not isinstance(value, str):
        return None
    if field == "target_profile":
        return reading.read_profile(value)
    if field == "first_name":
        return reading.read_first_name(value)
    if field in FREE_TEXT_LIMITS:
        if reading.read_yes_no(value) is not None and len(value.split()) <= 2:
            return None  # "oui" is not a description
        return reading.read_free_text(value, FREE_TEXT_LIMITS[field])
    if field == "correction_field":
        return value if value in ANSWERS else reading.field_from_text(value)
    return None


# The questions a yes answers. A yes to another one right after the introduction ("oui",
# "ok allons-y" to "Faisons ensemble une pré-candidature…") or a language change is a
# go-ahead to the pre-application itself: the question again, nothing refused or counted.
YES_NO_QUESTIONS = frozenset(
    {"entrepreneurial_experience", "led_teams", "consent", "summary_confirmed", "cancel_confirmed"}
)
# (or right after the language changed: "OK, in English: what is your profile?" → "yes";
# or right after a notice, "J'ai noté votre e-mail…" → "ok": the notice acknowledged)
GO_AHEAD_AFTER = frozenset(
    {
        "utter_pre_application_intro",
        "utter_pre_application_resumed",
        "utter_language_changed",
        "utter_answer_noted",
        "utter_email_noted_until_consent",
    }
)
MAX_GO_AHEAD_WORDS = 4


class ValidatePreApplicationForm(GuidedFormValidation):
    TAKES_RESUME = frozenset({"cancel_confirmed"})
    RESUMED_BY_RULES = True
    GO_AHEAD_RESPONSE: ClassVar[Optional[str]] = "utter_pre_application_go_ahead"
    ANSWER_KINDS: ClassVar[dict[str, str]] = {
        "target_profile": STRUCTURED,
        "years_experience": STRUCTURED,
        "entrepreneurial_experience": STRUCTURED,
        "entrepreneurial_description": FREE_TEXT,
        "led_teams": STRUCTURED,
        "project_interest": FREE_TEXT,
        "consent": STRUCTURED,
        "first_name": STRUCTURED,
        "email": STRUCTURED,
        "summary_confirmed": STRUCTURED,
        "cancel_confirmed": STRUCTURED,
        "correction_field": STRUCTURED,
    }
    MAX_INVALID: ClassVar[Optional[int]] = 3

    def name(self) -> str:
        return "validate_pre_application_form"

    def parses(self, slot: str, text: str, tracker: Tracker) -> bool:
        if slot == "target_profile":
            return reading.read_profile(text) in reading.CURRENT_PROFILES
        if slot == "entrepreneurial_experience" and describes_founding(text):
            return read_yes_no(text) is not False
        return read_value(slot, text) is not None

    def goes_ahead(self, slot: Optional[str], text: str, tracker: Tracker) -> bool:
        """ "oui", "ok allons-y" right after the introduction, to a question no yes answers."""
        if slot is None or slot in YES_NO_QUESTIONS:
            return False
        yes = reading.says_go_ahead(text) or (
            read_yes_no(text) is True and len(reading.words(text)) <= MAX_GO_AHEAD_WORDS
        )
        return yes and bool(GO_AHEAD_AFTER & {r for _, r in responses_back(tracker.events, 1)})

    def changes_side(self, text: str, intent: Optional[str], confidence: float) -> bool:
        """ "ah non en fait je suis côté administration, on voudrait accueillir des EIG"."""
        return (
            intent == "i_am_administration"
            and confidence >= SIDE_SURE
            and reading.speaks_for_administration(text)
        )

    def question_response(self, slot: str, tracker: Tracker) -> tuple[str, dict[str, Any]]:
        if slot == "correction_field":
            return "utter_ask_correction_field", {"fields": answered(tracker.slots)}
        return QUESTION_RESPONSES.get(slot, f"utter_ask_{slot}"), {}

    def answered_elsewhere(self, slot: str, text: str, tracker: Tracker) -> Optional[str]:
        if slot in ("cancel_confirmed", "correction_field", "summary_confirmed"):
            return None  # a confirmation is pending: nothing else is taken meanwhile
        slots = tracker.slots
        if slot != "consent" and slots.get("consent") is None and reading.refuses_keeping(text):
            return "consent"  # a refusal is taken at once; a yes waits for the question
        if self.tells_more_of_the_founding(slot, text, tracker):
            return "entrepreneurial_description"
        # "un peu, j'ai eu une micro-entreprise pendant deux ans" while the profile is asked:
        # the entrepreneurial experience, told, before the years it mentions.
        tells_founding = describes_founding(text) and read_yes_no(text) is not False
        before_it = slot in {"target_profile", "years_experience"}
        if tells_founding and before_it and slots.get("entrepreneurial_experience") is None:
            return "entrepreneurial_experience"
        return next(iter(self.also_answered(slot, text, tracker)), None)

    def also_answered(self, slot: str, text: str, tracker: Tracker) -> list[str]:
        """The questions not yet answered, other than ``slot``, that ``text`` plainly answers
        ("douze ans" while the profile is asked; "ten years, product director" answers both
        the profile asked and the years)."""
        slots = tracker.slots
        found = []
        for other in ANSWERED_ANYTIME:
            if other == slot or slots.get(other) is not None:
                continue
            if other == "years_experience":
                # "12" while the profile is asked: only a number of years makes sense there.
                # "eleven", "douze": a number word alone too.
                alone = text.strip(" .!")
                bare = slot in NOT_A_NUMBER and (
                    re.fullmatch(r"\d{1,2}", alone)
                    or (len(alone.split()) == 1 and reading.read_years(alone, today()) is not None)
                )
                plainly = bool(reading.mentions_duration(text) or bare) and self.parses(
                    other, text, tracker
                )
            elif other == "email":
                # Kept until the consent question, and forgotten if the answer is no.
                plainly = slots.get("consent") is not False and self.parses(other, text, tracker)
            else:
                plainly = self.parses(other, text, tracker)
            if plainly:
                found.append(other)
        return found

    def tells_more_of_the_founding(self, slot: str, text: str, tracker: Tracker) -> bool:
        """ "une dans la edtech qu'on a revendue, une dans la fintech" while the team question
        is asked, right after "oui, j'ai monté 2 startups" was taken as yes and description:
        more of that description, not an answer to the team question."""
        description = tracker.get_slot("entrepreneurial_description")
        return (
            slot == "led_teams"
            and isinstance(description, str)
            and description.strip() == (previous_user_text(tracker) or "").strip()
            and read_yes_no(text) is None
            and not reading.tells_leading_a_team(text)  # the answer to the team question
            and not reading.is_question(text)
            and not reading.is_dont_know(text)
            and not reading.says_correction(text)  # "wait I meant 19 years, not 9"
            and small_talk.small_talk(text) is None  # "merci, au revoir": the rules' goodbye
            and reading.read_email(text) is None
        )

    def kept_value(self, slot: str, answer: Any, tracker: Tracker) -> Any:
        """More of a founding's description is added to what was told of it."""
        description = tracker.get_slot("entrepreneurial_description")
        if slot == "entrepreneurial_description" and isinstance(description, str):
            combined = f"{description.rstrip(' .')}. {answer}"
            return combined[: fields.MAX_ENTREPRENEURIAL_DESCRIPTION]
        return answer

    def noted(self, dispatcher: CollectingDispatcher, slot: str, tracker: Tracker) -> None:
        if slot == "email" and tracker.get_slot("consent") is not True:
            dispatcher.utter_message(response="utter_email_noted_until_consent")
        else:
            dispatcher.utter_message(response="utter_answer_noted", field=slot)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return required(tracker.slots)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent, confidence = intent_of(tracker)
        fresh = self.is_fresh_answer(tracker)
        requested = tracker.get_slot(REQUESTED_SLOT)
        sure = confidence >= SURE
        # "non en fait stop" too, which the classifier may read as a correction or not at all.
        stops = requested != "cancel_confirmed" and (
            (sure and intent in STOP_INTENTS) or self.says_stop(tracker, requested or "")
        )
        if fresh and requested and stops:
            return self.ask_to_confirm_cancel(tracker)
        # "en fait non, plutôt 11 ans" read as unsure or as anything: a correction all the same
        # when its words take back an answer already given.
        corrects = (intent in CORRECT_INTENTS and (sure or self.corrects_an_answer(tracker))) or (
            reading.says_correction(text_of(tracker)) and self.corrects_an_answer(tracker)
        )
        if fresh and requested and corrects:
            text = text_of(tracker)
            # "my email is …" before the e-mail is asked: an answer kept, not a correction.
            elsewhere = self.answered_elsewhere(requested, text, tracker)
            if not self.answers_the_question(tracker, requested) and elsewhere is None:
                return self.correct(dispatcher, tracker)
        events = await super().run(dispatcher, tracker, domain)
        if any(e.get("name") == PAUSED_SLOT and e.get("value") for e in events):
            events.append(SlotSet(REQUESTED_SLOT, None))  # ends the form; answers are kept
        return events

    # -- cancel and correct

    def answers_the_question(self, tracker: Tracker, requested: str) -> bool:
        """ "En fait, directrice technique" while the profile is asked: an answer, no more."""
        text = text_of(tracker)
        field = entity_value(tracker, "form_field") or reading.field_from_text(text)
        return field in (None, requested) and self.parses(requested, text, tracker)

    def corrects_an_answer(self, tracker: Tracker) -> bool:
        """ "sorry, I meant 14 years": a new value for an answer already given, which the
        classifier took for a correction without being sure."""
        text = text_of(tracker)
        field = reading.field_from_text(text)
        slots = tracker.slots
        return (
            field is not None
            and field != slots.get(REQUESTED_SLOT)
            and field in answered(slots)
            and read_value(field, text) is not None
        )

    def says_stop(self, tracker: Tracker, requested: str) -> bool:
        """A short message that says stop and answers nothing, whatever the classifier read
        ("non en fait stop"): the stop is confirmed first, so a wrong guess costs a "non"."""
        text = text_of(tracker)
        return (
            (
                (len(text.split()) <= MAX_STOP_WORDS and reading.says_stop(text))
                or reading.puts_off(text)
            )
            and reading.field_from_text(text) is None
            and not self.parses(requested, text, tracker)
        )

    def ask_to_confirm_cancel(self, tracker: Tracker) -> list[EventType]:
        return [SlotSet(CANCEL_PENDING, True), SlotSet(REQUESTED_SLOT, "cancel_confirmed")]

    def correct(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """ "change my e-mail", "en fait j'ai 8 ans d'expérience", or a correction button."""
        slots = dict(tracker.slots)
        field = entity_value(tracker, "form_field")
        if field not in ANSWERS:
            field = reading.field_from_text(text_of(tracker))
        changes: dict[str, Any]
        if field is None or field not in required({**slots, CANCEL_PENDING: None}):
            changes = {CORRECTION_PENDING: True, "summary_confirmed": None}
        else:
            changes = {**cleared(field), CORRECTION_PENDING: None}
            value = (
                read_value(field, text_of(tracker))
                if entity_value(tracker, "form_field") is None
                else None
            )
            direct = field in ("years_experience", "email") or (
                field == "target_profile" and value in reading.CURRENT_PROFILES
            )
            if value is not None and direct:
                changes[field] = value
                dispatcher.utter_message(response="utter_answer_corrected", field=field)
        slots.update(changes)
        changes[INVALID_COUNT_SLOT] = None
        return [SlotSet(k, v) for k, v in changes.items()] + [
            SlotSet(REQUESTED_SLOT, next_question(slots))
        ]

    # -- one validator per question

    def validate_target_profile(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        profile = read_value("target_profile", value)
        if profile in reading.CURRENT_PROFILES or profile == "other":
            return self.accept("target_profile", profile)
        guess = profile if isinstance(profile, str) else None
        return self.reject(dispatcher, "target_profile", tracker, guess=guess)

    def validate_years_experience(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        years = read_value("years_experience", value)
        if years is None:
            return self.reject(dispatcher, "years_experience", tracker)
        return self.accept("years_experience", float(years))

    def validate_entrepreneurial_experience(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_value("entrepreneurial_experience", value)
        founding = answer is not False and describes_founding(value)
        # "J'ai cofondé deux startups dans la santé" answers yes and describes it at once; more
        # of it told at the next question is added to it (``answered_elsewhere``).
        if founding and len(reading.words(value)) >= MIN_DESCRIPTION_WORDS:
            description = reading.read_free_text(value, fields.MAX_ENTREPRENEURIAL_DESCRIPTION)
            if description:
                return self.accept(
                    "entrepreneurial_experience", True, entrepreneurial_description=description
                )
        if founding:
            answer = True  # "j'ai monté ma boîte": a yes, its description still to come
        if answer is not None:
            return self.accept("entrepreneurial_experience", answer)
        return self.reject(dispatcher, "entrepreneurial_experience", tracker)

    def validate_entrepreneurial_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        description = read_value("entrepreneurial_description", value)
        if description is None:
            return self.reject(
                dispatcher, "entrepreneurial_description", tracker,
                max_chars=fields.MAX_ENTREPRENEURIAL_DESCRIPTION,
            )  # fmt: skip
        return self.accept("entrepreneurial_description", description)

    def validate_led_teams(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_value("led_teams", value)
        if answer is None:
            return self.reject(dispatcher, "led_teams", tracker)
        return self.accept("led_teams", answer)

    def validate_project_interest(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interest = read_value("project_interest", value)
        if interest is None:
            return self.reject(
                dispatcher, "project_interest", tracker, max_chars=fields.MAX_PROJECT_INTEREST
            )
        return self.accept("project_interest", interest)

    def validate_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        refused = isinstance(value, str) and reading.refuses_keeping(value)
        answer = False if refused else read_value("consent", value)
        if answer is None:
            return self.reject(dispatcher, "consent", tracker)
        if answer is False:
            return self.withdraw()
        return self.accept("consent", True)

    @staticmethod
    def withdraws(value: Any) -> bool:
        """ "no thanks" or "don't keep my stuff" when asked one's name or e-mail: the
        consent given is taken back."""
        if not isinstance(value, str) or read_email(value):
            return False
        return reading.refuses_keeping(value) or read_yes_no(value) is False

    def withdraw(self) -> dict[str, Any]:
        # Nothing personal is asked or kept without consent.
        return self.accept("consent", False, first_name=None, email=None)

    def validate_first_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if self.withdraws(value):
            return self.withdraw()
        name = read_value("first_name", value)
        if name is None:
            return self.reject(dispatcher, "first_name", tracker)
        return self.accept("first_name", name)

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if self.withdraws(value):
            return self.withdraw()
        address = read_value("email", value)
        if address is None:
            return self.reject(dispatcher, "email", tracker)
        return self.accept("email", address)

    def validate_summary_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_value("summary_confirmed", value)
        if answer is None:
            return self.reject(dispatcher, "summary_confirmed", tracker)
        if answer is False:  # "no" to the summary: which answer is wrong?
            return self.accept("summary_confirmed", None, **{CORRECTION_PENDING: True})
        return self.accept("summary_confirmed", True)

    def validate_cancel_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # "ok on reprend" to "stop the pre-application?": no, go on (its "ok" is not a yes).
        # "ok I'm back", "ok, where were we?": read as resuming, however it is worded.
        intent, confidence = intent_of(tracker)
        said = isinstance(value, str) and reading.says_resume(value)
        resumes = said or (intent == "resume" and confidence >= SURE)
        answer = False if resumes else read_value("cancel_confirmed", value)
        if answer is None:
            return self.reject(dispatcher, "cancel_confirmed", tracker)
        if answer:
            dispatcher.utter_message(response="utter_pre_application_cancelled")
            return self.accept(
                "cancel_confirmed", None, **{CANCEL_PENDING: None, PAUSED_SLOT: "cancelled"}
            )
        # "Non, continuer", "ok on reprend": said so, then the pending question again.
        dispatcher.utter_message(response="utter_pre_application_resumed")
        return self.accept("cancel_confirmed", None, **{CANCEL_PENDING: None})

    def validate_correction_field(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        field = read_value("correction_field", value)
        nothing = read_value("summary_confirmed", value) is True  # "c'est bon", "ok"
        if nothing:
            return self.accept("correction_field", None, **{CORRECTION_PENDING: None})
        if field is None or field not in answered(tracker.slots):
            return self.reject(dispatcher, "correction_field", tracker)
        return self.accept("correction_field", None, **{CORRECTION_PENDING: None, **cleared(field)})

    def on_stuck(self, dispatcher: CollectingDispatcher, slot: str) -> dict[str, Any]:
        dispatcher.utter_message(response="utter_form_stuck", field=slot)
        return {PAUSED_SLOT: STUCK, CANCEL_PENDING: None, CORRECTION_PENDING: None}


# ---- Actions around the form ---------------------------------------------------------------


def opening_profile(tracker: Tracker) -> Optional[str]:
    """The current profile named by the message that starts the pre-application ("je veux
    candidater comme CTO"), not asked about ("je veux candidater, c'est quoi un CTO ?")."""
    text = text_of(tracker)
    if not text or "?" in text:
        return None
    profile = read_value("target_profile", text)
    return profile if profile in reading.CURRENT_PROFILES else None


class ActionPreApplicationStart(Action):
    """Introduces the form, or says it picks up where the candidate left off; a current
    profile named while asking to start is its first answer, noted."""

    def name(self) -> str:
        return "action_pre_application_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        resuming = bool(answered(tracker.slots))
        dispatcher.utter_message(
            response="utter_pre_application_resumed" if resuming else "utter_pre_application_intro"
        )
        events: list[EventType] = [
            SlotSet(PAUSED_SLOT, None),
            SlotSet(CANCEL_PENDING, None),
            SlotSet(CORRECTION_PENDING, None),
            SlotSet(INVALID_COUNT_SLOT, None),
            SlotSet(REQUESTED_SLOT, None),
        ]
        if not tracker.get_slot(TOKEN_SLOT):
            events.append(SlotSet(TOKEN_SLOT, secrets.token_hex(16)))
        profile = None if resuming else opening_profile(tracker)
        if profile is not None:
            dispatcher.utter_message(response="utter_answer_noted", field="target_profile")
            events.append(SlotSet("target_profile", profile))
        return events


class ActionAskSummaryConfirmed(Action):
    """Shows every answer before anything is stored, with a way to change each."""

    def name(self) -> str:
        return "action_ask_summary_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_pre_application_summary", **summary(tracker))
        return []


class ActionAskCorrectionField(Action):
    def name(self) -> str:
        return "action_ask_correction_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            response="utter_ask_correction_field", fields=answered(tracker.slots)
        )
        return []


def summary(tracker: Tracker) -> dict[str, Any]:
    """The answers, as arguments for the summary and result responses."""
    slots = tracker.slots
    years = slots.get("years_experience")
    arguments: dict[str, Any] = {
        "profile": slots.get("target_profile"),
        "years": int(years) if isinstance(years, (int, float)) else None,
        "entrepreneurial": slots.get("entrepreneurial_experience"),
        "description": slots.get("entrepreneurial_description"),
        "led_teams": slots.get("led_teams"),
        "project": slots.get("project_interest"),
        "consent": slots.get("consent"),
        "first_name": slots.get("first_name"),
        "email": slots.get("email"),
        "fields": answered(slots),
    }
    return {k: v for k, v in arguments.items() if v is not None}


def send_reference(reference: str) -> bool:
    """The confirmation e-mail of a pre-application stored with consent: the reference, the
    summary of the answers and how to delete them (``bot.mail``). False when e-mail is not
    configured; one that could not leave now is sent again by the next scheduled run."""
    mailer = mail()
    if mailer is None:
        return False
    try:
        recipient = mailer.application_recipient(reference)
        if recipient is not None:
            mailer.send_confirmation(recipient)
    except storage.StorageError as error:
        log.warning("confirmation not sent: %s", type(error).__name__)
    return True


class ActionSubmitPreApplication(Action):
    """After the form: the assessment, the pay, the steps, and the stored reference."""

    def name(self) -> str:
        return "action_submit_pre_application"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slots = tracker.slots
        if slots.get(PAUSED_SLOT) or slots.get("summary_confirmed") is not True:
            return []  # cancelled or paused: the form already said so
        k = knowledge.get()
        years = int(slots.get("years_experience") or 0)
        assessment = fit.assess(
            k,
            profile=str(slots.get("target_profile")),
            years=years,
            entrepreneurial=bool(slots.get("entrepreneurial_experience")),
            led_teams=slots.get("led_teams"),
        )
        reference: Optional[str] = None
        if slots.get("consent") is True:
            try:
                key = storage.conversation_key(tracker.sender_id, str(slots.get(TOKEN_SLOT)))
                reference = await in_thread(
                    lambda: applications().submit(
                        key,
                        language=conversation_language(tracker),
                        promotion=k.current.number,
                        target_profile=str(slots.get("target_profile")),
                        years_of_experience=years,
                        entrepreneurial_experience=bool(slots.get("entrepreneurial_experience")),
                        entrepreneurial_description=slots.get("entrepreneurial_description"),
                        led_teams=slots.get("led_teams"),
                        project_interest=str(slots.get("project_interest")),
                        first_name=str(slots.get("first_name")),
                        email=str(slots.get("email")),
                        consent=slots.get("consent"),  # storage checks it again
                    )
                )
            except (storage.StorageError, InvalidSubmission) as error:
                log.warning("pre-application not stored: %s", type(error).__name__)
                dispatcher.utter_message(response="utter_pre_application_storage_error")
                return [SlotSet("summary_confirmed", None), SlotSet(PAUSED_SLOT, "failed")]
        mailed = reference is not None and await in_thread(lambda: send_reference(reference))
        dispatcher.utter_message(
            response="utter_pre_application_result",
            mailed=mailed,
            level=assessment.level,
            gaps=assessment.gaps,
            years=years,
            profile=slots.get("target_profile"),
            reference=reference,
            first_name=slots.get("first_name"),
        )
        call_open = schedule.call_status(k.current.call, today()).state == schedule.OPEN
        if not call_open:
            # No e-mail can leave: no offer, but where to follow the call.
            dispatcher.utter_message(
                response="utter_offer_notification" if mail_available() else "utter_follow_call"
            )
        # A new pre-application starts afresh, and no personal answer outlives the form
        # (bot.domain.personal): the notification offer asks for the address again.
        return [SlotSet(name, None) for name in (*QUESTIONS, TOKEN_SLOT, PAUSED_SLOT)] + [
            SlotSet(REFERENCE_SLOT, reference),
        ]
