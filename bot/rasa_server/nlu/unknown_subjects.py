"""Answers "I don't know" to a question about a subject the official texts never cover.

"How many days of paid leave do EIGs get?" was answered with the administrations'
co-financing, "Is health insurance included?" was called out of scope: the classifiers
read the words they know (EIG, salary, contract) and pick the nearest topic, although the
texts say nothing of leave or health insurance. ``bot.domain.asked.unknown_subject`` names
the subjects the texts do not cover (meal vouchers, health insurance, days off, part-time
work, a side activity, housing, remote work, nationality and residence). When a message asks
about one of the subjects in ``SURE_SUBJECTS`` and the classifiers chose another topic, an
unsure reading or "out of scope", this component, placed after ``TopicFallback``, makes
the parse the ``faq/not_in_sources`` topic; so does a subject of
``bot.domain.asked.OTHER_UNKNOWN_SUBJECTS`` (a laptop, a trial period, a pension, travel
expenses, overseas territories, childcare, applying as a pair, a dress code, a driving
licence, a notice period, a thirteenth month, how long the selection takes, whether
the interviews are held online or in person): the answer says the texts do not say and where
to ask (``bot.wording.answers``). The subjects left out of ``SURE_SUBJECTS`` also name things
the texts do answer ("combien de postes", "how many EIGs", "parler anglais" for the
language switch, unless it asks whether a language is required, "20 ans" of experience, a
civil servant's contract); places count as unknown only for the current promotion ("combien
de places pour la 7e promotion ?", ``asked.asks_current_places``).

Training data goes through unchanged. The figures before and after are in
``docs/understanding.md``.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
)
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RESPONSE_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.asked import (
    asks_current_places,
    other_unknown_subject,
    surely_asks,
    unknown_subject,
)
from bot.domain.language import asks_language_requirement
from bot.rasa_server.nlu.readings import put_intent, readable_text, topic_chosen

# The subjects whose words only ever ask about something the texts do not cover.
SURE_SUBJECTS = frozenset(
    {
        "meal_vouchers",
        "health_insurance",
        "days_off",
        "part_time",
        "side_activity",
        "housing",
        "remote_work",
        "nationality",
    }
)
UNKNOWN_SUBJECT_KEY = "unknown_subject"  # on the parse: the subject that decided it
# The classifiers' own "the texts do not answer it", this sure, is left as it is.
SURE_READING = 0.6
# "any help with housing?" read as a request for help: the subject, which the texts do not cover
OVERRIDDEN = {"faq", DEFAULT_NLU_FALLBACK_INTENT_NAME, "out_of_scope", "help"}


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
LONG_MESSAGE_WORDS = 25


def last_question(text: str) -> str:
    """What a long message asks: its last sentence ("I have a notice period of three months.
    How does the recruitment unfold?" asks about the recruitment); a short one whole."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s]
    if len(text.split()) <= LONG_MESSAGE_WORDS or len(sentences) < 2:
        return text
    return sentences[-1]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnknownSubjects(GraphComponent):
    """``faq/not_in_sources`` for a question about a subject the texts never cover."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "topic": "not_in_sources"}

    def __init__(self, config: dict[str, Any]) -> None:
        self.retrieval_intent = str(config["retrieval_intent"])
        self.topic = str(config["topic"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls({**cls.get_default_config(), **config})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = readable_text(message)
            if text is None:
                continue
            intent = message.get(INTENT) or {}
            # "et il faut parler anglais ?" read as a request to switch languages
            requirement = asks_language_requirement(text)
            if intent.get(INTENT_NAME_KEY) not in OVERRIDDEN and not (
                requirement and intent.get(INTENT_NAME_KEY) == "change_language"
            ):
                continue
            selection = message.get(RESPONSE_SELECTOR_PROPERTY_NAME)
            chosen = (selection or {}).get(self.retrieval_intent) or {}
            prediction = chosen.get(RESPONSE_SELECTOR_PREDICTION_KEY) or {}
            key = f"{self.retrieval_intent}/{self.topic}"
            sure = float(prediction.get("confidence") or 0.0) >= SURE_READING
            already = prediction.get(INTENT_RESPONSE_KEY) == key
            if intent.get(INTENT_NAME_KEY) == "faq" and already and sure:
                continue  # read so already; unsure, it is made sure (a follow-up would
                # otherwise take the previous answer's topic)
            asked = last_question(text)
            subject = unknown_subject(asked)
            if subject == "languages" and requirement:
                pass  # the languages the programme requires: the texts do not say
            elif subject == "places" and asks_current_places(asked):
                pass  # the current promotion's places: its texts do not give them
            elif surely_asks(subject, asked):
                pass  # "y a-t-il une limite d'âge ?", "do you help with relocation?"
            elif subject not in SURE_SUBJECTS:
                subject = other_unknown_subject(asked)
            if subject is None:
                continue
            put_intent(message, self.retrieval_intent, 1.0, replace=True)
            message.set(
                RESPONSE_SELECTOR_PROPERTY_NAME,
                topic_chosen(selection, self.retrieval_intent, self.topic),
                add_to_output=True,
            )
            message.set(UNKNOWN_SUBJECT_KEY, subject, add_to_output=True)
        return messages
