"""Keeps a general question about hosts from being taken for an administration introducing
itself.

"Un hôpital peut-il déposer un projet ?" or "what kind of government agencies did previous
EIGs join?" were read as ``i_am_administration`` (the words of administrations), so the
assistant welcomed an administration and started the host check instead of answering. An
administration that introduces itself speaks of itself ("je travaille dans une mairie",
"can our hospital host EIGs?"); a question that says nothing of the one asking is a
question about the programme. When the intent is ``i_am_administration``, the message is a
question, it has no first-person word, and the response selector is sure enough of a topic
(``min_topic_confidence``), this component, placed after the fallbacks, makes the parse
that FAQ topic. An administration that asks about the call's rules (its commitments, the
co-financing, the kind of project, the timeline: ``HOST_RULE_TOPICS``), directly or not,
gets that answer too, however much it speaks of itself; whether it may host EIGs stays the
host check. A candidate who names a profile and asks ("je suis designer, c'est bon ?")
asks whether it is sought. Training data goes through unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain import question
from bot.domain.reading import asks_something, fold, is_question
from bot.rasa_server.nlu.readings import put_intent, readable_text
from bot.rasa_server.nlu.topic_fallback import topic_confidences

INTRODUCTION_INTENTS = frozenset({"i_am_administration"})
CANDIDATE_INTRODUCTION = "i_am_candidate"
# The call for projects' rules an administration asks about, as opposed to whether it may
# host EIGs (``host_who_can_apply``, which its own structure makes the host check).
HOST_RULE_TOPICS = frozenset(
    {"host_commitments", "host_cofinancing", "host_project_criteria", "host_timeline"}
)
_FIRST_PERSON = re.compile(
    r"\b(je|j|moi|mon|ma|mes|nous|notre|nos|on|i|im|me|my|mine|we|our|ours|us)\b"
)


# Whether one may host: the host check's question, not the call's rules.
_HOSTING = re.compile(
    r"\b(?:accueill\w*|heberg\w*|recevoir|(?:host|hosting|welcome|receive|take on|have)"
    r"\s+(?:an? |some |\d+ )?(?:eigs?|entrepr\w*|them|teams?|talents?)|"
    # "on voudrait savoir si notre projet est éligible": the check, not co-financing's rules
    r"eligib\w*(?! (?:au|a la|aux|for|to) (?:co ?financ\w*|pia|funding|financement)))\b"
)


def speaks_of_oneself(text: str) -> bool:
    """ "notre commune…", "can our hospital…", "I work…": a first-person word."""
    return _FIRST_PERSON.search(fold(text)) is not None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class QuestionsAreNotIntroductions(GraphComponent):
    """A general question read as an introduction becomes its FAQ topic."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "min_topic_confidence": 0.5}

    def __init__(self, config: dict[str, Any]) -> None:
        self.retrieval_intent = str(config["retrieval_intent"])
        self.min_topic_confidence = float(config["min_topic_confidence"])

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
            if intent.get(INTENT_NAME_KEY) == CANDIDATE_INTRODUCTION:
                # "je suis designer, c'est bon ?": whether that profile is sought (the
                # profiles' answer for it, ``question.topics_to_answer``), not a welcome
                if is_question(text) and question.read_profile(text) not in (None, "other"):
                    put_intent(message, self.retrieval_intent, 1.0, replace=True)
                continue
            if intent.get(INTENT_NAME_KEY) not in INTRODUCTION_INTENTS:
                continue
            selection = message.get(RESPONSE_SELECTOR_PROPERTY_NAME)
            topic = question.parsed_from(None, selection, self.retrieval_intent).topic
            # "I write on behalf of our Director General, who wishes to know what
            # obligations a host administration has": a question on the call's rules, however
            # much the administration speaks of itself ("can our hospital host EIGs?" stays
            # the host check: whether it may host).
            on_the_rules = (
                topic in HOST_RULE_TOPICS
                and asks_something(text)
                and _HOSTING.search(fold(text)) is None  # "can my comune host entreprenuers?"
            )
            if not on_the_rules and (not is_question(text) or speaks_of_oneself(text)):
                continue
            confidences = topic_confidences(selection, self.retrieval_intent)
            if not confidences or confidences[0] < self.min_topic_confidence:
                continue
            put_intent(message, self.retrieval_intent, 1.0, replace=True)
        return messages
