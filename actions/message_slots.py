"""One custom slot mapping action for every user message.

Rasa's ``action_extract_slots`` calls the action server once per distinct mapping action on
every message, each time with the whole tracker. The slots read from any message (its
language, the structure an administration names, whether it asks if the call is open
today right after a webinar follow-up, the side typed right after "you would like to
take part as…?" or told in a self-introduction, a wish to do the pre-application, a hello
with a first name) therefore share one action, so a message costs one
call instead of one per slot. They are set before the policies choose what to do, so that
a rule can depend on them for the very message that set them.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    FOLLOW_UP_REACH,
    NOTIFICATION_OFFERS,
    PAUSED_SLOT,
    STUCK,
    asked_pay_elsewhere,
    previous_topic,
    responses_back,
)
from bot.domain import question, reading
from bot.domain.hosts import structure_from_text
from bot.domain.language import follow
from bot.domain.nlu_keys import DETECTION_KEY
from bot.domain.small_talk import YES_NO_INTENTS

REPLY_SLOT = "language"  # what every reply to this message is rendered in
HOME_SLOT = "home_language"  # the conversation's language (bot.domain.language)
CALL_TODAY_SLOT = "asks_if_open_today"  # read by the rules of data/rules/webinars.yml
# Replies after which "donc je peux postuler dès aujourd'hui ?" asks about the call itself.
WEBINAR_REPLIES = {
    "utter_webinar_followup",
    "utter_webinar_followup_typed",
    "utter_webinar_not_yet",
    "utter_faq/webinars",
}


def language_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The ``language`` slot (this reply's) and ``home_language`` (the conversation's) after
    this message: kept, switched, or set at session start."""
    latest = tracker.latest_message or {}
    replied, home = tracker.get_slot(REPLY_SLOT), tracker.get_slot(HOME_SLOT)
    text = latest.get("text")
    chosen = follow(
        home,
        replied,
        latest.get(DETECTION_KEY),
        latest.get("metadata"),
        (latest.get("intent") or {}).get("name"),
        answers_a_form=bool(tracker.active_loop_name)
        and isinstance(text, str)
        and not reading.is_question(text),
    )
    events = [SlotSet(REPLY_SLOT, chosen.reply)] if chosen.reply != replied else []
    return events + ([SlotSet(HOME_SLOT, chosen.home)] if chosen.home != home else [])


def structure_events(tracker: Tracker) -> list[dict[str, Any]]:
    """Fills ``structure_type`` when someone names their structure ("je suis dans une mairie")."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    text = tracker.latest_message.get("text") or ""
    speaks_for_one = intent in ("i_am_administration", "host_check") or (
        isinstance(text, str) and introduces(tracker) == "administration"
    )
    if not speaks_for_one or tracker.active_loop_name:
        return []
    structure = structure_from_text(text)
    return [SlotSet("structure_type", structure)] if structure else []


def flag_events(tracker: Tracker, slot: str, on: Any) -> list[dict[str, Any]]:
    """A message slot read for this message: true when ``on``, else unset; an event only
    when it changes."""
    value = True if on else None
    return [SlotSet(slot, value)] if tracker.get_slot(slot) != value else []


def last_turn(tracker: Tracker) -> list[dict[str, Any]]:
    """The events between the previous user message and this one, in order: the
    assistant's last turn."""
    turn: list[dict[str, Any]] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif users == 1:
            turn.append(event)
    return turn[::-1]


def last_replies(tracker: Tracker) -> set[str]:
    """The responses the assistant sent between the previous user message and this one."""
    responses = (
        (event.get("metadata") or {}).get("utter_action")
        for event in last_turn(tracker)
        if event.get("event") == "bot"
    )
    return {response for response in responses if isinstance(response, str)}


# How many messages back a webinar reply still makes "can I apply right now?" a question
# on where the call stands (the webinar follow-up, then "and the salary?", then this).
WEBINAR_REACH = FOLLOW_UP_REACH


def replied_within(tracker: Tracker, responses: set[str], messages: int) -> bool:
    """Whether one of ``responses`` was sent since the user's ``messages``-th last message."""
    return any(r in responses for _, r in responses_back(tracker.events, messages))


def attended_and_asks_if_open(text: Any) -> bool:
    """ "I just attended your webinar, so I can apply today?": back from a webinar, and
    whether the call is open, in one message (the webinar follow-up answers both)."""
    return (
        isinstance(text, str) and reading.went_to_webinar(text) and reading.asks_if_open_now(text)
    )


def call_today_events(tracker: Tracker) -> list[dict[str, Any]]:
    """``asks_if_open_today``: "can I apply today?" shortly after a webinar follow-up (within
    ``WEBINAR_REACH`` messages), or naming a webinar ("y a eu un webinaire, je peux
    postuler maintenant ?"); not back from one in the same message, which is the webinar
    follow-up's (``webinar_next_events``)."""
    text = (tracker.latest_message or {}).get("text") or ""
    asks = (
        isinstance(text, str)
        and reading.asks_if_open_now(text)
        and not attended_and_asks_if_open(text)
        and (
            replied_within(tracker, WEBINAR_REPLIES, WEBINAR_REACH)
            or reading.mentions_webinar(text)
        )
    )
    return flag_events(tracker, CALL_TODAY_SLOT, asks)


WEBINAR_NEXT_SLOT = "asks_next_after_webinar"
MAX_WHAT_NEXT_WORDS = 10


def attended_earlier(tracker: Tracker) -> bool:
    """Whether a user message of this session said the visitor attended a webinar."""
    for event in reversed(tracker.events):
        if event.get("event") in ("session_started", "restart"):
            return False
        if event.get("event") == "user" and reading.went_to_webinar(str(event.get("text") or "")):
            return True
    return False


def webinar_next_events(tracker: Tracker) -> list[dict[str, Any]]:
    """``asks_next_after_webinar``: "et maintenant je fais quoi ?" right after the webinars'
    answer, from someone who said they attended one ("j'étais au webinaire, il y a un
    replay ?"), or back from a webinar asking whether the call is open in the same message
    (``attended_and_asks_if_open``): the webinar follow-up (its next steps; the call's state
    today), whatever intent it is read as. Not what follows an application ("et les
    prochaines étapes après le dossier ?"), which is the selection's steps."""
    text = (tracker.latest_message or {}).get("text")
    what_next = (
        isinstance(text, str)
        and len(reading.words(text)) <= MAX_WHAT_NEXT_WORDS
        and reading.asks_what_next(text)
        and not question.asks_after_applying(text)
        and bool(last_replies(tracker) & WEBINAR_REPLIES)
        and attended_earlier(tracker)
    )
    asks = not tracker.active_loop_name and (what_next or attended_and_asks_if_open(text))
    return flag_events(tracker, WEBINAR_NEXT_SLOT, asks)


# "you would like to take part as…?" answered in words (``reading.read_audience``), or a
# self-introduction that asks nothing (``reading.read_introduction``): read by the
# MessageSlotPolicy entries of config.yml, which send the side's welcome.
AUDIENCE_SLOTS = {
    "candidate": "answers_as_candidate",
    "administration": "answers_as_administration",
}
AUDIENCE_QUESTION = "utter_ask_audience"
# The classifiers' readings a self-introduction may get ("jsuis dev fullstack 4ans xp" reads
# as the profiles FAQ, "I'm a project manager in a central government directorate" as who
# can host); a wish the classifier recognised (to apply, to be told, to stop…) keeps its own,
# and a side it recognised (``i_am_candidate``, ``i_am_administration``) its rule.
INTRODUCTION_INTENTS = {"faq", "nlu_fallback", "out_of_scope", "correct", "greet", "participate"}


def introduces(tracker: Tracker) -> str | None:
    """The side of a self-introduction that asks nothing, outside a form."""
    latest = tracker.latest_message or {}
    text, intent = latest.get("text"), (latest.get("intent") or {}).get("name")
    if not isinstance(text, str) or intent not in INTRODUCTION_INTENTS:
        return None
    return None if tracker.active_loop_name else reading.read_introduction(text)


# The readings a letter asking for the host check gets ("we would like to verify whether
# our administration could welcome a team of EIGs": help; "… vérifier notre éligibilité en
# tant que structure d'accueil": who may host, or the candidates' eligibility check).
HOST_CHECK_READINGS = {
    "faq", "nlu_fallback", "out_of_scope", "help", "greet", "participate", "pre_apply",
    "i_am_candidate",
}  # fmt: skip


def wishes_host_check(tracker: Tracker) -> bool:
    """A wish to check that one's structure may host EIGs, outside a form
    (``reading.asks_host_check``; checking "our" eligibility right after an administrations'
    answer), whatever of ``HOST_CHECK_READINGS`` the classifier picked."""
    latest = tracker.latest_message or {}
    text, intent = latest.get("text"), (latest.get("intent") or {}).get("name")
    if not isinstance(text, str) or intent not in HOST_CHECK_READINGS or tracker.active_loop_name:
        return False
    if reading.asks_host_check(text):
        return True
    # "ok, on peut vérifier si on est éligibles ?" right after an administrations' answer
    return reading.asks_our_eligibility_check(text) and question.is_host_topic(
        previous_topic(tracker.events)
    )


def audience_events(tracker: Tracker) -> list[dict[str, Any]]:
    """``answers_as_candidate`` / ``answers_as_administration``: the side typed right after
    the assistant asked which one ("en tant que candidat", "as a candidate"), told in a
    self-introduction ("jsuis dev fullstack 4ans xp", "I work for a county council"), or an
    administration asking for the host check in words the classifier missed."""
    text = (tracker.latest_message or {}).get("text") or ""
    side = None
    if isinstance(text, str) and AUDIENCE_QUESTION in last_replies(tracker):
        side = reading.read_audience(text)
    if side is None:
        side = introduces(tracker)
    if side is None and wishes_host_check(tracker):
        side = "administration"  # its welcome starts the host check (data/rules/hosts.yml)
    events = []
    for value, slot in AUDIENCE_SLOTS.items():
        wanted = True if side == value else None
        if tracker.get_slot(slot) != wanted:
            events.append(SlotSet(slot, wanted))
    return events


PRE_APPLICATION_SLOT = "asks_pre_application"
# The readings a wish to do the pre-application may get besides ``pre_apply``: "go pour la
# precandidature" is unsure, "wanna see if I'm a match for the technical director role" the
# profiles FAQ, "J'ai 9 ans d'expérience, on peut tester mon éligibilité ?" a correction (with
# no form to correct) or an administration introducing itself; a move the classifier
# recognised (stop, resume, deleting one's data…) keeps its own.
PRE_APPLICATION_INTENTS = {
    "faq",
    "nlu_fallback",
    "out_of_scope",
    "greet",
    "participate",
    "i_am_candidate",
    "i_am_administration",
    "correct",
}


def paused_just_now(tracker: Tracker) -> bool:
    """Whether the assistant's last turn paused the pre-application after three answers it
    could not use (``utter_form_stuck``, offering to take it up again)."""
    paused = [
        e.get("value")
        for e in last_turn(tracker)
        if e.get("event") == "slot" and e.get("name") == PAUSED_SLOT
    ]
    return bool(paused) and paused[-1] == STUCK


def pre_application_events(tracker: Tracker) -> list[dict[str, Any]]:
    """``asks_pre_application``: a wish to do the pre-application or to check one's fit,
    outside a form, whatever the classifier made of it (``reading.asks_pre_application``);
    or a yes right after the pause that offers to take it up again ("oui", "yes please"),
    which the rules would otherwise read as a yes to the offer that follows a pre-application
    sent (being told when the call opens)."""
    latest = tracker.latest_message or {}
    text, intent = latest.get("text"), (latest.get("intent") or {}).get("name")
    if not isinstance(text, str) or tracker.active_loop_name:
        return flag_events(tracker, PRE_APPLICATION_SLOT, False)
    wish = intent in PRE_APPLICATION_INTENTS and reading.asks_pre_application(text)
    says_yes = intent == "affirm" or reading.read_yes_no(text) is True
    resumes = says_yes and paused_just_now(tracker)
    return flag_events(tracker, PRE_APPLICATION_SLOT, wish or resumes)


FOLLOW_UP_SLOT = "follows_previous_answer"
# "even hospitals?" read as a greeting, "et si j'en avais 12 ?" as a wish to apply: a short
# question that leans on the FAQ answer just given is answered about it (action_answer_faq)
# whatever of these the classifier picked; the FAQ readings already go there, and a move
# the classifier recognised otherwise (stop, thanks, deleting one's data…) keeps its own.
FOLLOW_UP_INTENTS = {
    "greet",
    "help",  # "wait what's this pool thing you mentioned"
    "pre_apply",
    "i_am_administration",
    "i_am_candidate",
    "out_of_scope",
    "participate",
    "correct",
}
# "et maintenant, pour la 7e ?" read as a goodbye, "thanks, and for the 6th?" as thanks: a
# follow-up when asked as a question ("and thanks!" stays thanks).
ASKED_COURTESIES = {"goodbye", "thank"}


# "ok and today with 12 years of xp?" read as a yes: a follow-up question too, unless a yes
# or a no was just asked for (the offer to be told when the call opens).
ASKS_YES_OR_NO = NOTIFICATION_OFFERS


def follow_up_events(tracker: Tracker) -> list[dict[str, Any]]:
    """``follows_previous_answer``: a short follow-up question (``question.leans_on_previous``)
    read as another intent, outside a form, within reach of a FAQ answer."""
    latest = tracker.latest_message or {}
    text, intent = latest.get("text"), (latest.get("intent") or {}).get("name")
    asked_as_yes_or_no = (
        intent in YES_NO_INTENTS
        and isinstance(text, str)
        and text.rstrip().endswith("?")
        and not last_replies(tracker) & ASKS_YES_OR_NO
    )
    asked_courtesy = (
        intent in ASKED_COURTESIES and isinstance(text, str) and text.rstrip().endswith("?")
    )
    follows = (
        isinstance(text, str)
        and (intent in FOLLOW_UP_INTENTS or asked_as_yes_or_no or asked_courtesy)
        and not tracker.active_loop_name
        and question.leans_on_previous(text)
        # "et ici ?" right after another employer's pay, answered "not my subject"
        and (previous_topic(tracker.events) is not None or asked_pay_elsewhere(tracker.events))
    )
    return flag_events(tracker, FOLLOW_UP_SLOT, follows)


NOTIFICATION_SLOT = "accepts_notification"
MAX_ADDRESS_WORDS = 4  # "oui : marie@orange.fr", "c'est marie@orange.fr"


def gives_only_an_address(text: str) -> bool:
    """An e-mail address, alone or with a few words around it ("oui, marie@orange.fr"), not
    a question about one."""
    return (
        reading.read_email(text) is not None
        and "?" not in text
        and len(text.split()) <= MAX_ADDRESS_WORDS
    )


def notification_events(tracker: Tracker) -> list[dict[str, Any]]:
    """``accepts_notification``: a yes to the offer to be told when the call opens, just
    made, however the classifier read it ("Yes, I would appreciate that" as thanks, "oui je
    veux bien être prévenue" as a wish to take part); MessageSlotPolicy then starts
    ``notify_form``. Not a wish of another kind said with a yes ("ok, I'd like to do the
    pre-application"), which its own rule or policy answers."""
    latest = tracker.latest_message or {}
    text, intent = latest.get("text"), (latest.get("intent") or {}).get("name")
    if not isinstance(text, str) or "?" in text:
        says_yes = intent == "affirm"
    elif intent in ASKED_COURTESIES:
        says_yes = reading.says_yes_outright(text)  # not "d'accord, merci"
    else:
        says_yes = intent == "affirm" or reading.read_yes_no(text) is True
    # "marie.lefort@orange.fr" typed instead of a yes: where to write, so a yes
    gives_address = isinstance(text, str) and gives_only_an_address(text)
    says_yes = says_yes or gives_address
    # "ok, I'd like to do the pre-application": another wish, not a yes to the offer
    wishes_other = isinstance(text, str) and (
        reading.asks_pre_application(text) or reading.asks_host_check(text)
    )
    accepts = (
        says_yes
        and not wishes_other
        and not tracker.active_loop_name
        and bool(last_replies(tracker) & NOTIFICATION_OFFERS)
    )
    events = flag_events(tracker, NOTIFICATION_SLOT, accepts)
    if accepts and gives_address:
        # the form then has its address and asks only for the consent
        events.append(SlotSet("email", reading.read_email(str(text))))
    return events


HOST_CHECK_RESUME_SLOT = "resumes_host_check"
# The host check's answers, kept when it was stopped; the pre-application's first ones.
HOST_CHECK_ANSWERS = ("structure_type", "has_data_project")
PRE_APPLICATION_ANSWERS = ("target_profile", "years_experience", "pre_application_paused")


def host_check_resume_events(tracker: Tracker) -> list[dict[str, Any]]:
    """``resumes_host_check``: "ok I'm back, can we continue?" after the host check was
    stopped with answers kept, and no pre-application under way, which "resume" would
    otherwise start."""
    latest = tracker.latest_message or {}
    text, intent = latest.get("text"), (latest.get("intent") or {}).get("name")
    wish = intent == "resume" or (isinstance(text, str) and reading.says_resume(text))
    resumes = (
        wish
        and not tracker.active_loop_name
        and any(tracker.get_slot(s) is not None for s in HOST_CHECK_ANSWERS)
        and all(tracker.get_slot(s) is None for s in PRE_APPLICATION_ANSWERS)
    )
    return flag_events(tracker, HOST_CHECK_RESUME_SLOT, resumes)


GREETING_SLOT = "greets_by_name"
# "Salut, moi c'est Inès !" read as unsure, out of scope or a FAQ question; the name given
# inside a form is the form's business (the first name question).
GREETING_INTENTS = {"faq", "nlu_fallback", "out_of_scope", "greet", "correct", "i_am_candidate"}


def greeting_events(tracker: Tracker) -> list[dict[str, Any]]:
    """``greets_by_name``: a hello with a first name, outside a form
    (``reading.greets_by_name``)."""
    latest = tracker.latest_message or {}
    text, intent = latest.get("text"), (latest.get("intent") or {}).get("name")
    greets = (
        isinstance(text, str)
        and intent in GREETING_INTENTS
        and not tracker.active_loop_name
        and reading.greets_by_name(text)
    )
    return flag_events(tracker, GREETING_SLOT, greets)


class ActionReadMessage(Action):
    def name(self) -> str:
        return "action_read_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return [
            *language_events(tracker),
            *structure_events(tracker),
            *call_today_events(tracker),
            *audience_events(tracker),
            *pre_application_events(tracker),
            *greeting_events(tracker),
            *follow_up_events(tracker),
            *host_check_resume_events(tracker),
            *notification_events(tracker),
            *webinar_next_events(tracker),
        ]
