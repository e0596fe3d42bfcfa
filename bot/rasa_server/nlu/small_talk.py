"""Reads a message made only of courtesies as the greeting, thanks or goodbye it is, one
that opens with a stop as a stop, and one back from a webinar as its follow-up.

The classifiers read "super merci, bonne soirée" as unsure and "k thx bye" as thanks:
courtesies are worded in endless ways and weigh little against the programme's questions
in training. ``bot.domain.small_talk`` tells them from their words; this component, placed
after the fallbacks, makes the parse that intent. A yes or a no read by the classifiers
("ok merci" at a form's question) stays as read. Training data goes through unchanged.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.domain import question
from bot.domain.asked import asks_for_recording, glossary_topic
from bot.domain.reading import (
    CURRENT_PROFILES,
    asks_erasure,
    asks_for_address,
    asks_how_to_apply,
    asks_recap,
    asks_what_next,
    attended_webinar,
    ends_with_stop,
    is_question,
    opens_with_stop,
    puts_off,
    read_profile,
)
from bot.domain.small_talk import asks_if_bot, keeps_yes_or_no, small_talk
from bot.rasa_server.nlu.readings import ParseOnly, put_intent, readable_text, topic_chosen

DELETE_MY_DATA = "delete_my_data"
# What the classifiers make of "pls erase my stuff", "mon dossier porte la référence …, vous
# pouvez effacer mes données ?" besides the request itself.
ERASURE_READINGS = frozenset(
    {"faq", "nlu_fallback", "out_of_scope", "thank", "help", "correct", "greet", "deny"}
)


# A question read as a webinar follow-up, which it is not, is a programme question when
# the response selector is this sure of its topic ("Il y a des sessions d'information prévues
# pour les futurs candidats ?": the webinars), whatever the next intent (there, a candidate
# introducing themselves at 0.05).
DEMOTED_TOPIC_SURE = 0.5


CONTACT = "contact"
APPLY = "apply"
WEBINARS = "webinars"
# What the classifiers make of "le PIA c'est quoi ?" besides the right topic.
TERM_READINGS = frozenset({"faq", "nlu_fallback", "out_of_scope", "help", "greet"})
RESUME = "resume"
PRE_APPLY = "pre_apply"
# What the classifiers make of "is there an email to discuss it?" besides the contact FAQ.
ADDRESS_READINGS = frozenset({"notify_me", "nlu_fallback", "participate", "help", "out_of_scope"})


def demote(message: Message, read: str) -> None:
    """The message, read as ``read`` which it is not, is a programme question when its
    topic is clear, else the classifiers' next reading becomes its intent."""
    topic = question.parsed_from(
        message.get(INTENT), message.get(RESPONSE_SELECTOR_PROPERTY_NAME)
    ).topic_confidence
    if topic >= DEMOTED_TOPIC_SURE:
        put_intent(message, question.FAQ_INTENT, topic, replace=True)
        return
    ranking = [
        item for item in message.get(INTENT_RANKING_KEY) or [] if item.get(INTENT_NAME_KEY) != read
    ]
    if ranking:
        put_intent(message, ranking[0][INTENT_NAME_KEY], ranking[0].get("confidence", 0.0),
                   replace=True)  # fmt: skip


def choose_topic(message: Message, topic: str) -> None:
    """The message becomes the FAQ question of ``topic``, sure."""
    put_intent(message, question.FAQ_INTENT, 1.0, replace=True)
    message.set(
        RESPONSE_SELECTOR_PROPERTY_NAME,
        topic_chosen(message.get(RESPONSE_SELECTOR_PROPERTY_NAME), question.FAQ_INTENT, topic),
        add_to_output=True,
    )


def follows_without_erasure(text: str) -> bool:
    """A short follow-up question that asks nothing to be erased."""
    return question.leans_on_previous(text) and not asks_erasure(text)


# What the classifiers make of "et le prochain ?" (as "à la prochaine !").
COURTESIES = frozenset({"greet", "thank", "goodbye"})


def asks_on_previous(text: str) -> bool:
    """A question, not only courtesies, that reads as a follow-up of the previous answer."""
    return is_question(text) and question.leans_on_previous(text)


def read_as_follow_up_question(text: str, read: Optional[str], kind: Optional[str]) -> bool:
    """A follow-up question read as a courtesy ("et le prochain ?") or, naming a year or a
    promotion, as coming back to the form ("and back in 2018?")."""
    if not asks_on_previous(text):
        return False
    if read in COURTESIES:
        return kind is None
    dated = question.read_calendar_year(text) or question.read_promotion(text)
    return read == RESUME and dated is not None


def back_from_webinar(text: str) -> bool:
    """Back from a webinar and asking what comes next, or nothing else: "I attended the
    webinar yesterday, what now?" (with another question, "…, what's the salary?", the
    question is read: ``question.core_question``)."""
    if not attended_webinar(text):
        return False
    if asks_what_next(text) or asks_recap(text):
        return True  # what now, or what was said ("tu peux me redonner les points clés ?")
    # "Bonjour, je sors du webinaire de présentation": said, nothing asked or requested
    short = len(text.split()) <= MAX_WEBINAR_STATEMENT_WORDS
    return short and not is_question(text) and not question.makes_request(text)


MAX_WEBINAR_STATEMENT_WORDS = 16  # "Bonjour, j'ai suivi le webinaire sur les métiers du code…"
STOP = "stop"
BOT_CHALLENGE = "bot_challenge"
WEBINAR_FOLLOWUP = "webinar_followup"
# What the classifiers make of "I was at the webinar yesterday, what now?" besides the
# follow-up itself: the webinars FAQ, help, unsure, a greeting; a wish they recognised
# (to be told, to apply…) keeps its own.
FOLLOWUP_READINGS = frozenset(
    {"faq", "help", "nlu_fallback", "greet", "out_of_scope", "i_am_candidate"}
)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SmallTalk(ParseOnly):
    """``greet``, ``thank`` or ``goodbye`` for a message of courtesies only; ``stop`` for a
    message that opens with a stop ("stop, je dois d'abord voir avec mon chef", "let's stop
    here, I need to talk to my manager first"), which the classifiers read as unsure or as
    an answer when a reason follows; ``webinar_followup`` for someone back from a webinar
    ("I was at the webinar yesterday, what now?"), which they read as the webinars FAQ;
    ``bot_challenge`` for "are you a real person btw?", which they once read as an
    administration introducing itself (it started the host check in the middle of a
    pre-application); ``delete_my_data`` for a wish to have one's data erased ("pls erase
    my stuff"), and not for a follow-up that asks nothing erased ("and data scientists, not
    anymore?"); the contact FAQ for "il y a un mail pour en parler ?", which they read as a
    wish to be told when the call opens."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = readable_text(message)
            kind = small_talk(text) if text else None
            read = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if read == WEBINAR_FOLLOWUP and text and not back_from_webinar(text):
                # "Having attended your webinar, when is the next one?": a question on webinars
                demote(message, WEBINAR_FOLLOWUP)
                continue
            if text and read and read_as_follow_up_question(text, read, kind):
                # "et le prochain ?" read as "à la prochaine", "and back in 2018?" as "I'm
                # back": a follow-up question, of a clear topic or unsure (then the previous
                # answer's, actions/topics.py)
                demote(message, read)
                if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != question.FAQ_INTENT:
                    put_intent(message, question.UNSURE_INTENT, 1.0, replace=True)
                continue
            if read == RESUME and text and read_profile(text) in CURRENT_PROFILES:
                # "ok je continue : technique": the profile asked, with a word of going on
                demote(message, RESUME)
                if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == RESUME:
                    put_intent(message, question.UNSURE_INTENT, 1.0, replace=True)
                continue
            if read == DELETE_MY_DATA and text and follows_without_erasure(text):
                # "and data scientists, not anymore?": a follow-up, not a wish to be erased
                demote(message, DELETE_MY_DATA)
                continue
            if (
                kind is None
                and text
                and (opens_with_stop(text) or ends_with_stop(text) or puts_off(text))
            ):
                kind = STOP
            if kind is None and text and asks_if_bot(text):
                kind = BOT_CHALLENGE  # "are you a real person btw?" read as an administration
            if kind is None and text and read in FOLLOWUP_READINGS and back_from_webinar(text):
                kind = WEBINAR_FOLLOWUP
            if kind is None and text and read in ERASURE_READINGS and asks_erasure(text):
                kind = DELETE_MY_DATA
            if kind is None and text and read in ADDRESS_READINGS and asks_for_address(text):
                # "il y a un mail pour en parler ?": the team's address, not the alert
                choose_topic(message, CONTACT)
                continue
            term = glossary_topic(text) if kind is None and text and read in TERM_READINGS else None
            if term is not None:
                # "le PIA c'est quoi ?", "Etalab c'est quoi exactement ?": the answer that says
                choose_topic(message, term)
                continue
            if kind is None and text and read in TERM_READINGS and asks_for_recording(text):
                # "is there a recording?" read as unsure: the webinars' answer
                choose_topic(message, WEBINARS)
                continue
            if kind is None and text and read == PRE_APPLY and asks_how_to_apply(text):
                # "comment je postule ?": how to apply, not a wish to start the pre-application
                choose_topic(message, APPLY)
                continue
            if kind is None:
                continue
            # a stop read with doubt is made sure: a form takes only a sure move as one
            if (read != kind or kind == STOP) and not keeps_yes_or_no(text or "", read):
                put_intent(message, kind, 1.0, replace=True)
        return messages
