"""Turns a FAQ question whose topic the response selector is unsure of into ``nlu_fallback``.

Rasa's ``FallbackClassifier`` reads the intent's confidence only. Every FAQ topic shares
one intent, ``faq``, which holds half the training examples: the intent classifier is
sure of ``faq`` for nearly any question (confidence 0.99 and more, even for questions the
texts do not answer), and which answer to give is the ``ResponseSelector``'s choice,
whose confidence nothing checked. A question far from every topic still got the nearest
one's answer. This component, placed after both, applies a threshold (and an ambiguity
margin between the first two topics) to the topic's confidence, as the
``FallbackClassifier`` does to the intent's; the ranking is kept, so "did you mean…?"
still offers the likeliest topics. The figures behind the thresholds are in
``docs/understanding.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_DEFAULT_INTENT,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
)
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.nlu.readings import put_intent


def topic_confidences(selection: Any, retrieval_intent: str) -> list[float]:
    """The confidences of the ranked topics of ``retrieval_intent``, best first."""
    if not isinstance(selection, Mapping):
        return []
    selector = selection.get(retrieval_intent) or selection.get(RESPONSE_SELECTOR_DEFAULT_INTENT)
    if not isinstance(selector, Mapping):
        return []
    ranking = selector.get(RESPONSE_SELECTOR_RANKING_KEY) or []
    found = [item.get(PREDICTED_CONFIDENCE_KEY) for item in ranking if isinstance(item, Mapping)]
    return sorted((float(c) for c in found if isinstance(c, (int, float))), reverse=True)


def unsure(confidences: list[float], threshold: float, ambiguity_threshold: float) -> bool:
    """Whether the best topic is below ``threshold`` or within ``ambiguity_threshold`` of the
    second. No topic at all is unsure."""
    if not confidences:
        return True
    first = confidences[0]
    second = confidences[1] if len(confidences) > 1 else 0.0
    return first < threshold or first - second < ambiguity_threshold


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TopicFallback(GraphComponent):
    """``nlu_fallback`` for a retrieval intent whose best response is not sure enough."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "threshold": 0.3, "ambiguity_threshold": 0.0}

    def __init__(self, config: dict[str, Any]) -> None:
        self.retrieval_intent = str(config["retrieval_intent"])
        self.threshold = float(config["threshold"])
        self.ambiguity_threshold = float(config["ambiguity_threshold"])

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
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != self.retrieval_intent:
                continue
            selection = message.get(RESPONSE_SELECTOR_PROPERTY_NAME)
            confidences = topic_confidences(selection, self.retrieval_intent)
            if not unsure(confidences, self.threshold, self.ambiguity_threshold):
                continue
            put_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, self.threshold)
        return messages
