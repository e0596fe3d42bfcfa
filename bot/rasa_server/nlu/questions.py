"""Reads each question of a message that asks several, and flags the messages whose answer
depends on more than their topic.

``QuestionSplitter`` (before the tokenizer) cuts a message that asks two or three things
at once ("quel salaire et quel type de contrat ?", ``bot.domain.question.clauses``) and
adds one message per question to the batch, so that every later component — featurizers,
the intent classifier, the ResponseSelector, the fallbacks — reads each question as it
reads a message of its own. ``QuestionReader`` (last) takes them back out: the parsed
message gets ``question_clauses`` (each question's intent and FAQ topic, in order), and
the entity ``question_detail`` when its answer needs the action that reads the case, the
previous answer or the clauses (``actions/topics.py``): two questions with different
topics, a case (years, a promotion or a year, a profile, a seniority, a time), or the
start of a follow-up. Messages without it keep the plain ``utter_faq`` rule, with no call
to the action server.

A message of several sentences ("J'ai 9 ans de métier, j'ai monté une agence… C'est quel
contrat ?", "Madame, Monsieur, je souhaiterais connaître… Veuillez agréer…") gets one more
message, its question (``question.core_question``): its context and courtesies outweighed
the question in the n-gram features. When the classifiers are sure of that question, the
message is read as it. So is a message that opens with who writes and then asks ("je suis
au service informatique d'un CHU, les hôpitaux peuvent candidater ?",
``question.question_after_introduction``) when the classifiers took it for the
introduction alone. And so is a message that names a webinar only as where its question
comes from ("in the webinar you mentioned the contract, what kind is it again?",
``question.webinar_as_context``), read as the webinars, their follow-up or unsure: its
question without the webinar's words, when the classifiers are sure of another topic.

Training data goes through unchanged: both components only act on messages to parse.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.domain import clock, question
from bot.domain.nlu_keys import CLAUSES_KEY, DETAIL_ENTITY, LANGUAGE_KEY
from bot.rasa_server.nlu.readings import ParseOnly, readable_text
from bot.rasa_server.nlu.small_talk import STOP, WEBINAR_FOLLOWUP

_CLAUSES = "question_clause_messages"  # on a message: the messages of its questions
_IS_CLAUSE = "question_is_clause"  # on a question's message
# Moves read from the whole message's words (``SmallTalk``): its question does not undo them.
MOVES_READ_IN_WORDS = frozenset({WEBINAR_FOLLOWUP, STOP})
_CORE = "question_core_message"  # on a message of several sentences: its question's message
# On a message that opens with who writes: the question after it ("je suis agent d'un CHU,
# les hôpitaux peuvent candidater ?"), which the classifiers read as an introduction.
_AFTER_INTRODUCTION = "question_after_introduction_message"
INTRODUCTIONS = frozenset({"i_am_administration", "i_am_candidate"})
# "ah pardon je parle français en fait, il y a combien d'entretiens ?": read as the language
# asked for, it is answered by its question, in that language (actions/message_slots.py).
OPENINGS = INTRODUCTIONS | {"change_language"}
# "Kevin here, how do I apply?" read as a greeting or unsure: by its question too.
READ_BY_QUESTION_AFTER_OPENING = OPENINGS | {"greet", question.UNSURE_INTENT}
# On a message that names a webinar as where its question comes from: the question without
# the webinar's words (``question.webinar_as_context``).
_WITHOUT_WEBINAR = "question_without_webinar_message"
# What the classifiers make of such a message: the webinars, their follow-up, or unsure.
WEBINAR_READINGS = frozenset({WEBINAR_FOLLOWUP, question.UNSURE_INTENT})
MIN_WEBINAR_CONTEXT_CONFIDENCE = 0.8


def parsed(message: Message) -> question.Parsed:
    """A message's intent and best FAQ topic."""
    return question.parsed_from(message.get(INTENT), message.get(RESPONSE_SELECTOR_PROPERTY_NAME))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class QuestionSplitter(ParseOnly):
    """Adds a message for each question of a message that asks several, and one for the
    question of a message of several sentences."""

    def process(self, messages: list[Message]) -> list[Message]:
        added: list[Message] = []
        for message in messages:
            text = readable_text(message)
            if not text:
                continue
            core = question.core_question(text)
            parts = question.clauses(text)
            own = [Message(data={TEXT: part, _IS_CLAUSE: True}) for part in parts]
            if core:
                message.set(_CORE, Message(data={TEXT: core, _IS_CLAUSE: True}))
                own.append(message.get(_CORE))
            asked = None if parts else question.question_after_introduction(text)
            if asked:
                message.set(_AFTER_INTRODUCTION, Message(data={TEXT: asked, _IS_CLAUSE: True}))
                own.append(message.get(_AFTER_INTRODUCTION))
            without = None if parts else question.webinar_as_context(text)
            if without:
                message.set(_WITHOUT_WEBINAR, Message(data={TEXT: without, _IS_CLAUSE: True}))
                own.append(message.get(_WITHOUT_WEBINAR))
            for part in own:
                if message.get(LANGUAGE_KEY):
                    part.set(LANGUAGE_KEY, message.get(LANGUAGE_KEY))
            if parts:
                message.set(_CLAUSES, own[: len(parts)])
            added += own
        messages.extend(added)  # the same list: every later component reads them
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class QuestionReader(ParseOnly):
    """Takes the questions' messages out, with what they were read as, reads a message of
    several sentences as its question when sure of it, and flags the messages whose answer
    depends on more than their topic (``question_detail``)."""

    def process(self, messages: list[Message]) -> list[Message]:
        kept = [m for m in messages if not m.get(_IS_CLAUSE)]
        for message in kept:
            text = readable_text(message)
            if text is None:
                continue
            core = message.get(_CORE)
            read_as = (message.get(INTENT) or {}).get("name")
            moved = read_as in MOVES_READ_IN_WORDS
            after_opening = message.get(_AFTER_INTRODUCTION)
            if read_as in READ_BY_QUESTION_AFTER_OPENING and after_opening is not None:
                core = after_opening
            if (
                core is not None
                and not moved
                and parsed(core).is_sure(question.MIN_CORE_CONFIDENCE)
            ):
                for key in (INTENT, INTENT_RANKING_KEY, RESPONSE_SELECTOR_PROPERTY_NAME):
                    if core.get(key) is not None:
                        message.set(key, core.get(key), add_to_output=True)
            self.read_without_webinar(message)
            parts = [(parsed(m), m.get(TEXT)) for m in message.get(_CLAUSES) or []]
            if parts:
                message.set(
                    CLAUSES_KEY,
                    [question.clause_record(p, t) for p, t in parts],
                    add_to_output=True,
                )
            detail = self.detail(text, parsed(message), [p for p, _ in parts])
            if detail:
                entity = {
                    ENTITY_ATTRIBUTE_TYPE: DETAIL_ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: detail,
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: len(text),
                    EXTRACTOR: type(self).__name__,
                }
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return kept

    @staticmethod
    def read_without_webinar(message: Message) -> None:
        """A message that names a webinar as where its question comes from, read as the
        webinars, their follow-up or unsure: read as its question without the webinar's
        words when the classifiers are sure of another topic for it."""
        without = message.get(_WITHOUT_WEBINAR)
        if without is None:
            return
        whole = parsed(message)
        webinars = whole.intent == question.FAQ_INTENT and whole.topic == question.WEBINARS
        if not webinars and whole.intent not in WEBINAR_READINGS:
            return
        read = parsed(without)
        if (
            read.intent != question.FAQ_INTENT
            or read.topic == question.WEBINARS
            or not read.is_sure(MIN_WEBINAR_CONTEXT_CONFIDENCE)
        ):
            return
        for key in (INTENT, INTENT_RANKING_KEY, RESPONSE_SELECTOR_PROPERTY_NAME):
            if without.get(key) is not None:
                message.set(key, without.get(key), add_to_output=True)

    @staticmethod
    def detail(text: str, whole: question.Parsed, parts: list[question.Parsed]) -> Optional[str]:
        """Why the answer needs more than the topic: ``clauses``, ``follow_up``, ``case``, or
        ``today`` (the deadline, whose answer offers to tell when the call opens)."""
        if question.clause_topics(parts):
            return "clauses"
        if question.leans_on_previous(text) or question.asks_threshold(text):
            return "follow_up"  # "from how many years?" after the pay: where its bands start
        if question.refers_back(text):
            return "case"  # "on avait jusqu'à quand pour postuler cette année-là ?"
        if question.names_time_from_now(text) and question.bare_years(text) is not None:
            return "follow_up"  # "et dans 3 ans j'en aurai onze, ça change ?"
        if whole.intent in (question.FAQ_INTENT, question.UNSURE_INTENT):
            # "renewable?"; "how many years of experience do you need?" (the profiles)
            if question.is_fragment(text):
                return "follow_up"
            if question.counts_selection_steps(text):
                return "case"  # "how many interviews in total?": the selection's steps
            if question.asks_required_experience(text) or question.names_pay_amount(text):
                return "case"  # the profiles; the pay ("5k a month, is that true?")
            if whole.intent == question.UNSURE_INTENT and question.says_pay(text):
                return "case"  # "la prime de 6 % c'est sur quoi ?" right after the pay
        # "combien gagne un EIG aujourd'hui ?", read as out of scope: the programme's pay
        if whole.intent == question.OUT_OF_SCOPE_INTENT and question.asks_programme_pay(text):
            return "case"
        case = question.read(text, clock.today())
        if not case.is_empty() or case.asks_time:
            return "case"
        if whole.intent == question.FAQ_INTENT and whole.topic == question.DEADLINE:
            return "today"  # while the call is not open, the offer to be told when it opens
        webinars = whole.intent == question.FAQ_INTENT and whole.topic == question.WEBINARS
        if webinars and question.asks_upcoming(text):
            return "today"  # "y a un webinaire bientôt ?": what is ahead only
        return None
